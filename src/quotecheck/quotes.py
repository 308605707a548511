"""The quote pipeline: deterministic spans -> one model call per chunk -> grounding -> report.

The model never re-types a quote. It answers, per marked id, three short strings copied from
the article (speaker, cue, full name); code finds each string near its item, computes the
offsets, and drops whatever it cannot find. Types, content spans, anonymity, relays and
entities are then worked out in code from those grounded words.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, create_model

from quotecheck.candidates import CUE_WORDS, TRANSCRIPT_LABEL, Item, chunk, find_items, mark
from quotecheck.config import EMBEDDED_MODEL_NAME, LLMConfig
from quotecheck.errors import BadInput, InvalidOutput
from quotecheck.llm import LLM, run_sync
from quotecheck.models import QuoteReport, RunInfo, Span, Usage
from quotecheck.prompts import render
from quotecheck.rules import plain_attribution, signed_quote
from quotecheck.speakers import is_pronoun
from quotecheck.text import Sentence, locate, sentence_at

MAX_CHARS = 2_000_000
SPEAKER_LOOKBACK = 1200  # chars before the passage where a named speaker is still accepted
PROMPT_ID = "attribute"
ITEM_PROMPT_ID = "attribute_item"
_EXAMPLE = re.compile(r"Passage: (?P<p>.*?)\nAnswer: (?P<a>.*?)(?:\n\n|\n?$)", re.S)


class ItemAttribution(BaseModel):
    """The model's answer for one marked item: words copied from the passage, or null."""

    model_config = ConfigDict(extra="forbid")

    speaker: str | None
    cue: str | None


class Attribution(BaseModel):
    """The model's answer for one id: words copied from the article, or null."""

    model_config = ConfigDict(extra="forbid")

    speaker: str | None
    cue: str | None
    name: str | None


def answer_schema(ids: list[str]) -> type[BaseModel]:
    """One required field per id, in order: the grammar cannot skip or invent an id."""
    fields: dict[str, object] = {i: (Attribution, ...) for i in ids}
    return create_model(  # type: ignore[call-overload,no-any-return]
        "Attributions", __config__=ConfigDict(extra="forbid"), **fields
    )


@dataclass
class Grounded:
    """An item with the model's words located in the article."""

    item: Item
    speaker: Span | None = None
    cue: Span | None = None
    name: str | None = None
    problems: list[str] = field(default_factory=list)


def check_text(text: str) -> str:
    """Reject input that is not article text, with a message that says why."""
    if not isinstance(text, str):
        raise BadInput(f"expected text (str), got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise BadInput(
            f"input is {len(text):,} characters, more than the {MAX_CHARS:,} limit; split it"
        )
    sample = text[:20000]
    if "\x00" in sample:
        raise BadInput("input looks binary (contains NUL bytes), not article text")
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    if sample and controls / len(sample) > 0.05:
        raise BadInput("input looks binary (many control characters), not article text")
    return text


def _window(sents: list[Sentence], k: int, before: int = 1, after: int = 1) -> tuple[int, int]:
    lo = sents[max(0, k - before)].start
    hi = sents[min(len(sents) - 1, k + after)].end
    return lo, hi


def _locate_outside(text: str, needle: str, lo: int, hi: int, near: int, item: Item) -> Span | None:
    """Nearest occurrence of ``needle`` that is not inside the quoted words themselves."""
    q = item.quote
    if q is None:
        hit = locate(text, needle, lo, hi, near)
    else:
        left = locate(text, needle, lo, q.start, q.start)
        right = locate(text, needle, q.end, hi, q.end)
        cands = [h for h in (left, right) if h is not None]
        hit = (
            min(cands, key=lambda h: min(abs(h[0] - q.start), abs(h[0] - q.end))) if cands else None
        )
    if hit is None:
        return None
    return Span(start=hit[0], end=hit[1], text=text[hit[0] : hit[1]])


def ground(
    text: str,
    sents: list[Sentence],
    item: Item,
    ans: Attribution,
    window: tuple[int, int] | None = None,
) -> Grounded:
    g = Grounded(item)
    lo, hi = window or _window(sents, item.sentence)
    if ans.speaker and ans.speaker.strip().lower() not in {"null", "none", "unknown"}:
        g.speaker = _locate_outside(text, ans.speaker, lo, hi, item.start, item)
        if g.speaker is None:
            # a source introduced a little earlier ("Smith said on Monday. ... “A,” she ...")
            g.speaker = _locate_outside(
                text, ans.speaker, max(0, lo - SPEAKER_LOOKBACK), hi, item.start, item
            )
        if g.speaker is None:
            g.problems.append(
                f"{item.id}: speaker {ans.speaker!r} is not in the text around {item.id}; "
                "copy the words exactly or use null"
            )
    if ans.cue and ans.cue.strip().lower() not in {"null", "none"}:
        s_lo, s_hi = window or _window(sents, item.sentence, 0, 1)
        g.cue = _locate_outside(text, ans.cue, s_lo, s_hi, item.start, item)
        if g.cue is not None and not CUE_WORDS.search(g.cue.text):
            # a quoted sentence is not a cue; asking again at temperature 0 rarely helps
            g.cue = None
        elif g.cue is None:
            g.problems.append(
                f"{item.id}: cue {ans.cue!r} is not in the sentence of {item.id}; "
                "copy the reporting words exactly or use null"
            )
    if ans.name and ans.name.strip():
        name = " ".join(ans.name.split())
        if re.search(re.escape(name).replace(r"\ ", r"\s+"), text, re.I):
            g.name = name
        elif g.speaker is not None and not is_pronoun(g.speaker.text):
            g.name = None  # an invented full name for a plain mention: keep the mention
        else:
            g.problems.append(f"{item.id}: name {ans.name!r} does not appear in the article")
    return g


