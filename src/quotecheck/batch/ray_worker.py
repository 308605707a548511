"""The worker of the Ray engine: one long-lived actor that processes articles with the same
processor the local runner uses, and hands back plain :class:`Outcome` / :class:`Failure`
values (never an exception, which might not survive pickling).

A worker builds its model client once, on its first call: with no endpoint configured that
starts the embedded llama.cpp server inside the actor's process (``llm.shared_server``), which
then serves every article the actor gets; with an endpoint it is an ``openai`` client whose
transport retries honour ``Retry-After``. After Ray restarts a dead actor, the fresh process
builds it again on its first call.

Plain Python: ``batch.ray_engine`` wraps the class with ``ray.remote``, so importing this
module needs no Ray. Imports the ``llm`` and ``text`` faces, ``errors`` and ``batch``.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable
from typing import Any

from quotecheck.batch.inputs import Article
from quotecheck.batch.outcome import Failure, Outcome, Processor, attempt, failure
from quotecheck.batch.processor import batch_config, close_llm, make_processor
from quotecheck.errors import FATAL_ERRORS
from quotecheck.llm import LLM, LLMConfig, shared_server
from quotecheck.text import Page

#: builds an actor's processor from its client and the evidence index (``make_processor``)
ProcessorFactory = Callable[[LLM, Any], Processor]


class ArticleWorker:
    """Processes articles inside one Ray actor; see the module docstring."""

    def __init__(
        self, config: LLMConfig, evidence: Any = None, factory: ProcessorFactory | None = None
    ) -> None:
        self._config, self._evidence = config, evidence
        self._factory = factory or make_processor
        self._llm: LLM | None = None
        self._process: Processor | None = None
        self._lock: asyncio.Lock | None = None

    def __repr__(self) -> str:  # Ray prefixes log lines with it: no key, no URL secrets
        return f"ArticleWorker({self._config.endpoint_kind})"

    async def _ensure(self) -> Processor:
        if self._process is not None:
            return self._process
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._process is None:  # the cache folder: the driver's QUOTECHECK_CACHE, else
                config = self._config  # this node's default (resolved here, not on the driver)
                llm = LLM(batch_config(config, use_cache=True) if config.use_cache else config)
                if self._config.endpoint_kind == "embedded":  # load the weights off the loop
                    await asyncio.to_thread(shared_server(self._config.local).start)
                self._llm, self._process = llm, self._factory(llm, self._evidence)
        return self._process

    async def ready(self) -> dict[str, Any]:
        """Build the client (start the embedded model); where this worker runs, or the error."""
        info: dict[str, Any] = {"pid": os.getpid(), "node": socket.gethostname()}
        try:
            await self._ensure()
        except Exception as err:
            info["error"] = str(err) or repr(err)
            info["fatal"] = isinstance(err, FATAL_ERRORS)
        if self._config.endpoint_kind == "embedded" and shared_server().info is not None:
            info["load_seconds"] = round(shared_server().info.load_seconds, 2)  # type: ignore[union-attr]
        return info

    async def process(self, article: Article, page: Page) -> Outcome | Failure:
        """One article's page (read by the driver), exactly as the local runner processes it."""
        try:
            process = await self._ensure()
        except Exception as err:
            return failure(article, err)
        return await attempt(process, article, page)

    async def close(self) -> None:
        if self._llm is not None:
            await close_llm(self._llm)
