"""The response cache: keys, persistence, pruning, and safety under threads and processes."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import threading
import time

import pytest

from quotecheck.llm.cache import CACHE_FILENAME, ResponseCache, cache_key, default_cache_path


def test_key_is_stable_and_sensitive_to_every_part():
    parts = dict(
        endpoint="http://x/v1",
        model="m",
        prompt="quotes@abc123",
        messages=[{"role": "user", "content": "hi"}],
        schema={"type": "object"},
        params={"temperature": 0, "seed": 42},
    )
    key = cache_key(**parts)
    assert key == cache_key(**dict(reversed(list(parts.items()))))  # order-free
    assert len(key) == 64 and int(key, 16) >= 0
    for name, changed in [
        ("endpoint", "http://y/v1"),
        ("model", "m2"),
        ("prompt", "quotes@def456"),  # a prompt edit must miss
        ("messages", [{"role": "user", "content": "hi!"}]),
        ("schema", {"type": "array"}),
        ("params", {"temperature": 0.2, "seed": 42}),
    ]:
        assert cache_key(**{**parts, name: changed}) != key, name


def test_roundtrip_persists_across_instances(tmp_path):
    path = tmp_path / "c.sqlite3"
    with ResponseCache(path) as cache:
        assert cache.get("k") is None
        cache.put("k", {"raw": '{"a": 1}', "n": [1, 2]})
        assert cache.get("k") == {"raw": '{"a": 1}', "n": [1, 2]}
    with ResponseCache(path) as again:
        assert again.get("k") == {"raw": '{"a": 1}', "n": [1, 2]}
        stats = again.stats()
    assert stats["entries"] == 1 and stats["hits"] == 1 and stats["misses"] == 0
    # stored as JSON text, never pickle
    raw = sqlite3.connect(path).execute("SELECT value FROM responses").fetchone()[0]
    assert json.loads(raw)["n"] == [1, 2]


def test_wal_mode_and_directory_path(tmp_path):
    with ResponseCache(tmp_path) as cache:  # a folder holds the default file name
        cache.put("k", {"v": 1})
        assert cache.path == tmp_path / CACHE_FILENAME
    mode = sqlite3.connect(tmp_path / CACHE_FILENAME).execute("PRAGMA journal_mode").fetchone()
    assert mode[0].lower() == "wal"


def test_default_path_honours_env(monkeypatch, tmp_path):
    monkeypatch.delenv("QUOTECHECK_CACHE_DIR", raising=False)
    monkeypatch.setenv("QUOTECHECK_CACHE", str(tmp_path / "here"))
    assert default_cache_path() == tmp_path / "here" / CACHE_FILENAME
    monkeypatch.delenv("QUOTECHECK_CACHE")
    monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(tmp_path / "old"))  # the old name still works
    assert default_cache_path() == tmp_path / "old" / CACHE_FILENAME
    monkeypatch.delenv("QUOTECHECK_CACHE_DIR")
    assert default_cache_path().name == CACHE_FILENAME
    assert "quotecheck" in str(default_cache_path())


def test_prune_by_age_and_size(tmp_path):
    with ResponseCache(tmp_path / "c.sqlite3") as cache:
        for i in range(10):
            cache.put(f"k{i}", {"blob": "x" * 10_000})
        conn = sqlite3.connect(cache.path)
        old = time.time() - 10 * 86400
        conn.execute("UPDATE responses SET accessed = ? WHERE key IN ('k0', 'k1', 'k2')", (old,))
        conn.commit()
        conn.close()
        assert cache.prune(older_than_days=5) == 3
        assert cache.get("k0") is None and cache.get("k3") is not None
        # 7 entries of ~10 kB left; a 0.03 MB budget keeps the 3 most recently used
        cache.get("k9")
        removed = cache.prune(max_mb=0.03)
        assert removed == 4
        assert cache.get("k9") is not None
        assert cache.stats()["entries"] == 3
        assert cache.clear() == 3
        assert cache.stats()["entries"] == 0


def test_threads_share_one_cache(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite3")
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(50):
                cache.put(f"{t}-{i}", {"t": t, "i": i})
                assert cache.get(f"{t}-{i}") == {"t": t, "i": i}
        except BaseException as err:  # collected and asserted in the main thread
            errors.append(err)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert cache.stats()["entries"] == 400
    cache.close()


def _writer(path: str, proc: int) -> None:
    cache = ResponseCache(path)
    for i in range(40):
        cache.put(f"p{proc}-{i}", {"proc": proc, "i": i})
        cache.put("shared", {"proc": proc})
    cache.close()


def test_processes_share_one_cache(tmp_path):
    path = str(tmp_path / "c.sqlite3")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, p)) for p in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with ResponseCache(path) as cache:
        assert cache.stats()["entries"] == 3 * 40 + 1
        assert cache.get("p2-39") == {"proc": 2, "i": 39}
        assert cache.get("shared")["proc"] in (0, 1, 2)


def test_not_a_database_fails_clearly(tmp_path):
    bogus = tmp_path / "c.sqlite3"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        ResponseCache(bogus)


def test_a_lock_while_setting_up_is_waited_out_not_raised(tmp_path):
    """Two processes opening one new cache can get "database is locked" at once (SQLite skips
    its busy timeout when both escalate locks); setting up retries instead of failing a worker."""
    from quotecheck.llm import cache as cache_mod

    real = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)

    class Contended:  # the real connection, locked for its first two statements
        def __init__(self) -> None:
            self.refused = 0

        def execute(self, sql, *args):
            if self.refused < 2:
                self.refused += 1
                raise sqlite3.OperationalError("database is locked")
            return real.execute(sql, *args)

        def executescript(self, sql):
            return real.executescript(sql)

    conn = Contended()
    cache_mod._set_up(conn)
    assert conn.refused == 2
    assert real.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert real.execute("SELECT count(*) FROM responses").fetchone()[0] == 0
    real.close()
