"""The quotation-mark baseline: no model, just quote marks and a "X said" heuristic.

It is the floor any LLM system has to beat. Every quotation-mark span is a quote; the speaker
is the nearest speech-verb mention ("X said", "said X", "according to X") in the same or an
adjacent sentence.
Imports only ``schema``.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

from quotecheck.schema import (
    CueKind,
    Quote,
    QuoteReport,
    QuoteType,
    RunInfo,
    Span,
    Speaker,
    SpeakerKind,
)

OPEN_MARKS = '\u201c\u201e\u00ab"'
_CURLY = re.compile("[\u201c\u201e\u00ab][^\u201c\u201d\u201e\u00ab\u00bb\n]*[\u201d\u00bb]")
_STRAIGHT = re.compile(r'"[^"\n]*"')
_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+(?=[\"\u201c\u2018(]?[A-Z0-9])|\n+")

_VERBS = (
    r"said|says|say|told|tells|added|adds|asked|asks|wrote|writes|tweeted|tweets|stated|"
    r"states|explained|explains|noted|notes|argued|argues|insisted|insists|continued|"
    r"declared|warned|warns|claimed|claims|recalled|replied|responded|announced|"
    r"acknowledged|reported|reports|sings|sang|typed|posted|joked|jokes|quipped|"
    r"remarked|conceded|concedes|predicted|suggested|suggests|boasted|complained"
)
_PRONOUN = r"[Hh]e|[Ss]he|[Tt]hey|I|[Ww]e"
_NAME = (
    r"(?:[A-Z][\w'\u2019.-]*(?:\s+(?:[A-Z][\w'\u2019.-]*|de|van|von|bin|al-\w+)){0,3}"
    rf"|{_PRONOUN}"
    r"|(?:[Tt]he|[Aa]n?)\s+(?:(?!(?:he|she|they|it|we)\b)[\w'\u2019-]+\s+){0,3}"
    r"(?!(?:he|she|they|it|we)\b)[a-z][\w-]*)"
)
# "Smith said" / "the spokesman told"; "said Smith" only right after a quote ("...," said Smith)
_NAME_VERB = re.compile(rf"(?P<name>{_NAME}),?\s+(?:also\s+|later\s+|then\s+)?(?P<cue>{_VERBS})\b")
_VERB_NAME = re.compile(rf"[,?!\u2014-][\"'\u201d\u2019]?\s+(?P<cue>{_VERBS})\s+(?P<name>{_NAME})")
_ACCORDING = re.compile(rf"\b(?P<cue>[Aa]ccording to)\s+(?P<name>{_NAME})")
_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
_LEADING_CUE = re.compile(r"(?:^|[:,])\s*$")


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    name: str
    cue_start: int
    cue_end: int
    cue_kind: CueKind


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans (start, end); quotes may straddle them, which is tolerated."""
    bounds, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() + 1 > start:
            bounds.append((start, m.start() + 1))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def quote_spans(text: str) -> list[list[tuple[int, int]]]:
    """Quotation-mark spans (marks included), grouped into one list per quote.

    A paragraph that opens a quote and does not close it continues into the next paragraph
    when that one reopens it (the newspaper convention); both become fragments of one quote.
    """
    groups: list[list[tuple[int, int]]] = []
    carry: list[tuple[int, int]] | None = None
    for para in _PARAGRAPH.finditer(text):
        p_start, p_text = para.start(), para.group()
        found = [(m.start(), m.end()) for m in _CURLY.finditer(p_text)]
        found += [(m.start(), m.end()) for m in _STRAIGHT.finditer(p_text)]
        found.sort(key=lambda se: (se[0], -se[1]))
        outer = [se for i, se in enumerate(found) if not any(o[1] >= se[1] for o in found[:i])]
        spans = [(p_start + s, p_start + e) for s, e in outer if e - s > 2]
        last_end = max((e for _, e in found), default=0)
        tail = p_text[last_end:]
        opener = next((i for i, ch in enumerate(tail) if ch in OPEN_MARKS), None)
        reopens = bool(p_text.lstrip()) and p_text.lstrip()[0] in OPEN_MARKS
        if carry is not None and reopens and spans:
            carry.append(spans.pop(0))  # the continued quote closes in this paragraph
            groups.append(carry)
            carry = None
        elif carry is not None and reopens and opener is not None and spans == []:
            carry.append((p_start + last_end + opener, para.end()))
            continue
        elif carry is not None:
            groups.append(carry)
            carry = None
        groups.extend([s] for s in spans)
        if opener is not None and len(tail[opener:].strip()) > 1:
            carry = [(p_start + last_end + opener, para.end())]
    if carry is not None:
        groups.append(carry)
    return groups