def transcript_label(text: str, item: Item) -> Grounded | None:
    """“PENCE: Well, look ...” -- a transcript line names its own speaker; no model needed."""
    q = item.quote
    if q is None:
        return None
    m = TRANSCRIPT_LABEL.match(text, q.inner_start)
    if m is None:
        return None
    s, e = m.span(1)
    return Grounded(item, speaker=Span(start=s, end=e, text=text[s:e]))


class LenientLast:
    """Validation that sends grounding problems back to the model, except on the last allowed
    attempt, where it accepts the answer with the ungrounded words left out (and counted)."""

    def __init__(self, attempts: int) -> None:
        self.attempts = attempts
        self.calls = 0
        self.result: list[Grounded] = []

    def check(self, grounded: list[Grounded], message: str) -> None:
        self.calls += 1
        problems = [p for g in grounded for p in g.problems]
        if problems and self.calls < self.attempts:
            raise ValueError(message.format(problems="\n".join(problems)))
        self.result = grounded


@dataclass
class ChunkResult:
    grounded: list[Grounded]
    usage: Usage
    attempts: int
    dropped: int


async def _attribute_chunk(
    llm: LLM,
    text: str,
    sents: list[Sentence],
    start: int,
    end: int,
    context_start: int,
    items: list[Item],
) -> ChunkResult:
    ids = [it.id for it in items]
    system, _ = render("attribute_system")
    context = text[context_start:start]
    marked = (context + mark(text, items, start, end)).strip()
    user, _ = render("attribute_user", marked_text=marked, ids=ids)
    schema = answer_schema(ids)
    check = LenientLast(max(1, llm.config.attempts))

    def validate(answer: BaseModel) -> None:
        grounded = [ground(text, sents, it, getattr(answer, it.id)) for it in items]
        check.check(grounded, "Some answers are not grounded in the article:\n{problems}")

    done = await llm.acomplete(
        [{"role": "system", "content": system}, {"role": "user", "content": user}],
        schema,
        prompt_id=PROMPT_ID,
        validate=validate,
        max_tokens=60 + 40 * len(items),
    )
    results = check.result  # ungrounded words were left as None on the last attempt
    dropped = sum(len(g.problems) for g in results)
    return ChunkResult(results, done.usage, done.attempts, dropped)


def _has_cue_outside(text: str, s: Sentence, item: Item) -> bool:
    body = text[s.start : s.end]
    if item.quote is not None:
        q = item.quote
        body = text[s.start : max(s.start, q.start)] + " " + text[min(s.end, q.end) : s.end]
    return bool(CUE_WORDS.search(body))


def item_window(text: str, sents: list[Sentence], item: Item) -> tuple[int, int]:
    """The passage shown for one item: its own sentence(s), widened to a neighbour only when
    the attribution must lie there (“A.” She said.) -- a wider view invites the small model to
    copy the speaker of the sentence before."""
    first = item.sentence
    last = first
    if item.quote is not None:
        last = max(last, sentence_at(sents, item.quote.end - 1))
    own = Sentence(sents[first].start, sents[last].end, sents[first].paragraph)
    if item.kind == "Q" and not _has_cue_outside(text, own, item):
        if last + 1 < len(sents) and sents[last + 1].paragraph == own.paragraph:
            last += 1
        elif first > 0:
            first -= 1
    lo, hi = sents[first].start, sents[last].end
    lo = max(lo, sents[item.sentence].start - 400)
    hi = min(hi, own.end + 400)
    while lo > 0 and not text[lo - 1].isspace() and lo < item.start:
        lo += 1
    return lo, hi


@lru_cache(maxsize=1)
def _item_prefix() -> tuple[dict[str, str], ...]:
    """System prompt and few-shot turns: identical for every call, so the server caches them."""
    system, _ = render("attribute_item_system")
    examples, _ = render("attribute_item")
    messages = [{"role": "system", "content": system.strip()}]
    for m in _EXAMPLE.finditer(examples.strip()):
        messages.append({"role": "user", "content": "Passage: " + m["p"].strip()})
        messages.append({"role": "assistant", "content": m["a"].strip()})
    return tuple(messages)


