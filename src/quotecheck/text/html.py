"""Web pages to article text and metadata: the one place HTML becomes what the pipeline reads.

``read_page`` is the only function that turns a page into text: the CLI, batch inputs (files,
URLs, feeds, web archives, JSONL ``html`` fields) and evidence sources all call it, so the text
every offset refers to is the same wherever a page enters. The article body and the metadata
(title, authors, date, site, canonical URL) come from ``trafilatura`` (measured against the
older tag filter in ``scripts/bench_html.py``); the tag filter is kept as the fallback for HTML
that has no page around it (a CMS body fragment, a two-line snippet), where trafilatura finds no
article and returns nothing. Deterministic; imports ``errors``, ``schema`` and ``text.inputs``.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from quotecheck.errors import BadInput
from quotecheck.schema import ArticleMeta
from quotecheck.text.inputs import MAX_INPUT, check_text, decode

_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
          "article", "header", "footer", "tr", "figcaption", "title"}  # fmt: skip
_SKIP = {"script", "style", "noscript", "nav", "aside", "footer", "form", "figure", "button",
         "svg", "iframe", "template", "head"}  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_LANG_TAG = r"""["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)"""
_LANGUAGE = (
    re.compile(r"<html\b[^>]*?\blang\s*=\s*" + _LANG_TAG, re.I),
    re.compile(
        r"""<meta[^>]+http-equiv\s*=\s*["']?content-language["']?[^>]+content\s*=\s*""" + _LANG_TAG,
        re.I,
    ),  # fmt: skip
    re.compile(
        r"""<meta[^>]+property\s*=\s*["']og:locale["'][^>]+content\s*=\s*""" + _LANG_TAG, re.I
    ),  # fmt: skip
)
#: what trafilatura is asked for: the body without comments, tables kept (results, figures),
#: precision favoured (every boilerplate line is a chance of a false quote or claim)
_OPTIONS = {"favor_precision": True, "include_comments": False, "include_tables": True,
            "include_images": False, "include_links": False, "with_metadata": True}  # fmt: skip
NO_BODY_WARNING = (
    "no article body was found in the page (a fragment or a very short page): "
    "its whole visible text was kept"
)
NO_TEXT_WARNING = "the page has no visible text"


@dataclass(frozen=True)
class Page:
    """What a page becomes: ``text`` (what every offset refers to), ``meta`` (what is known of
    the article; None for plain text) and ``warnings`` for the report (e.g. no body found)."""

    text: str
    meta: ArticleMeta | None = None  # None: plain text, nothing known besides the words
    warnings: tuple[str, ...] = field(default_factory=tuple)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def tag_filter_text(markup: str) -> str:
    """The older extractor: visible text with scripts, navigation, figures and footers dropped,
    one paragraph per block (inside ``<article>`` when there is one). The fallback for HTML
    without a page around it, and the baseline of ``scripts/bench_html.py``."""
    body = markup
    m = re.search(r"<article\b.*?</article>", markup, re.S | re.I)
    if m:
        body = m.group(0)
    parser = _TextExtractor()
    parser.feed(body)
    parser.close()
    raw = html.unescape("".join(parser.parts))
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", raw)]
    return "\n\n".join(p for p in paras if p)


def decode_page(data: bytes, charset: str | None = None, source: str = "the page") -> str:
    """A page's bytes as text: a BOM first, then the charset the server declared (``charset``,
    from Content-Type) or the page declares (``<meta charset>``), else UTF-8 as for any input.
    A declared charset is followed, never guessed; bytes invalid in it are refused."""
    if len(data) > MAX_INPUT:
        return decode(data, source)  # the one size message
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, source)
    if charset is None and (m := _META_CHARSET.search(data[:4096])):
        charset = m.group(1).decode("ascii", "replace")
    if not charset:
        return decode(data, source)
    try:
        name = codecs.lookup(charset.strip().strip("\"'")).name
    except LookupError:
        raise BadInput(f"{source} declares an unknown charset {charset!r}") from None
    if name in ("utf-8", "ascii"):
        return decode(data, source)
    if name == "iso8859-1":
        name = "cp1252"  # what browsers read for a page labelled latin-1 (WHATWG encoding)
    if b"\x00" in data[:4096] and not name.startswith("utf-16"):
        raise BadInput(f"{source} looks binary (contains NUL bytes), not a page")
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        if name == "cp1252":
            return data.decode("latin-1")
        raise BadInput(
            f"{source} declares charset {charset} but byte {exc.start} is not valid in it"
        ) from None


def _language(markup: str) -> str | None:
    head = markup[:20000]
    for pattern in _LANGUAGE:
        if m := pattern.search(head):
            return m.group(1).replace("_", "-")
    return None


def _paragraphs(text: str | None) -> str:
    lines = (" ".join(line.split()) for line in (text or "").splitlines())
    return "\n\n".join(line for line in lines if line)


def _authors(raw: str | None) -> list[str]:
    return [a.strip() for a in (raw or "").split(";") if a.strip()]


def _page_meta(doc: object, markup: str) -> dict[str, object]:
    """The metadata trafilatura found in the page, in the schema's field names."""
    if doc is None:
        return {"language": _language(markup)}

    def get(name: str) -> str | None:
        return getattr(doc, name, None)

    return {
        "url": get("url"),
        "title": get("title"),
        "authors": _authors(get("author")),
        "published": get("date"),
        "site_name": get("sitename"),
        "language": get("language") or _language(markup),
        "description": get("description"),
    }


def merge_meta(known: ArticleMeta | None, found: dict[str, object]) -> ArticleMeta:
    """``known`` (from a feed entry, a fetch, an archive record) wins; ``found`` fills gaps."""
    values = dict(known.model_dump(exclude_defaults=True)) if known is not None else {}
    for name, value in found.items():
        if value not in (None, "", []) and name not in values:
            values[name] = value
    return ArticleMeta(**values)


def read_page(
    markup: str | bytes,
    url: str | None = None,
    *,
    known: ArticleMeta | None = None,
    charset: str | None = None,
) -> Page:
    """A page's article text and metadata. ``url`` is where it came from (a fallback for the
    canonical URL and a hint for dates); ``known`` is metadata from outside the page (fetch,
    feed, archive), which wins over the page's own; ``charset`` the server's declaration for
    bytes. The raw page's SHA-256 is ``meta.source_sha256``."""
    raw = markup if isinstance(markup, bytes) else markup.encode("utf-8", "surrogatepass")
    if isinstance(markup, bytes):
        markup = decode_page(markup, charset)
    check_text(markup)
    import trafilatura  # heavy (lxml, date parsing): loaded on the first page

    doc = trafilatura.bare_extraction(markup, url=url, **_OPTIONS) if markup.strip() else None
    text = _paragraphs(doc.text if doc is not None else None)
    warnings: tuple[str, ...] = ()
    if not text:
        text = tag_filter_text(markup)
        warnings = (NO_BODY_WARNING,) if text else (NO_TEXT_WARNING,)
    found = _page_meta(doc, markup)
    source = {"source_url": url, "url": url, "origin": "html"}
    meta = merge_meta(known, {**found, "url": found.get("url") or url})
    meta = merge_meta(meta, source)
    meta = meta.model_copy(update={"source_sha256": hashlib.sha256(raw).hexdigest()})
    return Page(text, meta, warnings)


def article_text(markup: str) -> str:
    """The article text of an HTML page (``read_page(markup).text``): quote offsets then refer
    to this text."""
    return read_page(markup).text
