"""CLI for batch runs and the response cache: ``quotecheck batch`` and ``quotecheck cache``.

Thin on purpose: parse options, call :mod:`quotecheck.batch`, print. Library errors become
one line on stderr; exit codes are 0 (all ok), 1 (some articles failed, or the batch was
stopped by a fatal error), 2 (usage), 130 (interrupted; re-run to resume).
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from quotecheck.errors import BadInput, ConfigError, QuotecheckError

_MIB = 1024 * 1024


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def batch(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output JSONL; re-running resumes it.")],
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Files, folders, globs or JSONL files; '-' reads stdin."),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=1024, help="Concurrency.")] = 4,
    id_field: Annotated[str, typer.Option(help="JSONL field with the article id (a.b ok).")] = "id",
    text_field: Annotated[str, typer.Option(help="JSONL field with the article text.")] = "text",
    evidence: Annotated[
        list[Path] | None,
        typer.Option("--evidence", help="Sources to fact-check claims against (repeatable)."),
    ] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Also write all quotes as CSV.")] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Only re-run the articles in <out>.errors.jsonl.")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the response cache.")
    ] = False,
    prices: Annotated[
        Path | None,
        typer.Option(help="Price table (TOML/JSON, USD per 1M tokens) for the cost estimate."),
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model name (default: from env).")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible endpoint (default: env or embedded).")
    ] = None,
    timeout: Annotated[float | None, typer.Option(help="Seconds to wait for one answer.")] = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar (default: when a terminal)."),
    ] = None,
) -> None:
    """Extract quotes from many articles (and fact-check them with --evidence), resumably."""
    from quotecheck import batch as runner
    from quotecheck.batch_io import collect
    from quotecheck.pricing import PriceTable

    if not inputs:
        raise _fail("give at least one input (file, folder, glob, JSONL, or - for stdin)", 2)
    try:
        price_table = PriceTable.load(prices)
        collected = collect(inputs, id_field=id_field, text_field=text_field)
    except (ConfigError, BadInput) as err:
        raise _fail(str(err), 2) from err
    if not collected.articles:
        raise _fail("no articles found in the inputs", 2)

    evidence_index = None
    if evidence:
        try:
            evidence_index = runner.load_evidence(evidence)
        except QuotecheckError as err:
            raise _fail(str(err), 2) from err
        if evidence_index is None:
            typer.echo("warning: fact-checking is not available; --evidence ignored", err=True)

    options = runner.BatchOptions(
        out=out,
        jobs=jobs,
        csv_path=csv,
        retry_failed=retry_failed,
        prices=price_table,
        progress=sys.stderr.isatty() if progress is None else progress,
    )

    async def main() -> runner.BatchSummary:
        llm = runner.build_llm(
            use_cache=not no_cache, model=model, base_url=base_url, timeout=timeout
        )
        try:
            process = runner.make_processor(llm, evidence_index)
            return await runner.run_batch(
                collected.articles, process, options, duplicates=len(collected.duplicates)
            )
        finally:
            await runner.close_llm(llm)

    try:
        summary = asyncio.run(main())
    except ConfigError as err:
        raise _fail(str(err), 2) from err
    except QuotecheckError as err:
        raise _fail(str(err), err.exit_code) from err
    except OSError as err:
        raise _fail(f"cannot write {out}: {err.strerror or err}", 1) from err
    if not (summary.fatal and summary.ok + summary.failed == 0):  # else the error says it all
        for line in summary.lines():
            typer.echo(line, err=True)
    if summary.failed:
        typer.echo(
            f"failures are in {runner.errors_path(out)}; retry with --retry-failed", err=True
        )
    if summary.fatal:
        typer.echo(f"error: {summary.fatal}", err=True)
    raise typer.Exit(summary.exit_code)


# -- quotecheck cache ... --------------------------------------------------------------------
cache_app = typer.Typer(help="Inspect or trim the response cache.", no_args_is_help=True)

_PathOpt = Annotated[
    Path | None,
    typer.Option(
        "--path", help="Cache file or folder (default: $QUOTECHECK_CACHE_DIR / user cache)."
    ),
]


def _open_cache(path: Path | None):  # noqa: ANN202 - ResponseCache, imported lazily
    from quotecheck.cache import ResponseCache, default_cache_path

    env_dir = os.environ.get("QUOTECHECK_CACHE")
    target = path or (Path(env_dir).expanduser() if env_dir else default_cache_path())
    try:
        return ResponseCache(target)
    except Exception as err:  # sqlite3.DatabaseError, OSError: not a usable cache
        raise _fail(f"cannot open cache {target}: {err}", 2) from err


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds") if ts else "-"


@cache_app.command("info")
def cache_info(path: _PathOpt = None) -> None:
    """Where the cache is, how many answers it holds and how big it is."""
    with _open_cache(path) as cache:
        s = cache.stats()
    typer.echo(f"path: {s['path']}")
    typer.echo(f"entries: {s['entries']}")
    typer.echo(f"size: {s['file_bytes'] / _MIB:.2f} MiB on disk")
    typer.echo(f"oldest: {_when(s['oldest'])}, newest: {_when(s['newest'])}")


@cache_app.command("prune")
def cache_prune(
    path: _PathOpt = None,
    older_than_days: Annotated[
        float | None, typer.Option(min=0, help="Drop answers not used for this many days.")
    ] = None,
    max_mb: Annotated[
        float | None, typer.Option(min=0, help="Then drop least recently used ones past this.")
    ] = None,
) -> None:
    """Drop old or least recently used answers."""
    if older_than_days is None and max_mb is None:
        raise _fail("say what to prune: --older-than-days and/or --max-mb", 2)
    with _open_cache(path) as cache:
        removed = cache.prune(older_than_days=older_than_days, max_mb=max_mb)
        left = cache.stats()["entries"]
    typer.echo(f"removed {removed} entries, {left} left")


@cache_app.command("clear")
def cache_clear(
    path: _PathOpt = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Remove every cached answer (the next run pays for every call again)."""
    if not yes and not typer.confirm("Remove every cached answer?", err=True):
        raise typer.Exit(1)
    with _open_cache(path) as cache:
        removed = cache.clear()
    typer.echo(f"removed {removed} entries")
