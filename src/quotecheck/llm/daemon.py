"""The embedded model kept loaded between processes, for commands run one after another.

Loading the weights and starting llama.cpp costs a fresh process about two seconds before its
first token, more than a short article's whole answer. With ``keep_alive`` seconds set
(``QUOTECHECK_KEEP_ALIVE``; the ``extract`` and ``check`` commands default to 300), the first
process starts the server in a background process of its own (``python -m
quotecheck.llm.daemon``) and later processes with the same model settings talk to it. The
background server listens on 127.0.0.1 only, answers only requests carrying a random key kept
in a state file readable by the user alone, and exits once it has been idle (no request in
flight, no process connecting) for ``keep_alive`` seconds; ``stop_all`` ends it at once.

State: ``<cache>/daemon/<hash of the settings>.json`` with the URL, key and pid; its log beside.
Imports ``errors`` and the config, server and weights of ``llm``; ``httpx2`` for health checks.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx2

from quotecheck.errors import LocalModelError
from quotecheck.llm.config import LocalConfig
from quotecheck.llm.server import (
    EmbeddedServer,
    ServerInfo,
    default_threads,
    engine_version,
    weights_id,
)
from quotecheck.llm.weights import cache_dir, resolve_model

log = logging.getLogger("quotecheck.llm.daemon")
START_TIMEOUT = 180.0  # seconds to wait for a new background server to answer
POLL = 2.0  # seconds between the background server's idle checks
started: list[int] = []  # pids of the background servers this process started


def folder() -> Path:
    return cache_dir().parent / "daemon"


def _settings(local: LocalConfig) -> dict[str, object]:
    """What a background server must match to serve this process."""
    return {
        "weights": weights_id(resolve_model(local.model_path)),
        "engine": engine_version() or "unknown",
        "n_ctx": local.n_ctx,
        "n_parallel": local.n_parallel,
        "threads": local.threads or default_threads(),
        "prefix_cache": local.prefix_cache,
    }


def state_file(local: LocalConfig) -> Path:
    blob = json.dumps(_settings(local), sort_keys=True)
    return folder() / f"{hashlib.sha256(blob.encode()).hexdigest()[:16]}.json"


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):  # our own child (a test): reap it if it ended
        if os.waitpid(pid, os.WNOHANG)[0]:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process under a reused pid
        return False
    return True


def _read(path: Path) -> dict | None:
    try:
        state = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and _alive(int(state.get("pid", 0))) else None


def _healthy(state: dict) -> bool:
    url = str(state["base_url"]).removesuffix("/v1") + "/health"
    try:
        reply = httpx2.get(url, headers=_auth(state), timeout=5)
    except httpx2.HTTPError:
        return False
    return reply.status_code == 200


def _auth(state: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {state['api_key']}"}


def _info(state: dict) -> ServerInfo:
    return ServerInfo(
        base_url=state["base_url"],
        model_path=Path(state["model_path"]),
        threads=int(state["threads"]),
        n_ctx=int(state["n_ctx"]),
        n_parallel=int(state["n_parallel"]),
        load_seconds=0.0,
        engine_version=state["engine"],
        kv_folder=Path(state["kv_folder"]) if state.get("kv_folder") else None,
        identity=state.get("identity", ""),
        api_key=state["api_key"],
        pid=int(state["pid"]),
    )


def connect(local: LocalConfig) -> ServerInfo | None:
    """The live background server for these settings, or None; connecting resets its idle
    clock."""
    path = state_file(local)
    state = _read(path)
    if state is None or not _healthy(state):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)
    return _info(state)


def ensure(local: LocalConfig) -> ServerInfo | None:
    """Connect to the background server for ``local``, starting it first (to stay up
    ``local.keep_alive`` idle seconds) when there is none;
    None where this platform cannot (no ``fcntl``): the caller loads the model itself."""
    try:
        import fcntl
    except ImportError:
        return None
    info = connect(local)
    if info is not None:
        return info
    path = state_file(local)
    path.parent.mkdir(parents=True, exist_ok=True)

    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two processes starting at once start one server
        info = connect(local)
        if info is not None:
            return info
        return _spawn(local, path)


def background(local: LocalConfig) -> ServerInfo | None:
    """``ensure`` for a client, or None to load the model in-process: a background server that
    fails to start costs the process only the load it would have paid anyway."""
    try:
        return ensure(local)
    except LocalModelError as err:
        log.warning("the background model did not start (%s); loading it here", err)
        return None


def _spawn(local: LocalConfig, path: Path) -> ServerInfo:
    log_path = path.with_suffix(".log")
    args = [sys.executable, "-m", "quotecheck.llm.daemon", "--state", str(path)]
    args += ["--keep-alive", str(local.keep_alive), "--ctx", str(local.n_ctx)]
    args += ["--parallel", str(local.n_parallel), "--threads", str(local.threads or 0)]
    if local.model_path is not None:
        args += ["--model-path", str(local.model_path)]
    if not local.prefix_cache:
        args.append("--no-prefix-cache")
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a dead server's state
    with open(log_path, "w") as out:
        child = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            args, stdout=out, stderr=out, stdin=subprocess.DEVNULL, start_new_session=True
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            tail = log_path.read_text("utf-8", errors="replace").strip().splitlines()[-3:]
            raise LocalModelError(
                "the background model server stopped while starting: "
                + (" | ".join(tail) or f"exit code {child.returncode}")
            )
        state = _read(path)
        if state is not None and _healthy(state):
            started.append(child.pid)
            return _info(state)
        time.sleep(0.1)
    child.terminate()
    raise LocalModelError(f"the background model server did not answer in {START_TIMEOUT:.0f} s")


def _live() -> list[tuple[Path, dict]]:
    """The state files of this user's background servers that are still running."""
    paths = sorted(folder().glob("*.json")) if folder().is_dir() else []
    return [(path, state) for path in paths if (state := _read(path)) is not None]


