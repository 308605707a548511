"""Batch inputs: files, folders, globs, JSONL (configurable id/text fields) and stdin, turned
into :class:`Article` items whose text is read only when processed, so one unreadable file
becomes one recorded error instead of a crashed batch.

Imports ``errors`` and ``text`` (which reads, checks and decodes every input).
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from quotecheck.errors import BadInput, ConfigError
from quotecheck.text import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    TEXT_SUFFIXES,
    decode,
    jsonl_lines,
    plain_text,
    read_article,
)

_GLOB_CHARS = frozenset("*?[")


@dataclass
class Article:
    """One unit of work. ``text`` is set for JSONL/stdin records, ``path`` for files;
    ``problem`` marks an input that is already known to be unusable (bad JSON line)."""

    id: str
    source: str
    text: str | None = None
    path: Path | None = None
    problem: str | None = None

    def load(self) -> str:
        """The article text; raises :class:`BadInput` with a fix-it message."""
        if self.problem is not None:
            raise BadInput(self.problem)
        if self.text is not None:
            return plain_text(self.text)
        assert self.path is not None
        return read_article(self.path)


@dataclass
class Collected:
    """Articles in input order with duplicate ids dropped (first one wins)."""

    articles: list[Article] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def _field(record: dict, dotted: str) -> Any:
    """``record["a"]["b"]`` for ``"a.b"``; None when any step is missing."""
    value: Any = record
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def iter_jsonl(
    lines: Iterable[bytes], source: str, *, id_field: str, text_field: str
) -> Iterator[Article]:
    """Articles from JSONL lines. A bad line yields an Article with a ``problem`` so it is
    reported per line; a missing id falls back to ``source:line``."""
    for line in jsonl_lines(lines, source):
        where, record = line.where, line.record
        if record is None:
            yield Article(id=where, source=where, problem=line.problem)
            continue
        raw_id = _field(record, id_field)
        art_id = where if raw_id is None or raw_id == "" else str(raw_id)
        text = _field(record, text_field)
        if not isinstance(text, str):
            keys = ", ".join(sorted(record)[:8])
            problem = (
                f"{where}: no text in field {text_field!r} (fields: {keys}); "
                "choose it with --text-field"
            )
            yield Article(id=art_id, source=where, problem=problem)
            continue
        yield Article(id=art_id, source=where, text=text)


def _jsonl_file(path: Path, *, id_field: str, text_field: str) -> Iterator[Article]:
    try:
        with path.open("rb") as fh:
            yield from iter_jsonl(fh, str(path), id_field=id_field, text_field=text_field)
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror or err}") from err


def _stdin(stream: BinaryIO, *, id_field: str, text_field: str) -> Iterator[Article]:
    data = stream.read()
    if data.lstrip()[:1] == b"{":
        yield from iter_jsonl(
            data.splitlines(), "<stdin>", id_field=id_field, text_field=text_field
        )
        return
    try:
        yield Article(id="stdin", source="<stdin>", text=decode(data, "standard input"))
    except BadInput as err:
        yield Article(id="stdin", source="<stdin>", problem=str(err))


def _files_in(folder: Path) -> list[Path]:
    wanted = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in wanted
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _from_path(path: Path, *, id_field: str, text_field: str) -> Iterator[Article]:
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _jsonl_file(path, id_field=id_field, text_field=text_field)
    else:
        yield Article(id=str(path), source=str(path), path=path)


def iter_inputs(
    inputs: Iterable[str],
    *,
    id_field: str = "id",
    text_field: str = "text",
    stdin: BinaryIO | None = None,
) -> Iterator[Article]:
    """Expand each input (``-``, file, folder, glob) into articles, in a stable order so a
    re-run sees the same ids. Unknown paths raise :class:`ConfigError` (a usage error)."""
    for item in inputs:
        if item == "-":
            yield from _stdin(stdin or sys.stdin.buffer, id_field=id_field, text_field=text_field)
            continue
        path = Path(item)
        if path.is_dir():
            for file in _files_in(path):
                yield from _from_path(file, id_field=id_field, text_field=text_field)
        elif path.is_file():
            yield from _from_path(path, id_field=id_field, text_field=text_field)
        elif _GLOB_CHARS & set(item):
            matches = sorted(glob.glob(item, recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file()]
            if not files:
                raise ConfigError(f"no files match {item!r}")
            for file in files:
                yield from _from_path(file, id_field=id_field, text_field=text_field)
        else:
            raise ConfigError(f"input not found: {item} (give files, folders, globs or -)")


def collect(
    inputs: Iterable[str],
    *,
    id_field: str = "id",
    text_field: str = "text",
    stdin: BinaryIO | None = None,
) -> Collected:
    """All articles of the inputs, duplicates of an id dropped and listed."""
    out = Collected()
    seen: set[str] = set()
    for article in iter_inputs(inputs, id_field=id_field, text_field=text_field, stdin=stdin):
        if article.id in seen:
            out.duplicates.append(article.id)
            continue
        seen.add(article.id)
        out.articles.append(article)
    return out
