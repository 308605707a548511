"""The generative verifier the project had before the scored one (a baseline for evaluation).

It asks the model for a JSON verdict (label, cited sentence numbers, a written rationale) about
24 BM25-selected evidence sentences; ``quotecheck eval factcheck`` scores it beside the scored
verifier (``factcheck.verify``) on the same items. Kept as it was: only its imports moved.

The model sees the passages as numbered sentences and cites numbers; code maps each number
back to the sentence's offsets in its source, so a citation cannot be invented or
misquoted. The model's "partly_supported" becomes ``not_enough_evidence`` with
``partial=True`` (see ``quotecheck.schema.factcheck``).
Imports ``llm``, ``schema``, ``text`` and the evidence of ``factcheck``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

import bm25s
from pydantic import BaseModel, Field, StringConstraints

from quotecheck.factcheck import plain_passages, split_sentences, tokenize
from quotecheck.llm import LLM, render
from quotecheck.schema import Citation, Label, Passage, Usage, Verdict
from quotecheck.text import content_words, missing_terms

NO_EVIDENCE = "no relevant evidence"
OFF_TOPIC = "the model found no evidence sentence on the claim's topic"
UNRELATED_CITATIONS = "the cited sentences share no words but names with the claim"
UNSEEN_TERMS = "the evidence shown never mentions"
_NAME = re.compile(r"\b[A-Z][\w'’-]*")
_DIGIT = re.compile(r"\d")
MIN_SENTENCE_WORDS = 3  # headings and labels are not evidence
MAX_SENTENCES = 24  # shown to the model
MAX_CANDIDATES = 2000  # read from the passages before selection
MAX_RATIONALE_CHARS = 300
MAX_CITED = 4
MAX_VERIFY_TOKENS = 200


class _VerifyAnswer(BaseModel):
    same_topic: bool
    label: Literal["supported", "refuted", "partly_supported", "not_enough_evidence"]
    # bounded so the grammar stops a small model listing every sentence number
    evidence: list[int] = Field(max_length=MAX_CITED)
    rationale: Annotated[str, StringConstraints(max_length=MAX_RATIONALE_CHARS)]


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
            if len(s.text.split()) < MIN_SENTENCE_WORDS:
                continue
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


def to_verdict(claim: str, answer: _VerifyAnswer, sentences: Sequence[Citation]) -> Verdict:
    """Map the wire answer to a Verdict (partly supported as documented above).

    Code has the last word on relevance: an answer that says the evidence is off topic, or
    cites sentences that share nothing but names with the claim, becomes
    ``not_enough_evidence``; small models otherwise call unrelated evidence a refutation.
    "Supported" also needs every number and name of the claim somewhere in the evidence shown:
    otherwise it is partly supported at most (a swapped name or figure is the classic error
    a small model waves through).
    """
    partial = answer.label == "partly_supported"
    label = Label.not_enough_evidence if partial else Label(answer.label)
    ids = list(dict.fromkeys(answer.evidence))
    citations = [sentences[i - 1] for i in ids if 1 <= i <= len(sentences)]
    rationale = " ".join(answer.rationale.split())
    reason = None
    if label is not Label.not_enough_evidence or partial:
        if not answer.same_topic:
            reason = OFF_TOPIC
        elif not _on_topic(claim, citations):
            reason = UNRELATED_CITATIONS
        if reason:
            label, partial = Label.not_enough_evidence, False
    if label is Label.supported:
        missing = missing_terms(claim, [c.text for c in sentences])
        if missing:  # the evidence backs the rest at most: a name or number it never gives
            label, partial = Label.not_enough_evidence, True
            reason = f"{UNSEEN_TERMS}: {', '.join(missing)}"
    if label is Label.not_enough_evidence and not partial:
        citations = []
    return Verdict(
        label=label, partial=partial, explanation=rationale, citations=citations, reason=reason
    )


def _on_topic(claim: str, citations: Sequence[Citation]) -> bool:
    """Whether the cited sentences are about the claim, not merely about the same names.

    They must share a content word with the claim that is not a name ("Kim Jong Un" alone
    is not evidence about his weapons programme); sharing only names counts when both sides
    give a number (an age, an amount, a year).
    """
    words = content_words(claim)
    cited = set().union(*(content_words(c.text) for c in citations)) if citations else set()
    shared = words & cited
    if not shared:
        return False
    names = {m.group().lower() for m in _NAME.finditer(claim)}
    if shared - names:
        return True
    return bool(_DIGIT.search(claim)) and any(_DIGIT.search(c.text) for c in citations)


def shown_sentences(
    claim: str, passages: Sequence[Passage], *, retrieval: bool = True
) -> list[Citation]:
    """What the model reads: BM25's best sentences, or (the baseline) simply the first ones."""
    candidates = evidence_sentences(passages)
    if retrieval:
        return select_sentences(claim, candidates)
    return candidates[:MAX_SENTENCES]


async def verify_passages_async(
    claim: str, passages: Sequence[Passage], llm: LLM, *, retrieval: bool = True
) -> VerifyResult:
    """Ask the model about ``claim`` given ``passages``; no passages means no call.

    ``retrieval=False`` shows the first sentences instead of the best-matching ones; it exists
    to measure what retrieval is worth.
    """
    sentences = shown_sentences(claim, passages, retrieval=retrieval)
    if not sentences or not claim.strip():
        return VerifyResult(Verdict(label=Label.not_enough_evidence, reason=NO_EVIDENCE), Usage())
    shown = [{"id": i + 1, "text": " ".join(c.text.split())} for i, c in enumerate(sentences)]
    prompt, sha = render("verify", claim=" ".join(claim.split()), sentences=shown)

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

    done = await llm.acomplete(
        prompt,
        _VerifyAnswer,
        prompt_id="verify",
        validate=validate,
        max_tokens=MAX_VERIFY_TOKENS,
    )
    return VerifyResult(to_verdict(claim, done.value, sentences), done.usage, sha)


async def verify_claim_async(
    claim: str, passages: list[str], llm: LLM, *, retrieval: bool = True
) -> Verdict:
    """Verdict on ``claim`` given plain-text ``passages`` (for benchmarks and notebooks).

    Citations name the passage as ``passage-N`` (1-based) with offsets into that string.
    """
    wrapped = plain_passages(passages)
    return (await verify_passages_async(claim, wrapped, llm, retrieval=retrieval)).verdict


def retrieval_applies(claim: str, passages: Sequence[str]) -> bool:
    """Whether BM25 changes what the model reads (only when there are too many sentences)."""
    wrapped = plain_passages(passages)
    return shown_sentences(claim, wrapped) != shown_sentences(claim, wrapped, retrieval=False)
