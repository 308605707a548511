"""Runs of capitalised words ("Regan Smith", "Bank of England", "Chet “JR” White") with their
offsets: the names a claim and its evidence give, for the check that asks which name the
evidence gives where the claim gives one. Deterministic; imports only the lexicon and terms.

A run stays on one line; function words, sentence openers, titles and transcript words are
dropped from its front ("Yes. The Odessa Jackalopes" is "Odessa Jackalopes", "Senator Warren"
is "Warren"), connectors from its end; months and weekdays are dates, not names. A run of one
word that opens its sentence is marked ``opener``: "Voting", "Full" and "Confirmed" open
sentences as often as a name does (a run cut from a longer one, "Senator Warren", is not).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from quotecheck.text.lexicon import (
    DATE_WORDS,
    NAME_TITLES,
    NOT_NAME_OPENERS,
    SENTENCE_OPENERS,
    STOPWORDS,
)
from quotecheck.text.terms import _aliases, _same_place, _term

_ABBR = r"(?:Mr|Mrs|Ms|Dr|St|Prof|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt)\."
_WORD = rf"(?:{_ABBR}|(?:[A-Z]\.)+[A-Z]?\.?|[A-Z][\w'’-]*|[\"“][A-Z][\w'’.-]*[\"”])"
_LINK = r"(?:of|de|del|da|van|von|al|bin|la|le)"
_RUN = re.compile(rf"{_WORD}(?:[ \t]+(?:{_LINK}[ \t]+)?{_WORD})*")
_DROP = STOPWORDS | SENTENCE_OPENERS | NAME_TITLES | NOT_NAME_OPENERS
_LINKS = frozenset(_LINK[3:-1].split("|"))
_OPENS = (".", "!", "?", ":", "\n", '"', "“", "(")
_DATES = frozenset(DATE_WORDS) | {w[:3] for w in DATE_WORDS[:19]} | {"sept"}


class Name(NamedTuple):
    """One run: ``text[start:end]`` of the text it was found in."""

    start: int
    end: int
    text: str
    opener: bool  # one word, first in its sentence


def name_words(name: str) -> set[str]:
    """The words of a name as the names check compares them (lower case, no possessive)."""
    return {_term(w.strip('"“”')) for w in name.split()} - {""}


def same_name(a: str, b: str) -> bool:
    """Whether two runs name one thing: a shared word ("Regan Smith", "Smith"), one the
    initials of the other ("VTS", "Vector Taylor Series"), forms of one place or body ("U.S.",
    "United States"; "Nigeria", "Nigerian")."""
    wa, wb = name_words(a), name_words(b)
    if wa & wb or _aliases(wa) & wb or _aliases(wb) & wa:
        return True
    for short, long in ((a, b), (b, a)):
        letters = re.sub(r"[^a-z]", "", short.lower())
        initials = "".join(w[0] for w in long.split() if w[:1].isupper()).lower()
        if len(short.split()) == 1 and len(letters) >= 2 and letters == initials:
            return True
    return any(_same_place(w, wb) for w in wa)


def names(text: str) -> list[Name]:
    """The runs of capitalised words in ``text``, in order."""
    out = []
    for m in _RUN.finditer(text):
        found = list(re.finditer(r"\S+", m.group()))
        whole = len(found)
        while found and _term(found[0].group().strip('"“”.')) in _DROP:
            found = found[1:]
        while found and found[-1].group().lower() in _LINKS:
            found = found[:-1]
        if not found:
            continue
        start = m.start() + found[0].start()
        end = m.start() + found[-1].end()
        while end > start and (
            text[end - 1] in ",'’\"”"
            or text[end - 1] == "."
            and not re.search(r"(?:^|\s|\.)[A-Z]\.$", text[start:end])
        ):  # a closing mark or full stop, but not the stop of "U.S." or "J."
            end -= 1
        piece = text[start:end]
        if name_words(piece) <= _DATES:  # "March", "Monday", "Dec": the date check's, not a name
            continue
        if len(piece) < 2 or not piece[:1].isupper() and piece[:1] not in '"“':
            continue
        before = m.start() - 1
        while before >= 0 and text[before].isspace():
            before -= 1
        opener = whole == len(found) == 1 and (before < 0 or text[before] in _OPENS)
        out.append(Name(start, end, piece, opener))
    return out
