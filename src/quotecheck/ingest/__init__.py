"""Articles as newsrooms have them, beyond files: web pages fetched by URL, RSS/Atom feeds and
web archives (WARC), each turned into a :class:`~quotecheck.text.Page` by ``text.read_page``.

A package at the level of ``text`` (it reads and checks input; it never calls a model): imports
``errors``, ``schema`` and ``text``; ``batch``, ``service`` and ``cli`` import this face.
"""

from quotecheck.errors import BadInput
from quotecheck.ingest.feeds import (
    FEED_SUFFIXES,
    FROM_FEED_WARNING,
    FeedEntry,
    entry_page,
    feed_entries,
)
from quotecheck.ingest.warc import WARC_SUFFIXES, Capture, Scan, is_warc, scan_warc, warc_page
from quotecheck.ingest.web import (
    FEED_TYPES,
    HTML_TYPES,
    MAX_REDIRECTS,
    Fetched,
    fetch,
    is_url,
    offline_default,
)
from quotecheck.schema import ArticleMeta
from quotecheck.text import Page, load_file, read_page


def fetched_page(got: Fetched) -> Page:
    """The page of a fetched response, with what the response says (final URL, Date,
    Content-Language) as metadata the page's own fills in."""
    language = got.headers.get("content-language", "").split(",")[0].strip() or None
    known = ArticleMeta(
        source_url=got.url, retrieved=got.retrieved, language=language, origin="url"
    )
    return read_page(got.body, got.url, known=known, charset=got.charset)


def fetch_page(url: str, *, offline: bool = False) -> Page:
    """Fetch ``url`` (every limit of ``ingest.web``) and read it as a page."""
    got = fetch(url, accept=HTML_TYPES | FEED_TYPES, offline=offline)
    if got.is_feed:
        raise BadInput(f"{url} is a feed, not a page: give it to quotecheck batch")
    if got.media_type not in HTML_TYPES:
        raise BadInput(f"{got.url}: the server sent {got.media_type}, not an HTML page")
    return fetched_page(got)


def read_input(spec: str, *, offline: bool = False) -> Page:
    """What a user names on the command line: an http(s) URL (fetched unless ``offline``), a
    file (HTML reduced to its article text) or ``-`` for stdin."""
    return fetch_page(spec, offline=offline) if is_url(spec) else load_file(spec)


__all__ = [
    "FEED_SUFFIXES",
    "FEED_TYPES",
    "FROM_FEED_WARNING",
    "HTML_TYPES",
    "MAX_REDIRECTS",
    "WARC_SUFFIXES",
    "Capture",
    "FeedEntry",
    "Fetched",
    "Scan",
    "entry_page",
    "feed_entries",
    "fetch",
    "fetch_page",
    "fetched_page",
    "is_url",
    "is_warc",
    "offline_default",
    "read_input",
    "scan_warc",
    "warc_page",
]
