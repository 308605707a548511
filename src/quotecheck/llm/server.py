"""The embedded llama.cpp OpenAI-compatible server, started lazily and shared by the process.

Everything else talks to it through the ``openai`` client like any hosted endpoint; this
module only owns its lifetime: start on first use, one instance for all callers (threads and
async tasks alike), stop at interpreter exit so no server thread outlives the program.
Imports ``errors`` and the weights and config of ``llm``; ``xllamacpp`` on first start.
"""

from __future__ import annotations

import atexit
import gc
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from quotecheck.errors import LocalModelError
from quotecheck.llm.config import EMBEDDED_MODEL_NAME, LocalConfig
from quotecheck.llm.weights import INSTALL_HINT, cache_dir, resolve_model


@dataclass(frozen=True)
class ServerInfo:
    base_url: str
    model_path: Path
    threads: int
    n_ctx: int
    n_parallel: int
    load_seconds: float
    engine_version: str
    kv_folder: Path | None = None  # where slot KV states are saved (llm.prefix), None: off
    identity: str = ""  # model, engine and context the saved states belong to
    api_key: str | None = None  # the key requests must carry (a background server, llm.daemon)
    pid: int | None = None  # the background server's process, None: this process


def weights_id(path: Path) -> str:
    """The weights a KV state was computed with: the pinned hash if it is the known file."""
    from quotecheck.llm.weights import DEFAULT_MODEL

    if path.name == DEFAULT_MODEL.filename:
        return DEFAULT_MODEL.sha256
    st = path.stat()
    return f"{path.resolve()}:{st.st_size}:{st.st_mtime_ns}"


def engine_version() -> str | None:
    try:
        import xllamacpp
    except ImportError:
        return None
    return str(getattr(xllamacpp, "__version__", "unknown"))


def default_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class EmbeddedServer:
    """One in-process llama.cpp server; ``start`` is idempotent and thread-safe."""

    def __init__(self, config: LocalConfig | None = None, *, api_key: str | None = None) -> None:
        self.config = config or LocalConfig.from_env()
        self.api_key = api_key
        self._lock = threading.Lock()
        self._server: object | None = None
        self.info: ServerInfo | None = None

    def start(self) -> ServerInfo:
        with self._lock:
            if self.info is not None:
                return self.info
            try:
                import xllamacpp
            except ImportError as exc:
                raise LocalModelError(
                    f"no endpoint is configured and the embedded engine is missing; {INSTALL_HINT}"
                ) from exc
            path = resolve_model(self.config.model_path)
            threads = self.config.threads or default_threads()
            params = xllamacpp.CommonParams()
            params.model.path = str(path)
            params.port = self.config.port or 0
            params.n_ctx = self.config.n_ctx
            params.n_parallel = self.config.n_parallel
            params.cpuparams.n_threads = threads
            params.cpuparams_batch.n_threads = threads
            # busy-wait polling starves a small shared machine; sleeping threads cost nothing here
            params.cpuparams.poll = 0
            params.cpuparams_batch.poll = 0
            params.model_alias = {EMBEDDED_MODEL_NAME}  # a set: a plain str is split into chars
            params.cache_prompt = True
            kv_folder = self._kv_folder(path)
            if kv_folder is not None:
                params.slot_save_path = str(kv_folder) + os.sep  # llama.cpp appends the name
                params.endpoint_slots = True
            if self.api_key:  # served to other processes (llm.daemon): only with the key
                params.api_keys = [self.api_key]
                params.endpoint_slots = True  # its idle check reads /slots
            if not os.environ.get("QUOTECHECK_LLAMA_LOG"):
                params.verbosity = -1
            t0 = time.perf_counter()
            try:
                server = xllamacpp.Server(params)
            except Exception as exc:
                raise LocalModelError(f"the embedded model failed to start: {exc}") from exc
            address = str(server.listening_address)
            if not address.startswith("http"):
                address = f"http://{address}"
            self._server = server
            self.info = ServerInfo(
                base_url=address.rstrip("/") + "/v1",
                model_path=path,
                threads=threads,
                n_ctx=self.config.n_ctx,
                n_parallel=self.config.n_parallel,
                load_seconds=time.perf_counter() - t0,
                engine_version=engine_version() or "unknown",
                kv_folder=kv_folder,
                identity=f"{weights_id(path)}|{engine_version()}|ctx={self.config.n_ctx}",
                api_key=self.api_key,
            )
            return self.info

    def _kv_folder(self, weights: Path) -> Path | None:
        """The folder for saved prefix states: beside the weights' cache; None when off (more
        than one slot, or ``QUOTECHECK_PREFIX_CACHE=0``)."""
        if not self.config.prefix_cache or self.config.n_parallel != 1:
            return None
        folder = cache_dir().parent / "kv"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return folder

    def stop(self) -> None:
        with self._lock:
            if self._server is not None:
                # xllamacpp stops its HTTP and worker threads when the object is released
                self._server = None
                gc.collect()
            self.info = None

    @property
    def running(self) -> bool:
        return self.info is not None


_shared: EmbeddedServer | None = None
_shared_lock = threading.Lock()


def shared_server(config: LocalConfig | None = None) -> EmbeddedServer:
    """The process-wide server (the first caller's settings win)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = EmbeddedServer(config)
            atexit.register(_shared.stop)
        return _shared


def stop_shared_server() -> None:
    with _shared_lock:
        if _shared is not None:
            _shared.stop()
