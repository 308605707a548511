"""Where the content of a tagged attribution starts and ends: PolNeAR's conventions for the
clause around a mid-sentence attribution, applied after the tagger has grouped its runs.

Each rule is one convention read off the annotations, with the figures it came from: the
tagger alone, matched pairs whose content becomes exact (or stops being exact), PolNeAR train
(first 200 articles; the tagger learned from them) / dev (all 84), issue 15's lab.

- a parenthetical attribution ("Climate change, Mr. Obama says, is ...") reports the words
  on both sides of it (+7 / -0 train, +7 / -0 dev);
- after a quotation and its attribution ("“...,” said O'Neill, on his first day") unquoted
  words are not content (+10 / -1 train, +13 / -1 dev);
- a scene-setting lead before the source ("Looking ahead, Ham explained why ...") is not
  content where the cue's clause follows the cue at once (+1 / -0 train, +6 / -0 dev).

Where a mid-sentence attribution is followed by content with no comma ("In a statement, she
said the probe ...") the lead is not content either: adding it loses 48 exact train pairs for
7 gained, so only the parenthetical, commas on both sides, takes it.
Deterministic: imports ``schema`` and ``text``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from quotecheck.schema import Span
from quotecheck.text import Sentence, sentence_at

Content = tuple[Span, ...]

_EDGE = " \t\r\n\u00a0.,;:!?\"'“”‘’—–-()"
_MARK = re.compile(r"[“”\"]|''")
#: between a parenthetical attribution and the rest of its clause: a short aside, then a comma
#: ("Mr. Obama said, ..." / "he told me on Friday, ...")
_ASIDE = re.compile(r"[^,.;:“”\"'\n]{0,40},\s*")
_CONJUNCTION = re.compile(r"\s*(?:(?:And|But|So|Yet|Still)\s+)?")
#: between a scene-setting lead and the source: a comma, perhaps a conjunction
_LEAD_GAP = re.compile(r"[\s,”\"']*,\s*(?:so\s+|and\s+|but\s+)?")


def _trim(text: str, s: int, e: int) -> Span:
    while s < e and text[s] in _EDGE:
        s += 1
    while e > s and text[e - 1] in _EDGE:
        e -= 1
    return Span(start=s, end=e, text=text[s:e])


def _quoted(quoted: Sequence[tuple[int, int]], c: Span) -> bool:
    return any(a <= c.start and c.end <= b for a, b in quoted)


def _drop(content: Content, unwanted: Callable[[Span], bool]) -> Content:
    """``content`` without the runs ``unwanted`` picks, unless that leaves nothing."""
    return tuple(c for c in content if not unwanted(c)) or content


def parenthetical(
    text: str, sent: Sentence, source: Span | None, cue: Span, content: Content
) -> Content:
    """In "X, he says, Y", X is content as well, without a leading conjunction; not where Y is
    a quotation ("Later in the show, Trump said, “...”" sets a scene) or X holds quote marks."""
    if source is None or not content:
        return content
    a = min(source.start, cue.start)
    b = max(source.end, cue.end)
    first = content[0]
    before = text[sent.start : a]
    if (
        not before.rstrip().endswith(",")
        or first.start < b
        or not _ASIDE.fullmatch(text, b, first.start)
        or text[first.start] in "“\"'‘"
        or len(before.split()) < 2
        or _MARK.search(before)
    ):
        return content
    s = sent.start + _CONJUNCTION.match(before).end()  # type: ignore[union-attr]
    lead = _trim(text, s, sent.start + len(before.rstrip()) - 1)
    return (lead, *content) if lead.text else content


def after_quotation(
    text: str, sents: list[Sentence], quoted: Sequence[tuple[int, int]], cue: Span, content: Content
) -> Content:
    """In "“...,” said O'Neill, on his first day", where a quotation before the cue is the
    content, unquoted runs after the cue in its sentence are not."""
    if not any(c.end <= cue.start and _quoted(quoted, c) for c in content):
        return content
    k = sentence_at(sents, cue.start)

    def aside(c: Span) -> bool:
        return (
            c.start >= cue.end
            and sentence_at(sents, c.start) == k
            and not _MARK.search(text, max(0, c.start - 2), c.end + 2)
            and not _quoted(quoted, c)
        )

    return _drop(content, aside)


def scene_lead(
    text: str,
    sents: list[Sentence],
    quoted: Sequence[tuple[int, int]],
    source: Span | None,
    cue: Span,
    content: Content,
) -> Content:
    """In "Looking ahead, Ham explained why ...", a run before the source, split from it by
    a comma, is not content where the cue's clause follows the cue at once."""
    if source is None or not any(
        c.start >= cue.end and not text[cue.end : c.start].strip() for c in content
    ):
        return content
    a = min(cue.start, source.start)
    k = sentence_at(sents, cue.start)

    def lead(c: Span) -> bool:
        return (
            c.end <= a
            and sentence_at(sents, c.start) == k
            and _LEAD_GAP.fullmatch(text, c.end, a) is not None
            and not _quoted(quoted, c)
        )

    return _drop(content, lead)


def settle(
    text: str,
    sents: list[Sentence],
    quoted: Sequence[tuple[int, int]],
    source: Span | None,
    cue: Span,
    content: Content,
) -> Content:
    """One attribution's content with its edges set by the conventions above; ``quoted`` are
    the article's quotation spans, marks included."""
    content = parenthetical(text, sents[sentence_at(sents, cue.start)], source, cue, content)
    content = after_quotation(text, sents, quoted, cue, content)
    return scene_lead(text, sents, quoted, source, cue, content)
