"""``quotecheck text``: print an input exactly as the pipeline reads it (the article text every
offset refers to), or with ``--format json`` that text and what is known of the article.

Thin on purpose: read the input with the reader every command uses, render it. Imports the
faces of ``ingest`` and ``text`` and ``cli.common``.
"""

from __future__ import annotations

import json

import typer

import quotecheck.cli.common as common


@common.clean_errors
def text(
    source: common.InputArg,
    output_format: common.TextJsonOpt = None,
    as_json: common.JsonAliasOpt = False,
    out: common.OutOpt = None,
    offline: common.OfflineOpt = False,
) -> None:
    """Print the article text the pipeline will analyse (HTML reduced to its article body);
    --format json: {"text": ..., "metadata": {...}, "text_sha256": ..., "warnings": [...]}."""
    from quotecheck.ingest import read_input
    from quotecheck.text import text_sha256

    page = read_input(source, offline=offline)
    if common.json_alias(output_format, as_json, "text") == "json":
        meta = page.meta.model_dump(mode="json") if page.meta is not None else {}
        body = {
            "text": page.text,
            "metadata": meta,
            "text_sha256": text_sha256(page.text),
            "text_length": len(page.text),
            "warnings": list(page.warnings),
        }
        common.emit(json.dumps(body, ensure_ascii=False, indent=2), out)
        return
    for warning in page.warnings:
        typer.echo(f"warning: {warning}", err=True)
    common.emit(page.text, out)
