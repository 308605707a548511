"""Which name does the evidence give? One short question per name of a claim.

The one-token verifier question is blind to a name swapped for another the evidence also gives
("Todd Watson is the head coach" and "Ron Bakir is the head coach" against a window naming
both), and the names check cannot see it either: every name is there. So each name of the
claim that the deciding window holds, beside other names, is blanked ("____ is the head coach
of the Odessa Jackalopes") and the model is asked to fill the blank from the window
(``prompts/verify_name.j2``, a few tokens). Code matches the answer to the window's names.
When it gives another name, the first answer token's alternatives lean that way too, and the
verifier's own question (``scoring``) finds the claim with that name better supported by the
window than the claim as written, the check fires with both names as its spans. Measured on
FIT claims and the same claims with one name swapped by code (BENCHMARKS.md, tuning log).
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
BLANK = "____"
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


@dataclass
class Blank:
    """One name of the claim, the window's names for the same thing (``own``) and those for
    nothing the claim names (``others``, each with its unit)."""

    name: Name
    own: list[str]
    others: list[tuple[str, Unit, Name]]


def blanks(claim: str, shown: Sequence[Unit]) -> list[Blank]:
    """The claim's names worth a question against the units ``shown``: named there, beside
    at least one other name. (A name the window lacks is not asked about: any name of the
    window fits its blank better, so the answer says nothing; the names check speaks there.)"""
    found = [(u, n) for u in shown for n in names(u.text)]
    plain = {n.text for _, n in found if not n.opener}
    # a lone capitalised word opening its sentence counts only if it is a name elsewhere too
    found = [(u, n) for u, n in found if not n.opener or n.text in plain]
    ours = [n for n in names(claim) if name_words(n.text) & key_terms(claim)]
    out = []
    for n in ours:
        own = sorted({m.text for _, m in found if same_name(m.text, n.text)})
        others = {
            m.text: (m.text, u, m)
            for u, m in found
            if not any(same_name(m.text, c.text) for c in ours)
        }
        if own and others:
            out.append(Blank(n, own, list(others.values())))
    return out[:MAX_NAMES]


def _evidence(units_shown: Sequence[Unit], window: Window) -> str:
    """The window's units a line each; the window's own text where it cut a huge unit short."""
    text = "\n".join(" ".join(u.text.split()) for u in units_shown)
    return text if len(text) <= len(window.text) + len(units_shown) else window.text


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
    llm: LLM, claim: str, shown: Sequence[Unit], window: Window, p_claim: float
) -> tuple[Check, Usage]:
    """``name_swap``: how many names of ``claim`` the window (its units ``shown``) gives
    another name for, with the claim's name and the window's as spans. ``p_claim`` is the
    verifier's P(yes) for the claim on this window."""
    usage, spans, n = Usage(), [], 0
    evidence = _evidence(shown, window)
    for b in blanks(claim, shown):
        sentence = claim[: b.name.start] + BLANK + claim[b.name.end :]
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
        if choice.probs["yes"] <= p_claim:  # the window backs the claim's name at least as well
            continue
        n += 1
        spans += [
            Span("claim", b.name.text, b.name.start, b.name.end),
            Span("evidence", m.text, unit.start + m.start, unit.start + m.end, unit.passage),
        ]
    return Check("name_swap", float(n), spans), usage