def item_messages(text: str, sents: list[Sentence], item: Item) -> list[dict[str, str]]:
    messages = [dict(m) for m in _item_prefix()]
    lo, hi = item_window(text, sents, item)
    tag = "[Q]" if item.kind == "Q" else "[S]"
    passage = text[lo : item.start] + tag + text[item.start : hi]
    messages.append({"role": "user", "content": "Passage: " + " ".join(passage.split())})
    return messages


async def _attribute_item(llm: LLM, text: str, sents: list[Sentence], item: Item) -> ChunkResult:
    labelled = transcript_label(text, item)
    if labelled is not None:
        return ChunkResult([labelled], Usage(), 0, 0)
    plain = plain_attribution(text, item)
    if plain is not None:
        return ChunkResult([Grounded(item, speaker=plain[0], cue=plain[1])], Usage(), 0, 0)
    signer = signed_quote(text, item)
    if signer is not None:
        return ChunkResult([Grounded(item, speaker=signer)], Usage(), 0, 0)
    # at temperature 0 a second correction rarely changes a small model's answer
    attempts = max(1, min(llm.config.attempts, 2))
    check = LenientLast(attempts)
    lo, hi = item_window(text, sents, item)

    def validate(answer: ItemAttribution) -> None:
        as_article = Attribution(speaker=answer.speaker, cue=answer.cue, name=None)
        g = ground(text, sents, item, as_article, window=(lo, hi))
        for i, p in enumerate(g.problems):
            g.problems[i] = p.replace(f"{item.id}: ", "")
        check.check([g], "{problems}\nCopy the words exactly from the passage, or use null.")

    try:
        done = await llm.acomplete(
            item_messages(text, sents, item),
            ItemAttribution,
            prompt_id=ITEM_PROMPT_ID,
            validate=validate,
            max_tokens=64,
            attempts=attempts,
        )
    except InvalidOutput as exc:
        # one unusable answer (say, a runaway copy of the passage) costs this item its
        # attribution, not the article its report: the quote stays, unattributed, and counted
        usage = exc.usage if isinstance(exc.usage, Usage) else Usage()
        return ChunkResult([Grounded(item, problems=[str(exc)])], usage, exc.attempts, 1)
    (g,) = check.result
    return ChunkResult([g], done.usage, done.attempts, len(g.problems))


async def extract_quotes_async(
    text: str,
    *,
    article_id: str | None = None,
    llm: LLM | None = None,
    config: LLMConfig | None = None,
    indirect: bool = True,
    strategy: str = "auto",
) -> QuoteReport:
    """Every quotation in ``text`` with its speaker, cue, anonymity and relay, grounded."""
    from quotecheck.assemble import build_report

    check_text(text)
    t0 = time.perf_counter()
    llm = llm or LLM(config)
    items, sents = find_items(text, indirect=indirect)
    report = QuoteReport(
        article_id=article_id,
        text_sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        text_length=len(text),
    )
    if strategy == "auto":
        # small local models answer one well-posed question far better than a whole article
        small = llm.endpoint_kind == "embedded" or llm.model == EMBEDDED_MODEL_NAME
        strategy = "item" if small else "article"
    if strategy not in ("item", "article"):
        raise ValueError(f"unknown strategy {strategy!r}: use 'item', 'article' or 'auto'")
    names = (
        ["attribute_item_system", "attribute_item"]
        if strategy == "item"
        else ["attribute_system", "attribute_user"]
    )
    prompts = {n: render(n, marked_text="", ids=[])[1] for n in names}
    run = RunInfo(model=llm.model, endpoint_kind=llm.endpoint_kind, prompts=prompts, chunks=0)
    if not items:
        run.seconds = time.perf_counter() - t0
        report.run = run
        return report
    max_chars = 9_000 if llm.endpoint_kind == "embedded" else 40_000
    grounded: list[Grounded] = []
    if strategy == "item":
        results = [await _attribute_item(llm, text, sents, it) for it in items]
    else:
        results = [
            await _attribute_chunk(llm, text, sents, c.start, c.end, c.context_start, c.items)
            for c in chunk(text, items, max_chars=max_chars)
        ]
    for res in results:
        grounded.extend(res.grounded)
        run.usage.add(res.usage)
        run.attempts += res.attempts
        run.dropped += res.dropped
        run.chunks += 1
    run.model = llm.model
    run.base_url = llm.base_url if llm.endpoint_kind != "openai" else None
    report.quotes, report.speakers, report.warnings = build_report(text, sents, grounded)
    run.seconds = time.perf_counter() - t0
    report.run = run
    return report


def extract_quotes(
    text: str,
    *,
    article_id: str | None = None,
    llm: LLM | None = None,
    config: LLMConfig | None = None,
    indirect: bool = True,
    strategy: str = "auto",
) -> QuoteReport:
    """Synchronous twin of :func:`extract_quotes_async`."""
    return run_sync(
        extract_quotes_async(
            text,
            article_id=article_id,
            llm=llm,
            config=config,
            indirect=indirect,
            strategy=strategy,
        )
    )
