"""Fact-checking orchestration: claims against evidence, quotes against transcripts.

``check_claims`` extracts check-worthy claims, retrieves passages per claim with BM25 and
asks the verifier only about claims that have relevant evidence. ``check_quotes`` aligns
the article's direct quotes with transcripts and asks the model only whether altered
wording changes the meaning. ``check_article`` does both with one quote extraction.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from quotecheck.claims import extract_claims_async
from quotecheck.errors import BadInput, InvalidOutput
from quotecheck.evidence import EvidenceIndex
from quotecheck.factcheck_models import (
    Claim,
    ClaimCheck,
    FactCheckReport,
    FidelityStatus,
    Label,
    Verdict,
)
from quotecheck.fidelity import (
    DEFAULT_THRESHOLD,
    Transcript,
    align_quotes,
    judge_meaning_async,
    load_transcripts,
)
from quotecheck.ingest import article_text, decode, looks_like_html
from quotecheck.models import QuoteReport, RunInfo, Usage
from quotecheck.verify import verify_passages_async

if TYPE_CHECKING:
    from quotecheck.config import LLMConfig
    from quotecheck.llm import LLM

MAX_ARTICLE_CHARS = 1_000_000
INVALID_ANSWER = "the model gave no valid answer"
EvidenceArg = Sequence[str | Path] | EvidenceIndex
TranscriptArg = Sequence[str | Path] | Sequence[Transcript]


def prepare_text(text: object) -> tuple[str, list[str]]:
    """The article as plain text, or ``BadInput`` saying what is wrong with it."""
    if isinstance(text, bytes):
        text = decode(text, "the article")
    if not isinstance(text, str):
        raise BadInput(f"the article must be text, not {type(text).__name__}")
    if "\x00" in text:
        raise BadInput("the article looks binary (NUL bytes); give plain text or HTML")
    if len(text) > MAX_ARTICLE_CHARS:
        raise BadInput(f"the article is over {MAX_ARTICLE_CHARS:,} characters; split it first")
    warnings: list[str] = []
    if looks_like_html(text):
        text = article_text(text)
        warnings.append("the article was HTML: offsets index its extracted text")
    if not text.strip():
        raise BadInput("the article is empty; give the article's text")
    return text, warnings


def _new_report(text: str, article_id: str | None, warnings: list[str]) -> FactCheckReport:
    return FactCheckReport(
        article_id=article_id,
        text_sha256=hashlib.sha256(text.encode()).hexdigest(),
        text_length=len(text),
        warnings=list(warnings),
    )


def _llm(llm: LLM | None, config: LLMConfig | None) -> tuple[LLM, bool]:
    """The caller's model, or a new one this call owns (and closes)."""
    if llm is not None:
        return llm, False
    from quotecheck.llm import LLM

    return LLM(config), True


async def _quotes(text: str, article_id: str | None, llm: LLM) -> QuoteReport:
    from quotecheck import extract_quotes_async

    return await extract_quotes_async(text, article_id=article_id, llm=llm)


def _run_info(llm: LLM, usage: Usage, prompt_shas: dict[str, str], t0: float) -> RunInfo:
    return RunInfo(
        model=str(getattr(llm, "model", "unknown")),
        endpoint_kind=str(getattr(llm, "endpoint_kind", "unknown")),
        base_url=getattr(llm, "base_url", None),
        prompts=prompt_shas,
        usage=usage,
        attempts=usage.calls,
        seconds=round(time.perf_counter() - t0, 3),
    )


async def _claims_into(
    report: FactCheckReport,
    text: str,
    evidence: EvidenceArg,
    llm: LLM,
    quotes: QuoteReport | None,
    *,
    top_k: int,
    include_opinions: bool,
    concurrency: int,
    usage: Usage,
    shas: dict[str, str],
) -> None:
    index = evidence if isinstance(evidence, EvidenceIndex) else EvidenceIndex.from_paths(evidence)
    report.warnings.extend(index.warnings)
    report.sources = list(index.sources)
    if not index.passages:
        report.warnings.append("no evidence passages: every claim is not_enough_evidence")
    extraction = await extract_claims_async(
        text, llm, quotes=quotes, include_opinions=include_opinions
    )
    usage.add(extraction.usage)
    shas.update(extraction.prompts)
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
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(claim: Claim) -> ClaimCheck:
        found = index.relevant(claim.text, k=top_k)
        try:
            async with gate:
                result = await verify_passages_async(claim.text, [sp.passage for sp in found], llm)
        except InvalidOutput as err:
            # one claim the model cannot answer must not sink the others
            if isinstance(err.usage, Usage):
                usage.add(err.usage)
            report.warnings.append(f"{claim.id}: {err}; left as not_enough_evidence")
            verdict = Verdict(label=Label.not_enough_evidence, reason=INVALID_ANSWER)
            return ClaimCheck(claim=claim, verdict=verdict, passages=found)
        usage.add(result.usage)
        if result.prompt_sha:
            shas["verify"] = result.prompt_sha
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


