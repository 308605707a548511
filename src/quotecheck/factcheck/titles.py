"""Titles: a person the claim gives one title that the evidence gives someone else.

"Councillor Elena Sobczak voted against" against evidence that says "Transport director Elena
Sobczak" and "Councillors Priya Nandakumar and Hugo Berret voted against": the claim gives
Sobczak a title the evidence never gives her but gives another person. A mention is a run of
capitalised words read as a name, with the title words (``lexicon.TITLE_WORDS``) that open the
run or stand right before it ("Mayor Anton Vries", "agency head Stefan Orlov", "retired judge
Corinne Abara"); a person is the last word of the name. A title the evidence also gives the
person in any form ("Sen." and "Senator", "councillors" and "councillor") never fires, nor does
a claim title the evidence gives no one else. Imports ``text`` (its lexicon and stemmer) and the
tokens of ``factcheck``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from quotecheck.factcheck.tokens import WORD, Check, Evidence, Span
from quotecheck.text import lexicon, stem

_RUN = re.compile(r"[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*)*")
_TITLES = {stem(w) for w in lexicon.TITLE_WORDS}


@dataclass(frozen=True)
class Mention:
    person: str  # the name's last word, lower case
    titles: frozenset[str]  # stems of its title words
    start: int  # of its first title word, in its text
    end: int


def _title(word: str) -> str | None:
    s = stem(word.lower().rstrip("."))
    return s if s in _TITLES else None


@lru_cache(maxsize=4096)
def mentions(text: str) -> tuple[Mention, ...]:
    """Every run of capitals read as a name, with its title words (cached per text)."""
    out = []
    for run in _RUN.finditer(text):
        words = list(WORD.finditer(text, run.start(), run.end()))
        k = 0
        while k < len(words) - 1 and _title(words[k].group()):
            k += 1
        titles = {t for w in words[:k] if (t := _title(w.group()))}
        start = run.start()
        # title words right before the run, in the same phrase: "agency head Stefan Orlov"
        at = run.start()
        for w in reversed(list(WORD.finditer(text, max(0, at - 40), at))[-2:]):
            t = _title(w.group())
            if t is None or text[w.end() : at].strip():
                break
            titles.add(t)
            start = at = w.start()
        person = words[-1].group().lower().rstrip(".") if words else ""
        if person and _title(person) is None:
            out.append(Mention(person, frozenset(titles), start, run.end()))
    return tuple(out)


def _same_title(a: frozenset[str], b: frozenset[str]) -> bool:
    """Any title shared, an abbreviation as its word: "sen" and "senator"."""
    return any(x == y or x.startswith(y) or y.startswith(x) for x in a for y in b)


def title_mismatch(claim: str, ev: Evidence) -> Check:
    """A claim title for a person that the evidence gives another person, never this one."""
    found = [(i, m) for i, u in enumerate(ev.units) for m in mentions(u.text) if m.titles]
    spans: list[Span] = []
    n = 0
    for m in mentions(claim):
        if not m.titles:
            continue
        own = [(i, e) for i, e in found if e.person == m.person]
        others = [
            (i, e) for i, e in found if e.person != m.person and _same_title(m.titles, e.titles)
        ]
        if not own or not others or any(_same_title(m.titles, e.titles) for _, e in own):
            continue
        n += 1
        spans.append(Span("claim", claim[m.start : m.end], m.start, m.end))
        for i, e in (own[0], others[0]):
            spans.append(ev.span_at(i, e.start, e.end))
    return Check("title_mismatch", float(n), spans)
