"""Verification: one claim against the passages retrieval found, scored and calibrated.

The model answers one-token questions about the best evidence windows (``scoring``); code
checks the claim's names, numbers, dates, negations, opposites and roles against them; a small
calibrated model (``calibration``) turns both into P(supported) and a label, ``needs_review``
when the evidence does not settle it. What an editor sees is built by code: the deciding
evidence sentences (verbatim, offsets into their sources) and the differing words. No model
writes prose here. Imports ``llm``, ``schema``, ``text`` and the rest of ``factcheck``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quotecheck.factcheck.calibration import FULL, Calibration
from quotecheck.factcheck.checks import Check, Span
from quotecheck.factcheck.cloze import name_check
from quotecheck.factcheck.scoring import Signals, claim_signals
from quotecheck.factcheck.windows import Unit
from quotecheck.llm import LLM, render
from quotecheck.schema import Citation, Finding, Label, Passage, Usage, Verdict
from quotecheck.schema import Span as TextSpan
from quotecheck.text import sentences, stems

NO_EVIDENCE = "no relevant evidence"
UNSEEN_TERMS = "the evidence shown never mentions"
_WHAT = {
    "number_mismatch": "another number",
    "quantity_mismatch": "another quantity of the same thing",
    "title_mismatch": "a title the evidence gives someone else",
    "date_mismatch": "another date",
    "negation_flip": "a negation on one side only",
    "antonym": "the opposite word",
    "role_swap": "the names in the other roles",
    "missing_names_numbers": "names or numbers the evidence never gives",
    "modality_flip": "a hedge or plan the evidence does not make",
    "quantifier_flip": "a quantifier the evidence does not use",
    "name_swap": "a name where the evidence gives another",
}


@dataclass
class VerifyResult:
    verdict: Verdict
    usage: Usage
    prompt_sha: str | None = None
    from_logprobs: bool = True


def _citation(passages: Sequence[Passage], unit: Unit) -> Citation:
    p = passages[unit.passage]
    return Citation(
        source_id=p.source_id, start=p.start + unit.start, end=p.start + unit.end, text=unit.text
    )


def _evidence_word(passages: Sequence[Passage], s: Span) -> Citation:
    p = passages[s.passage or 0]
    return Citation(
        source_id=p.source_id, start=p.start + s.start, end=p.start + s.end, text=s.text
    )


def _deciding_sentences(
    claim: str, signals: Signals, passages: Sequence[Passage]
) -> list[Citation]:
    """The sentences of the best window that share most words with the claim (at most two)."""
    best = signals.best
    if best is None:
        return []
    want = set(stems(claim))
    out: list[tuple[int, Citation]] = []
    for unit in signals.units[best.window.first : best.window.last + 1]:
        for s in sentences(unit.text):
            piece = Unit(
                unit.passage, unit.start + s.start, unit.start + s.end, unit.text[s.start : s.end]
            )
            shared = len(want & set(stems(piece.text)))
            if shared:
                out.append((shared, _citation(passages, piece)))
    out.sort(key=lambda x: -x[0])
    return [c for _, c in out[:2]]


def _finding(claim: str, check: Check, passages: Sequence[Passage]) -> Finding:
    words = [s for s in check.spans if s.side == "claim"]
    seen = [s for s in check.spans if s.side == "evidence"]
    return Finding(
        check=check.name,
        claim=[_claim_span(claim, s) for s in words],
        evidence=[_evidence_word(passages, s) for s in seen],
    )


def _claim_span(claim: str, s: Span) -> TextSpan:
    return TextSpan(start=s.start, end=s.end, text=claim[s.start : s.end])


def _sentences_with(
    signals: Signals, passages: Sequence[Passage], checks: Sequence[Check]
) -> list[Citation]:
    """The evidence sentences holding the words the checks found."""
    out = []
    for s in (s for c in checks for s in c.spans if s.side == "evidence"):
        for unit in signals.units:
            if unit.passage == s.passage and unit.start <= s.start < unit.end:
                for sent in sentences(unit.text):
                    if unit.start + sent.start <= s.start < unit.start + sent.end:
                        piece = Unit(
                            unit.passage,
                            unit.start + sent.start,
                            unit.start + sent.end,
                            unit.text[sent.start : sent.end],
                        )
                        out.append(_citation(passages, piece))
    return out


def _explain(label: Label, p: float, findings: list[Finding], cited: list[Citation]) -> str:
    quote = f"“{cited[0].text}” ({cited[0].source_id})" if cited else "no sentence"
    diffs = "; ".join(
        f"{_WHAT.get(f.check, f.check)}: "
        + ", ".join(f"“{w.text}”" for w in f.claim)
        + (" against " + ", ".join(f"“{w.text}”" for w in f.evidence) if f.evidence else "")
        for f in findings
    )
    if label is Label.supported:
        return f"The evidence states it: {quote}."
    if label is Label.refuted:
        return f"The evidence differs: {diffs}. Closest evidence: {quote}."
    if label is Label.needs_review:
        return (
            f"P(supported) {p:.2f} is in the review band; closest evidence: {quote}"
            + (f"; differences: {diffs}" if diffs else "")
            + "."
        )
    return (
        f"No evidence sentence states it; closest: {quote}" + (f"; {diffs}" if diffs else "") + "."
    )


def decide(
    claim: str, signals: Signals, passages: Sequence[Passage], calibration: Calibration = FULL
) -> Verdict:
    """The verdict, its probability, citations and findings, from measured signals."""
    if not signals.scored:
        return Verdict(label=Label.not_enough_evidence, reason=NO_EVIDENCE)
    p = calibration.probability(signals.features())
    contradictions = signals.contradictions()
    label = calibration.label(p, bool(contradictions))
    cited = _deciding_sentences(claim, signals, passages)
    fired = contradictions if label is not Label.supported else []
    missing = signals.shown["missing_names_numbers"]
    if missing.value and label is not Label.supported:
        fired = [*fired, missing]
    findings = [_finding(claim, c, passages) for c in fired]
    partial, reason = False, None
    best = signals.best
    if label is not Label.supported and missing.value:
        terms = ", ".join(s.text for s in missing.spans if s.side == "claim")
        reason = f"{UNSEEN_TERMS}: {terms}"
        # partly supported: the model finds the rest backed, the names or numbers it lacks not
        partial = best is not None and best.p_yes >= 0.5
    if label is Label.refuted:  # the sentence that says otherwise comes first
        cited = _sentences_with(signals, passages, fired) + cited
        cited = list({(c.source_id, c.start): c for c in cited}.values())[:3]
    return Verdict(
        label=label,
        partial=partial,
        probability=round(p, 4),
        explanation=_explain(label, p, findings, cited),
        citations=cited,
        findings=findings,
        reason=reason,
    )


async def ask_names(
    llm: LLM, claim: str, signals: Signals, calibration: Calibration = FULL
) -> None:
    """Ask the name question (``cloze``) where its answer can change the verdict: the claim
    is headed for ``supported`` or review; the answer goes into ``signals``."""
    best = signals.best
    if best is None or not calibration.with_checks:
        return
    if calibration.probability(signals.features()) < calibration.t_lo:
        return
    claim = " ".join(claim.split())
    check, usage = await name_check(llm, claim, signals.units, best.window, best.p_yes)
    signals.usage.add(usage)
    signals.names = check


async def verify_passages_async(
    claim: str, passages: Sequence[Passage], llm: LLM, *, calibration: Calibration = FULL
) -> VerifyResult:
    """Verdict on ``claim`` given ``passages``; no passages (or no claim) means no model call."""
    if not passages or not claim.strip():
        return VerifyResult(Verdict(label=Label.not_enough_evidence, reason=NO_EVIDENCE), Usage())
    signals = await claim_signals(llm, claim, [p.text for p in passages])
    await ask_names(llm, claim, signals, calibration)
    verdict = decide(claim, signals, passages, calibration)
    return VerifyResult(verdict, signals.usage, render("verify_score")[1], signals.from_logprobs)


def plain_passages(passages: Sequence[str]) -> list[Passage]:
    """Plain strings as passages named ``passage-N`` (1-based), offsets into each string."""
    return [
        Passage(source_id=f"passage-{i + 1}", start=0, end=len(text), text=text)
        for i, text in enumerate(passages)
        if text.strip()
    ]


async def verify_claim_async(
    claim: str, passages: list[str], llm: LLM, *, calibration: Calibration = FULL
) -> Verdict:
    """Verdict on ``claim`` given plain-text ``passages`` (for benchmarks and notebooks).

    Citations name the passage as ``passage-N`` (1-based) with offsets into that string.
    """
    wrapped = plain_passages(passages)
    return (await verify_passages_async(claim, wrapped, llm, calibration=calibration)).verdict
