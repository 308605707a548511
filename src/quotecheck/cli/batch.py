"""``quotecheck batch``: many articles, resumably, here or on a Ray cluster (``--engine ray``).

Thin on purpose: parse options, call :mod:`quotecheck.batch`, print. Library errors become
one line on stderr; exit codes are 0 (all ok), 1 (some articles failed, or the batch was
stopped by a fatal error), 2 (usage, or Ray asked for but not installed), 130 (interrupted;
re-run to resume). Imports the ``batch`` and ``llm`` faces and ``cli.common``.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from quotecheck.cli.common import OfflineOpt, clean_errors, fail, model_options
from quotecheck.errors import BadInput, ConfigError, QuotecheckError
from quotecheck.llm import LLMConfig


class EngineName(StrEnum):
    local = "local"
    ray = "ray"


_RAY_ONLY = "--address, --workers, --cpus-per-worker and --max-tries need --engine ray"


@clean_errors
@model_options(many_endpoints=True)
def batch(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output JSONL; re-running resumes it.")],
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, folders, globs, JSONL, http(s) URLs, RSS/Atom feeds (file or URL), "
            "WARC archives; '-' reads stdin."
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            max=1024,
            help="Articles in flight per endpoint (each --base-url; with --engine ray and no "
            "endpoint, each worker's embedded model).",
        ),
    ] = 4,
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
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar (default: when a terminal)."),
    ] = None,
    offline: OfflineOpt = False,
    engine: Annotated[
        EngineName,
        typer.Option(help="Where articles are processed: here, or on a Ray cluster (ray extra)."),
    ] = EngineName.local,
    address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster: auto (joined with `ray start`), HOST:PORT or ray://HOST:PORT "
            "(Ray Client); default RAY_ADDRESS, else a private instance on this machine."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, help="Ray workers (actors); default: cluster CPUs / --cpus-per-worker."
        ),
    ] = None,
    cpus_per_worker: Annotated[
        float | None,
        typer.Option(
            min=0.01,
            help="CPUs Ray reserves per worker (embedded: also its model threads; default 2, "
            "or --threads; endpoints: 1).",
        ),
    ] = None,
    max_tries: Annotated[
        int,
        typer.Option(min=1, help="Ray: times an article may take its worker down before it fails."),
    ] = 3,
    *,
    config: LLMConfig,
    endpoints: list[LLMConfig],
) -> None:
    """Extract quotes from many articles (and fact-check them with --evidence), resumably."""
    from quotecheck import batch as runner

    if not inputs:
        raise fail("give at least one input (file, folder, glob, JSONL, or - for stdin)", 2)
    ray_opts = None
    if engine is EngineName.ray:
        try:
            runner.require_ray()
        except ConfigError as err:
            raise fail(str(err), 2) from err
        ray_opts = runner.RayOptions(
            address=address, workers=workers, cpus_per_worker=cpus_per_worker, max_tries=max_tries
        )
    elif address or workers or cpus_per_worker or max_tries != 3:
        raise fail(_RAY_ONLY, 2)
    try:
        price_table = runner.PriceTable.load(prices)
        collected = runner.collect(
            inputs, id_field=id_field, text_field=text_field, offline=offline or None
        )
    except (ConfigError, BadInput) as err:
        raise fail(str(err), 2) from err
    for note in collected.notes:
        typer.echo(note, err=True)
    if not collected.articles:
        raise fail("no articles found in the inputs", 2)

    evidence_index = None
    if evidence:
        try:
            evidence_index = runner.load_evidence(evidence)
        except QuotecheckError as err:
            raise fail(str(err), 2) from err

    options = runner.BatchOptions(
        out=out,
        jobs=jobs,
        csv_path=csv,
        retry_failed=retry_failed,
        prices=price_table,
        progress=sys.stderr.isatty() if progress is None else progress,
    )

    dupes = len(collected.duplicates)

    async def main() -> runner.BatchSummary:
        if ray_opts is not None:
            # the cache folder is resolved by each worker on its own node (batch_config there)
            configs = [replace(c, use_cache=not no_cache) for c in endpoints]
            ray_engine = runner.RayEngine(
                configs, jobs=jobs, options=ray_opts, evidence=evidence_index
            )
            return await runner.run_engine(
                collected.articles, ray_engine, options, duplicates=dupes
            )
        llms = [runner.build_llm(c, use_cache=not no_cache) for c in endpoints]
        try:
            processors = [runner.make_processor(llm, evidence_index) for llm in llms]
            return await runner.run_batch(collected.articles, processors, options, duplicates=dupes)
        finally:
            for llm in llms:
                await runner.close_llm(llm)

    try:
        summary = asyncio.run(main())
    except ConfigError as err:
        raise fail(str(err), 2) from err
    except QuotecheckError as err:
        raise fail(str(err), err.exit_code) from err
    except OSError as err:
        raise fail(f"cannot write {out}: {err.strerror or err}", 1) from err
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
