"""Grounding: the model's words must be found in the text near their item, outside the quoted
words themselves; offsets are computed here, never taken from the model. What is not found
becomes a problem to send back to the model, or is dropped and counted.

Deterministic: imports ``schema``, ``text`` and the candidates of ``quotes``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from quotecheck.quotes.candidates import Item
from quotecheck.quotes.speakers import could_be_speaker, is_pronoun
from quotecheck.schema import Span
from quotecheck.text import Sentence, locate
from quotecheck.text.lexicon import CUE_WORDS

SPEAKER_LOOKBACK = 1200  # chars before the passage where a named speaker is still accepted
_NULLS = {"null", "none", "unknown"}


class ItemAttribution(BaseModel):
    """The model's answer for one marked item: words copied from the passage, or null."""

    model_config = ConfigDict(extra="forbid")

    speaker: str | None
    cue: str | None


class Attribution(ItemAttribution):
    """The model's answer for one id: words copied from the article, or null."""

    name: str | None


@dataclass
class Grounded:
    """An item with the model's words located in the article."""

    item: Item
    speaker: Span | None = None
    cue: Span | None = None
    name: str | None = None
    problems: list[str] = field(default_factory=list)
    content: tuple[Span, ...] = ()  # the reported clause, when a rule knows where it lies
    then: Grounded | None = None  # the same speaker's second attribution in the sentence


def _window(sents: list[Sentence], k: int, before: int = 1, after: int = 1) -> tuple[int, int]:
    lo = sents[max(0, k - before)].start
    hi = sents[min(len(sents) - 1, k + after)].end
    return lo, hi


def _locate_outside(
    text: str,
    needle: str,
    lo: int,
    hi: int,
    near: int,
    item: Item,
    quoted: Sequence[tuple[int, int]],
) -> Span | None:
    """Nearest occurrence of ``needle`` that is inside no quotation marks: words a passage
    quotes are never its speaker or cue, whatever they say."""
    q = item.quote
    if q is None:
        hit = locate(text, needle, lo, hi, near, quoted)
    else:
        left = locate(text, needle, lo, q.start, q.start, quoted)
        right = locate(text, needle, q.end, hi, q.end, quoted)
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
    ans: ItemAttribution,
    window: tuple[int, int] | None = None,
    quoted: Sequence[tuple[int, int]] = (),
) -> Grounded:
    """Locate the answer's speaker, cue and (for whole-article answers) full name.

    With ``window`` (the passage the model was shown) words must lie in it; without one (the
    model saw the whole article), a speaker may stand a little before the item's sentences.
    ``quoted`` are the article's quotation-mark spans, where no speaker or cue may come from.
    """
    g = Grounded(item)
    lo, hi = window or _window(sents, item.sentence)
    if ans.speaker and ans.speaker.strip().lower() not in _NULLS:
        g.speaker = _locate_outside(text, ans.speaker, lo, hi, item.start, item, quoted)
        if g.speaker is None and window is None:
            # a source introduced a little earlier ("Smith said on Monday. ... “A,” she ...")
            g.speaker = _locate_outside(
                text, ans.speaker, max(0, lo - SPEAKER_LOOKBACK), hi, item.start, item, quoted
            )
        if g.speaker is None:
            g.problems.append(
                f"{item.id}: speaker {ans.speaker!r} is not in the text around {item.id}; "
                "copy the words exactly or use null"
            )
        elif not could_be_speaker(g.speaker.text):
            g.speaker = None
            g.problems.append(
                f"{item.id}: {ans.speaker!r} names no one (a date, a reporting verb or a broken "
                "phrase); give the words that name the speaker, or null"
            )
    if ans.cue and ans.cue.strip().lower() not in {"null", "none"}:
        s_lo, s_hi = window or _window(sents, item.sentence, 0, 1)
        g.cue = _locate_outside(text, ans.cue, s_lo, s_hi, item.start, item, quoted)
        if g.cue is not None and not CUE_WORDS.search(g.cue.text):
            # a quoted sentence is not a cue; asking again at temperature 0 rarely helps
            g.cue = None
        elif g.cue is None:
            g.problems.append(
                f"{item.id}: cue {ans.cue!r} is not in the sentence of {item.id}; "
                "copy the reporting words exactly or use null"
            )
    name = getattr(ans, "name", None)
    if name and name.strip():
        name = " ".join(name.split())
        if re.search(re.escape(name).replace(r"\ ", r"\s+"), text, re.I):
            g.name = name
        elif g.speaker is not None and not is_pronoun(g.speaker.text):
            g.name = None  # an invented full name for a plain mention: keep the mention
        else:
            g.problems.append(f"{item.id}: name {name!r} does not appear in the article")
    return g


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
