"""The command line: parse, call the library, render. Each command group has its own module;
this one holds the root app and ``extract``. Errors become one line and an exit code.
May import every package's face; nothing imports ``cli``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from quotecheck.cli.common import (
    HtmlOpt,
    InputArg,
    JsonAliasOpt,
    OfflineOpt,
    OutOpt,
    background_note,
    clean_errors,
    emit,
    json_alias,
    kept_alive,
    model_options,
)
from quotecheck.llm import LLM, LLMConfig

app = typer.Typer(
    name="quotecheck",
    help="Find, attribute and check the quotes and facts of news articles.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.command()
@clean_errors
@model_options
def extract(
    path: InputArg,
    output_format: Annotated[
        Literal["text", "json", "html"] | None,
        typer.Option("--format", "-f", help="text (a table), json, or html (the editor's view)."),
    ] = None,
    as_json: JsonAliasOpt = False,
    out: OutOpt = None,
    html: HtmlOpt = None,
    no_indirect: Annotated[
        bool, typer.Option("--no-indirect", help="Only quotation-mark quotes (faster).")
    ] = False,
    strategy: Annotated[
        str, typer.Option(help="auto | item (one question per quote) | article (one call).")
    ] = "auto",
    offline: OfflineOpt = False,
    *,
    config: LLMConfig,
) -> None:
    """Find every quote in an article with its speaker, cue, anonymity and relay."""
    from quotecheck.ingest import is_url, read_input
    from quotecheck.output import print_report
    from quotecheck.quotes import extract_quotes

    config = kept_alive(config)
    page = read_input(path, offline=offline)
    text = page.text
    report = extract_quotes(
        text,
        article_id=None if path == "-" else path if is_url(path) else Path(path).name,
        llm=LLM(config),
        indirect=not no_indirect,
        strategy=strategy,
        article=page.meta,
    )
    report.warnings.extend(page.warnings)
    chosen = json_alias(output_format, as_json, "text")
    if html is not None or chosen == "html":
        from quotecheck.output import to_html

        view = to_html(report, text)
        if html is not None:
            emit(view, html)
    if chosen == "html":
        emit(view, out)
    elif chosen == "json":
        emit(report.model_dump_json(indent=2), out)
    elif out is not None:
        from rich.console import Console

        with out.open("w", encoding="utf-8") as fh:
            print_report(report, text, Console(file=fh, width=100))
    else:
        print_report(report, text)
    background_note(config)


def _mount_subcommands() -> None:
    """Sub-commands that live in their own modules, each as thin as this one."""
    from quotecheck.cli.batch import batch
    from quotecheck.cli.cache import cache_app
    from quotecheck.cli.check import check
    from quotecheck.cli.eval import eval_app
    from quotecheck.cli.models import doctor, models_app, serve_llm
    from quotecheck.cli.report import report
    from quotecheck.cli.serve import serve
    from quotecheck.cli.text import text

    app.add_typer(models_app, name="models")
    app.command()(doctor)
    app.command("serve-llm")(serve_llm)
    app.command()(batch)
    app.add_typer(cache_app, name="cache")
    app.command()(check)
    app.add_typer(eval_app, name="eval")
    app.command()(text)
    app.command()(report)
    app.command()(serve)


_mount_subcommands()


def main() -> None:
    app()
