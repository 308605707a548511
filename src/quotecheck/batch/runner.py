"""Run quote extraction (and fact-checking) over many articles, resumably, on any engine.

Design, in the order things can go wrong:
- One consumer (:func:`run_engine`) takes finished ``(article, Outcome | Failure)`` pairs
  from an engine's async stream as they arrive and appends each to the output JSONL (one
  write + fsync per line), so a kill at any moment loses at most the articles in flight,
  never a written one. The engine only decides *where* an article is processed: the
  :class:`LocalEngine` here (``jobs`` asyncio workers per endpoint), or ``batch.ray_engine``.
- On start the output's partial last line (from a crash) is truncated and every id already in
  it is skipped: re-running the same command resumes. ``--retry-failed`` runs only the ids in
  ``<out>.errors.jsonl``.
- One article's failure (bad input, invalid model output, rate limit that outlasted the
  retries) becomes an error record; a failure no retry can mend (bad key, unknown model, no
  server) stops the whole batch at once with one message. SIGINT/SIGTERM stop cleanly: the
  engine stops starting work and what already finished is still written.

Knows nothing of quotes or claims: it runs any ``Processor`` (``batch.processor`` makes the
default one from the public API). Imports ``schema``, ``errors``, ``output`` and ``batch``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from quotecheck.batch.inputs import Article
from quotecheck.batch.journal import JsonlLog, OutputLock
from quotecheck.batch.outcome import Failure, Outcome, Processor, attempt
from quotecheck.batch.pricing import PriceTable
from quotecheck.batch.progress import ProgressBar
from quotecheck.output import write_quotes_csv
from quotecheck.schema import Usage

Finished = tuple[Article, Outcome | Failure]


class Engine(Protocol):
    """Where articles are processed. ``results`` yields each finished article once, as soon
    as it finishes; once ``stop`` is set it starts nothing new, yields what already finished
    and ends. ``notes`` are lines for the end-of-run summary."""

    def results(self, todo: list[Article], stop: asyncio.Event) -> AsyncIterator[Finished]: ...

    def notes(self) -> list[str]: ...


@dataclass
class BatchOptions:
    out: Path
    jobs: int = 4
    csv_path: Path | None = None
    retry_failed: bool = False
    prices: PriceTable = field(default_factory=PriceTable)
    progress: bool = False
    handle_signals: bool = True


@dataclass
class BatchSummary:
    """Figures for the end-of-run report; ``exit_code`` follows the CLI convention.

    In the order of a run: what came in, what it cost, what came out, how it ended.
    """

    inputs: int = 0
    todo: int = 0
    skipped: int = 0
    duplicates: int = 0
    repaired_bytes: int = 0  # a partial last line from a crash, dropped before resuming
    usage: Usage = field(default_factory=Usage)
    model: str | None = None
    endpoint_kind: str | None = None
    cost: float | None = None
    seconds: float = 0.0
    ok: int = 0
    failed: int = 0
    quotes: int = 0
    claims: int = 0
    fatal: str | None = None
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)  # the engine's own lines (workers, restarts)

    @property
    def per_minute(self) -> float:
        return 60.0 * (self.ok + self.failed) / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.fatal or self.failed else 0

    def lines(self) -> list[str]:
        cost = "unknown (add the model with --prices)" if self.cost is None else f"${self.cost:.4f}"
        out = [
            f"articles: {self.ok} ok, {self.failed} failed, {self.skipped} already done"
            + (f", {self.duplicates} duplicate ids ignored" if self.duplicates else ""),
            f"quotes: {self.quotes}" + (f", claims: {self.claims}" if self.claims else ""),
            f"tokens: {self.usage.prompt_tokens} in, {self.usage.completion_tokens} out "
            f"({self.usage.calls} calls, {self.usage.cached_calls} from cache)",
            f"time: {self.seconds:.1f} s, {self.per_minute:.1f} articles/min",
            f"model: {self.model or '-'} ({self.endpoint_kind or '-'}), estimated cost: {cost}",
            *self.notes,
        ]
        if self.repaired_bytes:
            out.append(f"repaired: dropped a {self.repaired_bytes}-byte partial line from a crash")
        if self.interrupted:
            out.append("interrupted: re-run the same command to resume")
        return out  # a fatal error is not a figure: the caller reports it as the error


def errors_path(out: Path) -> Path:
    return out.with_name(out.name + ".errors.jsonl")


def _select(
    articles: Sequence[Article], out: JsonlLog, errors: JsonlLog, retry_failed: bool
) -> tuple[list[Article], int]:
    done = out.ids()
    if retry_failed:
        failed = errors.ids() - done
        todo = [a for a in articles if a.id in failed]
        return todo, sum(1 for a in articles if a.id in done)
    todo = [a for a in articles if a.id not in done]
    return todo, len(articles) - len(todo)


def _compact_errors(errors: JsonlLog, done: set[str]) -> None:
    """Keep only the latest error of each id that is still not done."""
    latest: dict[str, dict] = {}
    for record in errors.records():
        if "id" in record:
            latest[str(record["id"])] = record
    kept = [r for i, r in latest.items() if i not in done]
    if kept or errors.path.exists():
        if kept:
            errors.rewrite(kept)
        else:
            errors.path.unlink(missing_ok=True)


async def run_batch(
    articles: Sequence[Article],
    process: Processor | Sequence[Processor],
    options: BatchOptions,
    *,
    duplicates: int = 0,
) -> BatchSummary:
    """Process ``articles`` not yet in ``options.out`` in this process (``options.jobs``
    workers per processor: one processor per endpoint); see the module docstring."""
    processors = [process] if callable(process) else list(process)
    engine = LocalEngine(processors, options.jobs)
    return await run_engine(articles, engine, options, duplicates=duplicates)


async def run_engine(
    articles: Sequence[Article],
    engine: Engine,
    options: BatchOptions,
    *,
    duplicates: int = 0,
) -> BatchSummary:
    """Select, run on ``engine``, journal and summarise: what every engine shares."""
    summary = BatchSummary(inputs=len(articles) + duplicates, duplicates=duplicates)
    out, errors = JsonlLog(options.out), JsonlLog(errors_path(options.out))
    with OutputLock(options.out):
        summary.repaired_bytes = out.repair() + errors.repair()
        todo, summary.skipped = _select(articles, out, errors, options.retry_failed)
        summary.todo = len(todo)
        started = time.perf_counter()
        try:
            if todo:
                await _consume(todo, engine, options, summary, out, errors, started)
        finally:
            summary.seconds = time.perf_counter() - started
            summary.notes.extend(engine.notes())
            out.close()
            errors.close()
            _compact_errors(errors, out.ids())
            if options.csv_path is not None:
                write_quotes_csv(out.records(), options.csv_path)
    if summary.endpoint_kind is not None or summary.usage.calls:
        summary.cost = options.prices.cost(
            summary.model,
            summary.endpoint_kind,
            summary.usage.prompt_tokens,
            summary.usage.completion_tokens,
        )
    elif summary.ok == 0:
        summary.cost = 0.0
    return summary


async def _consume(
    todo: list[Article],
    engine: Engine,
    options: BatchOptions,
    summary: BatchSummary,
    out: JsonlLog,
    errors: JsonlLog,
    started: float,
) -> None:
    """Journal each finished article as it arrives; a fatal failure stops the engine."""
    stop = asyncio.Event()
    progress = ProgressBar(len(todo), summary, started) if options.progress else None
    restore = _install_signal_handlers(stop, summary) if options.handle_signals else None
    stream = engine.results(todo, stop)
    try:
        if progress is not None:
            progress.start()
        async for article, result in stream:
            if isinstance(result, Failure):
                summary.usage.add(result.usage)
                if result.fatal is not None:  # not this article's fault: stop, blame none
                    summary.fatal = summary.fatal or result.fatal
                    stop.set()
                    continue
                summary.failed += 1
                await asyncio.to_thread(errors.append, result.record)
            else:
                summary.ok += 1
                summary.quotes += result.quotes
                summary.claims += result.claims
                summary.usage.add(result.usage)
                summary.model = result.model or summary.model
                summary.endpoint_kind = result.endpoint_kind or summary.endpoint_kind
                await asyncio.to_thread(out.append, {"id": article.id, **result.record})
            if progress is not None:
                progress.update()
    finally:
        stop.set()
        with contextlib.suppress(RuntimeError):  # already closed by the loop's end
            await stream.aclose()  # type: ignore[attr-defined]
        if restore is not None:
            restore()
        if progress is not None:
            progress.stop()


class LocalEngine:
    """``jobs`` asyncio workers per processor in this process, sharing one queue."""

    def __init__(self, processors: Sequence[Processor], jobs: int) -> None:
        self.processors, self.jobs = list(processors), max(1, jobs)

    def notes(self) -> list[str]:
        return []

    async def results(self, todo: list[Article], stop: asyncio.Event) -> AsyncIterator[Finished]:
        queue, done = deque(todo), asyncio.Queue[Finished | None]()

        async def worker(process: Processor) -> None:
            while queue and not stop.is_set():
                article = queue.popleft()
                result = await attempt(process, article)
                if isinstance(result, Failure) and result.fatal is not None:
                    stop.set()  # at once: no worker starts another article
                await done.put((article, result))

        per = max(1, min(self.jobs, len(todo)))
        workers = [asyncio.create_task(worker(p)) for p in self.processors for _ in range(per)]

        async def supervise() -> BaseException | None:
            stopper = asyncio.create_task(stop.wait())
            running = asyncio.gather(*workers)
            await asyncio.wait({stopper, running}, return_when=asyncio.FIRST_COMPLETED)
            for task in workers:  # stop: in-flight articles are dropped, not half-written
                task.cancel()
            stopper.cancel()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await running  # retrieved here; every worker's own result is read below
            results = await asyncio.gather(*workers, return_exceptions=True)
            await done.put(None)
            bugs = [r for r in results if isinstance(r, BaseException)]
            bugs = [b for b in bugs if not isinstance(b, asyncio.CancelledError)]
            return bugs[0] if bugs else None

        supervisor = asyncio.create_task(supervise())
        try:
            while (item := await done.get()) is not None:
                yield item
            bug = await supervisor
            if bug is not None:
                raise bug  # a bug in the runner itself: surface it
        finally:
            for task in workers:
                task.cancel()
            if not supervisor.done():
                stop.set()
                await asyncio.gather(supervisor, return_exceptions=True)


def _install_signal_handlers(
    stop: asyncio.Event, summary: BatchSummary
) -> Callable[[], None] | None:
    """SIGINT/SIGTERM: stop the engine; what already finished is still written."""
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        if summary.interrupted:  # a second Ctrl-C: leave now (every written line is whole)
            os._exit(130)
        summary.interrupted = True
        stop.set()

    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, on_signal)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or not supported on this platform

    def restore() -> None:
        for sig in installed:
            loop.remove_signal_handler(sig)

    return restore
