"""Which name does the evidence give? One short question per name of a claim.

The one-token verifier question is blind to a name swapped for another the evidence also gives
("Todd Watson is the head coach" and "Ron Bakir is the head coach" against a window naming
both), and the names check cannot see it either: every name is there. So each name of the
claim that the deciding window holds, beside other names, is blanked ("____ is the head coach
of the Odessa Jackalopes") and the model is asked to fill the blank from the window
(``prompts/verify_name.j2``, a few tokens). Code matches the answer to the window's names.
When it gives another name, the first answer token's alternatives lean that way too, and the
verifier's own question (``scoring``) finds the claim with that name better supported by the
window than the claim as written, the check fires with both names as its spans.

A name the window lacks but the evidence gives elsewhere (a swap taken from another part of the
evidence; the window may say "he") is asked of the window with the units just before it, up to
the one that gives the name, and fires only when the window backs the other name clearly better
(``AFIELD_MARGIN``). Measured on FIT claims and the same claims with one name swapped by code
(BENCHMARKS.md, tuning log).
Imports ``llm``, ``text`` and ``checks``, ``scoring`` and ``windows`` of ``factcheck``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from quotecheck.factcheck.checks import Check, Span
from quotecheck.factcheck.scoring import OPTIONS
from quotecheck.factcheck.scoring import PROMPT_ID as SCORE_PROMPT
from quotecheck.factcheck.scoring import messages as score_messages
from quotecheck.factcheck.windows import Unit, Window
from quotecheck.llm import LLM, peek, render
from quotecheck.schema import Usage
from quotecheck.text import Name, key_terms, name_words, names, same_name

PROMPT_ID = "verify_name"
MAX_NAMES = 3  # names of one claim asked about
MAX_TOKENS = 6  # enough for the first words of a name
BACK = 3  # units before the window shown for a name the window lacks
UNIT_CHARS = 400  # of each of those
AFIELD_MARGIN = 0.1  # how much better the window must back the other name, for a name it lacks
BLANK = "____"
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


@dataclass
class Blank:
    """One name of the claim, the evidence the question shows (``units``), its names for the
    same thing (``own``) and those for nothing the claim names (``others``, each with its
    unit), and how much better the window must back another name (``margin``)."""

    name: Name
    own: list[str]
    others: list[tuple[str, Unit, Name]]
    units: list[Unit]
    margin: float


def _named(name: Name, found: Sequence[Sequence[Name]]) -> bool:
    return any(same_name(m.text, name.text) for ms in found for m in ms)


def _context(name: Name, found: Sequence[Sequence[Name]], window: Window) -> range:
    """The indices of the window and up to ``BACK`` units before it, stopping at the first
    that gives ``name``: where the window calls someone "he", the name it stands for is
    usually there."""
    first = window.first
    while first > max(0, window.first - BACK):
        first -= 1
        if _named(name, [found[first]]):
            break
    return range(first, window.last + 1)


def blanks(claim: str, every: Sequence[Unit], window: Window) -> list[Blank]:
    """The claim's names worth a question against ``window`` (units of ``every``): each name
    the window gives beside at least one other name, asked of the window; and each name the
    evidence gives elsewhere but the window lacks, asked of the window with the units just
    before it (a swapped name is most often one of these). A name the evidence never gives is
    not asked about: the names check speaks there."""
    found_in = [names(u.text) for u in every]  # once per claim, not once per name
    shown = range(window.first, window.last + 1)
    ours = [n for n in names(claim) if name_words(n.text) & key_terms(claim)]
    out = []
    for n in ours:
        here = _named(n, [found_in[i] for i in shown])
        if not here and not _named(n, found_in):
            continue
        context = shown if here else _context(n, found_in, window)
        found = [(every[i], m) for i in context for m in found_in[i]]
        plain = {m.text for _, m in found if not m.opener}
        # a lone capitalised word opening its sentence counts only if it is a name elsewhere too
        found = [(u, m) for u, m in found if not m.opener or m.text in plain]
        own = sorted({m.text for _, m in found if same_name(m.text, n.text)})
        others = {
            m.text: (m.text, u, m)
            for u, m in found
            if not any(same_name(m.text, c.text) for c in ours)
        }
        if others and (own or not here):
            margin = 0.0 if here else AFIELD_MARGIN
            out.append(Blank(n, own, list(others.values()), [every[i] for i in context], margin))
    return out[:MAX_NAMES]


def _evidence(context: Sequence[Unit], window: Window) -> str:
    """The units a line each; the window's own text where it cut a huge unit short, and a
    unit before the window cut to ``UNIT_CHARS``."""
    before = [" ".join(u.text.split())[:UNIT_CHARS] for u in context[: -_width(window)]]
    own = context[-_width(window) :]
    text = "\n".join(" ".join(u.text.split()) for u in own)
    if len(text) > len(window.text) + len(own):
        text = window.text
    return "\n".join([*before, text])


def _width(window: Window) -> int:
    return window.last - window.first + 1


def messages(evidence: str, sentence: str) -> list[dict[str, str]]:
    system, _ = render(f"{PROMPT_ID}_system")
    user, _ = render(PROMPT_ID, evidence=evidence, sentence=sentence)
    return [
        {"role": "system", "content": system.strip()},
        {"role": "user", "content": user.strip()},
    ]


def _matches(answer: str, name: str) -> bool:
    """Whether a (possibly cut) answer gives ``name``: it starts with the name, or is the
    name's start of at least its first word."""
    a = _ARTICLE.sub("", answer.strip().strip("\"“”'").strip()).lower()
    n = name.lower()
    return bool(a) and (a.startswith(n) or n.startswith(a) and len(a) >= len(n.split()[0]))