async def check_claims_async(
    text: str,
    evidence: EvidenceArg,
    *,
    article_id: str | None = None,
    quotes: QuoteReport | None = None,
    llm: LLM | None = None,
    config: LLMConfig | None = None,
    top_k: int = 3,
    include_opinions: bool = False,
    attribute_speakers: bool = True,
    concurrency: int = 2,
) -> FactCheckReport:
    """Check the article's claims against ``evidence`` (paths or a prebuilt index).

    ``quotes`` (a QuoteReport) links claims to quoted speakers; when not given and
    ``attribute_speakers`` is true, the quote pipeline runs first.
    """
    return await check_article_async(
        text,
        evidence=evidence,
        article_id=article_id,
        quotes=quotes,
        llm=llm,
        config=config,
        top_k=top_k,
        include_opinions=include_opinions,
        attribute_speakers=attribute_speakers,
        concurrency=concurrency,
    )


async def check_quotes_async(
    text: str,
    transcripts: TranscriptArg,
    *,
    article_id: str | None = None,
    quotes: QuoteReport | None = None,
    llm: LLM | None = None,
    config: LLMConfig | None = None,
    judge_meaning: bool = True,
    threshold: float = DEFAULT_THRESHOLD,
) -> FactCheckReport:
    """Check the article's direct quotes against ``transcripts`` (paths or parsed)."""
    return await check_article_async(
        text,
        transcripts=transcripts,
        article_id=article_id,
        quotes=quotes,
        llm=llm,
        config=config,
        judge_meaning=judge_meaning,
        threshold=threshold,
    )


async def check_article_async(
    text: str,
    *,
    evidence: EvidenceArg | None = None,
    transcripts: TranscriptArg | None = None,
    article_id: str | None = None,
    quotes: QuoteReport | None = None,
    llm: LLM | None = None,
    config: LLMConfig | None = None,
    top_k: int = 3,
    include_opinions: bool = False,
    attribute_speakers: bool = True,
    concurrency: int = 2,
    judge_meaning: bool = True,
    threshold: float = DEFAULT_THRESHOLD,
) -> FactCheckReport:
    """Claims (when ``evidence`` is given) and quote fidelity (when ``transcripts`` are)."""
    t0 = time.perf_counter()
    text, warnings = prepare_text(text)
    report = _new_report(text, article_id, warnings)
    parsed: list[Transcript] = []
    if transcripts:
        parsed = [t for t in transcripts if isinstance(t, Transcript)]
        paths = [t for t in transcripts if not isinstance(t, Transcript)]
        parsed += load_transcripts(paths)
        report.transcripts = [t.id for t in parsed]
    model, owned = _llm(llm, config)
    usage, shas = Usage(), {}
    try:
        if quotes is None and (parsed or (evidence is not None and attribute_speakers)):
            try:
                quotes = await _quotes(text, article_id, model)
            except InvalidOutput as err:
                if parsed:
                    raise
                report.warnings.append(f"quote attribution unavailable ({err}); claims unlinked")
            if quotes is not None and quotes.run is not None:
                usage.add(quotes.run.usage)
                shas.update(quotes.run.prompts)
        if evidence is not None:
            await _claims_into(
                report, text, evidence, model, quotes, top_k=top_k,
                include_opinions=include_opinions, concurrency=concurrency,
                usage=usage, shas=shas,
            )  # fmt: skip
        if parsed and quotes is not None:
            report.quotes = align_quotes(text, quotes, parsed, threshold)
            if judge_meaning:
                for i, fid in enumerate(report.quotes):
                    if fid.status != FidelityStatus.altered:
                        continue
                    judged = await judge_meaning_async(fid, model)
                    if judged is None:
                        continue
                    usage.add(judged.usage)
                    shas["fidelity_meaning"] = judged.prompt_sha
                    report.quotes[i] = fid.model_copy(
                        update={"meaning_changed": judged.changed, "meaning_reason": judged.reason}
                    )
    finally:
        if owned:
            await model.aclose()
    report.run = _run_info(model, usage, shas, t0)
    return report


def _sync(coro):
    from quotecheck.llm import run_sync

    return run_sync(coro)


def check_claims(text: str, evidence: EvidenceArg, **kwargs) -> FactCheckReport:
    """Blocking twin of ``check_claims_async`` (same arguments)."""
    return _sync(check_claims_async(text, evidence, **kwargs))


def check_quotes(text: str, transcripts: TranscriptArg, **kwargs) -> FactCheckReport:
    """Blocking twin of ``check_quotes_async`` (same arguments)."""
    return _sync(check_quotes_async(text, transcripts, **kwargs))


def check_article(text: str, **kwargs) -> FactCheckReport:
    """Blocking twin of ``check_article_async`` (same arguments)."""
    return _sync(check_article_async(text, **kwargs))


def summary(report: FactCheckReport) -> dict[str, int]:
    """Counts by verdict label and fidelity status, for logs and the CLI."""
    counts = {label.value: 0 for label in Label} | {s.value: 0 for s in FidelityStatus}
    for c in report.claims:
        counts[c.verdict.label.value] += 1
    for q in report.quotes:
        counts[q.status.value] += 1
    return counts
