"""The first answer in seconds: a fresh ``quotecheck extract`` process against a warm call in a
running process, for this tree and (optionally) a baseline tree, in one run.

    python scripts/bench_startup.py [--article examples/harbour-bridge.txt] [--runs 3]
        [--baseline-src PATH/TO/OLD/src] [--json OUT]

Per tree: ``--runs`` fresh processes (``python -m quotecheck extract ARTICLE --format json``),
the wall time of each, and, in one more process, the same article extracted ``--runs`` + 1
times (the median of all but the first is "warm": model loaded, shared prefix in the server's
cache). Fresh processes are timed
with the background model off (``QUOTECHECK_KEEP_ALIVE=0``: each loads the weights) and, for
this tree, with it kept loaded: one process that starts the background server, then ``--runs``
processes that find it loaded, first with the warm worker off (``QUOTECHECK_WORKER=0``: each
process pays its imports), then as ``extract`` has it by default (the first process also
leaves a warm worker, ``cli.warm``, and the others hand it their job). Also prints the machine's
prompt and generation tokens/s from llama.cpp's own timings, so figures from different machines
can be compared. The model must already be assembled (``quotecheck models pull``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

WARM = """
import json, sys, time
import httpx2
from quotecheck import LLM, LLMConfig, extract_quotes
text = open(sys.argv[1], encoding="utf-8").read()
llm = LLM(LLMConfig.from_env())
first = extract_quotes(text, llm=llm)
calls = []
for _ in range(int(sys.argv[2])):  # warm calls: model loaded, shared prefix cached; the median
    t0 = time.perf_counter()
    again = extract_quotes(text, llm=llm)
    calls.append(time.perf_counter() - t0)
warm = sorted(calls)[len(calls) // 2]
# the machine's speed, from llama.cpp's own timings of one plain request
body = {"model": llm.model, "max_tokens": 64, "temperature": 0, "messages": [
    {"role": "user", "content": "List forty different English nouns.\\n\\n" + text[:3000]}]}
reply = httpx2.post(llm.base_url.rstrip("/") + "/chat/completions", json=body, timeout=600)
t = reply.json().get("timings") or {}
u = again.run.usage
cached = getattr(u, "cached_prompt_tokens", None)  # the baseline tree may not count them
print(json.dumps({"first_in_process_s": first.run.seconds, "warm_s": warm,
    "warm_calls_s": [round(c, 2) for c in calls], "calls": u.calls,
    "prompt_tokens": u.prompt_tokens, "cached_prompt_tokens": cached,
    "completion_tokens": u.completion_tokens, "quotes": len(again.quotes),
    "prompt_tps": t.get("prompt_per_second"), "gen_tps": t.get("predicted_per_second")}))
"""


def _env(src: Path | None, keep_alive: str | None = "0") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "QUOTECHECK_"))}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    if keep_alive is not None:
        env["QUOTECHECK_KEEP_ALIVE"] = keep_alive
    return env


def _fresh(
    article: Path, src: Path | None, keep_alive: str | None = "0", worker: bool = True
) -> float:
    env = _env(src, keep_alive)
    if not worker:
        env["QUOTECHECK_WORKER"] = "0"
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "quotecheck", "extract", str(article), "--json"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - t0


def _wait_for_worker(src: Path | None, limit: float = 60.0) -> float | None:
    """Seconds until the warm worker the last command started is serving (None: it did not)."""
    probe = "from quotecheck.cli import warm; print(len(warm.running()))"
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        done = subprocess.run(
            [sys.executable, "-c", probe], env=_env(src, None), capture_output=True, text=True
        )
        if done.stdout.strip() not in ("", "0"):
            return round(time.perf_counter() - t0, 2)
        time.sleep(0.2)
    return None


def _stop_background(src: Path | None) -> None:
    cmd = [sys.executable, "-m", "quotecheck", "models", "stop"]
    subprocess.run(cmd, env=_env(src), check=False, capture_output=True)
    time.sleep(2)


def _warm(article: Path, src: Path | None, runs: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", WARM, str(article), str(runs)],
        env=_env(src),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"the warm run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(article: Path, runs: int, src: Path | None) -> dict:
    warm = _warm(
        article, src, runs
    )  # also leaves the saved prefix for the fresh runs (if supported)
    fresh = [_fresh(article, src) for _ in range(runs)]
    warm["fresh_process_s"] = [round(f, 2) for f in fresh]
    warm["fresh_median_s"] = round(statistics.median(fresh), 2)
    warm["fresh_over_warm"] = round(warm["fresh_median_s"] / max(1e-9, warm["warm_s"]), 2)
    if src is None:  # the background model (llm.daemon), as extract has it by default
        _stop_background(src)
        # the model kept loaded, the warm worker off (QUOTECHECK_WORKER=0): imports paid
        warm["fresh_starting_background_s"] = round(_fresh(article, src, None, worker=False), 2)
        kept = [_fresh(article, src, None, worker=False) for _ in range(runs)]
        _stop_background(src)
        warm["fresh_kept_loaded_s"] = [round(f, 2) for f in kept]
        warm["fresh_kept_median_s"] = round(statistics.median(kept), 2)
        warm["fresh_kept_over_warm"] = round(
            warm["fresh_kept_median_s"] / max(1e-9, warm["warm_s"]), 2
        )
        # as extract has it by default: the first command also leaves a warm worker
        warm["fresh_starting_worker_s"] = round(_fresh(article, src, None), 2)
        warm["worker_ready_after_s"] = _wait_for_worker(src)
        served = [_fresh(article, src, None) for _ in range(runs)]
        _stop_background(src)
        warm["fresh_worker_s"] = [round(f, 2) for f in served]
        warm["fresh_worker_median_s"] = round(statistics.median(served), 2)
        warm["fresh_worker_over_warm"] = round(
            warm["fresh_worker_median_s"] / max(1e-9, warm["warm_s"]), 2
        )
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in warm.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--article", type=Path, default=Path("examples/harbour-bridge.txt"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--baseline-src", type=Path, help="the src/ folder of the tree to compare")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    result = {"this tree": measure(args.article, args.runs, None)}
    if args.baseline_src is not None:
        result["baseline"] = measure(args.article, args.runs, args.baseline_src)
        now, then = result["this tree"], result["baseline"]
        result["warm_speedup"] = round(then["warm_s"] / max(1e-9, now["warm_s"]), 2)
        result["fresh_speedup"] = round(
            then["fresh_median_s"] / max(1e-9, now["fresh_median_s"]), 2
        )
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
