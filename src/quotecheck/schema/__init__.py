"""The public contract: the pydantic shapes every report is made of (JSON-versioned).

Nothing here computes anything; every stage imports its types from this package face.
"""

from quotecheck.schema.common import ArticleMeta, ArticleReport, RunInfo, Span, Usage
from quotecheck.schema.factcheck import (
    FACTCHECK_SCHEMA_VERSION,
    Assertor,
    Citation,
    Claim,
    ClaimCheck,
    DiffOp,
    FactCheckReport,
    FidelityStatus,
    Finding,
    FragmentAlignment,
    Label,
    Passage,
    QuoteFidelity,
    ScoredPassage,
    Verdict,
)
from quotecheck.schema.quotes import (
    SCHEMA_VERSION,
    CueKind,
    Quote,
    QuoteReport,
    QuoteType,
    Relay,
    Speaker,
    SpeakerKind,
)

__all__ = [
    "ArticleMeta",
    "ArticleReport",
    "FACTCHECK_SCHEMA_VERSION",
    "SCHEMA_VERSION",
    "Assertor",
    "Citation",
    "Claim",
    "ClaimCheck",
    "CueKind",
    "DiffOp",
    "FactCheckReport",
    "FidelityStatus",
    "Finding",
    "FragmentAlignment",
    "Label",
    "Passage",
    "Quote",
    "QuoteFidelity",
    "QuoteReport",
    "QuoteType",
    "Relay",
    "RunInfo",
    "ScoredPassage",
    "Span",
    "Speaker",
    "SpeakerKind",
    "Usage",
    "Verdict",
]
