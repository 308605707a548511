"""Run quote extraction (and fact-checking) over many articles, resumably.

Design, in the order things can go wrong:
- Workers (``jobs`` of them) take articles from a queue and call the public API; one writer
  task appends each finished record to the output JSONL (one write + fsync per line), so a
  kill at any moment loses at most the articles in flight, never a written one.
- On start the output's partial last line (from a crash) is truncated and every id already in
  it is skipped: re-running the same command resumes. ``--retry-failed`` runs only the ids in
  ``<out>.errors.jsonl``.
- One article's failure (bad input, invalid model output, rate limit that outlasted the
  retries) becomes an error record; a failure no retry can mend (bad key, unknown model, no
  server) stops the whole batch at once with one message. SIGINT/SIGTERM stop cleanly.

Knows nothing of quotes or claims: it runs any ``Processor`` (``batch.processor`` makes the
default one from the public API). Imports ``schema``, ``errors``, ``text``, ``output`` and
``batch``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quotecheck.batch.inputs import Article
from quotecheck.batch.journal import JsonlLog, OutputLock
from quotecheck.batch.pricing import PriceTable
from quotecheck.batch.progress import ProgressBar
from quotecheck.errors import FATAL_ERRORS, InvalidOutput
from quotecheck.output import write_quotes_csv
from quotecheck.schema import Usage
from quotecheck.text import Page


@dataclass
class Outcome:
    """What processing one article produced: the record body plus figures for the summary."""

    record: dict[str, Any]
    quotes: int = 0
    claims: int = 0
    usage: Usage = field(default_factory=Usage)
    model: str | None = None
    endpoint_kind: str | None = None


#: processes one article's page (``page.text`` is what offsets index, ``page.meta`` what is known)
Processor = Callable[[Article, Page], Awaitable[Outcome]]


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
        ]
        if self.repaired_bytes:
            out.append(f"repaired: dropped a {self.repaired_bytes}-byte partial line from a crash")
        if self.interrupted:
            out.append("interrupted: re-run the same command to resume")
        return out  # a fatal error is not a figure: the caller reports it as the error


def errors_path(out: Path) -> Path:
    return out.with_name(out.name + ".errors.jsonl")


# -- the runner -----------------------------------------------------------------------------
class _Stop(Exception):
    """Raised inside a worker to end the batch (fatal error)."""


def _error_record(article: Article, err: BaseException) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": article.id,
        "source": article.source,
        "error": type(err).__name__,
        "message": str(err) or repr(err),
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if isinstance(err, InvalidOutput):
        record["attempts"] = err.attempts
        if err.last_completion is not None:
            record["last_completion"] = err.last_completion[:2000]
    return record


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
    process: Processor,
    options: BatchOptions,
    *,
    duplicates: int = 0,
) -> BatchSummary:
    """Process ``articles`` not yet in ``options.out``; see the module docstring."""
    summary = BatchSummary(inputs=len(articles) + duplicates, duplicates=duplicates)
    out, errors = JsonlLog(options.out), JsonlLog(errors_path(options.out))
    with OutputLock(options.out):
        summary.repaired_bytes = out.repair() + errors.repair()
        todo, summary.skipped = _select(articles, out, errors, options.retry_failed)
        summary.todo = len(todo)
        started = time.perf_counter()
        try:
            await _run(todo, process, options, summary, out, errors, started)
        finally:
            summary.seconds = time.perf_counter() - started
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


async def _run(
    todo: list[Article],
    process: Processor,
    options: BatchOptions,
    summary: BatchSummary,
    out: JsonlLog,
    errors: JsonlLog,
    started: float,
) -> None:
    queue: asyncio.Queue[Article] = asyncio.Queue()
    for article in todo:
        queue.put_nowait(article)
    results: asyncio.Queue[tuple[JsonlLog, dict] | None] = asyncio.Queue()
    progress = ProgressBar(len(todo), summary, started) if options.progress else None

    async def writer() -> None:
        while (item := await results.get()) is not None:
            log, record = item
            await asyncio.to_thread(log.append, record)

    async def worker() -> None:
        while True:
            try:
                article = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            try:
                # in a thread: loading may fetch a page or read an archive record
                page = await asyncio.to_thread(article.load_page)
                outcome = await process(article, page)
            except FATAL_ERRORS as err:
                summary.fatal = str(err)
                raise _Stop from err
            except Exception as err:  # one article's failure (incl. BadInput), recorded
                summary.failed += 1
                await results.put((errors, _error_record(article, err)))
                _account_failure(summary, err)
            else:
                summary.ok += 1
                summary.quotes += outcome.quotes
                summary.claims += outcome.claims
                summary.usage.add(outcome.usage)
                summary.model = outcome.model or summary.model
                summary.endpoint_kind = outcome.endpoint_kind or summary.endpoint_kind
                await results.put((out, {"id": article.id, **outcome.record}))
            if progress is not None:
                progress.update()

    writer_task = asyncio.create_task(writer())
    workers = [asyncio.create_task(worker()) for _ in range(max(1, min(options.jobs, len(todo))))]
    restore = _install_signal_handlers(workers, summary) if options.handle_signals else None
    try:
        if progress is not None:
            progress.start()
        pending: set[asyncio.Task] = set(workers)
        while pending:
            finished, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
            if any(not t.cancelled() and t.exception() is not None for t in finished):
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                break
        for task in workers:
            if not task.cancelled() and isinstance(task.exception(), Exception):
                exc = task.exception()
                if not isinstance(exc, _Stop):
                    raise exc  # a bug in the runner itself: surface it
    finally:
        if restore is not None:
            restore()
        await results.put(None)
        await writer_task  # drain: every finished article is on disk before we return
        if progress is not None:
            progress.stop()


def _account_failure(summary: BatchSummary, err: BaseException) -> None:
    if isinstance(err, InvalidOutput):
        summary.usage.add(err.usage)


def _install_signal_handlers(
    workers: list[asyncio.Task], summary: BatchSummary
) -> Callable[[], None] | None:
    """SIGINT/SIGTERM: cancel the workers; the writer still drains finished records."""
    loop = asyncio.get_running_loop()

    def stop() -> None:
        if summary.interrupted:  # a second Ctrl-C: leave now (every written line is whole)
            os._exit(130)
        summary.interrupted = True
        for task in workers:
            task.cancel()

    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or not supported on this platform

    def restore() -> None:
        for sig in installed:
            loop.remove_signal_handler(sig)

    return restore
