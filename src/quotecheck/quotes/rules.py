"""Attributions so plain that no model is needed: “...,” she said. / “...,” said Ana Ruiz. /
“...” — Ana Ruiz (a reader's or a pull quote, signed with a dash at the end of its line) /
“PENCE: Well, ...” (a transcript line that names its speaker).

Only the unambiguous newspaper patterns are taken — a quote ending in a comma, question or
exclamation mark, then at once a short speaker and a speech verb, then the end of the clause.
Everything else goes to the model. On a CPU model each question costs seconds, so answering
the easy half in code halves the time of an article. Deterministic: imports ``text``, ``schema``
and the candidates.
"""

from __future__ import annotations

import re

from quotecheck.quotes.candidates import Item
from quotecheck.schema import Span
from quotecheck.text import lexicon

TRANSCRIPT_LABEL = re.compile(r"([A-Z][A-Z.'’\- ]{1,40}[A-Z.]):\s")

_NAME = r"[A-Z][\w.'’-]*(?:[ \t\u00a0]+(?:[A-Z][\w.'’-]*|de|van|von|al|bin))*"
_DESC = r"(?:a|an|the|one)\s+[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,5}"
_TITLED = rf"(?:[a-z][\w'’-]*\s+){{1,3}}{_NAME}"  # "board chair Marta Olsen"
_AFTER_QUOTE = re.compile(
    rf"\s*(?P<spk>{lexicon.PLAIN_PRONOUNS}|{_NAME}|{_DESC}|{_TITLED})\s+"
    rf"(?P<cue>{lexicon.PLAIN_SPEECH_VERBS})\b"
    rf"|\s*(?P<cue2>said|says|added|asked)\s+(?P<spk2>{_NAME})(?=\s*[,.;(]|\s*$)"
)

_UPPER = r"[A-ZÀ-ÖØ-Þ]"
_SIGNED_NAME = (
    rf"{_UPPER}[\w.'’-]*(?:[ \u00a0]+(?:{_UPPER}[\w.'’-]*|de|del|la|van|von|al|bin)){{0,4}}"
)
_SIGNATURE = re.compile(
    rf"[ \t\u00a0]*[―—–][ \t\u00a0]*(?P<spk>{_SIGNED_NAME})[ \t\u00a0.]*(?:,[^\n]{{0,80}})?(?=\n|$)"
)


def signed_quote(text: str, item: Item) -> Span | None:
    """The signer of a quote that ends its line with a dash and a name: “...” ― Ana Ruiz."""
    q = item.quote
    if q is None or not q.closed:
        return None
    m = _SIGNATURE.match(text, q.end, min(len(text), q.end + 160))
    if m is None:
        return None
    s, e = m.span("spk")
    while e > s and text[e - 1] == ".":
        e -= 1
    return Span(start=s, end=e, text=text[s:e])


def plain_attribution(text: str, item: Item) -> tuple[Span, Span] | None:
    """(speaker, cue) spans when the quote is followed by a plain attribution, else None."""
    q = item.quote
    if q is None or not q.closed:
        return None
    inner = text[q.inner_start : q.end - 1].rstrip()
    if not inner or inner[-1] not in ",?!":
        return None  # a quote ending in a full stop starts a new sentence: not this pattern
    m = _AFTER_QUOTE.match(text, q.end, min(len(text), q.end + 120))
    if m is None:
        return None
    spk = "spk" if m.group("spk") else "spk2"
    cue = "cue" if m.group("cue") else "cue2"
    s, e = m.span(spk)
    cs, ce = m.span(cue)
    return Span(start=s, end=e, text=text[s:e]), Span(start=cs, end=ce, text=text[cs:ce])


# "..., which critics call a “bridge to nowhere”": a name some group or person gives a thing
_LABELLED = re.compile(
    r"(?P<spk>\b(?:(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)[A-Z][\w'’-]*"
    r"(?:\s+[A-Z][\w'’-]*){0,3}|(?:some|many|its|his|her|their|the)\s+(?!so\b)[a-z][\w'’-]*|critics|opponents|supporters|residents|locals|activists|officials|"
    r"detractors|skeptics|sceptics|fans|experts|analysts))\s+"
    r"(?P<cue>call(?:s|ed)?|dub(?:s|bed)?|label(?:s|led|ed)?|brand(?:s|ed)?|term(?:s|ed)?|"
    r"nickname(?:s|d)?|describe[sd]?\s+(?:it|them|this|him|her)\s+as)"
    r"(?:\s+(?:it|them|this|him|her))?(?:\s+(?:a|an|the))?\s*$"
)


def labelled_quote(text: str, item: Item) -> tuple[Span, Span] | None:
    """(speaker, cue) of a label a group gives: "which critics call a “bridge to nowhere”"."""
    q = item.quote
    if q is None:
        return None
    m = _LABELLED.search(text, max(0, q.start - 80), q.start)
    if m is None:
        return None
    (s, e), (cs, ce) = m.span("spk"), m.span("cue")
    return Span(start=s, end=e, text=text[s:e]), Span(start=cs, end=ce, text=text[cs:ce])


def transcript_label(text: str, item: Item) -> Span | None:
    """“PENCE: Well, look ...” -- a transcript line names its own speaker; no model needed."""
    q = item.quote
    if q is None:
        return None
    m = TRANSCRIPT_LABEL.match(text, q.inner_start)
    if m is None:
        return None
    s, e = m.span(1)
    return Span(start=s, end=e, text=text[s:e])
