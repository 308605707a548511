"""Jobs: many articles processed in the background by the batch runner and its crash-safe
journal, one job at a time, so a killed server resumes every unfinished job on restart with
each article recorded exactly once.

On disk, one folder per job under the jobs folder: ``request.json`` (the articles, written
before the job is acknowledged: a temp folder renamed into place), ``state.json`` (status and
times, replaced atomically), and the runner's ``out.jsonl`` / ``out.jsonl.errors.jsonl``. The
runner skips every id already in ``out.jsonl``, which is what makes a resume exactly-once.
Imports the faces of ``batch``, ``factcheck``, ``schema``, ``errors`` and the rest of
``service``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quotecheck.batch import Article, BatchOptions, JsonlLog, errors_path, make_processor, run_batch
from quotecheck.errors import FATAL_ERRORS, QuotecheckError
from quotecheck.factcheck import EvidenceIndex
from quotecheck.schema import ArticleMeta
from quotecheck.service.gate import ModelGate
from quotecheck.service.metrics import Metrics
from quotecheck.service.models import JobRequest, JobStatus
from quotecheck.service.sources import evidence_sources

log = logging.getLogger("quotecheck.service")
UNFINISHED = ("queued", "running", "failed")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _write_json(path: Path, data: dict) -> None:
    """Replace ``path`` atomically: temp file, fsync, rename."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@dataclass(slots=True)
class Counts:
    done: int = 0
    failed: int = 0
    quotes: int = 0
    claims: int = 0


