"""The default batch processor: the library's public API for every article (quotes, and
claims when evidence is given), plus the one LLM a batch shares.

Imports the faces of ``quotes``, ``factcheck``, ``llm`` and ``text``, and ``batch.outcome``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from quotecheck.batch.inputs import Article
from quotecheck.batch.outcome import Outcome, Processor
from quotecheck.factcheck import EvidenceIndex, check_claims_async
from quotecheck.llm import LLM, LLMConfig, default_cache_path
from quotecheck.quotes import extract_quotes_async
from quotecheck.text import Page


def make_processor(llm: LLM, evidence: EvidenceIndex | None = None) -> Processor:
    """Quote extraction for every article, plus fact-checking when ``evidence`` is given."""

    async def process(article: Article, page: Page) -> Outcome:
        text, meta = page.text, page.meta
        report = await extract_quotes_async(text, article_id=article.id, llm=llm, article=meta)
        report.warnings.extend(page.warnings)
        outcome = Outcome(record={"report": report.model_dump(mode="json")})
        outcome.quotes = len(report.quotes)
        if report.run is not None:
            outcome.usage.add(report.run.usage)
            outcome.model, outcome.endpoint_kind = report.run.model, report.run.endpoint_kind
        if evidence is not None:
            # the quote report is passed on so claims link to speakers without a second run
            factcheck = await check_claims_async(
                text, evidence, article_id=article.id, quotes=report, llm=llm, article=meta
            )
            outcome.record["factcheck"] = factcheck.model_dump(mode="json")
            outcome.claims = len(factcheck.claims)
            if factcheck.run is not None:
                outcome.usage.add(factcheck.run.usage)
        return outcome

    return process


def load_evidence(paths: Sequence[Path]) -> EvidenceIndex | None:
    """Index the evidence once for the whole batch (None when there is none)."""
    return EvidenceIndex.from_paths(list(paths)) if paths else None


def batch_config(config: LLMConfig | None = None, *, use_cache: bool = True) -> LLMConfig:
    """A batch's model settings (``config``, else the environment), with the response cache
    on by default (a re-run then costs nothing)."""
    config = config or LLMConfig.from_env()
    if use_cache:
        return replace(config, use_cache=True, cache_path=config.cache_path or default_cache_path())
    return replace(config, use_cache=False)


def build_llm(config: LLMConfig | None = None, *, use_cache: bool = True) -> LLM:
    """The shared LLM for a batch: :func:`batch_config` made into a client."""
    return LLM(batch_config(config, use_cache=use_cache))


async def close_llm(llm: LLM) -> None:
    with contextlib.suppress(Exception):
        await llm.aclose()
