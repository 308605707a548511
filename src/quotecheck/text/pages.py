"""Any article input as a :class:`Page`: plain text as it is, HTML through ``read_page``.

The readers every entry point uses (CLI files and stdin, batch files and JSONL records, the
fact-check article): one sniff decides text or page, so an HTML article is reduced the same way
wherever it comes in. Deterministic; imports ``errors``, ``schema`` and the rest of ``text``.
"""

from __future__ import annotations

from pathlib import Path

from quotecheck.errors import BadInput
from quotecheck.schema import ArticleMeta
from quotecheck.text.html import Page, read_page
from quotecheck.text.inputs import (
    HTML_SUFFIXES,
    check_text,
    decode,
    looks_like_html,
    read_bytes,
)

HTML_WARNING = "the article was HTML: offsets index its extracted text"


def page_of(
    data: str | bytes,
    url: str | None = None,
    *,
    known: ArticleMeta | None = None,
    html: bool | None = None,
    source: str = "the article",
) -> Page:
    """Text or bytes as a page: HTML (``html=True``, or sniffed when None) is reduced to its
    article text with metadata; anything else is checked and kept as it is, with ``known`` as
    its metadata (None: nothing known, as for a plain-text file)."""
    if html is None:
        head = data[:5000]
        html = looks_like_html(head.decode("latin-1") if isinstance(head, bytes) else head)
    if html:
        return read_page(data, url, known=known)
    text = decode(data, source) if isinstance(data, bytes) else check_text(data)
    if looks_like_html(text):  # a page in an encoding the byte sniff cannot read (UTF-16)
        return read_page(text, url, known=known)
    return Page(text, known)


def load_file(path: str | Path) -> Page:
    """A file (or ``-`` for stdin) as a page: ``.html``/``.htm`` and sniffed HTML are reduced
    to their article text; the raw file's hash is ``meta.source_sha256``."""
    source = "standard input" if str(path) == "-" else str(path)
    data = read_bytes(path)
    is_html = True if Path(str(path)).suffix.lower() in HTML_SUFFIXES else None
    try:
        return page_of(data, html=is_html, source=source)
    except BadInput as err:
        message = str(err)
        raise BadInput(message if source in message else f"{source}: {message}") from None


def plain_text(text: str) -> str:
    """HTML pages reduced to their article text; anything else as it is."""
    return page_of(text).text


def read_article(path: str | Path) -> str:
    """Read a file (or ``-`` for stdin) and return article text, reducing HTML to its text."""
    return load_file(path).text


def prepare_page(text: object, article: ArticleMeta | None = None) -> tuple[Page, list[str]]:
    """What a library call was handed (text or bytes) as a checked page, with the warnings for
    its report; HTML is reduced (its metadata under ``article``'s); empty is refused."""
    if isinstance(text, bytes):
        text = decode(text, "the article")
    if not isinstance(text, str):
        raise BadInput(f"the article must be text, not {type(text).__name__}")
    check_text(text)
    warnings: list[str] = []
    if looks_like_html(text):
        page = read_page(text, article.source_url if article else None, known=article)
        warnings = [HTML_WARNING, *page.warnings]
    else:
        page = Page(text, article)
    if not page.text.strip():
        raise BadInput("the article is empty; give the article's text")
    return page, warnings


def prepare_article(text: object) -> tuple[str, list[str]]:
    """Text or bytes as checked plain text, with a warning when it was HTML; empty is refused."""
    page, warnings = prepare_page(text)
    return page.text, warnings