def _lean(first: Sequence[tuple[str, float]], own: Sequence[str], others: Sequence[str]) -> float:
    """Probability of the first answer tokens that start only another name, minus those that
    start only the claim's (a token that starts both counts for neither)."""
    lean = 0.0
    for token, lp in first:
        t = token.strip().lower()
        if not t:
            continue
        mine = any(o.lower().startswith(t) for o in own)
        theirs = any(o.lower().startswith(t) for o in others)
        if mine != theirs:
            lean += math.exp(lp) * (1 if theirs else -1)
    return lean


async def name_check(
    llm: LLM, claim: str, every: Sequence[Unit], window: Window, p_claim: float
) -> tuple[Check, Usage]:
    """``name_swap``: how many names of ``claim`` the window (units of ``every``) and the units
    just before it give another name for, with the claim's name and the evidence's as spans.
    ``p_claim`` is the verifier's P(yes) for the claim on this window."""
    usage, spans, n = Usage(), [], 0
    for b in blanks(claim, every, window):
        sentence = claim[: b.name.start] + BLANK + claim[b.name.end :]
        evidence = _evidence(b.units, window)
        answer = await peek(llm, messages(evidence, sentence), MAX_TOKENS, prompt_id=PROMPT_ID)
        usage.add(answer.usage)
        other = next((o for o in b.others if _matches(answer.text, o[0])), None)
        if other is None or any(_matches(answer.text, o) for o in b.own):
            continue
        if _lean(answer.first, b.own, [o[0] for o in b.others]) < 0:
            continue
        _, unit, m = other
        swapped = claim[: b.name.start] + m.text + claim[b.name.end :]
        choice = await llm.achoose(
            score_messages(swapped, window.text), OPTIONS, prompt_id=SCORE_PROMPT
        )
        usage.add(choice.usage)
        if choice.probs["yes"] <= p_claim + b.margin:  # the claim's name is backed as well
            continue
        n += 1
        spans += [
            Span("claim", b.name.text, b.name.start, b.name.end),
            Span("evidence", m.text, unit.start + m.start, unit.start + m.end, unit.passage),
        ]
    return Check("name_swap", float(n), spans), usage
