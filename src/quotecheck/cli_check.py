"""``quotecheck check``: fact-check one article; mounted by ``cli.py`` as ``app.command()(check)``.

Thin on purpose: read the article, call ``check_article``, write the chosen format. Library
errors become one line on stderr with the error's exit code (2 for bad input/usage).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from quotecheck.errors import QuotecheckError


class OutputFormat(StrEnum):
    json = "json"
    markdown = "markdown"
    claimreview = "claimreview"


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def check(
    article: Annotated[
        Path, typer.Argument(help="The article: UTF-8 text or HTML file, or - for stdin.")
    ],
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
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.json,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here, not stdout.")] = None,
    url: Annotated[str | None, typer.Option(help="Article URL, for ClaimReview.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher name, for ClaimReview.")] = None,
    top_k: Annotated[int, typer.Option(min=1, max=20, help="Passages per claim.")] = 3,
    no_meaning: Annotated[
        bool, typer.Option("--no-meaning", help="Skip the model's meaning-change judgement.")
    ] = False,
) -> None:
    """Check an article's claims against evidence and its quotes against transcripts."""
    from quotecheck.export import to_claimreview, to_json, to_markdown
    from quotecheck.factcheck import check_article
    from quotecheck.ingest import read_article

    if not evidence and not transcript:
        raise _fail("give --evidence PATH and/or --transcript PATH", 2)
    try:
        text = read_article(article)
        report = check_article(
            text,
            evidence=evidence or None,
            transcripts=transcript or None,
            article_id=None if str(article) == "-" else article.stem,
            top_k=top_k,
            judge_meaning=not no_meaning,
        )
    except QuotecheckError as err:
        raise _fail(str(err), err.exit_code) from None
    except OSError as err:
        raise _fail(f"{err.filename or article}: {err.strerror}", 2) from None
    if output_format == OutputFormat.markdown:
        rendered = to_markdown(report)
    elif output_format == OutputFormat.claimreview:
        rendered = to_claimreview(report, article_url=url, publisher=publisher)
    else:
        rendered = to_json(report)
    if out is None:
        typer.echo(rendered)
    else:
        try:
            out.write_text(rendered if rendered.endswith("\n") else rendered + "\n", "utf-8")
        except OSError as err:
            raise _fail(f"{out}: {err.strerror}", 2) from None
