"""Orchestration of the quote pipeline: text -> candidates -> decisions -> grounding -> report.

Only wiring: each step lives in its own module. Imports ``llm``, ``schema``, ``text`` and the
rest of ``quotes``.
"""

from __future__ import annotations

import time
from typing import Literal

from quotecheck.llm import EMBEDDED_MODEL_NAME, LLM, LLMConfig, render, sync_twin
from quotecheck.quotes.assemble import build_report
from quotecheck.quotes.candidates import Item, chunk, find_items
from quotecheck.quotes.decide import attribute_chunk, attribute_item, by_rule
from quotecheck.quotes.grounding import Grounded
from quotecheck.quotes.tagger import Tagged, Tagger, default_tagger
from quotecheck.schema import ArticleMeta, QuoteReport, RunInfo
from quotecheck.text import Sentence, check_text, find_quote_spans, sentence_at, text_sha256

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


def _extent(g: Grounded, sents: list[Sentence]) -> tuple[int, int]:
    """The characters an attributed item covers: its quotation, or its reported sentence."""
    if g.item.quote is not None:
        return g.item.quote.start, g.item.quote.end
    sent = sents[g.item.sentence]
    return sent.start, sent.end


def _learned(
    sents: list[Sentence],
    tagged: list[Tagged],
    taken: list[tuple[int, int]],
    quoted: list[tuple[int, int]],
) -> list[Grounded]:
    """The tagger's attributions as reported-speech items, except where a quotation the rules
    or the model attribute already covers their content, and except a source or cue inside
    quotation marks: quoted words are never who said something or how, whatever they say."""
    out = []
    for t in tagged:
        if any(c.start < e and s < c.end for c in t.content for s, e in taken):
            continue
        said_by = (t.cue, t.source) if t.source is not None else (t.cue,)
        if any(s < w.end and w.start < e for w in said_by for s, e in quoted):
            continue
        k = sentence_at(sents, t.cue.start)
        item = Item(f"T{len(out) + 1}", "S", sents[k].start, sents[k].end, k)
        out.append(Grounded(item, speaker=t.source, cue=t.cue, content=t.content))
    return out


def _quote_sources(
    tagged: list[Tagged], items: list[Item], quoted: list[tuple[int, int]]
) -> dict[str, Grounded]:
    """Quotation items whose source and cue the tagger marked: an attribution whose content
    holds most of the quoted words, its source and cue outside any quotation marks."""
    out = {}
    for it in items:
        q = it.quote
        if q is None:
            continue
        size = max(1, q.inner_end - q.inner_start)
        for t in tagged:
            if t.source is None or not t.sure:
                continue
            held = sum(
                max(0, min(c.end, q.inner_end) - max(c.start, q.inner_start)) for c in t.content
            )
            outside = all(
                not (s < w.end and w.start < e) for w in (t.cue, t.source) for s, e in quoted
            )
            if held * 2 >= size and outside:
                out[it.id] = Grounded(it, speaker=t.source, cue=t.cue)
                break
    return out


async def extract_quotes_async(
    text: str,
    *,
    article_id: str | None = None,
    llm: LLM | None = None,
    config: LLMConfig | None = None,
    indirect: bool = True,
    strategy: str = "auto",
    article: ArticleMeta | None = None,
    tagger: Tagger | None | Literal["env"] = "env",
) -> QuoteReport:
    """Every quotation in ``text`` with its speaker, cue, anonymity and relay, grounded.

    ``article`` is what is known of the article (``quotecheck.read_page(html).meta``): the
    report carries it, and its ``source_sha256``, beside the hash of ``text``. With a
    ``tagger`` (``load_tagger``; by default the one ``QUOTECHECK_TAGGER_CORPUS`` names, if
    any), attributions are also marked by it, without a model call: one question at a time
    (the embedded model) then asks only about the quotations and sentences that neither a
    rule nor the tagger settles."""
    check_text(text)
    t0 = time.perf_counter()
    llm = llm or LLM(config)
    items, sents = find_items(text, indirect=indirect)
    if tagger == "env":
        tagger = default_tagger()
    tagged = tagger.tag(text) if tagger is not None else []
    report = QuoteReport(
        article_id=article_id, text_sha256=text_sha256(text), text_length=len(text), article=article
    )
    strategy = _strategy(llm, strategy)
    if tagged and strategy == "item":
        # one question at a time: a rule's answer first (96-98 % speaker precision), then the
        # tagger's, and the model only for what neither settles (here: reported-speech
        # sentences; quotations in ``_quote_sources``). A whole-article call keeps its items;
        # the tagger adds what they leave.
        covered = {sentence_at(sents, t.cue.start) for t in tagged if t.sure}
        items = [
            it
            for it in items
            if it.kind != "S" or it.sentence not in covered or by_rule(text, sents, it)
        ]
    prompts = {n: render(n, marked_text="", ids=[])[1] for n in _PROMPTS[strategy]}
    run = RunInfo(model=llm.model, endpoint_kind=llm.endpoint_kind, prompts=prompts, chunks=0)
    run.tagger = tagger.path.name if tagger is not None else None
    report.run = run
    if not items and not (tagged and indirect):
        run.seconds = time.perf_counter() - t0
        return report
    quoted = [(q.start, q.end) for q in find_quote_spans(text)]
    if strategy == "item":
        results = []
        by_tagger = _quote_sources(tagged, items, quoted)
        for it in items:
            prev = results[-1].grounded[-1] if results else None
            learned = by_tagger.get(it.id)
            results.append(await attribute_item(llm, text, sents, it, quoted, prev, learned))
    else:
        max_chars = 9_000 if llm.endpoint_kind == "embedded" else 40_000
        results = [
            await attribute_chunk(
                llm, text, sents, c.start, c.end, c.context_start, c.items, quoted
            )
            for c in chunk(text, items, max_chars=max_chars)
        ]
    grounded: list[Grounded] = []
    for res in results:
        grounded.extend(res.grounded)
        run.usage.add(res.usage)
        run.attempts += res.attempts
        run.dropped += res.dropped
        run.chunks += 1
    run.model = llm.model
    run.base_url = llm.base_url if llm.endpoint_kind != "openai" else None
    if tagged and indirect:  # quotes only: the tagger settled quotations, it adds nothing
        taken = [_extent(g, sents) for g in grounded if g.speaker is not None or g.cue is not None]
        grounded += _learned(sents, tagged, taken, quoted)
        grounded.sort(key=lambda g: g.item.start)
    report.quotes, report.speakers = build_report(text, sents, grounded)
    run.seconds = time.perf_counter() - t0
    return report


extract_quotes = sync_twin(extract_quotes_async, "extract_quotes")
