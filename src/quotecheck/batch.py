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
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import os
import signal
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quotecheck.batch_io import Article, JsonlLog, OutputLock
from quotecheck.errors import FATAL_ERRORS, InvalidOutput
from quotecheck.models import Usage
from quotecheck.pricing import PriceTable


@dataclass
class Outcome:
    """What processing one article produced: the record body plus figures for the summary."""

    record: dict[str, Any]
    quotes: int = 0
    claims: int = 0
    usage: Usage = field(default_factory=Usage)
    model: str | None = None
    endpoint_kind: str | None = None


Processor = Callable[[Article, str], Awaitable[Outcome]]


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
    """Figures for the end-of-run report; ``exit_code`` follows the CLI convention."""

    inputs: int = 0
    todo: int = 0
    skipped: int = 0
    duplicates: int = 0
    ok: int = 0
    failed: int = 0
    quotes: int = 0
    claims: int = 0
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0
    model: str | None = None
    endpoint_kind: str | None = None
    cost: float | None = None
    fatal: str | None = None
    interrupted: bool = False
    repaired_bytes: int = 0

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


# -- the default processor: the library's public API ----------------------------------------
def make_processor(llm: Any, evidence: Any = None) -> Processor:
    """Quote extraction for every article, plus fact-checking when ``evidence`` is given."""
    import quotecheck

    check = _claims_checker() if evidence is not None else None

    async def process(article: Article, text: str) -> Outcome:
        report = await quotecheck.extract_quotes_async(text, article_id=article.id, llm=llm)
        outcome = Outcome(record={"report": report.model_dump(mode="json")})
        outcome.quotes = len(report.quotes)
        if report.run is not None:
            outcome.usage.add(report.run.usage)
            outcome.model, outcome.endpoint_kind = report.run.model, report.run.endpoint_kind
        if check is not None:
            # the quote report is passed on so claims link to speakers without a second run
            factcheck = await check(
                text, evidence=evidence, article_id=article.id, quotes=report, llm=llm
            )
            outcome.record["factcheck"] = factcheck.model_dump(mode="json")
            outcome.claims = len(getattr(factcheck, "claims", []) or [])
            run = getattr(factcheck, "run", None)
            if run is not None:
                outcome.usage.add(run.usage)
        return outcome

    return process


def _claims_checker() -> Callable[..., Awaitable[Any]] | None:
    """The fact-checking entry point, or None when this build has none (checked lazily so
    quote-only batches never import it)."""
    import quotecheck

    check = getattr(quotecheck, "check_claims_async", None)
    if check is None:
        try:
            from quotecheck.factcheck import check_claims_async as check
        except ImportError:
            return None
    return check


def load_evidence(paths: Sequence[Path]) -> Any:
    """Index the evidence once for the whole batch (None when fact-checking is unavailable)."""
    if not paths or _claims_checker() is None:
        return None
    from quotecheck.evidence import EvidenceIndex

    return EvidenceIndex.from_paths(list(paths))


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
                write_quotes_csv(out, options.csv_path)
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
    progress = _Progress(len(todo), summary, started) if options.progress else None

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
                text = article.load()
                outcome = await process(article, text)
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
    usage = getattr(err, "usage", None)
    if isinstance(usage, Usage):
        summary.usage.add(usage)


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


class _Progress:
    """A rich progress bar on stderr: done, failed, quotes, tokens, rate, ETA."""

    def __init__(self, total: int, summary: BatchSummary, started: float) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.summary, self.started = summary, started
        self.bar = Progress(
            TextColumn("[bold]batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("failed {task.fields[failed]}"),
            TextColumn("quotes {task.fields[quotes]}"),
            TextColumn("tokens {task.fields[tokens]}"),
            TextColumn("{task.fields[rate]:.1f}/min"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self.task = self.bar.add_task("batch", total=total, failed=0, quotes=0, tokens=0, rate=0.0)

    def start(self) -> None:
        self.bar.start()

    def stop(self) -> None:
        self.bar.stop()

    def update(self) -> None:
        s = self.summary
        elapsed = max(1e-9, time.perf_counter() - self.started)
        self.bar.update(
            self.task,
            completed=s.ok + s.failed,
            failed=s.failed,
            quotes=s.quotes,
            tokens=s.usage.prompt_tokens + s.usage.completion_tokens,
            rate=60.0 * (s.ok + s.failed) / elapsed,
        )


# -- CSV of quotes --------------------------------------------------------------------------
CSV_COLUMNS = (
    "article_id", "quote_id", "type", "text", "speaker_name", "speaker_mention", "speaker_kind",
    "anonymous", "anonymity_descriptor", "anonymity_reason", "cue", "cue_kind", "relay",
    "confidence", "verbatim", "start", "end",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas (CSV injection) in text cells."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _span_text(span: Any) -> str:
    return span.get("text", "") if isinstance(span, dict) else ""


def quote_rows(record: dict) -> list[dict[str, Any]]:
    """One CSV row per quote of an output record."""
    report = record.get("report") or {}
    rows = []
    for q in report.get("quotes") or []:
        fragments = q.get("fragments") or [{}]
        rows.append(
            {
                "article_id": record.get("id"),
                "quote_id": q.get("id"),
                "type": q.get("type"),
                "text": q.get("text"),
                "speaker_name": q.get("speaker_name"),
                "speaker_mention": _span_text(q.get("speaker_mention")),
                "speaker_kind": q.get("speaker_kind"),
                "anonymous": q.get("anonymous"),
                "anonymity_descriptor": _span_text(q.get("anonymity_descriptor")),
                "anonymity_reason": _span_text(q.get("anonymity_reason")),
                "cue": _span_text(q.get("cue")),
                "cue_kind": q.get("cue_kind"),
                "relay": "; ".join(r.get("name", "") for r in q.get("relay") or []),
                "confidence": q.get("confidence"),
                "verbatim": q.get("verbatim"),
                "start": fragments[0].get("start"),
                "end": fragments[-1].get("end"),
            }
        )
    return rows


def write_quotes_csv(out: JsonlLog, path: Path) -> int:
    """Write every quote of the (whole, resumed) output as CSV, atomically; returns rows."""
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for record in out.records():
            for row in quote_rows(record):
                writer.writerow({k: _cell(v) for k, v in row.items()})
                count += 1
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return count


# -- wiring for the CLI ---------------------------------------------------------------------
def build_llm(*, use_cache: bool = True, **overrides: Any) -> Any:
    """The shared LLM for a batch: config from the environment plus CLI overrides, with the
    response cache on by default (a re-run then costs nothing)."""
    from quotecheck.cache import default_cache_path
    from quotecheck.config import LLMConfig
    from quotecheck.llm import LLM

    config = LLMConfig.from_env(**overrides)
    if use_cache:
        config = replace(
            config, use_cache=True, cache_path=config.cache_path or default_cache_path()
        )
    else:
        config = replace(config, use_cache=False)
    return LLM(config)


async def close_llm(llm: Any) -> None:
    aclose = getattr(llm, "aclose", None)
    if aclose is not None:
        with contextlib.suppress(Exception):
            await aclose()
