"""Benchmark ``--engine ray`` against the local runner, in the same run, on this machine.

Both engines run the same generated articles against the same fake OpenAI server (a child
process, fixed latency) at the same concurrency; Ray runs on a private 2-CPU instance on
127.0.0.1 started once by this script (its start-up is reported on its own line). Rows:
- no-op processor: the engines alone (queue, dispatch, record, write + fsync), so the
  difference per article is what Ray adds;
- 0 ms server latency: the full client stack, where the engines' overhead shows most;
- 200 ms server latency at -j 32 and -j 128: what an endpoint-bound archive run sees.

    python scripts/bench_ray.py                        # the default, as reported
    python scripts/bench_ray.py --articles 200 --jobs 8 --json bench.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # loopback only
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import ServerProcess, articles, llm_for  # noqa: E402

from quotecheck import batch as runner  # noqa: E402
from quotecheck.llm.config import LLMConfig  # noqa: E402

RECORD = {"report": {"quotes": [{"id": "Q1", "text": "x" * 60}], "pad": "y" * 1500}}


def noop_factory(llm, evidence):  # pickled by value: this file runs as __main__
    async def process(article, text):
        return runner.Outcome(record=RECORD, quotes=1)

    return process


def config_for(url: str) -> LLMConfig:
    return llm_for(url, timeout=60.0).config


async def local(arts, out: Path, jobs: int, url: str | None) -> runner.BatchSummary:
    options = runner.BatchOptions(out=out, jobs=jobs, handle_signals=False)
    if url is None:
        return await runner.run_batch(arts, noop_factory(None, None), options)
    llm = llm_for(url, timeout=60.0)
    try:
        return await runner.run_batch(arts, runner.make_processor(llm), options)
    finally:
        await llm.aclose()


async def on_ray(arts, out: Path, jobs: int, url: str | None) -> runner.BatchSummary:
    options = runner.BatchOptions(out=out, jobs=jobs, handle_signals=False)
    config = config_for(url or "http://127.0.0.1:9/v1")
    factory = noop_factory if url is None else None
    engine = runner.RayEngine([config], jobs=jobs, factory=factory)
    return await runner.run_engine(arts, engine, options)


def timed(fn, *args) -> tuple[float, runner.BatchSummary]:
    t0 = time.perf_counter()
    summary = asyncio.run(fn(*args))
    return time.perf_counter() - t0, summary


def row(label: str, engine: str, jobs: int, seconds: float, s: runner.BatchSummary) -> dict:
    n = s.ok + s.failed
    return {
        "run": label,
        "engine": engine,
        "jobs": jobs,
        "articles": n,
        "failed": s.failed,
        "seconds": round(seconds, 3),
        "articles_per_min": round(60 * n / seconds, 1) if seconds else None,
        "ms_per_article": round(1000 * seconds / n, 2) if n else None,
        "calls": s.usage.calls,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--jobs", type=int, nargs="+", default=[32, 128])
    ap.add_argument("--latency", type=float, default=0.2, help="fake server latency, seconds")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args()
    import logging

    import ray

    t0 = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING)
    started = time.perf_counter() - t0
    arts = articles(args.articles)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        one = asyncio.run(on_ray(arts[:2], tmp / "warm.jsonl", 8, None))
        first = time.perf_counter() - t0
        assert one.ok == 2
        for label, url_latency, jobs_list in (
            ("no-op processor", None, [8]),
            ("0 ms latency", 0.0, [8]),
            (f"{int(args.latency * 1000)} ms latency", args.latency, args.jobs),
        ):
            server = ServerProcess(url_latency) if url_latency is not None else None
            url = server.__enter__() if server is not None else None
            try:
                for jobs in jobs_list:
                    for name, fn in (("local", local), ("ray", on_ray)):
                        out = tmp / f"{name}-{label[:4]}-{jobs}.jsonl".replace(" ", "")
                        seconds, summary = timed(fn, arts, out, jobs, url)
                        rows.append(row(label, name, jobs, seconds, summary))
            finally:
                if server is not None:
                    server.__exit__(None, None, None)
    ray.shutdown()
    head = ["run", "engine", "jobs", "articles", "failed", "seconds", "articles_per_min",
            "ms_per_article", "calls"]  # fmt: skip
    print(f"ray.init (private 2-CPU instance): {started:.2f} s; "
          f"a 2-article run (2 workers start, no-op): {first:.2f} s")  # fmt: skip
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(str(r[h]) for h in head) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
