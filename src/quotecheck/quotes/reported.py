"""Reported speech settled in code: who, how and what, for the unambiguous newspaper patterns.

- "According to the ministry, exports rose." / "Exports rose, according to the ministry."
- "Exports rose 4 percent, the ministry said." / "..., said Ana Ruiz, the minister."
- "The registration issue was first reported by The Washington Post."
- "As reported by the Ledger, the vote was close."
- "The ministry said on Monday that exports rose." (a subject, an optional aside, a verb)
- no source: "The deal is expected to close in May." / "It was reported that ..." / "reportedly"

Each rule also says where the reported clause starts and ends, because it knows the sentence's
shape. Measured on PolNeAR (BENCHMARKS.md): about a third of the reported-speech candidates are
settled here with 97-99 % speaker precision, and each one spares a model call. Everything else
goes to the model. Deterministic: imports ``schema``, ``text`` and the candidates of ``quotes``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quotecheck.quotes.candidates import Item
from quotecheck.schema import Span
from quotecheck.text import Sentence
from quotecheck.text.lexicon import CUE_WORDS, REPORTING_VERBS

_NAME = (
    r"(?:(?![A-Z]{2,}\b)[A-Z][\w.'’-]*"
    r"(?:\s+(?:(?![A-Z]{2,}\s+[A-Z]{2,})[A-Z][\w.'’-]*|de|van|von|al|bin|of|for|the|and)){0,6})"
)
_DET = r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ne|[Tt]wo|[Tt]hree|[Ss]ome|[Mm]any|[Ss]everal|[Oo]ther)"  # noqa: E501
_NOT_BE = r"(?!(?:is|are|was|were|be|been|has|have|had|will|would)\b)"
_DESC = (
    rf"(?:{_DET}\s+(?:{_NOT_BE}[\w'’-]+\s+){{0,5}}?{_NOT_BE}[a-z][\w'’-]*"
    rf"(?:\s+(?:of|for|at|in|with|by|from)\s+(?:the\s+)?(?:{_NOT_BE}[\w'’-]+\s+){{0,3}}?{_NOT_BE}[\w'’-]+)?)"
)
_PRON = r"(?:[Hh]e|[Ss]he|[Tt]hey|I|[Ww]e)"
# "State media", "Russian state media", "Trump campaign officials": a name used as an adjective
# before a group, an office or an outlet
_GROUP_HEAD = (
    r"(?:media|press|officials?|lawmakers|leaders|aides?|advisers?|sources?|voters|supporters|"
    r"critics|campaign|administration|government|ministry|department|spokes(?:man|woman|person)|"
    r"police|prosecutors|investigators|analysts|experts|economists|researchers|scientists|"
    r"diplomats|authorities|agency|outlets?|newspapers?|officers?|executives?|negotiators)"
)
_ADJ_NOUN = rf"(?:[A-Z][\w'’-]*\s+){{1,2}}(?:[a-z][\w'’-]*\s+)?{_GROUP_HEAD}\b"
_SUBJ = rf"(?P<spk>{_PRON}|{_NAME}|{_DESC}|{_ADJ_NOUN})"
#: verbs that end a sentence's attribution ("..., the ministry said.")
_TRAIL_VERB = (
    r"said|says|added|adds|told\s+reporters|wrote|writes|noted|notes|explained|argued|argues|"
    r"insisted|warned|warns|claimed|claims|stated|continued|recalled|replied|asked|conceded|"
    r"predicted|acknowledged|announced|reported|reports|confirmed|tweeted|posted"
)
_AUX = (
    r"(?:(?:has|have|had|also|later|then|previously|repeatedly|publicly|privately|long|would|"
    r"will|did\s+not|does\s+not|once|often|again)\s+)*"
)
_INTRO = (
    r"(?:(?:On|In|At|During|After|Before|Last|This|Earlier|Later|But|And|However|Still|Yet|"
    r"Meanwhile|Now|So|Then|Also|When|While|Asked)\b[^,]{0,80},\s+)?"
)
_VERB = rf"(?:{REPORTING_VERBS})"
_LEAD = re.compile(
    rf"^{_INTRO}{_SUBJ}(?:,[^,]{{1,80}},)?\s+{_AUX}"
    rf"(?P<cue>{_VERB}|told(?:\s+(?:reporters|the\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){{0,3}}))?)\b"
)
_ACCORDING = re.compile(r"(?P<cue>[Aa]ccording to)\s+(?P<spk>[^,.;:“”\"]{2,80}?)(?=\s*[,.;]|\s*$)")
_QUOTED_AS = r"(?:was|were)\s+(?:quoted|reported|cited)\s+as\s+saying"
_TRAIL = re.compile(
    rf",[”\"’]?\s+(?:(?:{_DESC}\s+)?{_SUBJ}\s+{_AUX}(?P<cue>{_TRAIL_VERB}|{_QUOTED_AS})"
    r"(?:\s+(?:in|on|at|during|after|before|when|while|by)\b[^.]{0,80})?"
    r"|(?P<cue2>said|says|added|wrote)\s+(?P<spk2>" + _NAME + r")"
    r"(?:,\s+(?:[a-z]|[A-Z][a-z]+\s+of)[^.]{0,100})?)[.!?]?[”\"’]?\s*$"
)
_PASSIVE_BY = re.compile(
    r"\b(?P<cue>(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+"
    r"(?:first\s+|also\s+|previously\s+)?(?:reported|announced|disclosed|revealed|confirmed|"
    rf"stated|cited|quoted|described|detailed)\s+by)\s+(?P<spk>{_NAME}|{_DESC})"
)
_AS_IN = re.compile(
    r"^(?P<cue>As\s+(?:stated|reported|noted|described|detailed|explained)\s+(?:in|by))\s+"
    r"(?P<spk>[^,]{2,80}),\s*"
)
_AGENTLESS = re.compile(
    r"\b(?P<cue>(?:is|are|was|were|be|been|being)\s+(?:widely\s+|generally\s+|also\s+)?"
    r"(?:expected|reported|said|believed|thought|considered|rumou?red|alleged|understood|"
    r"estimated|projected|predicted))(?=\s+to\b)"
    r"|\b(?P<cue2>[Ii]t\s+(?:is|was|has\s+been)\s+(?:widely\s+)?(?:reported|said|believed|thought|"
    r"expected|understood|alleged|estimated)\s+that)\b"
    r"|\b(?P<cue3>reportedly|allegedly|purportedly)\b"
)
# where a reported clause that runs to the sentence's end stops early: a contrast, or a second
# reporting verb of the same subject ("X promised A and said B", "..., adding B")
_CONTENT_STOP = re.compile(
    rf",?\s+(?:but|while|although|though|whereas|even\s+as)\s+|,\s+(?:adding|noting|saying)\b"
    r"|,\s+(?:who|which|whose)\s"
    rf"|\s+and\s+(?:also\s+)?(?:{_VERB})\b"
)
# a second reporting verb of the same speaker, where a reported clause stops: "X promised A and
# warned that B", "X said A, adding that B"
_SECOND = re.compile(
    rf"(?:,?\s+(?:and|but)\s+(?:also\s+)?|,\s+)"
    rf"(?P<cue>{_VERB}|adding|noting|saying|arguing|warning|insisting|suggesting)\b"
)
# whom a bare "told" was told to, up to "that", a quotation or a comma: PolNeAR leaves the
# addressee out of the content ("told a cheering crowd | that ..."; on train, 219 of the 234
# contents after a one-word tell-cue start past words that follow it; the pipeline without the
# model gains 12 exact contents on train[:200], 2 on dev)
_TELL = re.compile(r"\b(?:told|tells|telling|tell)$", re.I)
_ADDRESSEE = re.compile(r"\s*[^.;:,“”\"\n]{1,60}?(?:\s(?=that\b)|\s(?=[“\"])|,\s*)")
_THAT_AFTER = re.compile(r"[^.;:“”\"]{0,80}?\bthat\b")
_ADJUNCT = re.compile(
    r"\s*(?:on\s+\w+|in\s+an?\s+(?:statement|interview|speech|email|letter|tweet)[^,]{0,40}"
    r"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today)"
    r"|at\s+a\s+[^,]{1,60})\s*,?"
)


@dataclass(frozen=True)
class Reported:
    """A reported-speech attribution found by rule: spans into the article."""

    speaker: Span | None
    cue: Span
    content: tuple[Span, ...]
    then: Reported | None = None  # a second attribution of the same speaker in the sentence


def _span(text: str, s: int, e: int) -> Span:
    while s < e and (text[s].isspace() or text[s] in ",;:"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:.!?"):
        e -= 1
    return Span(start=s, end=e, text=text[s:e])


def tells(cue: Span | None) -> bool:
    """The cue ends with a form of "tell", so that whom it was told to may follow it."""
    return cue is not None and _TELL.search(cue.text) is not None


def clause_after(text: str, start: int, end: int, *, told: bool = False) -> tuple[int, int]:
    """The clause reported after its cue: past a time or place aside up to "that", to the end
    of the sentence or the first contrast or second reporting verb; after a bare "told" also
    past whom it was told to (``_ADDRESSEE``)."""
    if told:
        m = _ADDRESSEE.match(text, start, end)
        start = m.end() if m else start
    that = _THAT_AFTER.match(text, start, end)
    if that is not None and not re.search(r"\b(?:that|this)\s*$", text[start : that.start()]):
        head = text[start : that.end() - 4]
        if _ADJUNCT.fullmatch(head) or not re.search(r"[a-z]{3,}(?:ed|es|s)\b", head):
            start = that.end() - 4
    stop = _CONTENT_STOP.search(text, start, end)
    return start, stop.start() if stop else end


def _content(text: str, sent: Sentence, attr_start: int, attr_end: int) -> tuple[Span, ...]:
    """What is reported: the sentence on both sides of the attribution ("The ferry | is expected
    | to sail in May", "Kim has | reportedly | used three cars": PolNeAR's convention)."""
    lo, hi = sent.start, sent.end
    before = _span(text, lo, attr_start)
    rest = text[attr_end:hi].strip(' .!?"”’')
    s, e = clause_after(text, attr_end, hi) if rest else (hi, hi)
    return tuple(f for f in (before, _span(text, s, e)) if f.text)


def _then(text: str, speaker: Span, stop: int, hi: int) -> Reported | None:
    """The same speaker's second attribution after ``stop``, where the first clause ended."""
    m = _SECOND.match(text, stop, hi)
    if m is None:
        return None
    cs, ce = m.span("cue")
    s, e = clause_after(text, ce, hi)
    content = _span(text, s, e)
    if len(content.text.split()) < 2:
        return None
    return Reported(speaker, Span(start=cs, end=ce, text=text[cs:ce]), (content,))


def reported_speech(text: str, sent: Sentence, item: Item) -> Reported | None:
    """The attribution of a reported-speech sentence when a rule settles it, else None."""
    if item.kind != "S":
        return None
    lo, hi = sent.start, sent.end
    body = text[lo:hi]

    def at(m: re.Match[str], group: str) -> Span:
        s, e = m.span(group)
        s, e = lo + s, lo + e
        if e == hi and text[e - 1] == ".":
            e -= 1  # the sentence's full stop, not an initial
        return Span(start=s, end=e, text=text[s:e])

    m = _ACCORDING.search(body)
    if m is not None:
        spk, cue = at(m, "spk"), at(m, "cue")
        if m.start() == 0 or body[: m.start()].strip() == "":
            after = _span(text, spk.end, hi)
            return Reported(spk, cue, (after,) if after.text else ())
        return Reported(spk, cue, (_span(text, lo, lo + m.start()),))
    m = _TRAIL.search(body)
    if m is not None:
        names = ("spk", "cue") if m.group("spk") else ("spk2", "cue2")
        spk, cue = at(m, names[0]), at(m, names[1])
        return Reported(spk, cue, (_span(text, lo, lo + m.start()),))
    for rx in (_PASSIVE_BY, _AS_IN):
        m = rx.search(body)
        if m is not None:
            spk, cue = at(m, "spk"), at(m, "cue")
            return Reported(spk, cue, _content(text, sent, cue.start, spk.end))
    m = _LEAD.match(body)
    if m is not None:
        spk, cue = at(m, "spk"), at(m, "cue")
        s, e = clause_after(text, cue.end, hi, told=tells(cue))
        content = _span(text, s, e)
        return Reported(spk, cue, (content,), _then(text, spk, e, hi)) if content.text else None
    m = _AGENTLESS.search(body)
    if m is not None:
        group = next(g for g in ("cue", "cue2", "cue3") if m.group(g))
        rest = body[: m.start(group)] + " " + body[m.end(group) :]
        if group == "cue3" and CUE_WORDS.search(rest):
            return None  # "A report highlighted ... allegedly ...": the report is the source
        cue = at(m, group)
        return Reported(None, cue, _content(text, sent, cue.start, cue.end))
    return None
