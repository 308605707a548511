"""Evidence as windows a claim is checked against, ranked for the claim (no model here).

The passages become *units* with offsets: a short passage (a Q/A pair, one line of a page) is
one unit, a long one (a transcript chunk) is split into sentences. A window is a run of up to
``size`` consecutive units (at most ``max_chars``). For a claim, windows are ranked by BM25 over
lightly stemmed content words, and the best ``k`` that do not overlap are kept. (A few dozen
windows of one item's passages, scored once: a plain BM25 here; ``evidence`` keeps the ``bm25s``
index for searching a whole corpus.) Imports only ``text``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from quotecheck.text import sentences, stems

SHORT_PASSAGE = 800  # chars: a passage this short stays one unit
MIN_UNIT_WORDS = 3  # headings and menu lines are not evidence
WINDOW_UNITS = 2
WINDOW_CHARS = 700
TOP_WINDOWS = 2


@dataclass(frozen=True)
class Unit:
    """A sentence (or a short passage) of the evidence: ``passages[passage][start:end]``."""

    passage: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Window:
    first: int  # unit indices [first, last]
    last: int
    text: str

    def overlaps(self, other: Window) -> bool:
        return self.first <= other.last and other.first <= self.last


def units(passages: Sequence[str]) -> list[Unit]:
    """The evidence's units, in order; repeated lines (menus, boilerplate) once."""
    out: list[Unit] = []
    seen: set[str] = set()
    for pi, text in enumerate(passages):
        spans = (
            [(0, len(text))]
            if len(text) <= SHORT_PASSAGE
            else [(s.start, s.end) for s in sentences(text)]
        )
        for s, e in spans:
            piece = text[s:e].strip()
            key = " ".join(piece.split()).lower()
            if len(piece.split()) < MIN_UNIT_WORDS or key in seen:
                continue
            seen.add(key)
            lead = len(text[s:e]) - len(text[s:e].lstrip())
            out.append(Unit(pi, s + lead, s + lead + len(piece), piece))
    return out


def windows(
    us: Sequence[Unit], size: int = WINDOW_UNITS, max_chars: int = WINDOW_CHARS
) -> list[Window]:
    """Every run of up to ``size`` units starting at each unit, cut at ``max_chars``."""
    out = []
    for i in range(len(us)):
        j, text = i, " ".join(us[i].text.split())
        while j + 1 < len(us) and j + 1 - i < size:
            nxt = " ".join(us[j + 1].text.split())
            if len(text) + 1 + len(nxt) > max_chars:
                break
            text, j = f"{text} {nxt}", j + 1
        if len(text) > max_chars:  # one huge unit: cut at a word boundary
            cut = text.rfind(" ", 0, max_chars)
            text = text[: cut if cut > 0 else max_chars] + " …"
        out.append(Window(i, j, text))
    return out


def _bm25(docs: Sequence[Sequence[str]], query: Sequence[str]) -> list[float]:
    bags = [Counter(d) for d in docs]
    avg = (sum(len(d) for d in docs) / len(docs)) if docs else 1.0
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    idf = {t: math.log(1 + (len(docs) - f + 0.5) / (f + 0.5)) for t, f in df.items()}
    out = []
    for bag, doc in zip(bags, docs, strict=True):
        norm = 1.2 * (0.25 + 0.75 * len(doc) / (avg or 1.0))
        out.append(sum(idf[t] * bag[t] * 2.2 / (bag[t] + norm) for t in set(query) if t in bag))
    return out


def rank(claim: str, ws: Sequence[Window], k: int = TOP_WINDOWS) -> list[tuple[Window, float]]:
    """The ``k`` best non-overlapping windows for ``claim``, best first, with BM25 scores."""
    if not ws:
        return []
    scores = _bm25([stems(w.text) for w in ws], stems(claim))
    picked: list[tuple[Window, float]] = []
    for i in sorted(range(len(ws)), key=lambda i: (-scores[i], i)):
        if not any(ws[i].overlaps(p) for p, _ in picked):
            picked.append((ws[i], scores[i]))
            if len(picked) >= k:
                break
    return picked
