"""Fact-checking orchestration: claims against evidence, quotes against transcripts.

``check_claims`` extracts check-worthy claims, retrieves passages per claim with BM25 and
asks the verifier only about claims that have relevant evidence. ``check_quotes`` aligns
the article's direct quotes with transcripts and asks the model only whether altered
wording changes the meaning. ``check_article`` does both with one quote extraction.

Only wiring: imports ``llm``, ``quotes`` (its face), ``schema``, ``text`` and the rest of
``factcheck``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, Unpack

from quotecheck.errors import InvalidOutput
from quotecheck.factcheck.claims import extract_claims_async
from quotecheck.factcheck.evidence import EvidenceIndex
from quotecheck.factcheck.fidelity import DEFAULT_THRESHOLD, align_quotes, judge_meaning_async
from quotecheck.factcheck.transcripts import Transcript, load_transcripts
from quotecheck.factcheck.verify import verify_passages_async
from quotecheck.llm import LLM, sync_twin
from quotecheck.quotes import extract_quotes_async
from quotecheck.schema import (
    ArticleMeta,
    Claim,
    ClaimCheck,
    FactCheckReport,
    FidelityStatus,
    Label,
    QuoteReport,
    RunInfo,
    Usage,
    Verdict,
)
from quotecheck.text import prepare_page, text_sha256

INVALID_ANSWER = "the model gave no valid answer"
EvidenceArg = Sequence[str | Path] | EvidenceIndex
TranscriptArg = Sequence[str | Path] | Sequence[Transcript]


@dataclass(frozen=True)
class ClaimOptions:
    """How claims are checked: passages per claim, opinions too, who asserts each claim (runs
    the quote pipeline when no quote report is given), and claims verified at once."""

    top_k: int = 3
    include_opinions: bool = False
    attribute_speakers: bool = True
    concurrency: int = 2


@dataclass(frozen=True)
class QuoteOptions:
    """How quotes are checked: the fuzzy-match threshold and the model's meaning judgement."""

    threshold: float = DEFAULT_THRESHOLD
    judge_meaning: bool = True


@dataclass
class _Run:
    """What one check spends, gathered from every step."""

    llm: LLM
    usage: Usage
    shas: dict[str, str]
    logprobs: bool | None = None  # None: no verifier question was asked

    def info(self, t0: float) -> RunInfo:
        return RunInfo(
            model=self.llm.model,
            endpoint_kind=self.llm.endpoint_kind,
            base_url=self.llm.base_url,
            prompts=self.shas,
            usage=self.usage,
            attempts=self.usage.calls,
            seconds=round(time.perf_counter() - t0, 3),
            logprobs=self.logprobs,
        )


async def _claims_into(
    report: FactCheckReport,
    text: str,
    evidence: EvidenceArg,
    quotes: QuoteReport | None,
    options: ClaimOptions,
    run: _Run,
) -> None:
    index = evidence if isinstance(evidence, EvidenceIndex) else EvidenceIndex.from_paths(evidence)
    report.warnings.extend(index.warnings)
    report.sources = list(index.sources)
    if not index.passages:
        report.warnings.append("no evidence passages: every claim is not_enough_evidence")
    extraction = await extract_claims_async(
        text, run.llm, quotes=quotes, include_opinions=options.include_opinions
    )
    run.usage.add(extraction.usage)
    run.shas.update(extraction.prompts)
    if extraction.failed_splits:
        report.warnings.append(
            f"{extraction.failed_splits} sentence(s) could not be split into atomic facts; "
            "each is checked as a whole"
        )
    if extraction.replaced_rewrites:
        report.warnings.append(
            f"{extraction.replaced_rewrites} claim rewrite(s) not backed by their sentence "
            "were replaced by the sentence itself"
        )
    gate = asyncio.Semaphore(max(1, options.concurrency))

    async def one(claim: Claim) -> ClaimCheck:
        found = index.relevant(claim.text, k=options.top_k)
        try:
            async with gate:
                result = await verify_passages_async(
                    claim.text, [sp.passage for sp in found], run.llm
                )
        except InvalidOutput as err:
            # one claim the model cannot answer must not sink the others
            run.usage.add(err.usage)
            report.warnings.append(f"{claim.id}: {err}; left as not_enough_evidence")
            verdict = Verdict(label=Label.not_enough_evidence, reason=INVALID_ANSWER)
            return ClaimCheck(claim=claim, verdict=verdict, passages=found)
        run.usage.add(result.usage)
        if result.prompt_sha:
            run.shas["verify_score"] = result.prompt_sha
            run.logprobs = (run.logprobs is not False) and result.from_logprobs
        verdict = result.verdict
        kept = [
            c
            for c in verdict.citations
            if index.sources[c.source_id].text[c.start : c.end] == c.text
        ]
        if len(kept) != len(verdict.citations):
            report.warnings.append(f"{claim.id}: a citation did not match its source; dropped")
            verdict = verdict.model_copy(update={"citations": kept})
        return ClaimCheck(claim=claim, verdict=verdict, passages=found)

    report.claims = list(await asyncio.gather(*(one(c) for c in extraction.claims)))
    if run.logprobs is False:
        report.warnings.append(
            "the endpoint returned no log-probabilities: each verdict's probability comes from "
            "the generated yes/no alone (run.logprobs is false)"
        )


