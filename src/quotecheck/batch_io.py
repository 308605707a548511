"""Batch inputs and crash-safe outputs.

Inputs: files, folders, globs, JSONL (configurable id/text fields) and stdin, turned into
:class:`Article` items whose text is read only when processed, so one unreadable file becomes
one recorded error instead of a crashed batch.

Outputs: :class:`JsonlLog` appends one complete line per record with a single ``write`` +
``fsync``, so a crash at any moment leaves at most a partial *last* line, which
:meth:`JsonlLog.repair` truncates away on the next start. Resume then trusts every line.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from quotecheck.errors import BadInput, ConfigError

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
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
            return _as_article_text(self.text)
        assert self.path is not None
        from quotecheck.ingest import read_article

        try:
            return read_article(self.path)
        except OSError as err:
            raise BadInput(f"{self.path}: cannot read ({err.strerror or err})") from err


@dataclass
class Collected:
    """Articles in input order with duplicate ids dropped (first one wins)."""

    articles: list[Article] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def _as_article_text(text: str) -> str:
    """HTML pages are reduced to their readable text, as for a single article."""
    from quotecheck.ingest import article_text, looks_like_html

    return article_text(text) if looks_like_html(text) else text


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
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            record = json.loads(raw)
        except ValueError:
            yield Article(id=where, source=where, problem=f"{where}: line is not valid JSON")
            continue
        if not isinstance(record, dict):
            yield Article(id=where, source=where, problem=f"{where}: line is not a JSON object")
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
    from quotecheck.ingest import decode

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


class JsonlLog:
    """An append-only JSONL file written one whole, fsynced line at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def repair(self) -> int:
        """Truncate a trailing partial line left by a crash; returns the bytes dropped."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return 0
        if size == 0:
            return 0
        with self.path.open("rb+") as fh:
            # read backwards until the last newline: only the tail can be partial
            pos, chunk = size, 65536
            keep = 0
            while pos > 0:
                start = max(0, pos - chunk)
                fh.seek(start)
                block = fh.read(pos - start)
                if pos == size and block.endswith(b"\n"):
                    return 0
                idx = block.rfind(b"\n")
                if idx >= 0:
                    keep = start + idx + 1
                    break
                pos = start
            fh.truncate(keep)
            fh.flush()
            os.fsync(fh.fileno())
        return size - keep

    def records(self) -> Iterator[dict]:
        """Every complete record; undecodable lines (not written by us) are skipped."""
        try:
            fh = self.path.open("rb")
        except FileNotFoundError:
            return
        with fh:
            for line in fh:
                if not line.endswith(b"\n"):
                    continue  # a partial tail is not a record
                with contextlib.suppress(ValueError):
                    record = json.loads(line)
                    if isinstance(record, dict):
                        yield record

    def ids(self) -> set[str]:
        return {str(r["id"]) for r in self.records() if "id" in r}

    def append(self, record: dict) -> None:
        """Write one record as one line: a single write of the whole line, then fsync."""
        line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        view = memoryview(line)
        while view:  # a regular file takes it in one go; loop only for the pathological case
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)

    def rewrite(self, records: Iterable[dict]) -> None:
        """Atomically replace the file's content (temp file + fsync + rename)."""
        self.close()
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("wb") as fh:
            for record in records:
                fh.write((json.dumps(record, ensure_ascii=False) + "\n").encode())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class OutputLock:
    """An exclusive lock on ``<out>.lock`` so two runs never append to one output."""

    def __init__(self, out: Path) -> None:
        self.path = out.with_name(out.name + ".lock")
        self._fh: Any = None

    def __enter__(self) -> OutputLock:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, as before
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = self.path.open("a")
        try:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            self._fh.close()
            self._fh = None
            raise ConfigError(
                f"another batch is already writing {self.path.with_suffix('')}; "
                "wait for it or choose another --out"
            ) from err
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.close()  # the file stays: unlinking a lock file races with a waiting run
