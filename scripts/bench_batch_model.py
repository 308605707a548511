"""``quotecheck batch`` on the embedded model: articles per minute, this tree beside a baseline
tree and beside two slots, in one run.

    python scripts/bench_batch_model.py [--gold ../shared/data/polnear/jsonl/dev.jsonl]
        [--every 4] [--limit 20] [--baseline-src PATH/TO/OLD/src] [--parallel 1 2]
        [--tagger-corpus ../shared/data/polnear/jsonl/train.jsonl] [--json OUT]

Writes the chosen PolNeAR articles (primary annotation rows, the same subset as
``quotecheck eval quotes --every 4 --limit 20``) as text files into a temporary folder, then runs
``python -m quotecheck batch FOLDER -o OUT --no-cache --no-progress`` once per configuration, each
in a fresh process: this tree with ``QUOTECHECK_PARALLEL`` slots and ``-j`` equal to it, for each
``--parallel`` value, this tree with one slot and the attribution tagger learned from
``--tagger-corpus`` (trained first, outside the timing, if it is not in the cache), and the
baseline tree (``PYTHONPATH``) with one slot. Reports wall seconds,
articles per minute, quotes, calls and tokens from the output records, and the process's peak
RSS; and the machine's prompt and generation tokens/s from llama.cpp's own timings of one plain
request, so figures from different machines can be compared.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SPEED = """
import json, httpx2
from quotecheck import LLM, LLMConfig
from quotecheck.llm import shared_server
info = shared_server().start()
text = open(__import__("sys").argv[1], encoding="utf-8").read()
body = {"model": "m", "max_tokens": 64, "temperature": 0, "messages": [
    {"role": "user", "content": "List forty different English nouns.\\n\\n" + text[:3000]}]}
t = httpx2.post(info.base_url + "/chat/completions", json=body, timeout=600).json()["timings"]
print(json.dumps({"prompt_tps": t["prompt_per_second"], "gen_tps": t["predicted_per_second"]}))
"""


def articles(gold: Path, every: int, limit: int) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in gold.read_text("utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("is_primary", True)][::every][:limit]
    return [(r["doc_id"], r["text"]) for r in rows]


def _env(src: Path | None, parallel: int, tagger: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "QUOTECHECK_"))}
    env["QUOTECHECK_PARALLEL"] = str(parallel)
    if tagger is not None:
        env["QUOTECHECK_TAGGER_CORPUS"] = str(tagger.resolve())
    env["QUOTECHECK_KEEP_ALIVE"] = "0"
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


#: runs the CLI in this child and prints its peak RSS (the in-process model included) last
WRAP = """
import resource, runpy, sys
sys.argv = ["quotecheck", *sys.argv[1:]]
try:
    runpy.run_module("quotecheck", run_name="__main__")
finally:
    print("PEAK_RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def run(
    folder: Path, out: Path, src: Path | None, parallel: int, tagger: Path | None = None
) -> dict:
    cmd = [sys.executable, "-c", WRAP, "batch", str(folder), "-o", str(out)]
    cmd += ["-j", str(parallel), "--no-cache", "--no-progress"]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=_env(src, parallel, tagger), capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    peak = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("PEAK_RSS")]
    if done.returncode not in (0, 1) or not out.is_file():  # 1: some articles failed
        sys.exit(f"batch failed ({done.returncode}):\n{done.stderr[-2000:]}")
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines() if line]
    ok = [r for r in records if r.get("report")]
    usage = [((r["report"].get("run") or {}).get("usage") or {}) for r in ok]
    return {
        "seconds": round(seconds, 1),
        "articles_ok": len(ok),
        "articles_per_min": round(len(ok) / seconds * 60, 2),
        "quotes": sum(len(r["report"]["quotes"]) for r in ok),
        "calls": sum(u.get("calls", 0) for u in usage),
        "prompt_tokens": sum(u.get("prompt_tokens", 0) for u in usage),
        "completion_tokens": sum(u.get("completion_tokens", 0) for u in usage),
        "peak_rss_mb": round(int(peak[-1]) / 1024) if peak else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=Path("../shared/data/polnear/jsonl/dev.jsonl"))
    ap.add_argument("--every", type=int, default=4)
    ap.add_argument("--limit", type=int, default=20)
    ap.add_argument("--baseline-src", type=Path, help="the src/ folder of the tree to compare")
    ap.add_argument("--parallel", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--tagger-corpus", type=Path, help="also run with the tagger it trains")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not args.gold.is_file():
        sys.exit(f"{args.gold} not found: is ../shared/data present?")
    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        chosen = articles(args.gold, args.every, args.limit)
        for doc_id, text in chosen:
            (folder / f"{doc_id}.txt").write_text(text, "utf-8")
        speed = subprocess.run(
            [sys.executable, "-c", SPEED, str(folder / f"{chosen[0][0]}.txt")],
            env=_env(None, 1),
            capture_output=True,
            text=True,
        )
        if speed.returncode == 0:
            result["machine"] = json.loads(speed.stdout.strip().splitlines()[-1])
        result["articles"] = len(chosen)
        for n in args.parallel:
            result[f"this tree, {n} slot(s), -j {n}"] = run(
                folder, Path(tmp) / f"now{n}.jsonl", None, n
            )
        if args.tagger_corpus is not None:
            subprocess.run(  # train (or open) the tagger before the clock starts
                [sys.executable, "-m", "quotecheck", "models", "tagger", str(args.tagger_corpus)],
                env=_env(None, 1),
                check=True,
            )
            result["this tree, 1 slot, -j 1, tagger"] = run(
                folder, Path(tmp) / "tagger.jsonl", None, 1, args.tagger_corpus
            )
        if args.baseline_src is not None:
            base = run(folder, Path(tmp) / "base.jsonl", args.baseline_src, 1)
            result["baseline, 1 slot, -j 1"] = base
            now = result[f"this tree, {args.parallel[0]} slot(s), -j {args.parallel[0]}"]
            result["speedup"] = round(now["articles_per_min"] / base["articles_per_min"], 2)
            tagged = result.get("this tree, 1 slot, -j 1, tagger")
            if tagged is not None:
                per_min = tagged["articles_per_min"] / base["articles_per_min"]
                result["speedup with the tagger"] = round(per_min, 2)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
