"""The signals a verdict is computed from: one-token model scores and code checks.

For one claim: the evidence is cut into windows (``windows``), the best ``TOP_WINDOWS`` for the
claim are each asked one question ("is the claim fully supported by the evidence? yes or no",
``prompts/verify_score.j2``) whose answer token's probabilities are read, plus the same question
with no evidence (the model's prior for the claim, which a good score must beat). Code checks
run between the claim and the windows shown (``@E``) and the whole evidence (``@D``). Instructions
come first and the claim before the window, so consecutive calls share their prefix in the
server's cache. Imports ``llm``, ``schema`` and the windows and checks of ``factcheck``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from quotecheck.factcheck.checks import Check, Evidence, novel_content, run_checks
from quotecheck.factcheck.windows import Unit, Window, rank, units, windows
from quotecheck.llm import LLM, render
from quotecheck.schema import Usage

PROMPT_ID = "verify_score"
OPTIONS = ("yes", "no")
NULL_EVIDENCE = "(no evidence given)"
CLIP = 3.0  # counts of differences above this add nothing
_EPS = 1e-4
#: checks whose firing, with a low P(supported), makes the claim refuted (not merely unbacked)
CONTRADICTIONS = ("negation_flip", "antonym", "number_mismatch", "date_mismatch", "role_swap")
#: the same, measured against the whole evidence: a quantity of the claim's thing that the
#: evidence never gives with the claim's value, or a title it gives another person, is a
#: contradiction wherever it stands
DOCUMENT_CONTRADICTIONS = ("quantity_mismatch", "title_mismatch")
#: the feature of the name question (``cloze``): a model answer, so ``m_`` (kept when the code
#: checks of a saved record are measured again), absent where the question was not asked
NAME_SWAP = "m_name_swap"
#: the checks that name differing words (all but the share of claim words the evidence lacks,
#: which is almost never zero): when none fires, the model's answer is all a verdict rests on,
#: so it gets a weight of its own (``m_sup_clean``)
DIFFERENCES = (
    "missing_names_numbers@E",
    "missing_names_numbers@D",
    *(f"{k}@E" for k in ("modality_flip", "quantifier_flip", *CONTRADICTIONS)),
    *(f"{k}@D" for k in DOCUMENT_CONTRADICTIONS),
)


@dataclass
class Scored:
    window: Window
    bm25: float
    p_yes: float


@dataclass
class Signals:
    """Everything measured for one claim; ``features`` feeds the calibration."""

    units: list[Unit]
    scored: list[Scored]
    prior: float | None
    shown: dict[str, Check]
    document: dict[str, Check]
    usage: Usage = field(default_factory=Usage)
    from_logprobs: bool = True
    names: Check | None = None  # the name question (``cloze``), where it was asked

    @property
    def best(self) -> Scored | None:
        return max(self.scored, key=lambda s: s.p_yes) if self.scored else None

    def features(self) -> dict[str, float]:
        best = self.best
        out = {"m_sup": _logit(best.p_yes if best else 0.0)}
        if self.prior is not None:
            out["m_null"] = _logit(self.prior)
        if self.names is not None:
            out[NAME_SWAP] = self.names.value
        return with_derived(out | _as_features(self.shown, self.document))

    def contradictions(self) -> list[Check]:
        found = [self.shown[k] for k in CONTRADICTIONS if self.shown[k].value > 0]
        found += [self.document[k] for k in DOCUMENT_CONTRADICTIONS if self.document[k].value > 0]
        return found + ([self.names] if self.names is not None and self.names.value > 0 else [])


def with_derived(features: dict[str, float]) -> dict[str, float]:
    """``features`` with those computed from the others (also for records saved before them)."""
    clean = not any(features.get(k, 0.0) > 0 for k in DIFFERENCES)
    return features | {"m_sup_clean": features.get("m_sup", 0.0) if clean else 0.0}


def contradicted(features: dict[str, float]) -> bool:
    """Whether a contradiction check fired on the evidence shown (from ``Signals.features``)."""
    found = any(features.get(f"{k}@E", 0.0) > 0 for k in CONTRADICTIONS)
    found = found or any(features.get(f"{k}@D", 0.0) > 0 for k in DOCUMENT_CONTRADICTIONS)
    return found or features.get(NAME_SWAP, 0.0) > 0


def _logit(p: float) -> float:
    p = min(max(p, _EPS), 1 - _EPS)
    return math.log(p / (1 - p))


def messages(claim: str, evidence: str) -> list[dict[str, str]]:
    instructions, _ = render(PROMPT_ID)
    user = f"Claim: {claim}\nEvidence: {evidence}\nAnswer yes or no."
    return [{"role": "system", "content": instructions.strip()}, {"role": "user", "content": user}]


def _checks(claim: str, shown: Sequence[Unit]) -> dict[str, Check]:
    return {c.name: c for c in run_checks(claim, Evidence(shown))}


async def claim_signals(
    llm: LLM, claim: str, passages: Sequence[str], *, prior: bool = True
) -> Signals:
    """Score ``claim`` against the best windows of ``passages`` and run the code checks."""
    claim = " ".join(claim.split())
    us = units(passages)
    ranked = rank(claim, windows(us))
    usage, from_logprobs = Usage(), True
    scored = []
    for window, bm25 in ranked:
        choice = await llm.achoose(messages(claim, window.text), OPTIONS, prompt_id=PROMPT_ID)
        usage.add(choice.usage)
        from_logprobs &= choice.from_logprobs
        scored.append(Scored(window, bm25, choice.probs["yes"]))
    p0 = None
    if prior and scored:
        choice = await llm.achoose(messages(claim, NULL_EVIDENCE), OPTIONS, prompt_id=PROMPT_ID)
        usage.add(choice.usage)
        p0 = choice.probs["yes"]
    shown, document = code_checks(claim, us, [s.window for s in scored])
    return Signals(us, scored, p0, shown, document, usage, from_logprobs)


def code_checks(
    claim: str, us: Sequence[Unit], shown_windows: Sequence[Window]
) -> tuple[dict[str, Check], dict[str, Check]]:
    """The code checks between ``claim`` and the windows shown to the model, and the whole
    evidence ``us`` (no model here)."""
    shown_idx = sorted({i for w in shown_windows for i in range(w.first, w.last + 1)})
    shown = _checks(claim, [us[i] for i in shown_idx])
    document = _checks(claim, us)
    document["novel_content_worst_part"] = _worst_part(claim, Evidence(us))
    return shown, document


def code_features(claim: str, passages: Sequence[str]) -> dict[str, float]:
    """The code-check features ``claim_signals`` would give (the same windows, found the same
    way), without asking the model: to re-score saved model answers under today's checks."""
    claim = " ".join(claim.split())
    us = units(passages)
    shown, document = code_checks(claim, us, [w for w, _ in rank(claim, windows(us))])
    return _as_features(shown, document)


