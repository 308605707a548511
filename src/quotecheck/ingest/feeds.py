"""RSS and Atom feeds (``feedparser``) as articles: one entry, one article, with the feed's
metadata (title, link, published, authors, the feed's title as the site).

An entry's article is its page (fetched when the batch processes it, unless offline) or, offline
or when the page cannot be had, the content the feed carries (``content:encoded``, Atom
``content``, else the summary), with a warning saying which. feedparser is only ever handed
bytes, never a URL or a path, so it opens nothing itself. Imports ``errors``, ``schema``,
``text`` and ``ingest.web``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from quotecheck.errors import BadInput
from quotecheck.ingest.web import HTML_TYPES, fetch, require
from quotecheck.schema import ArticleMeta
from quotecheck.text import MAX_INPUT, Page, read_page

FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml", ".rdf"})
FROM_FEED_WARNING = "the text is the feed entry's content, not the page"


@dataclass(frozen=True)
class FeedEntry:
    """One entry: where its page is, what the feed says about it, and its content (HTML)."""

    id: str
    meta: ArticleMeta
    content: str | None


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    return datetime(*parsed[:6], tzinfo=UTC).isoformat()


def _authors(entry: Any) -> list[str]:
    names = [a.get("name") for a in entry.get("authors") or [] if a.get("name")]
    if not names and entry.get("author"):
        names = [entry["author"]]
    return names


def _content(entry: Any) -> str | None:
    for part in entry.get("content") or []:
        if part.get("value", "").strip():
            return part["value"]
    summary = entry.get("summary")
    return summary if isinstance(summary, str) and summary.strip() else None


def feed_entries(data: bytes, source: str) -> list[FeedEntry]:
    """Every entry of an RSS/Atom document, in feed order; a document with no entries that
    feedparser could not read is refused with its reason."""
    if len(data) > MAX_INPUT:
        raise BadInput(f"{source} is {len(data):,} bytes, over the {MAX_INPUT:,} limit")
    feedparser = require("feedparser", "RSS and Atom feeds")
    parsed = feedparser.parse(  # type: ignore[attr-defined]
        data, sanitize_html=True, resolve_relative_uris=True
    )
    if not parsed.entries:
        if parsed.get("bozo") and not parsed.get("version"):
            reason = parsed.get("bozo_exception")
            raise BadInput(f"{source} is not an RSS or Atom feed ({reason})")
        return []
    feed = parsed.feed
    site, language = feed.get("title") or None, feed.get("language") or None
    entries = []
    for n, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link") or None
        meta = ArticleMeta(
            url=link,
            source_url=link,
            title=entry.get("title") or None,
            authors=_authors(entry),
            published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
            site_name=site,
            language=language,
            origin="feed",
        )
        entry_id = entry.get("id") or link or f"{source}#{n}"
        entries.append(FeedEntry(str(entry_id), meta, _content(entry)))
    return entries


def entry_page(entry: FeedEntry, offline: bool = False) -> Page:
    """The entry's article: its page when it can be fetched, else the feed's content."""
    problem = None
    if entry.meta.source_url and not offline:
        try:
            got = fetch(entry.meta.source_url, accept=HTML_TYPES)
        except BadInput as err:
            problem = str(err)
        else:
            known = entry.meta.model_copy(
                update={"source_url": got.url, "retrieved": got.retrieved}
            )
            return read_page(got.body, got.url, known=known, charset=got.charset)
    if entry.content is None:
        raise BadInput(problem or f"feed entry {entry.id}: no link to fetch and no content")
    page = read_page(entry.content, entry.meta.source_url, known=entry.meta)
    why = f"{FROM_FEED_WARNING} ({problem})" if problem else FROM_FEED_WARNING
    return Page(page.text, page.meta, (why, *page.warnings))
