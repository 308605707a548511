"""What every code check works on: the claim and evidence as tokens, and what a check returns.

``Tok`` is a word with its stem and offsets; ``Evidence`` tokenises the evidence units once for
all checks; a ``Check`` is a number for the calibrated verdict and the differing words as
``Span``s (side "claim" with offsets into the claim, or "evidence" with offsets into passage
``passage``). Imports ``text`` (its stemmer) and the windows of ``factcheck``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from quotecheck.factcheck.windows import Unit
from quotecheck.text import stem

WORD = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*|n['’]t\b")


@dataclass(frozen=True)
class Span:
    side: str  # "claim" or "evidence"
    text: str
    start: int  # into the claim, or into passage ``passage``
    end: int
    passage: int | None = None


@dataclass
class Check:
    name: str
    value: float
    spans: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class Tok:
    word: str  # lower case
    stem: str
    start: int
    end: int
    unit: int  # -1 for the claim


def toks(text: str, unit: int = -1) -> list[Tok]:
    return [
        Tok(m.group().lower(), stem(m.group()), m.start(), m.end(), unit)
        for m in WORD.finditer(text)
    ]


class Evidence:
    """Evidence units tokenised once, shared by all checks."""

    def __init__(self, us: Sequence[Unit]) -> None:
        self.units = list(us)
        self.toks = [toks(u.text, i) for i, u in enumerate(self.units)]
        self.stems = {t.stem for ts in self.toks for t in ts}
        self.words = {t.word for ts in self.toks for t in ts}

    def span(self, t: Tok) -> Span:
        return self.span_at(t.unit, t.start, t.end)

    def span_at(self, unit: int, start: int, end: int) -> Span:
        """The words ``start:end`` of unit ``unit``, as a span into its passage."""
        u = self.units[unit]
        return Span("evidence", u.text[start:end], u.start + start, u.start + end, u.passage)


def cspan(claim: str, t: Tok) -> Span:
    return Span("claim", claim[t.start : t.end], t.start, t.end)
