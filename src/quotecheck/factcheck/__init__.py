"""Fact-checking: claims against the reporter's sources, quotes against transcripts.

Other packages import from this face only.
"""

from quotecheck.factcheck.check import (
    ClaimOptions,
    QuoteOptions,
    check_article,
    check_article_async,
    check_claims,
    check_claims_async,
    check_quotes,
    check_quotes_async,
    summary,
)
from quotecheck.factcheck.evidence import EvidenceIndex, Source, load_sources
from quotecheck.factcheck.transcripts import Transcript, load_transcripts, parse_transcript
from quotecheck.factcheck.verify import (
    plain_passages,
    retrieval_applies,
    verify_claim_async,
    verify_passages_async,
)

__all__ = [
    "ClaimOptions",
    "EvidenceIndex",
    "QuoteOptions",
    "Source",
    "Transcript",
    "check_article",
    "check_article_async",
    "check_claims",
    "check_claims_async",
    "check_quotes",
    "check_quotes_async",
    "load_sources",
    "load_transcripts",
    "parse_transcript",
    "plain_passages",
    "retrieval_applies",
    "summary",
    "verify_claim_async",
    "verify_passages_async",
]
