"""The questions asked of the model, and the rules that spare asking.

Per item (the small embedded model): the item's own sentence, plus a neighbour only when the
attribution must lie there, with a ``[Q]`` or ``[S]`` marker, answered with
``{"speaker": ..., "cue": ...}`` copied from the passage. The system prompt and few-shot turns
come first and are identical for every call, so the server reuses their cached prefix.
Per article (larger hosted models): the article with ``[Q1]``, ``[S1]`` ... markers in one call
whose schema has exactly one required field per id. The model never re-types a quote.

Imports ``llm`` (to ask), ``schema``, ``text``, and the candidates, rules and grounding of
``quotes``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, create_model

from quotecheck.errors import InvalidOutput
from quotecheck.llm import LLM, render
from quotecheck.quotes.candidates import Item, mark
from quotecheck.quotes.grounding import (
    Attribution,
    Grounded,
    ItemAttribution,
    LenientLast,
    ground,
)
from quotecheck.quotes.reported import reported_speech
from quotecheck.quotes.rules import (
    labelled_quote,
    plain_attribution,
    signed_quote,
    transcript_label,
)
from quotecheck.schema import Usage
from quotecheck.text import Sentence, sentence_at
from quotecheck.text.lexicon import CUE_WORDS

PROMPT_ID = "attribute"
ITEM_PROMPT_ID = "attribute_item"
_EXAMPLE = re.compile(r"Passage: (?P<p>.*?)\nAnswer: (?P<a>.*?)(?:\n\n|\n?$)", re.S)


def answer_schema(ids: list[str]) -> type[BaseModel]:
    """One required field per id, in order: the grammar cannot skip or invent an id."""
    fields: dict[str, object] = {i: (Attribution, ...) for i in ids}
    return create_model(  # type: ignore[call-overload,no-any-return]
        "Attributions", __config__=ConfigDict(extra="forbid"), **fields
    )


@dataclass
class ChunkResult:
    grounded: list[Grounded]
    usage: Usage
    attempts: int
    dropped: int


async def attribute_chunk(
    llm: LLM,
    text: str,
    sents: list[Sentence],
    start: int,
    end: int,
    context_start: int,
    items: list[Item],
    quoted: Sequence[tuple[int, int]] = (),
) -> ChunkResult:
    """One call for a whole marked chunk of the article (the ``article`` strategy)."""
    ids = [it.id for it in items]
    system, _ = render("attribute_system")
    context = text[context_start:start]
    marked = (context + mark(text, items, start, end)).strip()
    user, _ = render("attribute_user", marked_text=marked, ids=ids)
    schema = answer_schema(ids)
    check = LenientLast(max(1, llm.config.attempts))

    def validate(answer: BaseModel) -> None:
        grounded = [ground(text, sents, it, getattr(answer, it.id), quoted=quoted) for it in items]
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
        opens = item.quote is not None and item.quote.start == sents[first].start
        if last + 1 < len(sents) and sents[last + 1].paragraph == own.paragraph:
            last += 1
        elif first > 0 and (opens or sents[first - 1].paragraph == own.paragraph):
            first -= 1  # a quote inside a sentence with no cue is a label or a scare quote:
            # the paragraph before (a headline) holds nobody who said it
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


def _quote_in_reported(text: str, sents: list[Sentence], item: Item) -> Grounded | None:
    """A quote inside a reported clause a rule settles: "State media says it is ‘clear proof’"."""
    q = item.quote
    sent = sents[item.sentence]
    if q is None or q.end > sent.end:
        return None
    found = reported_speech(text, sent, replace(item, kind="S", start=sent.start, end=sent.end))
    if found is None or found.speaker is None:
        return None
    inside = any(f.start <= q.start and q.end <= f.end + 1 for f in found.content)
    outside = all(s.end <= q.start or s.start >= q.end for s in (found.speaker, found.cue))
    return Grounded(item, speaker=found.speaker, cue=found.cue) if inside and outside else None


def by_rule(text: str, sents: list[Sentence], item: Item) -> Grounded | None:
    """The attribution when a rule settles it without the model, else None."""
    if item.kind == "S":
        found = reported_speech(text, sents[item.sentence], item)
        if found is None:
            return None
        g = Grounded(item, speaker=found.speaker, cue=found.cue, content=found.content)
        if found.then is not None:
            t = found.then
            g.then = Grounded(item, speaker=t.speaker, cue=t.cue, content=t.content)
        return g
    label = transcript_label(text, item)
    if label is not None:
        return Grounded(item, speaker=label)
    plain = plain_attribution(text, item) or labelled_quote(text, item)
    if plain is not None:
        return Grounded(item, speaker=plain[0], cue=plain[1])
    signer = signed_quote(text, item)
    if signer is not None:
        return Grounded(item, speaker=signer)
    return _quote_in_reported(text, sents, item)


def continued(
    text: str, sents: list[Sentence], item: Item, prev: Grounded | None
) -> Grounded | None:
    """“A,” Varga said. “B.” -- a quote that is a whole sentence right after an attributed
    quote of the same paragraph continues it: same speaker, no model needed. So does a second
    quote of the same sentence with no reporting word between the two ("called her “A” and
    “B”"; on PolNeAR train 246 of 275 such pairs share their source)."""
    q, pq = item.quote, prev.item.quote if prev is not None else None
    if q is None or pq is None or prev is None or prev.speaker is None:
        return None
    if item.sentence == prev.item.sentence and not CUE_WORDS.search(text[pq.end : q.start]):
        return Grounded(item, speaker=prev.speaker, cue=prev.cue)
    sent = sents[item.sentence]
    whole = q.start == sent.start and not text[q.end : sent.end].strip(" .!?")
    adjacent = (
        item.sentence - prev.item.sentence == 1
        and sent.paragraph == sents[prev.item.sentence].paragraph
    )
    if whole and adjacent and pq.end <= prev.speaker.start < q.start:
        return Grounded(item, speaker=prev.speaker)
    return None


async def attribute_item(
    llm: LLM,
    text: str,
    sents: list[Sentence],
    item: Item,
    quoted: Sequence[tuple[int, int]] = (),
    prev: Grounded | None = None,
    learned: Grounded | None = None,
) -> ChunkResult:
    """One item: by rule when a rule settles it, else one short question (the ``item`` strategy).
    ``quoted`` are the article's quotation-mark spans: no speaker or cue comes from inside one;
    ``prev`` is the item before, which a continued quote takes its speaker from."""
    ruled = by_rule(text, sents, item) or continued(text, sents, item, prev) or learned
    if ruled is not None:
        return ChunkResult([ruled] + ([ruled.then] if ruled.then else []), Usage(), 0, 0)
    # at temperature 0 a second correction rarely changes a small model's answer
    attempts = max(1, min(llm.config.attempts, 2))
    check = LenientLast(attempts)
    lo, hi = item_window(text, sents, item)

    def validate(answer: ItemAttribution) -> None:
        g = ground(text, sents, item, answer, window=(lo, hi), quoted=quoted)
        g.problems = [p.replace(f"{item.id}: ", "") for p in g.problems]
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
        return ChunkResult([Grounded(item, problems=[str(exc)])], exc.usage, exc.attempts, 1)
    (g,) = check.result
    return ChunkResult([g], done.usage, done.attempts, len(g.problems))
