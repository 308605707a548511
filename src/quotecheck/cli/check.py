"""``quotecheck check``: fact-check one article against sources and transcripts.

Thin on purpose: read the article, call ``check_article``, write the chosen format. Library
errors become one line on stderr with the error's exit code (2 for bad input/usage).
Imports the faces of ``factcheck``, ``ingest``, ``quotes``, ``output`` and ``llm``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from quotecheck.cli.common import (
    HtmlOpt,
    InputArg,
    OfflineOpt,
    OutOpt,
    background_note,
    clean_errors,
    emit,
    fail,
    kept_alive,
    model_options,
)
from quotecheck.llm import LLM, LLMConfig
from quotecheck.schema import ArticleMeta, QuoteReport


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
        Literal["json", "markdown", "claimreview", "html"], typer.Option("--format", "-f")
    ] = "json",
    out: OutOpt = None,
    html: HtmlOpt = None,
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
    from quotecheck.output import to_claimreview, to_html, to_json, to_markdown

    if not evidence and not transcript:
        raise fail("give --evidence PATH and/or --transcript PATH", 2)
    config = kept_alive(config)
    page = read_input(article, offline=offline)
    text = page.text
    article_id = None if article == "-" else article if is_url(article) else Path(article).stem
    llm = LLM(config)
    quotes = None
    if html is not None or output_format == "html":
        # the page marks the quotes too: extract them once here and hand them to the check
        quotes = _quotes_for_page(text, article_id, llm, page.meta)
    report = check_article(
        page.text,
        evidence=evidence or None,
        transcripts=transcript or None,
        article_id=article_id,
        quotes=quotes,
        llm=llm,
        claim_options=ClaimOptions(top_k=top_k),
        quote_options=QuoteOptions(judge_meaning=not no_meaning),
        article=page.meta,
    )
    report.warnings.extend(page.warnings)
    if html is not None:
        emit(to_html(report, text, quotes=quotes), html)
    if output_format == "html":
        rendered = to_html(report, text, quotes=quotes)
    elif output_format == "markdown":
        rendered = to_markdown(report)
    elif output_format == "claimreview":
        rendered = to_claimreview(report, article_url=url, publisher=publisher)
    else:
        rendered = to_json(report)
    emit(rendered, out)
    background_note(config)


def _quotes_for_page(
    text: str, article_id: str | None, llm: LLM, meta: ArticleMeta | None
) -> QuoteReport | None:
    """The article's quote report for the HTML page; None when the model cannot give one (the
    check then runs as it would without a page)."""
    from quotecheck.errors import InvalidOutput
    from quotecheck.quotes import extract_quotes

    try:
        return extract_quotes(text, article_id=article_id, llm=llm, article=meta)
    except InvalidOutput:
        return None
