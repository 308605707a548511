"""Embedded-model benchmark: cold start, warm latency, tokens/s, peak RSS, prefix-cache effect.

    python scripts/bench_embedded.py [--article PATH] [--json OUT]

Runs in one process (the llama.cpp server is in-process, so ru_maxrss covers it). The
prefix-cache comparison runs the same article twice more: once as usual, once with llama.cpp's
``cache_prompt`` off so every call re-reads the shared instructions.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from dataclasses import replace
from pathlib import Path

from quotecheck import LLM, LLMConfig, extract_quotes
from quotecheck.llm.server import shared_server

SHORT = "“We will reopen the library in May,” the mayor said on Tuesday."


def run(article: Path) -> dict:
    out: dict = {}
    text = article.read_text("utf-8")
    config = LLMConfig.from_env()
    assert config.endpoint_kind == "embedded", "unset OPENAI_BASE_URL / OPENAI_API_KEY first"

    t0 = time.perf_counter()
    llm = LLM(config)
    first = extract_quotes(SHORT, llm=llm, indirect=False)
    out["cold_first_call_s"] = round(time.perf_counter() - t0, 2)
    info = shared_server().info
    out["load_s"] = round(info.load_seconds, 2) if info else None
    out["threads"] = info.threads if info else None
    out["first_call_quotes"] = len(first.quotes)

    def timed(cfg: LLMConfig) -> tuple[float, dict]:
        rep = extract_quotes(text, llm=LLM(cfg))
        u = rep.run.usage
        return rep.run.seconds, {
            "seconds": round(rep.run.seconds, 2),
            "calls": u.calls,
            "prompt_tokens": u.prompt_tokens,
            "completion_tokens": u.completion_tokens,
            "quotes": len(rep.quotes),
        }

    _, out["warm_article"] = timed(config)
    _, out["warm_article_again"] = timed(config)
    _, out["no_prefix_cache"] = timed(replace(config, extra_body={"cache_prompt": False}))

    # raw engine speed on one long prompt and a long answer, from llama.cpp's own timings
    import asyncio

    from pydantic import BaseModel

    class Words(BaseModel):
        words: list[str]

    msgs = [
        {"role": "user", "content": "List forty different English nouns.\n\n" + text[:3000]},
    ]
    done = asyncio.run(llm.acomplete(msgs, Words, prompt_id="bench", max_tokens=200))
    t = done.timings or {}
    out["prompt_tokens_per_s"] = round(t.get("prompt_per_second", 0.0), 1)
    out["generation_tokens_per_s"] = round(t.get("predicted_per_second", 0.0), 1)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--article", type=Path, default=Path("../shared/data/seed/aurus-limo-aljazeera.txt")
    )
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    result = run(args.article)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
