"""Benchmark ``quotecheck serve``: requests/s and p50/p95 latency of ``POST /v1/quotes`` at
several concurrencies, against the fake OpenAI-compatible server (no model), and in the same
run the library called directly (``extract_quotes_async`` with one shared ``LLM``, the way the
server calls it) at the same concurrencies: the difference is the service's own overhead.

The fake server runs in a child process (``bench_batch.ServerProcess``), the service in
another (a real ``quotecheck serve`` on 127.0.0.1), the clients in this one (httpx, async).
The article is ``examples/harbour-bridge.txt``; one model call per request.

    python scripts/bench_service.py                         # as reported in BENCHMARKS.md
    python scripts/bench_service.py --requests 300 --concurrency 1 8 32 --json out.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_batch import ServerProcess  # noqa: E402

from quotecheck import LLM, LLMConfig, extract_quotes_async  # noqa: E402

ARTICLE = (ROOT / "examples" / "harbour-bridge.txt").read_text("utf-8")


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _figures(label: str, concurrency: int, latencies: list[float], seconds: float) -> dict:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "run": label,
        "concurrency": concurrency,
        "requests": len(latencies),
        "seconds": round(seconds, 3),
        "requests_per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(1000 * cuts[49], 2),
        "p95_ms": round(1000 * cuts[94], 2),
        "mean_ms": round(1000 * statistics.fmean(latencies), 2),
    }


async def _load(call, concurrency: int, total: int) -> tuple[list[float], float]:  # type: ignore[no-untyped-def]
    """``total`` calls from ``concurrency`` workers; per-call latencies and the wall time."""
    latencies: list[float] = []
    left = total

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            t0 = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, time.perf_counter() - t0


async def over_http(url: str, concurrency: int, total: int, fmt: str = "json") -> dict:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def call() -> None:
            res = await client.post(f"/v1/quotes?format={fmt}", json={"text": ARTICLE})
            assert res.status_code == 200, res.text

        await _load(call, concurrency, min(total, 4 * concurrency))  # warm connections
        latencies, seconds = await _load(call, concurrency, total)
    label = "service, POST /v1/quotes" + ("?format=html" if fmt == "html" else "")
    return _figures(label, concurrency, latencies, seconds)


async def direct(base_url: str, concurrency: int, total: int) -> dict:
    llm = LLM(LLMConfig(base_url=base_url, api_key="sk-fake", model="fake-model", timeout=60))
    try:

        async def call() -> None:
            report = await extract_quotes_async(ARTICLE, llm=llm)
            assert report.quotes

        await _load(call, concurrency, min(total, 4 * concurrency))
        latencies, seconds = await _load(call, concurrency, total)
    finally:
        await llm.aclose()
    return _figures("library, extract_quotes_async", concurrency, latencies, seconds)


def _start_service(base_url: str, jobs: Path, concurrency: int) -> tuple[subprocess.Popen, str]:
    port = _port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUOTECHECK_", "OPENAI_"))}
    env |= {
        "OPENAI_BASE_URL": base_url,
        "OPENAI_API_KEY": "sk-fake",
        "QUOTECHECK_MODEL": "fake-model",
    }
    cmd = [sys.executable, "-m", "quotecheck", "serve", "--port", str(port),
           "--jobs-dir", str(jobs), "--concurrency", str(concurrency),
           "--queue", str(2 * concurrency)]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the service did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=400, help="measured requests per row")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args()
    rows: list[dict] = []
    with ServerProcess(0.0) as base_url, tempfile.TemporaryDirectory() as tmp:
        proc, url = _start_service(base_url, Path(tmp) / "jobs", max(args.concurrency))
        try:
            for c in args.concurrency:
                rows.append(asyncio.run(direct(base_url, c, args.requests)))
                rows.append(asyncio.run(over_http(url, c, args.requests)))
            rows.append(asyncio.run(over_http(url, 1, args.requests, fmt="html")))
        finally:
            proc.terminate()
            proc.wait(30)
    head = ["run", "concurrency", "requests", "requests_per_s", "p50_ms", "p95_ms", "mean_ms"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(str(r[h]) for h in head) + " |")
    by = {(r["run"], r["concurrency"]): r for r in rows}
    for c in args.concurrency:
        served, lib = by[("service, POST /v1/quotes", c)], by[("library, extract_quotes_async", c)]
        print(
            f"concurrency {c}: service overhead p50 {served['p50_ms'] - lib['p50_ms']:.2f} ms, "
            f"mean {served['mean_ms'] - lib['mean_ms']:.2f} ms per request"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