def running() -> list[dict]:
    """The live background servers of this user: pid, URL and idle seconds (no key)."""
    now = time.time()
    return [
        {"pid": st["pid"], "base_url": st["base_url"], "idle_s": max(0.0, now - p.stat().st_mtime)}
        for p, st in _live()
    ]


def stop_all() -> list[int]:
    """End every background server of this user; returns their pids."""
    stopped = []
    for _, state in _live():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(state["pid"]), signal.SIGTERM)
            stopped.append(int(state["pid"]))
    return stopped


def _busy(state: dict) -> bool:
    url = str(state["base_url"]).removesuffix("/v1") + "/slots"
    try:
        slots = httpx2.get(url, headers=_auth(state), timeout=5).json()
    except (httpx2.HTTPError, ValueError):
        return False
    return isinstance(slots, list) and any(
        isinstance(s, dict) and s.get("is_processing") for s in slots
    )


def serve(local: LocalConfig, keep_alive: float, path: Path) -> None:
    """Run the server until it has been idle ``keep_alive`` seconds (the child's side)."""
    key = secrets.token_urlsafe(24)
    server = EmbeddedServer(local, api_key=key)
    info = server.start()
    state = {
        "pid": os.getpid(),
        "base_url": info.base_url,
        "api_key": key,
        "model_path": str(info.model_path),
        "threads": info.threads,
        "n_ctx": info.n_ctx,
        "n_parallel": info.n_parallel,
        "engine": info.engine_version,
        "kv_folder": str(info.kv_folder) if info.kv_folder else None,
        "identity": info.identity,
        "keep_alive": keep_alive,
    }
    tmp = path.with_suffix(".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(state, out)
    tmp.replace(path)
    stop = False

    def _term(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _term)
    signal.signal(signal.SIGINT, _term)
    last = time.time()
    try:
        while not stop:
            time.sleep(POLL)
            if _busy(state):
                last = time.time()
            try:
                touched = path.stat().st_mtime
            except FileNotFoundError:
                break  # removed by hand: stop
            if time.time() - max(last, touched) > keep_alive:
                break
    finally:
        with contextlib.suppress(OSError, ValueError):
            if json.loads(path.read_text("utf-8")).get("pid") == os.getpid():
                path.unlink()
        server.stop()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="quotecheck's background model server")
    ap.add_argument("--state", type=Path, required=True)
    ap.add_argument("--keep-alive", type=float, required=True)
    ap.add_argument("--ctx", type=int, default=8192)
    ap.add_argument("--parallel", type=int, default=1)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--model-path", type=Path, default=None)
    ap.add_argument("--no-prefix-cache", action="store_true")
    a = ap.parse_args(argv)
    local = LocalConfig(
        model_path=a.model_path,
        threads=a.threads or None,
        n_ctx=a.ctx,
        n_parallel=a.parallel,
        prefix_cache=not a.no_prefix_cache,
    )
    serve(local, a.keep_alive, a.state)


if __name__ == "__main__":
    main()
