"""Verification: one claim against the passages retrieval found, with citations by code.

The model sees the passages as numbered sentences and cites numbers; code maps each number
back to the sentence's offsets in its source, so a citation cannot be invented or
misquoted. The model's "partly_supported" becomes ``not_enough_evidence`` with
``partial=True`` (see ``quotecheck.factcheck_models``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import bm25s
from pydantic import BaseModel

from quotecheck import prompts
from quotecheck.evidence import split_sentences, tokenize
from quotecheck.factcheck_models import Citation, Label, Passage, Verdict
from quotecheck.models import Usage

NO_EVIDENCE = "no relevant evidence"
MAX_SENTENCES = 24  # shown to the model
MAX_CANDIDATES = 2000  # read from the passages before selection
MAX_RATIONALE_CHARS = 300


class _VerifyAnswer(BaseModel):
    label: Literal["supported", "refuted", "partly_supported", "not_enough_evidence"]
    evidence: list[int]
    rationale: str


@dataclass
class VerifyResult:
    verdict: Verdict
    usage: Usage
    prompt_sha: str | None = None


def evidence_sentences(passages: Sequence[Passage], limit: int = MAX_CANDIDATES) -> list[Citation]:
    """The passages' sentences in order, each with offsets into its source; no repeats."""
    seen: set[tuple[str, int]] = set()
    out: list[Citation] = []
    for p in passages:
        for s in split_sentences(p.text):
            key = (p.source_id, p.start + s.start)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                Citation(
                    source_id=p.source_id,
                    start=p.start + s.start,
                    end=p.start + s.end,
                    text=s.text,
                )
            )
            if len(out) >= limit:
                return out
    return out


def select_sentences(
    claim: str, sentences: Sequence[Citation], limit: int = MAX_SENTENCES
) -> list[Citation]:
    """At most ``limit`` sentences, the ones sharing most rare words with the claim.

    Long inputs (a whole transcript as one passage) would otherwise blow the prompt up;
    the chosen sentences keep their document order so the model reads them in context.
    """
    if len(sentences) <= limit:
        return list(sentences)
    index = bm25s.BM25()
    index.index(tokenize([c.text for c in sentences]), show_progress=False)
    query = tokenize([claim])
    if not query[0]:
        return list(sentences[:limit])
    ids, _ = index.retrieve(query, k=limit, show_progress=False)
    keep = sorted(int(i) for i in ids[0])
    return [sentences[i] for i in keep]


def to_verdict(answer: _VerifyAnswer, sentences: Sequence[Citation]) -> Verdict:
    """Map the wire answer to a Verdict; partly supported is reported as documented above."""
    partial = answer.label == "partly_supported"
    label = Label.not_enough_evidence if partial else Label(answer.label)
    ids = list(dict.fromkeys(answer.evidence))
    citations = [sentences[i - 1] for i in ids if 1 <= i <= len(sentences)]
    if label is Label.not_enough_evidence and not partial:
        citations = []
    rationale = " ".join(answer.rationale.split())[:MAX_RATIONALE_CHARS]
    return Verdict(label=label, partial=partial, rationale=rationale, citations=citations)


async def verify_passages_async(claim: str, passages: Sequence[Passage], llm) -> VerifyResult:
    """Ask the model about ``claim`` given ``passages``; no passages means no call."""
    sentences = select_sentences(claim, evidence_sentences(passages))
    if not sentences or not claim.strip():
        return VerifyResult(Verdict(label=Label.not_enough_evidence, reason=NO_EVIDENCE), Usage())
    shown = [{"id": i + 1, "text": " ".join(c.text.split())} for i, c in enumerate(sentences)]
    prompt, sha = prompts.render("verify", claim=" ".join(claim.split()), sentences=shown)

    def validate(answer: _VerifyAnswer) -> None:
        bad = sorted({i for i in answer.evidence if not 1 <= i <= len(sentences)})
        if bad:
            raise ValueError(
                f"evidence numbers {bad} do not exist; use only numbers 1 to {len(sentences)}"
            )
        if answer.label in ("supported", "refuted", "partly_supported") and not answer.evidence:
            raise ValueError(
                f"label {answer.label!r} needs the numbers of the evidence sentences it relies "
                "on in 'evidence'; if none apply, answer not_enough_evidence"
            )

    answer, usage = await llm.astructured(
        [{"role": "user", "content": prompt}],
        _VerifyAnswer,
        prompt_id="verify",
        validate=validate,
        max_tokens=120,
    )
    return VerifyResult(to_verdict(answer, sentences), usage, sha)


async def verify_claim_async(claim: str, passages: list[str], llm) -> Verdict:
    """Verdict on ``claim`` given plain-text ``passages`` (for benchmarks and notebooks).

    Citations name the passage as ``passage-N`` (1-based) with offsets into that string.
    """
    wrapped = [
        Passage(source_id=f"passage-{i + 1}", start=0, end=len(text), text=text)
        for i, text in enumerate(passages)
        if text.strip()
    ]
    return (await verify_passages_async(claim, wrapped, llm)).verdict
