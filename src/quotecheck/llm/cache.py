"""A persistent response cache, so re-running a batch costs nothing.

Stored in SQLite (stdlib, WAL journal) as JSON text only: a cache file is data, never code, so
opening one from elsewhere cannot execute anything (which pickle would allow). Keys are sha256
digests of everything that changes an answer (endpoint, model, prompt hash, messages, schema,
sampling parameters), so a prompt edit misses the cache while an identical request hits it.

Concurrency: each thread gets its own connection; processes coordinate through SQLite's own
locking (WAL + busy timeout), so parallel batch runs can share one cache file. Imports only
``llm.config`` (for the folder named by ``QUOTECHECK_CACHE``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from quotecheck.llm.config import cache_env

CACHE_FILENAME = "responses.sqlite3"
_BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created REAL NOT NULL,
    accessed REAL NOT NULL,
    size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_accessed ON responses(accessed);
"""


def default_cache_path() -> Path:
    """Where the cache lives: ``$QUOTECHECK_CACHE`` or the platform's user cache dir."""
    override = cache_env()
    if override:
        return override / CACHE_FILENAME
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("quotecheck", appauthor=False)) / CACHE_FILENAME


def cache_key(**parts: Any) -> str:
    """Hash the request parts into a stable key.

    Parts are serialised as canonical JSON (sorted keys, no whitespace); values that are not
    JSON (e.g. a pydantic schema class) must be converted by the caller, so two different
    objects can never collide on a lossy ``str()``.
    """
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _set_up(conn: sqlite3.Connection) -> None:
    """WAL mode and the table, retried while another process holds a lock: SQLite answers
    "database is locked" at once, without its busy timeout, when two new connections escalate
    their locks together (Ray workers opening one cache folder as they start)."""
    deadline = time.monotonic() + _BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute(f"PRAGMA busy_timeout={int(_BUSY_TIMEOUT_S * 1000)}")
            if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) and "busy" not in str(err):
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class ResponseCache:
    """Key -> JSON object store; safe to share between threads and processes."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        """Open (creating if needed) the cache at ``path``: a file, or a directory to put it in."""
        self.path = Path(path) if path is not None else default_cache_path()
        if self.path.is_dir():  # a cache *folder* (e.g. $QUOTECHECK_CACHE) holds the file
            self.path = self.path / CACHE_FILENAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self.hits = 0
        self.misses = 0
        self._connect()  # fail early (bad path, not a database) rather than mid-batch

    def _connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        conn = sqlite3.connect(
            self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        try:
            _set_up(conn)
        except sqlite3.DatabaseError:
            conn.close()
            raise
        self._local.conn = conn
        with self._lock:
            self._connections.append(conn)
        return conn

    def get(self, key: str) -> dict | None:
        """Return the stored value, or None on a miss (or an unreadable entry)."""
        conn = self._connect()
        row = conn.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        try:
            value = json.loads(row[0])
        except ValueError:
            self.misses += 1
            return None
        # a busy database must not turn a hit into an error; recency is best-effort
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("UPDATE responses SET accessed = ? WHERE key = ?", (time.time(), key))
        self.hits += 1
        return value

    def put(self, key: str, value: dict) -> None:
        """Store a JSON-serialisable dict (last writer wins for one key)."""
        blob = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        now = time.time()
        self._connect().execute(
            "INSERT OR REPLACE INTO responses(key, value, created, accessed, size) "
            "VALUES (?, ?, ?, ?, ?)",
            (key, blob, now, now, len(blob.encode("utf-8"))),
        )

    def stats(self) -> dict[str, Any]:
        """Entries, bytes and age of the cache, plus this process's hit/miss counts."""
        conn = self._connect()
        entries, payload, oldest, newest = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(size), 0), MIN(created), MAX(created) FROM responses"
        ).fetchone()
        file_bytes = sum(
            p.stat().st_size
            for p in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"))
            if p.exists()
        )
        return {
            "path": str(self.path),
            "entries": entries,
            "payload_bytes": payload,
            "file_bytes": file_bytes,
            "oldest": oldest,
            "newest": newest,
            "hits": self.hits,
            "misses": self.misses,
        }

    def prune(self, older_than_days: float | None = None, max_mb: float | None = None) -> int:
        """Drop entries not used for ``older_than_days``, then the least recently used ones
        until the stored payload fits in ``max_mb``. Returns how many entries were removed."""
        conn = self._connect()
        removed = 0
        conn.execute("BEGIN IMMEDIATE")
        try:
            if older_than_days is not None:
                cutoff = time.time() - older_than_days * 86400
                removed += conn.execute(
                    "DELETE FROM responses WHERE accessed < ?", (cutoff,)
                ).rowcount
            if max_mb is not None:
                budget = int(max_mb * 1024 * 1024)
                total = conn.execute("SELECT COALESCE(SUM(size), 0) FROM responses").fetchone()[0]
                if total > budget:
                    doomed: list[tuple[str]] = []
                    rows = conn.execute(
                        "SELECT key, size FROM responses ORDER BY accessed, key"
                    ).fetchall()
                    for key, size in rows:
                        if total <= budget:
                            break
                        doomed.append((key,))
                        total -= size
                    conn.executemany("DELETE FROM responses WHERE key = ?", doomed)
                    removed += len(doomed)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if removed:
            self._vacuum(conn)
        return removed

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        conn = self._connect()
        removed = conn.execute("DELETE FROM responses").rowcount
        self._vacuum(conn)
        return removed

    @staticmethod
    def _vacuum(conn: sqlite3.Connection) -> None:
        """Give freed pages back to the file system; skipped if another process is busy."""
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("VACUUM")
        except sqlite3.OperationalError:
            pass

    def close(self) -> None:
        """Close every connection this object opened (all threads)."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
