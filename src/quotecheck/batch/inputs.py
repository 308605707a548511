"""Batch inputs: files, folders, globs, JSONL (configurable id/text fields), stdin, URLs, RSS/Atom
feeds and web archives (WARC), turned into :class:`Article` items whose page is read only when
processed, so one unreadable file, dead link or damaged record becomes one recorded error
instead of a crashed batch.

A URL given as an input is fetched when the inputs are collected (a feed then becomes its
entries); an entry's page, a WARC capture and a JSONL record's ``url`` are read when processed.
Imports ``errors``, ``schema``, ``text`` (which reads, checks and decodes every input) and
``ingest`` (fetching, feeds, archives).
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, TypedDict, Unpack

from quotecheck.errors import BadInput, ConfigError
from quotecheck.ingest import (
    FEED_SUFFIXES,
    FEED_TYPES,
    HTML_TYPES,
    entry_page,
    feed_entries,
    fetch,
    fetch_page,
    fetched_page,
    is_url,
    is_warc,
    offline_default,
    scan_warc,
    warc_page,
)
from quotecheck.schema import ArticleMeta
from quotecheck.text import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    TEXT_SUFFIXES,
    Page,
    decode,
    jsonl_lines,
    load_file,
    merge_meta,
    page_of,
    read_bytes,
)

_GLOB_CHARS = frozenset("*?[")
#: what a folder is searched for (``.xml`` only when named: most XML files are not feeds)
_FOLDER_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | (FEED_SUFFIXES - {".xml"})


@dataclass
class Article:
    """One unit of work. ``text`` is set for JSONL/stdin records (``html`` says it is a page),
    ``path`` for files, ``loader`` for pages read later (URLs, feed entries, WARC captures);
    ``meta`` is what the input itself says of the article (JSONL fields); ``problem`` marks an
    input already known to be unusable (bad JSON line, unreachable URL, damaged archive)."""

    id: str
    source: str
    text: str | None = None
    path: Path | None = None
    problem: str | None = None
    meta: ArticleMeta | None = None
    html: bool | None = None
    loader: Callable[[], Page] | None = None

    def load_page(self) -> Page:
        """The article's page (text, metadata, warnings); raises :class:`BadInput` with a
        fix-it message."""
        if self.problem is not None:
            raise BadInput(self.problem)
        if self.loader is not None:
            return self.loader()
        if self.text is not None:
            url = self.meta.source_url if self.meta else None
            return page_of(self.text, url, known=self.meta, html=self.html, source=self.source)
        assert self.path is not None
        return load_file(self.path)

    def load(self) -> str:
        """The article text (``load_page().text``)."""
        return self.load_page().text


@dataclass
class Collected:
    """Articles in input order with duplicate ids dropped (first one wins); ``notes`` say what
    an input held (e.g. a web archive's captures and skipped records)."""

    articles: list[Article] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _field(record: dict, dotted: str) -> Any:
    """``record["a"]["b"]`` for ``"a.b"``; None when any step is missing."""
    value: Any = record
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def iter_jsonl(
    lines: Iterable[bytes],
    source: str,
    *,
    id_field: str,
    text_field: str,
    offline: bool = False,
) -> Iterator[Article]:
    """Articles from JSONL lines: the text field, else an ``html`` field (a page), else a
    ``url`` to fetch when processed; ``url``, ``title``, ``published``, ``author(s)``, ``site``
    fields are kept as metadata. A bad line yields an Article with a ``problem`` so it is
    reported per line; a missing id falls back to ``source:line``."""
    for line in jsonl_lines(lines, source):
        where, record = line.where, line.record
        if record is None:
            yield Article(id=where, source=where, problem=line.problem)
            continue
        raw_id = _field(record, id_field)
        art_id = where if raw_id is None or raw_id == "" else str(raw_id)
        meta = _record_meta(record)
        text, html = _field(record, text_field), None
        if not isinstance(text, str) and isinstance(record.get("html"), str):
            text, html = record["html"], True
        if isinstance(text, str):
            yield Article(id=art_id, source=where, text=text, meta=meta, html=html)
        elif meta is not None and meta.source_url and is_url(meta.source_url):
            load = partial(_url_page, meta.source_url, meta, offline)
            yield Article(id=art_id, source=where, meta=meta, loader=load)
        else:
            keys = ", ".join(sorted(record)[:8])
            problem = (
                f"{where}: no text in field {text_field!r}, no 'html' and no 'url' "
                f"(fields: {keys}); choose the text with --text-field"
            )
            yield Article(id=art_id, source=where, problem=problem)


def _record_meta(record: dict) -> ArticleMeta | None:
    """What a JSONL record (a CMS export) says of its article, under common field names."""

    def first(*names: str) -> str | None:
        for name in names:
            value = record.get(name)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return None

    authors = record.get("authors")
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list):
        authors = [first("author", "byline")] if first("author", "byline") else []
    values = {
        "source_url": first("url", "link"),
        "title": first("title", "headline"),
        "authors": [a for a in authors if isinstance(a, str) and a.strip()],
        "published": first("published", "date", "datePublished", "published_at"),
        "site_name": first("site_name", "site", "publication", "publisher"),
        "language": first("language", "lang"),
    }
    values["url"] = values["source_url"]
    values = {k: v for k, v in values.items() if v}
    return ArticleMeta(**values, origin="jsonl") if values else None


def _url_page(url: str, known: ArticleMeta, offline: bool) -> Page:
    page = fetch_page(url, offline=offline)
    return Page(page.text, merge_meta(known, page.meta.model_dump()), page.warnings)


