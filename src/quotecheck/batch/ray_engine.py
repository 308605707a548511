"""The Ray engine: the same batch (inputs, records, journal, resume, errors file, progress,
summary: ``batch.runner``) with the articles processed by actors on a Ray cluster.

Only *where* an article is processed changes. The driver (this process) keeps the queue,
reads each article's text, sends it to a worker (``batch.ray_worker``), and gets every result
back as soon as it finishes; the runner journals it at once. Workers never write files, so a
driver killed at any moment leaves a valid output and the re-run resumes.

Placement: with no endpoint configured every worker runs its own embedded model (CPU
clusters; ``cpus_per_worker`` cores each, also its llama.cpp threads); with endpoints
(``--base-url``, repeatable) workers are spread over them round-robin, and each endpoint's
``jobs`` concurrent articles are split among its workers, so no endpoint ever has more than
``jobs`` articles in flight. Actor tasks are Ray tasks/actors rather than Ray Data: the
pipeline is async, and per-article results must stream back to one writer.

Failure: Ray restarts a dead worker (``max_restarts=-1``); the driver re-sends what it was
processing. Articles whose worker died under them are retried *alone* on a worker, so a
poison article (one that crashes its worker) is found and, after ``max_tries`` deaths, goes to
the errors file once as ``WorkerDied`` while the articles beside it succeed. Fatal errors (bad
key, unknown model, endpoint down, no model) stop the run as in the local runner.

Imports ``ray`` only once the engine runs (``batch.ray_connect``; the ``[ray]`` extra); also
``errors``, ``llm`` and ``batch``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from quotecheck.batch.inputs import Article
from quotecheck.batch.outcome import Failure, Outcome, error_record, failure
from quotecheck.batch.ray_connect import connect
from quotecheck.batch.ray_worker import ArticleWorker, ProcessorFactory
from quotecheck.batch.runner import Finished
from quotecheck.errors import ConfigError
from quotecheck.llm import LLMConfig

_EMBEDDED_MEMORY = 2 * 1024**3  # the 1.5B Q4 weights, KV cache and server, with headroom
_PING_LIMIT = 10  # failed start-ups in a row (it keeps dying) before a worker counts as gone


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


@dataclass
class RayOptions:
    """``address``: ``auto`` (the cluster this machine joined with ``ray start``),
    ``HOST:PORT``, or ``ray://HOST:PORT`` (Ray Client); None: ``RAY_ADDRESS``, else a private
    instance on this machine. ``workers`` and ``cpus_per_worker`` default from the cluster's
    CPUs; ``max_tries`` bounds how often an article may take its worker down."""

    address: str | None = None
    workers: int | None = None
    cpus_per_worker: float | None = None
    max_tries: int = 3


@dataclass
class _Slot:
    actor: Any
    endpoint: str
    capacity: int
    state: str = "starting"  # starting -> ready <-> recovering, or dead
    busy: int = 0
    solo: bool = False  # running one suspect article alone
    pid: int | None = None
    pings: int = 0


@dataclass
class _Stats:
    workers: int = 0
    placement: str = ""
    deaths: int = 0
    retried: set[str] = field(default_factory=set)
    nodes: set[str] = field(default_factory=set)


class RayEngine:
    """An :class:`~quotecheck.batch.runner.Engine` on Ray; see the module docstring."""

    def __init__(
        self,
        configs: Sequence[LLMConfig],
        *,
        jobs: int = 4,
        options: RayOptions | None = None,
        evidence: Any = None,
        factory: ProcessorFactory | None = None,
    ) -> None:
        if not configs:
            raise ConfigError("the ray engine needs a model configuration")
        self.configs, self.jobs = list(configs), max(1, jobs)
        self.options = options or RayOptions()
        self.evidence, self.factory = evidence, factory
        self.embedded = self.configs[0].endpoint_kind == "embedded"
        self.stats = _Stats()
        self.slots: list[_Slot] = []
        self._control: dict[asyncio.Future, _Slot] = {}  # start/restart questions in flight

    def notes(self) -> list[str]:
        s = self.stats
        if not s.workers:
            return []
        nodes = f" on {_count(len(s.nodes), 'node')}" if s.nodes else ""
        line = f"engine: ray, {_count(s.workers, 'worker')}{nodes} ({s.placement})"
        if s.deaths:
            line += f"; {_count(s.deaths, 'worker death')}, "
            line += f"{_count(len(s.retried), 'article')} re-sent"
        return [line]

    # -- cluster and workers -------------------------------------------------------------
    def _start_workers(self, ray: Any, articles: int) -> None:
        cpus = float(ray.cluster_resources().get("CPU", 1.0))
        opts = self.options
        if self.embedded:
            config = self.configs[0]
            per = opts.cpus_per_worker or float(config.local.threads or 2)
            count = min(opts.workers or max(1, int(cpus // per)), max(1, articles))
            threads = config.local.threads or max(1, int(per))
            configs = [replace(config, local=replace(config.local, threads=threads))] * count
            capacities = [self.jobs] * count  # each worker is its own endpoint
            self.stats.placement = f"embedded model in each, {threads} threads, -j {self.jobs}"
        else:
            per = opts.cpus_per_worker or 1.0
            n_end = len(self.configs)
            count = opts.workers or max(n_end, int(cpus // per))
            count = min(count, n_end * self.jobs, max(1, articles))
            configs = [self.configs[i % n_end] for i in range(count)]
            capacities = []
            for i in range(count):  # an endpoint's -j is split among its workers
                share = len(range(i % n_end, count, n_end))
                capacities.append(self.jobs // share + (i // n_end < self.jobs % share))
            self.stats.placement = f"{_count(n_end, 'endpoint')}, -j {self.jobs} each"
        evidence = ray.put(self.evidence) if self.evidence is not None else None
        resources: dict[str, Any] = {"num_cpus": per, "max_restarts": -1, "max_task_retries": 0}
        if self.embedded:
            resources["memory"] = _EMBEDDED_MEMORY
        remote = ray.remote(ArticleWorker)
        for config, capacity in zip(configs, capacities, strict=True):
            actor = remote.options(max_concurrency=capacity + 2, **resources).remote(
                config, evidence, self.factory
            )
            label = "embedded" if self.embedded else str(config.base_url or config.endpoint_kind)
            self.slots.append(_Slot(actor=actor, endpoint=label, capacity=max(1, capacity)))
        self.stats.workers = len(self.slots)

    # -- the stream ----------------------------------------------------------------------
    async def results(self, todo: list[Article], stop: asyncio.Event) -> AsyncIterator[Finished]:
        ray, owned = await asyncio.to_thread(connect, self.options.address)
        try:
            self._start_workers(ray, len(todo))
            async for item in self._dispatch(ray, todo, stop):
                yield item
        finally:
            for slot in self.slots:
                with contextlib.suppress(Exception):  # already gone with its node
                    ray.kill(slot.actor)
            if owned:
                await asyncio.to_thread(ray.shutdown)

    async def _dispatch(
        self, ray: Any, todo: list[Article], stop: asyncio.Event
    ) -> AsyncIterator[Finished]:
        pending, suspects = deque(todo), deque[Article]()
        tries: dict[str, int] = {}
        inflight: dict[asyncio.Future, tuple[_Slot, Article, list]] = {}
        control = self._control = {self._ready(slot, 0.0): slot for slot in self.slots}
        stopper = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                self._fill(pending, suspects, inflight)
                if not (pending or suspects or inflight):
                    return
                if not any(s.state != "dead" for s in self.slots):
                    message = (
                        "every Ray worker died; see the Ray logs on the nodes "
                        "(/tmp/ray/session_latest/logs)"
                    )
                    yield todo[0], Failure(record={}, fatal=message)
                    return
                waiting = {stopper, *inflight, *control}
                finished, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                for fut in finished:
                    if fut in control:
                        fatal = self._on_ready(control.pop(fut), fut)
                        if fatal is not None:
                            yield todo[0], Failure(record={}, fatal=fatal)
                    elif fut in inflight:
                        item = self._on_result(ray, fut, inflight.pop(fut), tries, suspects)
                        if item is not None:
                            if isinstance(item[1], Failure) and item[1].fatal is not None:
                                stop.set()  # at once: nothing more is sent
                            yield item
            # stopped: cancel what runs; whatever already finished is still handed over
            for fut, (_, _, sent) in inflight.items():
                if not sent:
                    fut.cancel()  # still reading its page: never sent
                for ref in sent:
                    with contextlib.suppress(Exception):  # finished meanwhile, or worker gone
                        ray.cancel(ref)
            if inflight:
                await asyncio.wait(set(inflight), timeout=10)
            for fut, (_, article, _) in inflight.items():
                finished_ok = fut.done() and not fut.cancelled() and fut.exception() is None
                if finished_ok and isinstance(fut.result(), Outcome):
                    yield article, fut.result()
        finally:
            stopper.cancel()
            for fut in [*inflight, *control]:
                fut.cancel()

    def _fill(
        self,
        pending: deque[Article],
        suspects: deque[Article],
        inflight: dict[asyncio.Future, tuple[_Slot, Article, list]],
    ) -> None:
        """Give free workers work. While suspects wait, busy workers drain and each free
        worker takes one suspect alone; otherwise up to its capacity of pending articles."""
        for slot in sorted(self.slots, key=lambda s: s.busy):
            if slot.state != "ready" or slot.solo:
                continue
            if suspects:
                if slot.busy == 0:
                    self._submit(slot, suspects.popleft(), inflight)
                    slot.solo = True
                continue
            while pending and slot.busy < slot.capacity:
                self._submit(slot, pending.popleft(), inflight)

    def _submit(
        self,
        slot: _Slot,
        article: Article,
        inflight: dict[asyncio.Future, tuple[_Slot, Article, list]],
    ) -> None:
        """Read the article's page here (in a thread: it may be fetched), then send it."""
        sent: list = []  # the ObjectRef once sent, for ray.cancel

        async def send() -> Outcome | Failure:
            try:  # on the driver: workers need no access to its files, URLs keep their pacing
                page = await asyncio.to_thread(article.load_page)
            except Exception as err:
                return failure(article, err)
            sent.append(slot.actor.process.remote(Article(article.id, article.source), page))
            return await asyncio.wrap_future(sent[0].future())

        inflight[asyncio.ensure_future(send())] = (slot, article, sent)
        slot.busy += 1

    def _ready(self, slot: _Slot, delay: float) -> asyncio.Future:
        async def ask() -> Any:
            if delay:
                await asyncio.sleep(delay)
            return await asyncio.wrap_future(slot.actor.ready.remote().future())

        return asyncio.ensure_future(ask())

    def _on_ready(self, slot: _Slot, fut: asyncio.Future) -> str | None:
        """A worker answered (or not) after starting or restarting; the fatal message if any."""
        import ray

        err = fut.exception()
        if err is None:
            info = fut.result()
            if info.get("error"):
                slot.state = "dead"
                return f"a Ray worker could not start: {info['error']}"
            slot.state, slot.pid, slot.pings = "ready", info.get("pid"), 0
            self.stats.nodes.add(str(info.get("node")))
            return None
        slot.pings += 1
        if isinstance(err, ray.exceptions.ActorDiedError) or slot.pings > _PING_LIMIT:
            slot.state = "dead"
        else:
            slot.state = "recovering"
            self._control[self._ready(slot, 0.5)] = slot
        return None

    def _on_result(
        self,
        ray: Any,
        fut: asyncio.Future,
        entry: tuple[_Slot, Article, list],
        tries: dict[str, int],
        suspects: deque[Article],
    ) -> Finished | None:
        slot, article, _ = entry
        slot.busy -= 1
        slot.solo = False
        err = fut.exception()
        if err is None:
            return article, fut.result()
        exc = ray.exceptions
        cause = getattr(err, "cause", None)
        if isinstance(err, exc.TaskCancelledError) or isinstance(cause, exc.TaskCancelledError):
            return None  # only while stopping
        if isinstance(err, exc.RayTaskError):  # our code raised outside ``attempt``
            message = str(cause or err).strip().splitlines()[-1][:500]
            return article, Failure(error_record(article, "WorkerError", message))
        # the worker died (or its node, or the OOM killer took it) with this article in flight
        tries[article.id] = tries.get(article.id, 0) + 1
        self.stats.retried.add(article.id)
        if slot.state == "ready":
            self.stats.deaths += 1
            slot.state = "dead" if isinstance(err, exc.ActorDiedError) else "recovering"
            if slot.state == "recovering":  # ask until the restarted worker answers
                slot.pings = 0
                self._control[self._ready(slot, 0.0)] = slot
        if tries[article.id] >= self.options.max_tries:
            message = (
                f"its Ray worker died {tries[article.id]} times while processing it "
                f"(last: {type(err).__name__}); it may crash the model or exhaust memory"
            )
            record = error_record(article, "WorkerDied", message, tries=tries[article.id])
            return article, Failure(record)
        suspects.append(article)
        return None
