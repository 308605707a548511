"""What the model is asked about: quotation spans and reported-speech sentences, marked by id.

The deterministic pass decides *where* quotes can be; the model only decides *who* and *how*.
Long articles are cut into chunks of whole paragraphs, each preceded by a little context.
Deterministic: imports only ``text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quotecheck.text import (
    QuoteSpan,
    Sentence,
    find_quote_spans,
    lexicon,
    paragraphs,
    sentence_at,
    sentences,
    word_count,
)


@dataclass
class Item:
    """One question to the model: a quotation span (Q) or a reported-speech sentence (S)."""

    id: str
    kind: str  # "Q" or "S"
    start: int  # where the marker goes
    end: int
    sentence: int
    quote: QuoteSpan | None = None


@dataclass
class Chunk:
    start: int  # marked region
    end: int
    context_start: int  # unmarked context shown before the region
    items: list[Item]


def is_headline_duplicate(text: str, sents: list[Sentence], k: int) -> bool:
    """Scraped pages repeat the headline; only its last repetition counts."""
    s = text[sents[k].start : sents[k].end].strip()
    return any(text[o.start : o.end].strip() == s for o in sents[k + 1 : k + 4])


def _title_case(inner: str) -> bool:
    words = re.findall(r"[\w’'-]+", inner)
    major = [w for w in words if w.lower() not in lexicon.TITLE_MINOR_WORDS]
    return bool(major) and all(w[:1].isupper() or w[:1].isdigit() for w in major)


def _likely_title_or_scare(text: str, span: QuoteSpan) -> bool:
    """“Fox News Sunday”, “Shark Tank”: a short title-case title -- unless just named by
    someone (called her “Miss Piggy”). Other short quoted terms stay: on PolNeAR dev most of
    them belong to an attribution ("blasted the media for being “unbelievably dishonest.”");
    the model decides."""
    inner = span.inner(text)
    words = word_count(inner)
    if words == 0:
        return True
    lead_in = text[max(0, span.start - 40) : span.start]
    return (
        words <= 5
        and _title_case(inner)
        and not inner.rstrip().endswith(("!", "?"))
        and not lexicon.CUE_WORDS.search(lead_in)
    )


def find_items(text: str, *, indirect: bool = True) -> tuple[list[Item], list[Sentence]]:
    sents = sentences(text)
    items: list[Item] = []
    skip_sent = {k for k in range(len(sents)) if is_headline_duplicate(text, sents, k)}

    quote_sents: set[int] = set()
    for span in find_quote_spans(text):
        k = sentence_at(sents, span.start)
        if k in skip_sent:
            continue
        if _likely_title_or_scare(text, span):
            continue
        # every sentence the quote covers is its own, not a reported-speech candidate
        quote_sents.update(range(k, sentence_at(sents, max(span.start, span.end - 1)) + 1))
        items.append(Item("", "Q", span.start, span.end, k, span))
    if indirect:
        for k, s in enumerate(sents):
            if k in quote_sents or k in skip_sent:
                continue
            body = text[s.start : s.end]
            if word_count(body) < 5 or not lexicon.CUE_WORDS.search(body):
                continue
            items.append(Item("", "S", s.start, s.end, k))
    items.sort(key=lambda it: it.start)
    nq = ns = 0
    for it in items:
        if it.kind == "Q":
            nq += 1
            it.id = f"Q{nq}"
        else:
            ns += 1
            it.id = f"S{ns}"
    return items, sents


def mark(text: str, items: list[Item], start: int, end: int) -> str:
    """The region ``text[start:end]`` with ``[id]`` markers inserted before each item."""
    out = []
    pos = start
    for it in items:
        if it.start < start or it.start >= end:
            continue
        out.append(text[pos : it.start])
        out.append(f"[{it.id}]")
        pos = it.start
    out.append(text[pos:end])
    return "".join(out)


def chunk(text: str, items: list[Item], *, max_chars: int, context_chars: int = 600) -> list[Chunk]:
    """Whole paragraphs up to ``max_chars`` per chunk; each item lands in exactly one chunk."""
    paras = paragraphs(text)
    if not paras:
        return []
    if paras[-1].end - paras[0].start <= max_chars:
        return [Chunk(paras[0].start, paras[-1].end, paras[0].start, list(items))]
    chunks: list[Chunk] = []
    cur_start = paras[0].start
    cur_end = paras[0].end
    for p in paras[1:]:
        if p.end - cur_start > max_chars:
            chunks.append(Chunk(cur_start, cur_end, cur_start, []))
            cur_start = p.start
        cur_end = p.end
    chunks.append(Chunk(cur_start, cur_end, cur_start, []))
    for c in chunks:
        c.context_start = max(0, c.start - context_chars)
        while (
            c.context_start > 0 and text[c.context_start - 1] != "\n" and c.context_start < c.start
        ):
            c.context_start += 1
    for it in items:
        for c in chunks:
            if c.start <= it.start < c.end or it.start < c.start:
                c.items.append(it)
                break
        else:
            chunks[-1].items.append(it)
    return [c for c in chunks if c.items]
