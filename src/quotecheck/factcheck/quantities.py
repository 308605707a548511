"""Quantities: a claim's number of something against the evidence's number of the same thing.

A quantity is a number (digits, "14,000", "4.2", or a word, "nine"), its scale ("118 million"),
what it counts (the content words right after it: "euros", "new stops", "passengers", or a
currency sign before it) and its rate ("a day", "per week", "annually"). ``quantity_mismatch``
fires when the evidence counts the same thing as the claim but never with the claim's value
("118 billion euros" against "118 million euros", "nine new stops" against "six stops"), or
gives the value only at another rate ("14,000 passengers a week" against "a day") or in the
other direction ("rose 11 percent" against "fell 11 percent", "6 percent less" against "up 6
percent"). Unlike the bare number check it needs the thing counted to match, so "seven votes to
two" against "voted 7 to 2" or a number the evidence gives for something else never fires.
Imports ``text`` (its lexicon and stemmer) and the tokens of ``factcheck``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from quotecheck.factcheck.tokens import WORD, Check, Evidence, Span
from quotecheck.text import lexicon, stem
from quotecheck.text.lexicon import STOPWORDS

_SCALE = {**lexicon.NUMBER_SCALE, "trillion": 10**12, "bn": 10**9}
_WORDS = {w: v for w, v in lexicon.NUMBER_WORD.items() if w not in ("zero", "one")}
_TENS = "|".join(lexicon.NUMBER_TENS)
_DIGITS = "|".join(lexicon.NUMBER_UNITS[1:10])
_SPELLED = rf"(?:{_TENS})(?:\s?[-\s]\s?(?:{_DIGITS}))?\b|(?:{'|'.join(_WORDS)})\b"
_QTY = re.compile(
    r"(?<![\w.,\-–])(?P<sign>[$€£¥])?\s?"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?(?![\-–]\d)|{_SPELLED})"
    rf"(?:\s?(?P<pct>%)|\s*(?P<scale>{'|'.join(_SCALE)})\b)?",
    re.I,
)
#: how far "about 200" may be from the value it rounds (210 is 4.8 % away)
HEDGE_TOLERANCE = 0.06
_HEDGES = lexicon.QUANTITY_HEDGES
_RATE_NOUNS, _RATE_ADVERBS = lexicon.RATE_NOUNS, lexicon.RATE_ADVERBS
#: what a number after which these come counts a date or an age, not a thing
_NOT_UNITS = set(lexicon.DATE_WORDS) | {"year", "old", "th", "st", "nd", "rd"}
_MODIFIERS, _ENDS = lexicon.COUNT_MODIFIERS, lexicon.COUNT_ENDS
_YEARLIKE = re.compile(r"1[6-9]\d\d|20\d\d")
_UP = {stem(w) for w in lexicon.UP_WORDS}
_DOWN = {stem(w) for w in lexicon.DOWN_WORDS}
_UNIT_STOPS = STOPWORDS | _NOT_UNITS | _ENDS | _RATE_ADVERBS.keys()
_CLAUSE_END = re.compile(r"[,;:()\[\]\"“”]|\.(?:\s|$)")


@dataclass(frozen=True)
class Quantity:
    value: float
    place: float  # the value's last written place: values that round to the same are equal
    hedged: bool  # "about 200": within ``HEDGE_TOLERANCE`` of another value is the same
    direction: int  # +1 "rose 6 percent", "6 percent more"; -1 "fell", "less"; 0 neither
    unit: frozenset[str]  # stems of what it counts
    rate: str | None
    start: int
    end: int  # of the number, its scale, what it counts and its rate, in its text


def _value(m: re.Match[str]) -> tuple[float, float]:
    num = m["num"].lower()
    if num[0].isalpha():
        value, place = float(sum(lexicon.NUMBER_WORD[w] for w in re.split(r"[-\s]+", num))), 1.0
    else:
        digits = num.replace(",", "")
        value = float(digits)
        place = 10.0 ** -len(digits.split(".")[1]) if "." in digits else 1.0
    scale = _SCALE.get((m["scale"] or "").lower(), 1)
    return value * scale, place * scale


def _after(text: str, end: int) -> list[re.Match[str]]:
    """The words after a number up to the end of its clause."""
    stop = _CLAUSE_END.search(text, end)
    return list(WORD.finditer(text, end, stop.start() if stop else len(text)))


def _unit_and_rate(
    found: list[re.Match[str]], pct: bool, sign: str | None
) -> tuple[set[str], str | None, int]:
    """What the number counts, its rate, and how many of ``found`` say so."""
    words = [w.group().lower() for w in found]
    unit: set[str] = {"percent"} if pct else ({sign} if sign else set())
    i = 0
    if not unit:
        while i < len(words) and len(unit) < 2:
            w = words[i]
            if w in _UNIT_STOPS or not w.isalpha() or stem(w) in _UP | _DOWN:
                break
            if w not in _MODIFIERS:
                unit.add("percent" if w in ("percent", "pct") else stem(w))
            i += 1
        if words[i : i + 2] == ["per", "cent"]:
            unit, i = {"percent"}, i + 2
    # the rate stands right after it: "annually", "a day", "per week"
    nxt = words[i] if i < len(words) else ""
    if nxt in _RATE_ADVERBS:
        return unit, _RATE_ADVERBS[nxt], i + 1
    if nxt in ("a", "an", "per", "each", "every") and i + 1 < len(words):
        rate = _RATE_NOUNS.get(words[i + 1].rstrip("s"))
        if rate:
            return unit, rate, i + 2
    return unit, None, i


@lru_cache(maxsize=4096)
def quantities(text: str) -> tuple[Quantity, ...]:
    """Every number of ``text`` that is not a year, with what it counts where it says (cached:
    an evidence unit is read once for all the claims checked against it)."""
    out = []
    for m in _QTY.finditer(text):
        lead = re.split(r"[,;:()]", text[max(0, m.start() - 25) : m.start()])[-1]
        before = [w.group().lower() for w in WORD.finditer(lead)]
        value, place = _value(m)
        if _YEARLIKE.fullmatch(m.group().strip()):
            continue  # a year: the date check's
        hedged = bool(before) and before[-1] in _HEDGES
        found = _after(text, m.end())
        unit, rate, used = _unit_and_rate(found, bool(m["pct"]), m["sign"])
        end = found[used - 1].end() if used else m.end()
        near = {stem(w) for w in before[-2:]} | {stem(w.group()) for w in found[used : used + 2]}
        direction = bool(near & _UP) - bool(near & _DOWN)
        out.append(Quantity(value, place, hedged, direction, frozenset(unit), rate, m.start(), end))
    return tuple(out)


def _same(a: Quantity, b: Quantity) -> bool:
    place = max(a.place, b.place)
    if a.hedged or b.hedged:
        return abs(a.value - b.value) <= HEDGE_TOLERANCE * max(a.value, b.value)
    return abs(a.value - b.value) < 1e-9 * max(1.0, a.value) or round(a.value / place) == round(
        b.value / place
    )


def _agree(a: Quantity, b: Quantity) -> bool:
    """Of the same value: whether their rates and directions agree where both say one."""
    rate = a.rate is None or b.rate in (None, a.rate)
    return rate and (not a.direction or not b.direction or a.direction == b.direction)


def quantity_mismatch(claim: str, ev: Evidence) -> Check:
    """A claim quantity whose thing the evidence counts, never with its value, rate or
    direction ("rose 11 percent" against "fell 11 percent")."""
    every = [(i, q) for i, u in enumerate(ev.units) for q in quantities(u.text)]
    found = [(i, q) for i, q in every if q.unit]
    spans: list[Span] = []
    n = 0
    for q in (q for q in quantities(claim) if q.unit):
        alike = [(i, e) for i, e in found if e.unit & q.unit]
        # the value given bare ("voted 7 to 2") may count the claim's thing
        bare = [(i, e) for i, e in every if not e.unit and q.rate is None]
        same = [(i, e) for i, e in alike + bare if _same(q, e)]
        if not alike and not same or any(_agree(q, e) for _, e in same):
            continue
        n += 1
        spans.append(Span("claim", claim[q.start : q.end], q.start, q.end))
        for i, e in (same or alike)[:2]:
            spans.append(ev.span_at(i, e.start, e.end))
    return Check("quantity_mismatch", float(n), spans)
