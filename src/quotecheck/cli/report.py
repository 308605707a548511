"""``quotecheck report``: the source mix of a batch's output, for a standards editor.

Thin on purpose: read the batch output JSONL (and its ``.errors.jsonl`` beside it, for the
failed count), count with :mod:`quotecheck.output`, print a summary, and write the dashboard
(``--html``) and the figures (``--csv``). Imports the faces of ``output`` and ``text``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer

from quotecheck.cli.common import HtmlOpt, OutOpt, clean_errors, emit, fail


def _records(paths: list[Path], problems: list[str]) -> list[dict]:
    from quotecheck.text import jsonl_lines

    records: list[dict] = []
    for path in paths:
        if not path.is_file():
            raise fail(f"{path}: no such file (give the JSONL that quotecheck batch wrote)", 2)
        errors = path.with_name(path.name + ".errors.jsonl")
        for source in [path, errors] if errors.is_file() and errors not in paths else [path]:
            with source.open("rb") as fh:
                for line in jsonl_lines(fh, str(source)):
                    if line.record is None:
                        problems.append(str(line.problem))
                    else:
                        records.append(line.record)
    return records


def _summary_lines(fig) -> list[str]:  # type: ignore[no-untyped-def]
    o = fig.overall
    lines = [
        f"articles: {o.articles}" + (f" ({fig.failed} failed, not counted)" if fig.failed else ""),
        f"quotes: {o.quotes}: named {o.sources['named']} ({100 * o.share('named'):.1f} %), "
        f"anonymous {o.sources['anonymous']} ({100 * o.share('anonymous'):.1f} %), "
        f"unattributed {o.sources['unattributed']} ({100 * o.share('unattributed'):.1f} %)",
        "speakers by kind: " + ", ".join(f"{k} {n}" for k, n in fig.kinds.most_common()),
        f"anonymous quotes without a stated reason: {len(fig.anonymous_without_reason)}",
    ]
    top = fig.top_speakers(5)
    if top:
        lines.append("top speakers: " + "; ".join(f"{s['name']} {s['quotes']}" for s in top))
    for name, mix in list(fig.by_publication.items())[:10]:
        lines.append(
            f"  {name}: {mix.quotes} quotes, {100 * mix.share('anonymous'):.1f} % anonymous"
        )
    return lines


@clean_errors
def report(
    inputs: Annotated[list[Path], typer.Argument(help="Batch output JSONL file(s).")],
    html: HtmlOpt = None,
    csv: Annotated[
        Path | None, typer.Option("--csv", metavar="PATH", help="Also write the figures as CSV.")
    ] = None,
    output_format: Annotated[
        Literal["text", "json"], typer.Option("--format", "-f", help="The summary: text or json.")
    ] = "text",
    out: OutOpt = None,
    title: Annotated[str | None, typer.Option(help="Title of the dashboard.")] = None,
) -> None:
    """Source mix of a batch: named vs anonymous, people vs organisations, top speakers,
    anonymous quotes without a stated reason, per publication and month (--html dashboard)."""
    from quotecheck.output import figure_rows, figures, to_dashboard, write_figures_csv

    problems: list[str] = []
    fig = figures(_records(inputs, problems))
    for problem in problems[:20]:
        typer.echo(f"warning: {problem}; skipped", err=True)
    if fig.records == 0:
        raise fail("no records in the inputs (give the JSONL that quotecheck batch wrote)", 2)
    if html is not None:
        emit(to_dashboard(fig, title=title), html)
    if csv is not None:
        write_figures_csv(fig, csv)
    if output_format == "json":
        rows = [
            dict(zip(("table", "group", "measure", "value"), r, strict=True))
            for r in figure_rows(fig)
        ]
        emit(json.dumps({"figures": rows}, ensure_ascii=False, indent=1), out)
    else:
        emit("\n".join(_summary_lines(fig)), out)