@dataclass
class _Reading:
    """How inputs are read (the JSONL fields, whether fetching is allowed) and what was noted."""

    id_field: str = "id"
    text_field: str = "text"
    offline: bool = False
    notes: list[str] = field(default_factory=list)

    def jsonl(self, lines: Iterable[bytes], source: str) -> Iterator[Article]:
        return iter_jsonl(
            lines, source, id_field=self.id_field, text_field=self.text_field, offline=self.offline
        )


def _jsonl_file(path: Path, how: _Reading) -> Iterator[Article]:
    try:
        with path.open("rb") as fh:
            yield from how.jsonl(fh, str(path))
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror or err}") from err


def _stdin(stream: BinaryIO, how: _Reading) -> Iterator[Article]:
    data = stream.read()
    if data.lstrip()[:1] == b"{":
        yield from how.jsonl(data.splitlines(), "<stdin>")
        return
    try:
        yield Article(id="stdin", source="<stdin>", text=decode(data, "standard input"))
    except BadInput as err:
        yield Article(id="stdin", source="<stdin>", problem=str(err))


def _feed(data: bytes, source: str, how: _Reading) -> Iterator[Article]:
    """One article per entry: its page is fetched when processed (or its content, offline)."""
    try:
        entries = feed_entries(data, source)
    except BadInput as err:
        yield Article(id=source, source=source, problem=str(err))
        return
    how.notes.append(f"{source}: feed with {len(entries)} entries")
    for n, entry in enumerate(entries, start=1):
        load = partial(entry_page, entry, how.offline)
        yield Article(id=entry.id, source=f"{source}#{n}", meta=entry.meta, loader=load)


def _warc(path: Path, how: _Reading) -> Iterator[Article]:
    """One article per HTML capture, found by reading headers only; the rest is counted."""
    scan = scan_warc(path)
    how.notes.append(scan.summary(str(path)))
    for capture in scan.captures:
        art_id = f"{capture.uri}@{capture.date}" if capture.date else capture.uri
        yield Article(
            id=art_id, source=f"{path}@{capture.offset}", loader=partial(warc_page, capture)
        )
    if scan.problem is not None:
        yield Article(id=f"{path}@damaged", source=str(path), problem=scan.problem)


def _url(url: str, how: _Reading) -> Iterator[Article]:
    """A page (fetched now, read when processed) or a feed (its entries)."""
    try:
        got = fetch(url, accept=HTML_TYPES | FEED_TYPES, offline=how.offline)
    except BadInput as err:
        yield Article(id=url, source=url, problem=str(err))
        return
    if got.is_feed or got.media_type not in HTML_TYPES:
        yield from _feed(got.body, url, how)
    else:
        yield Article(id=url, source=got.url, loader=partial(fetched_page, got))


def _files_in(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and (p.suffix.lower() in _FOLDER_SUFFIXES or is_warc(p))
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _from_path(path: Path, how: _Reading) -> Iterator[Article]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_file(path, how)
    elif is_warc(path):
        yield from _warc(path, how)
    elif suffix in FEED_SUFFIXES:
        try:
            data = read_bytes(path)
        except BadInput as err:
            yield Article(id=str(path), source=str(path), problem=str(err))
            return
        yield from _feed(data, str(path), how)
    else:
        yield Article(id=str(path), source=str(path), path=path)


def _expand(item: str, how: _Reading, stdin: BinaryIO | None) -> Iterator[Article]:
    if item == "-":
        yield from _stdin(stdin or sys.stdin.buffer, how)
        return
    if is_url(item):
        yield from _url(item, how)
        return
    path = Path(item)
    if path.is_dir():
        for file in _files_in(path):
            yield from _from_path(file, how)
    elif path.is_file():
        yield from _from_path(path, how)
    elif _GLOB_CHARS & set(item):
        files = [Path(m) for m in sorted(glob.glob(item, recursive=True)) if Path(m).is_file()]
        if not files:
            raise ConfigError(f"no files match {item!r}")
        for file in files:
            yield from _from_path(file, how)
    else:
        raise ConfigError(
            f"input not found: {item} (give files, folders, globs, URLs, feeds, WARCs or -)"
        )


class InputOptions(TypedDict, total=False):
    """How inputs are read: the JSONL fields holding an article's id and text (``a.b`` for
    nested ones; default ``id``, ``text``), the stream ``-`` stands for (default stdin), and
    whether fetching is forbidden (default: ``QUOTECHECK_OFFLINE``)."""

    id_field: str
    text_field: str
    stdin: BinaryIO | None
    offline: bool | None


def iter_inputs(
    inputs: Iterable[str], *, notes: list[str] | None = None, **options: Unpack[InputOptions]
) -> Iterator[Article]:
    """Expand each input (``-``, file, folder, glob, URL, feed, WARC) into articles, in a
    stable order so a re-run sees the same ids. Offline, a URL input becomes a recorded error
    and a feed entry its feed content. Unknown paths raise :class:`ConfigError` (a usage error);
    ``notes`` collects what each input held."""
    offline = options.get("offline")
    how = _Reading(
        options.get("id_field", "id"),
        options.get("text_field", "text"),
        offline_default() if offline is None else offline,
    )
    how.notes = notes if notes is not None else how.notes
    for item in inputs:
        yield from _expand(item, how, options.get("stdin"))


def collect(inputs: Iterable[str], **options: Unpack[InputOptions]) -> Collected:
    """All articles of the inputs, duplicates of an id dropped and listed."""
    out = Collected()
    seen: set[str] = set()
    for article in iter_inputs(inputs, notes=out.notes, **options):
        if article.id in seen:
            out.duplicates.append(article.id)
            continue
        seen.add(article.id)
        out.articles.append(article)
    return out
