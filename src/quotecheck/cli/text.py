"""``quotecheck text``: print an input exactly as the pipeline reads it (the article text every
offset refers to), or with ``--format json`` that text and what is known of the article.

Thin on purpose: read the input with the reader every command uses, render it. Imports the
faces of ``ingest`` and ``text`` and ``cli.common``.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

import typer

from quotecheck.cli.common import JsonAliasOpt, OfflineOpt, OutOpt, clean_errors, emit, json_alias


@clean_errors
def text(
    source: Annotated[
        str, typer.Argument(help="Article file (text or HTML), an http(s) URL, or - for stdin.")
    ],
    output_format: Annotated[
        Literal["text", "json"] | None,
        typer.Option("--format", "-f", help='text, or json: {"text": ..., "metadata": {...}}.'),
    ] = None,
    as_json: JsonAliasOpt = False,
    out: OutOpt = None,
    offline: OfflineOpt = False,
) -> None:
    """Print the article text the pipeline will analyse (HTML reduced to its article body)."""
    from quotecheck.ingest import read_input
    from quotecheck.text import text_sha256

    page = read_input(source, offline=offline)
    if json_alias(output_format, as_json, "text") == "json":
        meta = page.meta.model_dump(mode="json") if page.meta is not None else {}
        body = {
            "text": page.text,
            "metadata": meta,
            "text_sha256": text_sha256(page.text),
            "text_length": len(page.text),
            "warnings": list(page.warnings),
        }
        emit(json.dumps(body, ensure_ascii=False, indent=2), out)
        return
    for warning in page.warnings:
        typer.echo(f"warning: {warning}", err=True)
    emit(page.text, out)
