"""Seed article: our pipeline against the naive single-prompt baseline, in one run.

    python scripts/bench_seed.py [--article PATH] [--max-tokens 1024]

Reports seconds, output tokens, quotes, output tokens per quote and whether the facts a human
checks on the seed article are there (see ../shared/data/seed/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import replace
from pathlib import Path

from quotecheck import LLM, LLMConfig, QuoteReport, extract_quotes_async
from quotecheck.evaluation.naive import naive_quotes

CHECKS = {
    "Kim Yo Jong partial quote": ("clear proof of the DPRK-Russia", "Kim Yo Jong"),
    "anonymous official (condemn)": ("We condemn North Korea", "official"),
    "anonymous official (Russia)": ("Russia should also be aware", "official"),
    "state media fragment": ("enemy region at a stroke", "media"),
    "Ministry of Unification (reported)": ("violation of UN sanctions", "Unification"),
}


def facts(report: QuoteReport) -> dict[str, bool]:
    out = {}
    for label, (needle, who) in CHECKS.items():
        out[label] = any(
            needle in q.text and who.lower() in (q.speaker_name or "").lower()
            for q in report.quotes
        )
    return out


def row(report: QuoteReport) -> dict:
    u = report.run.usage
    n = len(report.quotes)
    return {
        "seconds": round(report.run.seconds, 1),
        "calls": u.calls,
        "prompt_tokens": u.prompt_tokens,
        "output_tokens": u.completion_tokens,
        "quotes": n,
        "verbatim_quotes": sum(q.verbatim for q in report.quotes),
        "output_tokens_per_quote": round(u.completion_tokens / n, 1) if n else None,
        "facts_found": sum(facts(report).values()),
        "facts": facts(report),
    }


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--article", type=Path, default=Path("../shared/data/seed/aurus-limo-aljazeera.txt")
    )
    ap.add_argument("--max-tokens", type=int, default=1024)
    args = ap.parse_args()
    text = args.article.read_text("utf-8")
    config = LLMConfig.from_env()
    llm = LLM(config)
    ours = await extract_quotes_async(text, llm=llm)  # also warms the model up
    naive = await naive_quotes(text, LLM(replace(config, attempts=1)), max_tokens=args.max_tokens)
    ours_again = await extract_quotes_async(text, llm=llm)
    print(json.dumps({"pipeline": row(ours_again), "pipeline_first": row(ours),
                      "naive": row(naive)}, indent=2))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
