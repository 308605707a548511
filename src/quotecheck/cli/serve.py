"""``quotecheck serve``: the HTTP service and the editor page (the ``[service]`` extra).

Thin on purpose: read the options and tokens, refuse an open bind without a token, run.
Imports the ``service`` and ``llm`` faces and ``cli.common``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from quotecheck.cli.common import clean_errors, model_options
from quotecheck.llm import LLMConfig


@clean_errors
@model_options
def serve(
    host: Annotated[
        str, typer.Option(help="Interface to listen on; other than loopback needs a token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    token_file: Annotated[
        Path | None,
        typer.Option(help="File with API tokens, one per line (also QUOTECHECK_API_TOKENS)."),
    ] = None,
    jobs_dir: Annotated[
        Path, typer.Option(help="Folder for jobs; a restart resumes the unfinished ones.")
    ] = Path("quotecheck-jobs"),
    max_body: Annotated[
        int, typer.Option(min=1024, help="Largest request body, in bytes (else 413).")
    ] = 16 * 1024 * 1024,
    request_timeout: Annotated[
        float, typer.Option(min=1, help="Seconds one request may take in all (else 504).")
    ] = 600.0,
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, help="Model calls at once (default: 1 embedded, 4 remote)."),
    ] = None,
    queue: Annotated[
        int, typer.Option(min=0, help="Requests that may wait for the model (more get 429).")
    ] = 16,
    job_workers: Annotated[
        int, typer.Option(min=1, max=64, help="Articles of a job processed at once.")
    ] = 1,
    *,
    config: LLMConfig,
) -> None:
    """Serve the /v1 API and the editor page (http://127.0.0.1:8000/ by default)."""
    from quotecheck.service import ServiceConfig, check_bind, load_tokens
    from quotecheck.service import serve as run

    tokens = load_tokens(token_file)
    check_bind(host, tokens)
    settings = ServiceConfig(
        llm=config, tokens=tokens, jobs_dir=jobs_dir, max_body=max_body,
        request_timeout=request_timeout, concurrency=concurrency, queue=queue,
        job_workers=job_workers,
    )  # fmt: skip
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    auth = f"{len(tokens)} API token(s)" if tokens else "no token (loopback only)"
    typer.echo(f"quotecheck serve: http://{shown}:{port}/ ({auth}; jobs in {jobs_dir})", err=True)
    run(settings, host=host, port=port)
