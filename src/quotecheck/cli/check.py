"""``quotecheck check``: fact-check one article against sources and transcripts.

Thin on purpose: read the article, call ``check_article``, write the chosen format. Library
errors become one line on stderr with the error's exit code (2 for bad input/usage).
Imports the faces of ``factcheck``, ``ingest``, ``output`` and ``llm``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from quotecheck.cli.common import (
    InputArg,
    OfflineOpt,
    OutOpt,
    clean_errors,
    emit,
    fail,
    model_options,
)
from quotecheck.llm import LLM, LLMConfig


@clean_errors
@model_options
def check(
    article: InputArg,
    evidence: Annotated[
        list[Path] | None,
        typer.Option(
            "--evidence", "-e", metavar="PATH", help="Source file, folder or JSONL (repeatable)."
        ),
    ] = None,
    transcript: Annotated[
        list[Path] | None,
        typer.Option(
            "--transcript",
            "-t",
            metavar="PATH",
            help="Transcript of 'SPEAKER: text' lines (repeatable).",
        ),
    ] = None,
    output_format: Annotated[
        Literal["json", "markdown", "claimreview"], typer.Option("--format", "-f")
    ] = "json",
    out: OutOpt = None,
    url: Annotated[str | None, typer.Option(help="ClaimReview URL (default: the page's).")] = None,
    publisher: Annotated[str | None, typer.Option(help="ClaimReview publisher (or: site).")] = None,
    top_k: Annotated[int, typer.Option(min=1, max=20, help="Passages per claim.")] = 3,
    no_meaning: Annotated[
        bool, typer.Option("--no-meaning", help="Skip the model's meaning-change judgement.")
    ] = False,
    offline: OfflineOpt = False,
    *,
    config: LLMConfig,
) -> None:
    """Check an article's claims against evidence and its quotes against transcripts."""
    from quotecheck.factcheck import ClaimOptions, QuoteOptions, check_article
    from quotecheck.ingest import is_url, read_input
    from quotecheck.output import to_claimreview, to_json, to_markdown

    if not evidence and not transcript:
        raise fail("give --evidence PATH and/or --transcript PATH", 2)
    page = read_input(article, offline=offline)
    report = check_article(
        page.text,
        evidence=evidence or None,
        transcripts=transcript or None,
        article_id=None if article == "-" else article if is_url(article) else Path(article).stem,
        llm=LLM(config),
        claim_options=ClaimOptions(top_k=top_k),
        quote_options=QuoteOptions(judge_meaning=not no_meaning),
        article=page.meta,
    )
    report.warnings.extend(page.warnings)
    if output_format == "markdown":
        rendered = to_markdown(report)
    elif output_format == "claimreview":
        rendered = to_claimreview(report, article_url=url, publisher=publisher)
    else:
        rendered = to_json(report)
    emit(rendered, out)
