"""quotecheck: find, attribute and check the quotes and facts of news articles with LLMs.

Importing the package starts no model and opens no connection; the embedded model starts on
the first call that needs it.
"""

from __future__ import annotations

from typing import Any

from quotecheck.config import LLMConfig, LocalConfig
from quotecheck.errors import (
    AuthenticationFailed,
    BadInput,
    ConfigError,
    EndpointUnavailable,
    InvalidOutput,
    LocalModelError,
    ModelNotFound,
    QuotecheckError,
    RateLimited,
)
from quotecheck.ingest import article_text
from quotecheck.llm import LLM
from quotecheck.models import (
    SCHEMA_VERSION,
    CueKind,
    Quote,
    QuoteReport,
    QuoteType,
    Relay,
    RunInfo,
    Span,
    Speaker,
    SpeakerKind,
    Usage,
)
from quotecheck.quotes import extract_quotes, extract_quotes_async

__version__ = "0.1.0"

_FACTCHECK = {"check_claims", "check_claims_async", "check_quotes", "check_quotes_async"}


def __getattr__(name: str) -> Any:
    # fact-checking pulls in the retrieval stack; load it only when asked for
    if name in _FACTCHECK:
        from quotecheck import factcheck

        return getattr(factcheck, name)
    raise AttributeError(f"module 'quotecheck' has no attribute {name!r}")


__all__ = [
    "SCHEMA_VERSION",
    "AuthenticationFailed",
    "BadInput",
    "ConfigError",
    "CueKind",
    "EndpointUnavailable",
    "InvalidOutput",
    "LLM",
    "LLMConfig",
    "LocalConfig",
    "LocalModelError",
    "ModelNotFound",
    "Quote",
    "QuoteReport",
    "QuoteType",
    "QuotecheckError",
    "RateLimited",
    "Relay",
    "RunInfo",
    "Span",
    "Speaker",
    "SpeakerKind",
    "Usage",
    "article_text",
    "check_claims",
    "check_claims_async",
    "check_quotes",
    "check_quotes_async",
    "extract_quotes",
    "extract_quotes_async",
]
