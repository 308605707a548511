"""Orchestration of the quote pipeline: text -> candidates -> decisions -> grounding -> report.

Only wiring: each step lives in its own module. Imports ``llm``, ``schema``, ``text`` and the
rest of ``quotes``.
"""

from __future__ import annotations

import time

from quotecheck.llm import EMBEDDED_MODEL_NAME, LLM, LLMConfig, render, sync_twin
from quotecheck.quotes.assemble import build_report
from quotecheck.quotes.candidates import chunk, find_items
from quotecheck.quotes.decide import attribute_chunk, attribute_item
from quotecheck.schema import ArticleMeta, QuoteReport, RunInfo
from quotecheck.text import check_text, find_quote_spans, text_sha256

STRATEGIES = ("auto", "item", "article")
_PROMPTS = {
    "item": ["attribute_item_system", "attribute_item"],
    "article": ["attribute_system", "attribute_user"],
}


def _strategy(llm: LLM, strategy: str) -> str:
    if strategy == "auto":
        # small local models answer one well-posed question far better than a whole article
        small = llm.endpoint_kind == "embedded" or llm.model == EMBEDDED_MODEL_NAME
        return "item" if small else "article"
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}: use 'item', 'article' or 'auto'")
    return strategy


async def extract_quotes_async(
    text: str,
    *,
    article_id: str | None = None,
    llm: LLM | None = None,
    config: LLMConfig | None = None,
    indirect: bool = True,
    strategy: str = "auto",
    article: ArticleMeta | None = None,
) -> QuoteReport:
    """Every quotation in ``text`` with its speaker, cue, anonymity and relay, grounded.

    ``article`` is what is known of the article (``quotecheck.read_page(html).meta``): the
    report carries it, and its ``source_sha256``, beside the hash of ``text``."""
    check_text(text)
    t0 = time.perf_counter()
    llm = llm or LLM(config)
    items, sents = find_items(text, indirect=indirect)
    report = QuoteReport(
        article_id=article_id, text_sha256=text_sha256(text), text_length=len(text), article=article
    )
    strategy = _strategy(llm, strategy)
    prompts = {n: render(n, marked_text="", ids=[])[1] for n in _PROMPTS[strategy]}
    run = RunInfo(model=llm.model, endpoint_kind=llm.endpoint_kind, prompts=prompts, chunks=0)
    report.run = run
    if not items:
        run.seconds = time.perf_counter() - t0
        return report
    quoted = [(q.start, q.end) for q in find_quote_spans(text)]
    if strategy == "item":
        results = []
        for it in items:
            prev = results[-1].grounded[-1] if results else None
            results.append(await attribute_item(llm, text, sents, it, quoted, prev))
    else:
        max_chars = 9_000 if llm.endpoint_kind == "embedded" else 40_000
        results = [
            await attribute_chunk(
                llm, text, sents, c.start, c.end, c.context_start, c.items, quoted
            )
            for c in chunk(text, items, max_chars=max_chars)
        ]
    grounded = []
    for res in results:
        grounded.extend(res.grounded)
        run.usage.add(res.usage)
        run.attempts += res.attempts
        run.dropped += res.dropped
        run.chunks += 1
    run.model = llm.model
    run.base_url = llm.base_url if llm.endpoint_kind != "openai" else None
    report.quotes, report.speakers = build_report(text, sents, grounded)
    run.seconds = time.perf_counter() - t0
    return report


extract_quotes = sync_twin(extract_quotes_async, "extract_quotes")
