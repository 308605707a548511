"""The public contract of fact-checking: claims, evidence, verdicts and quote fidelity.

Every span is computed by code, never taken from a model: ``Claim.sentence`` slices the
article, and ``Passage`` / ``Citation`` slice their source's text (for HTML sources, the
text extracted from the HTML), so ``source_text[start:end] == text`` always holds.

How partly supported claims are reported: claims are split into atomic facts first, so a
verdict is about one fact. When the verifier still finds a claim only partly backed:

* any contradicted part makes the whole claim ``refuted``;
* some parts confirmed and none contradicted gives ``not_enough_evidence`` with
  ``partial=True`` (an editor should look: the sources back only part of it).
Imports only the shared shapes of ``schema``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from quotecheck.schema.common import ArticleReport, RunInfo, Span

FACTCHECK_SCHEMA_VERSION = "1.2"


class Assertor(StrEnum):
    """Who puts the claim forward."""

    article = "article"  # the article's own voice
    speaker = "speaker"  # someone the article quotes or reports


class Claim(BaseModel):
    """One check-worthy fact of the article, grounded to the sentence that states it."""

    id: str
    text: str = Field(description="the atomic claim; the sentence itself or a short rewrite")
    sentence: Span = Field(description="the article sentence that states it")
    asserted_by: Assertor = Assertor.article
    speaker_name: str | None = None
    quote_id: str | None = Field(None, description="the Quote the sentence belongs to")
    rewritten: bool = Field(False, description="text is the model's atomic rewrite")


class Passage(BaseModel):
    """A retrievable piece of one evidence source: ``source_text[start:end] == text``."""

    model_config = ConfigDict(frozen=True)

    source_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Citation(BaseModel):
    """An evidence sentence the verifier relied on, checked verbatim against its source."""

    source_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Label(StrEnum):
    supported = "supported"
    refuted = "refuted"
    not_enough_evidence = "not_enough_evidence"
    needs_review = "needs_review"  # the evidence does not settle it either way: an editor reads


class Finding(BaseModel):
    """A difference code found between the claim and the evidence, in the words of each."""

    check: str = Field(description="number_mismatch, date_mismatch, negation_flip, antonym, ...")
    claim: list[Span] = Field(default_factory=list, description="the claim's words (claim offsets)")
    evidence: list[Citation] = Field(
        default_factory=list, description="the evidence's words (offsets into the source)"
    )


class Verdict(BaseModel):
    """The verifier's decision on one claim (see the module docstring for ``partial``)."""

    label: Label
    partial: bool = False
    probability: float | None = Field(
        None, description="calibrated P(supported); None when no model was asked"
    )
    explanation: str = Field("", description="built by code from the citations and findings")
    citations: list[Citation] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    reason: str | None = Field(
        None, description="why code decided the label (no relevant evidence, unseen names)"
    )


class ScoredPassage(BaseModel):
    passage: Passage
    score: float


class ClaimCheck(BaseModel):
    claim: Claim
    verdict: Verdict
    passages: list[ScoredPassage] = Field(
        default_factory=list, description="what retrieval found (shown to the verifier if any)"
    )


class FidelityStatus(StrEnum):
    exact = "exact"  # found verbatim in the transcript
    trivial = "trivial"  # differs only in punctuation, case or whitespace
    altered = "altered"  # wording differs (see the word diff)
    not_found = "not_found"  # nothing close enough in any transcript


class DiffOp(BaseModel):
    """One step of the word-level diff, from the transcript's words to the article's."""

    op: str = Field(description="equal, replace, delete (only in transcript), insert (article)")
    article: str = ""
    transcript: str = ""

    def describe(self, mark: Callable[[str], str] = "'{}'".format) -> str:
        """The change in words: "dropped 'not'", "'year' became 'decade'" (``mark`` quotes)."""
        if self.op == "delete":
            return f"dropped {mark(self.transcript)}"
        if self.op == "insert":
            return f"added {mark(self.article)}"
        return f"{mark(self.transcript)} became {mark(self.article)}"


class FragmentAlignment(BaseModel):
    """Where one quoted fragment of the article lies in the transcripts."""

    fragment: Span
    status: FidelityStatus
    score: float = Field(description="rapidfuzz partial_ratio of normalised text, 0-100")
    transcript_id: str | None = None
    transcript_span: Span | None = Field(None, description="offsets into the transcript file")
    transcript_speaker: str | None = None
    diff: list[DiffOp] = Field(default_factory=list)


class QuoteFidelity(BaseModel):
    """How faithfully one direct quote of the article renders the transcript."""

    quote_id: str
    speaker_name: str | None = None
    status: FidelityStatus = Field(description="the worst status over the fragments")
    fragments: list[FragmentAlignment]
    speaker_match: bool | None = Field(
        None, description="transcript speaker is the article's speaker; None if not comparable"
    )
    meaning_changed: bool | None = Field(None, description="LLM judgement, for altered quotes")
    meaning_reason: str | None = None


class FactCheckReport(ArticleReport):
    schema_version: str = FACTCHECK_SCHEMA_VERSION
    claims: list[ClaimCheck] = Field(default_factory=list)
    quotes: list[QuoteFidelity] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="evidence source ids")
    transcripts: list[str] = Field(default_factory=list, description="transcript ids")
    warnings: list[str] = Field(default_factory=list)
    run: RunInfo | None = None