def _as_features(shown: dict[str, Check], document: dict[str, Check]) -> dict[str, float]:
    out = {f"{k}@E": min(c.value, CLIP) for k, c in shown.items()}
    return out | {f"{k}@D": min(c.value, CLIP) for k, c in document.items()}


_CLAUSE = re.compile(
    r",\s+(?:and|but|while|whereas)\s+|;\s+|\s+and\s+(?=(?:the|a|an|he|she|they|it|his|her|their)\b)"
)


def claim_parts(claim: str) -> list[tuple[int, str]]:
    """The claim's clauses with their offsets ("X did A, and the board approved B")."""
    out, pos = [], 0
    for m in [*_CLAUSE.finditer(claim), None]:
        end = m.start() if m else len(claim)
        piece = claim[pos:end]
        if len(piece.split()) >= 4:
            out.append((pos, piece))
        pos = m.end() if m else pos
    return out or [(0, claim)]


def _worst_part(claim: str, doc: Evidence) -> Check:
    """The clause of the claim with the largest share of words the whole evidence never uses
    (a compound claim is as good as its worst part)."""
    found = []
    for offset, part in claim_parts(claim):
        c = novel_content(part, doc)
        spans = [replace(s, start=s.start + offset, end=s.end + offset) for s in c.spans]
        found.append(Check("novel_content_worst_part", c.value, spans))
    return max(found, key=lambda c: c.value)
