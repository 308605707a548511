"""quotecheck: find, attribute and check the quotes and facts of news articles with LLMs.

This module is the public API and nothing else; no module of the package imports it. It gives
the quote pipeline, fact-checking, the model door, the error family, the whole report
schema and the HTML renderers (``to_html``, ``to_dashboard``). Importing it starts no model
and opens no connection; the embedded model starts on the first call that needs it.
"""

from __future__ import annotations

from typing import Any

from quotecheck import errors, schema
from quotecheck.errors import *  # noqa: F403 - the error family is public as it stands
from quotecheck.llm import LLM as LLM
from quotecheck.llm import LLMConfig as LLMConfig
from quotecheck.llm import LocalConfig as LocalConfig
from quotecheck.quotes import extract_quotes as extract_quotes
from quotecheck.quotes import extract_quotes_async as extract_quotes_async
from quotecheck.quotes import load_tagger as load_tagger
from quotecheck.schema import *  # noqa: F403 - the report schema is public as it stands
from quotecheck.text import Page as Page
from quotecheck.text import article_text as article_text
from quotecheck.text import read_page as read_page

__version__ = "0.1.0"

# fact-checking pulls in the retrieval stack (bm25s, numpy): loaded on first use
_FACTCHECK = frozenset(
    "ClaimOptions QuoteOptions check_article check_article_async check_claims "
    "check_claims_async check_quotes check_quotes_async".split()
)


# reading URLs, feeds and web archives pulls in the HTTP client: loaded on first use
_INGEST = frozenset("fetch_page read_input".split())
# the HTML renderers (the editor's view and the archive dashboard): loaded on first use too
_OUTPUT = frozenset({"to_dashboard", "to_html"})


def __getattr__(name: str) -> Any:
    if name in _FACTCHECK:
        from quotecheck import factcheck

        return getattr(factcheck, name)
    if name in _INGEST:
        from quotecheck import ingest

        return getattr(ingest, name)
    if name in _OUTPUT:
        from quotecheck import output

        return getattr(output, name)
    raise AttributeError(f"module 'quotecheck' has no attribute {name!r}")


__all__ = sorted(
    {*errors.__all__, *schema.__all__, *_FACTCHECK, *_INGEST, *_OUTPUT}
    | {"LLM", "LLMConfig", "LocalConfig", "Page", "article_text", "read_page"}
    | {"extract_quotes", "extract_quotes_async", "load_tagger"}
)
