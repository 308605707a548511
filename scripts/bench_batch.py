"""Benchmark the batch runner against the fake OpenAI server (no model involved).

Measures, over generated short articles:
- throughput with a fixed 200 ms server latency for several ``-j`` values;
- the runner's own overhead per article (a no-op processor: queue, record, write + fsync);
- the full client stack's overhead per article at zero latency (pipeline + SDK + HTTP);
- a re-run answered from the response cache, and a resumed re-run (everything skipped).

The fake server runs in a child process so its work does not share this process's GIL.

    python scripts/bench_batch.py                      # the default, as reported
    python scripts/bench_batch.py --articles 200 --jobs 1 8 --json bench.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the fake server lives with the tests

from quotecheck import batch as runner  # noqa: E402
from quotecheck.batch import Article  # noqa: E402
from quotecheck.llm import LLM  # noqa: E402
from quotecheck.llm.config import LLMConfig  # noqa: E402

NAMES = ["Lena Okafor", "Tomas Brandt", "Priya Nair", "Jonas Weller", "Maria Duarte"]
TOPICS = ["the library", "the river bridge", "the night bus", "the market hall"]


def articles(n: int) -> list[Article]:
    """Short generated articles, each with one attributed direct quote."""
    out = []
    for i in range(n):
        name, topic = NAMES[i % len(NAMES)], TOPICS[i % len(TOPICS)]
        text = (
            f"Plans for {topic} change again (report {i})\n\n"
            f"The town announced new dates for {topic} on day {i}.\n\n"
            f"\u201cWe expect {topic} to be ready within {i % 9 + 2} weeks,\u201d "
            f"said Mayor {name}.\n"
        )
        out.append(Article(id=f"bench-{i:05d}", source="bench", text=text))
    return out


def _serve(latency: float, conn) -> None:  # child process
    from fakeserver import FakeOpenAIServer, attribution_responder

    server = FakeOpenAIServer(attribution_responder(), latency=latency, keep_requests=False)
    server.start()
    conn.send(server.base_url)
    conn.recv()  # wait for "stop"
    server.stop()


class ServerProcess:
    def __init__(self, latency: float) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(latency, child), daemon=True)

    def __enter__(self) -> str:
        self.proc.start()
        return self.parent.recv()

    def __exit__(self, *exc: object) -> None:
        self.parent.send("stop")
        self.proc.join(10)


def llm_for(base_url: str, cache_dir: Path | None = None, timeout: float = 30.0) -> LLM:
    return LLM(
        LLMConfig(
            base_url=base_url,
            api_key="sk-fake",
            model="fake-model",
            timeout=timeout,
            use_cache=cache_dir is not None,
            cache_path=cache_dir,
        )
    )


async def timed_run(arts, out: Path, process, jobs: int) -> tuple[float, runner.BatchSummary]:
    options = runner.BatchOptions(out=out, jobs=jobs, handle_signals=False)
    t0 = time.perf_counter()
    summary = await runner.run_batch(arts, process, options)
    return time.perf_counter() - t0, summary


async def with_llm(arts, out: Path, llm: LLM, jobs: int) -> tuple[float, runner.BatchSummary]:
    try:
        return await timed_run(arts, out, runner.make_processor(llm), jobs)
    finally:
        await llm.aclose()


def row(label: str, jobs: int, seconds: float, summary: runner.BatchSummary) -> dict:
    n = summary.ok + summary.failed
    return {
        "run": label,
        "jobs": jobs,
        "articles": n,
        "ok": summary.ok,
        "failed": summary.failed,
        "skipped": summary.skipped,
        "seconds": round(seconds, 3),
        "articles_per_min": round(60 * n / seconds, 1) if seconds else None,
        "ms_per_article": round(1000 * seconds / n, 2) if n else None,
        "calls": summary.usage.calls,
        "cached_calls": summary.usage.cached_calls,
    }


async def noop_overhead(arts, tmp: Path) -> tuple[float, runner.BatchSummary]:
    """The runner alone: a processor that returns a report-sized record at once."""
    record = {"report": {"quotes": [{"id": "Q1", "text": "x" * 60}], "pad": "y" * 1500}}

    async def process(article: Article, text: str) -> runner.Outcome:
        return runner.Outcome(record=record, quotes=1)

    return await timed_run(arts, tmp / "noop.jsonl", process, jobs=8)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 8, 32, 128])
    ap.add_argument("--latency", type=float, default=0.2, help="fake server latency, seconds")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args()
    arts = articles(args.articles)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        seconds, summary = asyncio.run(noop_overhead(arts, tmp))
        rows.append(row("runner only (no-op processor)", 8, seconds, summary))
        with ServerProcess(0.0) as url:
            seconds, summary = asyncio.run(with_llm(arts, tmp / "zero.jsonl", llm_for(url), 1))
            rows.append(row("full stack, 0 ms latency", 1, seconds, summary))
        with ServerProcess(args.latency) as url:
            for jobs in args.jobs:
                out = tmp / f"j{jobs}.jsonl"
                seconds, summary = asyncio.run(with_llm(arts, out, llm_for(url), jobs))
                rows.append(row(f"{int(args.latency * 1000)} ms latency", jobs, seconds, summary))
            cache = tmp / "cache"
            cache.mkdir()
            jobs = 32
            first = asyncio.run(with_llm(arts, tmp / "c1.jsonl", llm_for(url, cache), jobs))
            rows.append(row("cache: first run (fills it)", jobs, *first))
            again = asyncio.run(with_llm(arts, tmp / "c2.jsonl", llm_for(url, cache), jobs))
            rows.append(row("cache: same batch, new output", jobs, *again))
            resume = asyncio.run(with_llm(arts, tmp / "c2.jsonl", llm_for(url, cache), jobs))
            rows.append(row("resume: same output (all skipped)", jobs, *resume))
    head = ["run", "jobs", "articles", "skipped", "seconds", "articles_per_min", "ms_per_article",
            "calls", "cached_calls"]  # fmt: skip
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(str(r[h]) for h in head) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