def _merge_interrupted(
    text: str, groups: list[list[tuple[int, int]]]
) -> list[list[tuple[int, int]]]:
    """Join '"A," she said. "B."' into one quote with two fragments, as the gold does."""
    merged: list[list[tuple[int, int]]] = []
    for group in groups:
        if merged:
            gap = text[merged[-1][-1][1] - 2 : group[0][0]]  # keep '," ' before "said X"
            short = len(gap) <= 80 and "\n" not in gap
            if short and (_NAME_VERB.search(gap) or _VERB_NAME.search(gap)):
                merged[-1] = merged[-1] + group
                continue
        merged.append(group)
    return merged


def _mentions(text: str, lo: int, hi: int, quoted: list[tuple[int, int]]) -> list[_Mention]:
    """Speech-verb mentions inside text[lo:hi] that do not sit inside a quotation."""
    out = []
    window = text[lo:hi]
    for pattern, kind in (
        (_NAME_VERB, CueKind.speech_verb),
        (_VERB_NAME, CueKind.speech_verb),
        (_ACCORDING, CueKind.according_to),
    ):
        for m in pattern.finditer(window):
            s, e = lo + m.start("name"), lo + m.end("name")
            if any(qs <= s < qe for qs, qe in quoted):
                continue
            name = m.group("name")
            if name.endswith(".") and len(name.split()[-1]) > 3:  # a full stop, not "Jr."
                name, e = name[:-1], e - 1
            cue_s, cue_e = lo + m.start("cue"), lo + m.end("cue")
            out.append(_Mention(s, e, name, cue_s, cue_e, kind))
    return out


def _nearest(mentions: list[_Mention], start: int, end: int) -> _Mention | None:
    def distance(m: _Mention) -> int:
        return m.start - end if m.start >= end else max(0, start - m.end)

    return min(mentions, key=lambda m: (distance(m), m.start < start), default=None)


def _quote_type(text: str, sentence_start: int, quote_start: int) -> QuoteType:
    """Direct when only an attribution (or nothing) precedes the quote in its sentence."""
    prefix = text[sentence_start:quote_start]
    return QuoteType.direct if _LEADING_CUE.search(prefix) else QuoteType.mixed


def _speaker_kind(name: str) -> SpeakerKind:
    return SpeakerKind.person if name.casefold() not in _PRONOUNS else SpeakerKind.unknown


def regex_quotes(text: str, *, article_id: str | None = None) -> QuoteReport:
    """Quotes by quotation marks alone, as a ``QuoteReport`` the scorer can read."""
    began = time.perf_counter()
    sentences = sentence_bounds(text)
    groups = _merge_interrupted(text, quote_spans(text))
    quoted = [span for group in groups for span in group]
    quotes: list[Quote] = []
    speakers: dict[str, Speaker] = {}
    for number, group in enumerate(groups, 1):
        start, end = group[0][0], group[-1][1]
        idx = [i for i, (s, e) in enumerate(sentences) if s < end and start < e]
        lo_i, hi_i = (
            max(0, min(idx, default=0) - 1),
            min(len(sentences) - 1, max(idx, default=0) + 1),
        )
        lo, hi = (sentences[lo_i][0], sentences[hi_i][1]) if sentences else (0, len(text))
        found = _nearest(_mentions(text, lo, hi, quoted), start, end)
        sent_start = sentences[min(idx)][0] if idx else start
        fragments = [Span(start=s, end=e, text=text[s:e]) for s, e in group]
        quote_id = f"q{number}"
        speaker_id = None
        if found is not None:
            key = found.name.casefold()
            speaker = speakers.setdefault(key, Speaker(id=f"s{len(speakers) + 1}", name=found.name))
            speaker.mentions.append(Span(start=found.start, end=found.end, text=found.name))
            speaker.quote_ids.append(quote_id)
            speaker_id = speaker.id
        quotes.append(
            Quote(
                id=quote_id,
                type=_quote_type(text, sent_start, start),
                fragments=fragments,
                text=" \u2026 ".join(f.text for f in fragments),
                speaker_mention=(
                    Span(start=found.start, end=found.end, text=found.name) if found else None
                ),
                speaker_id=speaker_id,
                speaker_name=found.name if found else None,
                speaker_kind=_speaker_kind(found.name) if found else SpeakerKind.unknown,
                cue=(
                    Span(
                        start=found.cue_start,
                        end=found.cue_end,
                        text=text[found.cue_start : found.cue_end],
                    )
                    if found
                    else None
                ),
                cue_kind=found.cue_kind if found else None,
                confidence=0.5,
                verbatim=True,
            )
        )
    return QuoteReport(
        article_id=article_id,
        text_sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        text_length=len(text),
        quotes=quotes,
        speakers=list(speakers.values()),
        run=RunInfo(
            model="regex-baseline", endpoint_kind="none", seconds=time.perf_counter() - began
        ),
    )