async def _quotes_into(
    report: FactCheckReport,
    text: str,
    transcripts: list[Transcript],
    quotes: QuoteReport,
    options: QuoteOptions,
    run: _Run,
) -> None:
    report.quotes = align_quotes(text, quotes, transcripts, options.threshold)
    if not options.judge_meaning:
        return
    for i, fid in enumerate(report.quotes):
        if fid.status != FidelityStatus.altered:
            continue
        judged = await judge_meaning_async(fid, run.llm)
        if judged is None:
            continue
        run.usage.add(judged.usage)
        run.shas["fidelity_meaning"] = judged.prompt_sha
        report.quotes[i] = fid.model_copy(
            update={"meaning_changed": judged.changed, "meaning_reason": judged.reason}
        )


async def check_article_async(
    text: str | bytes,
    *,
    evidence: EvidenceArg | None = None,
    transcripts: TranscriptArg | None = None,
    article_id: str | None = None,
    quotes: QuoteReport | None = None,
    llm: LLM | None = None,
    claim_options: ClaimOptions | None = None,
    quote_options: QuoteOptions | None = None,
    article: ArticleMeta | None = None,
) -> FactCheckReport:
    """Claims (when ``evidence`` is given) and quote fidelity (when ``transcripts`` are).
    ``article``: what is known of the article (``read_page(html).meta``), kept in the report;
    HTML passed as ``text`` is reduced here, its own metadata filling what ``article`` lacks."""
    t0 = time.perf_counter()
    page, warnings = prepare_page(text, article)
    text = page.text
    claim_options = claim_options or ClaimOptions()
    report = FactCheckReport(
        article_id=article_id,
        text_sha256=text_sha256(text),
        text_length=len(text),
        warnings=warnings,
        article=page.meta,
    )
    parsed: list[Transcript] = []
    if transcripts:
        parsed = [t for t in transcripts if isinstance(t, Transcript)]
        parsed += load_transcripts([t for t in transcripts if not isinstance(t, Transcript)])
        report.transcripts = [t.id for t in parsed]
    owned = llm is None
    run = _Run(llm or LLM(), Usage(), {})
    try:
        wants_speakers = evidence is not None and claim_options.attribute_speakers
        if quotes is None and (parsed or wants_speakers):
            try:
                quotes = await extract_quotes_async(
                    text, article_id=article_id, llm=run.llm, article=page.meta
                )
            except InvalidOutput as err:
                if parsed:
                    raise
                report.warnings.append(f"quote attribution unavailable ({err}); claims unlinked")
            if quotes is not None and quotes.run is not None:
                run.usage.add(quotes.run.usage)
                run.shas.update(quotes.run.prompts)
        if evidence is not None:
            await _claims_into(report, text, evidence, quotes, claim_options, run)
        if parsed and quotes is not None:
            await _quotes_into(report, text, parsed, quotes, quote_options or QuoteOptions(), run)
    finally:
        if owned:
            await run.llm.aclose()
    report.run = run.info(t0)
    return report


class ArticleArgs(TypedDict, total=False):
    """What every check may be told about its article: an id for the report, the quote report
    when the caller already has one (claims then link to speakers without a second run), the
    model to use (default: from the environment; a model made here is closed here), and what
    is known of the article (``read_page(html).meta``) for the report."""

    article_id: str | None
    quotes: QuoteReport | None
    llm: LLM | None
    article: ArticleMeta | None


async def check_claims_async(
    text: str | bytes,
    evidence: EvidenceArg,
    options: ClaimOptions | None = None,
    **article: Unpack[ArticleArgs],
) -> FactCheckReport:
    """Check the article's claims against ``evidence`` (paths or a prebuilt index)."""
    return await check_article_async(text, evidence=evidence, claim_options=options, **article)


async def check_quotes_async(
    text: str | bytes,
    transcripts: TranscriptArg,
    options: QuoteOptions | None = None,
    **article: Unpack[ArticleArgs],
) -> FactCheckReport:
    """Check the article's direct quotes against ``transcripts`` (paths or parsed)."""
    return await check_article_async(
        text, transcripts=transcripts, quote_options=options, **article
    )


check_article = sync_twin(check_article_async, "check_article")
check_claims = sync_twin(check_claims_async, "check_claims")
check_quotes = sync_twin(check_quotes_async, "check_quotes")


def summary(report: FactCheckReport) -> dict[str, int]:
    """Counts by verdict label and fidelity status, for logs and the CLI."""
    counts = {label.value: 0 for label in Label} | {s.value: 0 for s in FidelityStatus}
    for c in report.claims:
        counts[c.verdict.label.value] += 1
    for q in report.quotes:
        counts[q.status.value] += 1
    return counts
