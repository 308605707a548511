"""The local engine with several endpoints (``--base-url`` repeated): ``-j`` articles in
flight per endpoint, every endpoint used, every article once. No model, no Ray."""

from __future__ import annotations

import asyncio

from quotecheck import batch as runner
from test_batch import make_articles, read_jsonl


def counting_processor(stats: dict):
    async def process(article, text):
        stats["now"] += 1
        stats["max"] = max(stats["max"], stats["now"])
        stats["done"] += 1
        try:
            await asyncio.sleep(0.005)
            return runner.Outcome(record={"report": {"article_id": article.id}})
        finally:
            stats["now"] -= 1

    return process


def test_local_engine_spreads_over_endpoints_within_jobs(tmp_path):
    stats = [{"now": 0, "max": 0, "done": 0} for _ in range(3)]
    out = tmp_path / "out.jsonl"
    options = runner.BatchOptions(out=out, jobs=2, handle_signals=False)
    processors = [counting_processor(s) for s in stats]
    summary = asyncio.run(runner.run_batch(make_articles(60), processors, options))
    assert summary.ok == 60
    assert [s["max"] for s in stats] == [2, 2, 2]  # -j per endpoint, all busy at once
    assert all(s["done"] > 0 for s in stats) and sum(s["done"] for s in stats) == 60
    ids = [r["id"] for r in read_jsonl(out)]
    assert sorted(ids) == sorted(a.id for a in make_articles(60))
