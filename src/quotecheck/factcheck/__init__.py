"""Fact-checking: claims against the reporter's sources, quotes against transcripts.

Other packages import from this face only.
"""

from quotecheck.factcheck.calibration import FULL, MODEL_ONLY, Calibration
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
from quotecheck.factcheck.evidence import (
    EvidenceIndex,
    Source,
    load_sources,
    split_sentences,
    tokenize,
)
from quotecheck.factcheck.scoring import (
    Signals,
    claim_signals,
    code_features,
    contradicted,
    with_derived,
)
from quotecheck.factcheck.transcripts import Transcript, load_transcripts, parse_transcript
from quotecheck.factcheck.verify import (
    ask_names,
    decide,
    plain_passages,
    verify_claim_async,
    verify_passages_async,
)

__all__ = [
    "FULL",
    "MODEL_ONLY",
    "Calibration",
    "Signals",
    "ask_names",
    "claim_signals",
    "code_features",
    "contradicted",
    "decide",
    "split_sentences",
    "tokenize",
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
    "summary",
    "verify_claim_async",
    "verify_passages_async",
    "with_derived",
]
