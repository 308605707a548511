"""Crash-safe batch output: :class:`JsonlLog` appends one complete line per record with a
single ``write`` + ``fsync``, so a crash at any moment leaves at most a partial *last* line,
which :meth:`JsonlLog.repair` truncates away on the next start. Resume then trusts every line.
:class:`OutputLock` keeps two runs from appending to one output.

Imports only ``errors``.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from quotecheck.errors import ConfigError


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