class JobStore:
    """The jobs folder. Job ids are random hex; anything else is never a path here."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path(self, job_id: str) -> Path:
        if len(job_id) != 32 or any(c not in "0123456789abcdef" for c in job_id):
            raise KeyError(job_id)
        return self.root / job_id

    def exists(self, job_id: str) -> bool:
        try:
            return (self.path(job_id) / "state.json").is_file()
        except KeyError:
            return False

    def create(self, request: JobRequest) -> str:
        job_id = uuid.uuid4().hex
        tmp = self.root / f".tmp-{job_id}"
        tmp.mkdir()
        _write_json(tmp / "request.json", request.model_dump(mode="json", exclude_none=True))
        state = {"status": "queued", "created": _now(), "total": len(request.articles)}
        _write_json(tmp / "state.json", state)
        os.replace(tmp, self.root / job_id)
        fd = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(fd)  # the rename itself survives a crash
        finally:
            os.close(fd)
        return job_id

    def request(self, job_id: str) -> JobRequest:
        return JobRequest.model_validate_json((self.path(job_id) / "request.json").read_bytes())

    def state(self, job_id: str) -> dict[str, Any]:
        return json.loads((self.path(job_id) / "state.json").read_text("utf-8"))

    def update(self, job_id: str, **changes: Any) -> dict[str, Any]:
        state = self.state(job_id) | changes
        _write_json(self.path(job_id) / "state.json", state)
        return state

    def out(self, job_id: str) -> Path:
        return self.path(job_id) / "out.jsonl"

    def ids(self) -> list[str]:
        """Every job, oldest first; half-made folders of a crash are removed."""
        jobs = []
        for entry in self.root.iterdir():
            if entry.name.startswith(".tmp-"):
                shutil.rmtree(entry, ignore_errors=True)
            elif self.exists(entry.name):
                jobs.append((self.state(entry.name).get("created", ""), entry.name))
        return [job_id for _, job_id in sorted(jobs)]

    def counts(self, job_id: str) -> Counts:
        """What the journal holds: done ids, failed ids not done since, quotes and claims."""
        counts, done = Counts(), set()
        for record in JsonlLog(self.out(job_id)).records():
            done.add(str(record.get("id")))
            counts.quotes += len((record.get("report") or {}).get("quotes") or [])
            counts.claims += len((record.get("factcheck") or {}).get("claims") or [])
        counts.done = len(done)
        counts.failed = len(JsonlLog(errors_path(self.out(job_id))).ids() - done)
        return counts

    def results(self, job_id: str) -> Iterator[bytes]:
        """Every finished record as a JSONL line, then the latest error of each id not done."""
        done: set[str] = set()
        with contextlib.suppress(FileNotFoundError), self.out(job_id).open("rb") as fh:
            for line in fh:
                if line.endswith(b"\n"):  # a line being written is not a result yet
                    with contextlib.suppress(ValueError):
                        done.add(str(json.loads(line).get("id")))
                    yield line
        latest: dict[str, dict] = {}
        for record in JsonlLog(errors_path(self.out(job_id))).records():
            latest[str(record.get("id"))] = record
        for art_id, record in latest.items():
            if art_id not in done:
                yield (json.dumps(record, ensure_ascii=False) + "\n").encode()

    def delete(self, job_id: str) -> None:
        shutil.rmtree(self.path(job_id), ignore_errors=True)


class JobRunner:
    """Runs queued jobs one after another on the shared model (behind requests)."""

    def __init__(self, store: JobStore, llm: Any, gate: ModelGate, metrics: Metrics, workers: int):
        self.store, self.llm, self.gate, self.metrics = store, llm, gate, metrics
        self.workers = max(1, workers)
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._loop_task: asyncio.Task | None = None
        self._current: tuple[str, asyncio.Task] | None = None
        self.live: dict[str, Counts] = {}

    def start(self) -> list[str]:
        """Queue every unfinished job (oldest first) and start working; returns their ids."""
        resumed = []
        for job_id in self.store.ids():
            if self.store.state(job_id)["status"] in UNFINISHED:
                self.live[job_id] = self.store.counts(job_id)
                self._queue.put_nowait(job_id)
                resumed.append(job_id)
        self._loop_task = asyncio.get_running_loop().create_task(self._loop())
        return resumed

    async def stop(self) -> None:
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._loop_task

    def submit(self, job_id: str) -> None:
        self.live[job_id] = Counts()
        self._queue.put_nowait(job_id)

    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for job_id in self.store.ids():
            status = self.store.state(job_id)["status"]
            counts[status] = counts.get(status, 0) + 1
        return counts

    def status(self, job_id: str, results_url: str) -> JobStatus:
        state = self.store.state(job_id)
        live = self.live.get(job_id)
        counts = live if live is not None else Counts(**state.get("counts", {}))
        total = state["total"]
        return JobStatus(
            id=job_id, status=state["status"], created=state["created"],
            started=state.get("started"), finished=state.get("finished"), total=total,
            done=counts.done, failed=counts.failed,
            pending=max(0, total - counts.done - counts.failed),
            quotes=counts.quotes, claims=counts.claims, error=state.get("error"),
            results=results_url,
        )  # fmt: skip

    async def cancel(self, job_id: str) -> None:
        """Stop the job if it runs, then remove it and its results."""
        self.store.update(job_id, status="cancelled", finished=_now())
        if self._current is not None and self._current[0] == job_id:
            task = self._current[1]
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self.live.pop(job_id, None)
        self.store.delete(job_id)

    async def _loop(self) -> None:
        while True:
            job_id = await self._queue.get()
            if not self.store.exists(job_id) or self.store.state(job_id)["status"] == "cancelled":
                continue
            task = asyncio.get_running_loop().create_task(self._run(job_id))
            self._current = (job_id, task)
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:
                if not task.done():  # the server stops: the job stays unfinished on disk
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
                    raise
            except Exception:
                log.exception("job %s stopped by an error in the runner", job_id)
                if self.store.exists(job_id):
                    self.store.update(job_id, status="failed", error="internal error")
            finally:
                self._current = None

    def _articles(self, request: JobRequest, job_id: str) -> list[Article]:
        """The job's articles for the runner: HTML is reduced when processed (a bad page fails
        alone), and what the request says of each article goes into its report's ``article``."""
        out = []
        for art_id, item in zip(request.ids(), request.articles, strict=True):
            given = item.meta()
            meta = None
            if given:
                meta = ArticleMeta(
                    site_name=item.site_name or item.publisher, published=item.date,
                    url=item.url, title=item.title, origin="html" if item.html else None,
                )  # fmt: skip
            html = item.html is not None
            out.append(
                Article(
                    id=art_id,
                    source=f"job {job_id}",
                    text=item.html if html else item.text,
                    html=True if html else None,
                    meta=meta,
                )  # fmt: skip
            )
        return out

    async def _run(self, job_id: str) -> None:
        request = self.store.request(job_id)
        state = self.store.state(job_id)
        self.store.update(
            job_id, status="running", started=state.get("started") or _now(), error=None
        )
        live = self.store.counts(job_id)
        live.failed = 0  # articles that failed before are tried again now
        self.live[job_id] = live
        try:
            index = (
                EvidenceIndex.build(evidence_sources(request.evidence))
                if request.evidence
                else None
            )
        except QuotecheckError as err:
            self.store.update(job_id, status="failed", error=f"evidence: {err}", finished=_now())
            return
        base = make_processor(self.llm, index)

        async def process(article: Article, text: str) -> Any:
            try:
                async with self.gate.slot("job"):
                    outcome = await base(article, text)
            except FATAL_ERRORS:
                raise
            except Exception:
                live.failed += 1
                self.metrics.articles.labels(outcome="failed").inc()
                raise
            live.done += 1
            live.quotes += outcome.quotes
            live.claims += outcome.claims
            self.metrics.add_usage(outcome.usage)
            self.metrics.articles.labels(outcome="ok").inc()
            return outcome

        options = BatchOptions(out=self.store.out(job_id), jobs=self.workers, handle_signals=False)
        summary = await run_batch(self._articles(request, job_id), process, options)
        final = self.store.counts(job_id)
        self.live.pop(job_id, None)
        status = "failed" if summary.fatal else "done"
        self.store.update(
            job_id, status=status, error=summary.fatal, finished=_now(), counts=asdict(final)
        )
