"""quotecheck: find, attribute and check the quotes and facts of news articles with LLMs.

This module is the public API and nothing else; no module of the package imports it. It gives
the quote pipeline, fact-checking, the model door, the error family, the whole report
schema and the HTML renderers (``to_html``, ``to_dashboard``). Importing it starts no model,
opens no connection and loads nothing else: each name is imported on first use (PEP 562), so
``import quotecheck`` costs a millisecond and a command that hands its job to a warm worker
(``cli.warm``) never loads the model client at all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the names below resolve to, for type checkers and editors
    from quotecheck.errors import *  # noqa: F403
    from quotecheck.factcheck import (  # noqa: F401
        ClaimOptions,
        QuoteOptions,
        check_article,
        check_article_async,
        check_claims,
        check_claims_async,
        check_quotes,
        check_quotes_async,
    )
    from quotecheck.ingest import fetch_page, read_input  # noqa: F401
    from quotecheck.llm import LLM, LLMConfig, LocalConfig  # noqa: F401
    from quotecheck.output import to_dashboard, to_html  # noqa: F401
    from quotecheck.quotes import extract_quotes, extract_quotes_async, load_tagger  # noqa: F401
    from quotecheck.schema import *  # noqa: F403
    from quotecheck.text import Page, article_text, read_page  # noqa: F401

__version__ = "0.1.0"

#: name -> the package that defines it (errors and schema names are looked up there)
_WHERE = {
    **dict.fromkeys(("LLM", "LLMConfig", "LocalConfig"), "llm"),
    **dict.fromkeys(("extract_quotes", "extract_quotes_async", "load_tagger"), "quotes"),
    **dict.fromkeys(("Page", "article_text", "read_page"), "text"),
    # fact-checking pulls in the retrieval stack (bm25s, numpy)
    **dict.fromkeys(
        "ClaimOptions QuoteOptions check_article check_article_async check_claims "
        "check_claims_async check_quotes check_quotes_async".split(),
        "factcheck",
    ),
    # reading URLs, feeds and web archives pulls in the HTTP client
    **dict.fromkeys(("fetch_page", "read_input"), "ingest"),
    # the HTML renderers (the editor's view and the archive dashboard)
    **dict.fromkeys(("to_dashboard", "to_html"), "output"),
}
_SUBPACKAGES = frozenset(
    "batch cli errors evaluation factcheck ingest llm output quotes schema service text".split()
)


def _public() -> list[str]:
    errors = importlib.import_module("quotecheck.errors")
    schema = importlib.import_module("quotecheck.schema")
    return sorted({*errors.__all__, *schema.__all__, *_WHERE})


def __getattr__(name: str) -> Any:
    if name == "__all__":
        return _public()
    if name in _SUBPACKAGES:
        return importlib.import_module(f"quotecheck.{name}")
    if name in _WHERE:
        value = getattr(importlib.import_module(f"quotecheck.{_WHERE[name]}"), name)
    else:
        for home in ("errors", "schema"):
            module = importlib.import_module(f"quotecheck.{home}")
            if name in module.__all__:
                value = getattr(module, name)
                break
        else:
            raise AttributeError(f"module 'quotecheck' has no attribute {name!r}")
    globals()[name] = value  # found once; later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_public()})
