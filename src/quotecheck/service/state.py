"""One running service: its model, the gate in front of it, metrics, jobs, and whether the
model is ready. Imports the faces of ``llm`` and ``errors``, and the rest of ``service``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from quotecheck.errors import QuotecheckError
from quotecheck.llm import LLM
from quotecheck.service.config import ServiceConfig
from quotecheck.service.gate import ModelGate
from quotecheck.service.jobs import JobRunner, JobStore
from quotecheck.service.metrics import Metrics

log = logging.getLogger("quotecheck.service")
PROBE_SECONDS = 5.0  # a remote endpoint's readiness is probed at most this often


class ModelLoading(Exception):
    """The embedded model is not loaded yet (or failed to load)."""

    retry_after = 10


class RequestTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"the request took longer than {seconds:g} s; send a shorter article, or raise "
            "the server's --request-timeout"
        )


class Service:
    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.llm = LLM(config.llm)
        self.gate = ModelGate(config.slots(), config.queue)
        self.store = JobStore(config.jobs_dir)
        self.metrics = Metrics(self.gate, lambda: self.runner.status_counts())
        self.runner = JobRunner(self.store, self.llm, self.gate, self.metrics, config.job_workers)
        self.ready = False
        self.reason: str | None = "starting"
        self.model: str | None = None
        self._checked = 0.0
        self._warm: asyncio.Task | None = None

    @property
    def embedded(self) -> bool:
        return self.llm.endpoint_kind == "embedded"

    async def start(self) -> None:
        self._warm = asyncio.get_running_loop().create_task(self.probe())
        resumed = self.runner.start()
        if resumed:
            log.info("resuming %d unfinished job(s)", len(resumed))

    async def stop(self) -> None:
        await self.runner.stop()
        if self._warm is not None:
            self._warm.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._warm
        with contextlib.suppress(Exception):
            await self.llm.aclose()

    async def probe(self) -> bool:
        """Reach the model (loading the embedded one off the event loop) and remember it."""
        try:
            self.model = await asyncio.wait_for(
                self.llm.aprobe(), None if self.embedded and not self.ready else PROBE_SECONDS
            )
        except (QuotecheckError, TimeoutError, OSError) as err:
            self.ready, self.reason = False, str(err) or type(err).__name__
        else:
            self.ready, self.reason = True, None
        self._checked = time.monotonic()
        return self.ready

    async def readiness(self) -> bool:
        """Embedded: loaded. Remote: answered a probe within the last few seconds."""
        if self.embedded:
            return self.ready
        if time.monotonic() - self._checked > PROBE_SECONDS:
            await self.probe()
        return self.ready

    def accepting(self) -> bool:
        """Whether a request may go to the model now: the embedded model must be loaded
        (loading holds a lock the event loop must not wait on); a remote one is just asked."""
        return self.ready or not self.embedded

    def loading_reason(self) -> str:
        if self._warm is not None and not self._warm.done():
            return "the embedded model is loading; retry shortly"
        return f"the embedded model is not available: {self.reason}"
