"""What every command shares: the one error-exit helper, the flag vocabulary (``--format``,
``--out``, ``--html``, ``--model``, ``--base-url``, ``--model-path``, ``--threads``,
``--timeout``, ``--tagger-corpus``), and writing a rendered result. Imports ``errors``,
``llm`` and ``quotes``.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer

from quotecheck.errors import QuotecheckError
from quotecheck.llm import KEEP_ALIVE_ENV, LLMConfig, LocalConfig, background_started
from quotecheck.quotes import TAGGER_CORPUS_ENV

#: seconds ``extract`` and ``check`` keep the embedded model loaded for the next command
#: (``llm.daemon``); ``QUOTECHECK_KEEP_ALIVE`` overrides it, 0 turns it off
INTERACTIVE_KEEP_ALIVE = 300.0

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int) -> typer.Exit:
    """One line on stderr, then the exit code: the CLI's only way out with an error."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def clean_errors(fn: F) -> F:
    """Library errors (and Ctrl-C) end the command with one line on stderr, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except QuotecheckError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None
        except OSError as exc:
            raise fail(f"{exc.filename or 'file'}: {exc.strerror or exc}", 2) from None

    return wrapper  # type: ignore[return-value]


#: the options that say which model to use; ``model_options`` adds them to a command
MODEL_OPTIONS: dict[str, Any] = {
    "model": Annotated[str | None, typer.Option("--model", help="Model name (QUOTECHECK_MODEL).")],
    "base_url": Annotated[
        str | None,
        typer.Option(
            "--base-url", help="OpenAI-compatible endpoint (OPENAI_BASE_URL); none: embedded."
        ),
    ],
    "model_path": Annotated[
        Path | None, typer.Option("--model-path", help="GGUF file for the embedded model.")
    ],
    "threads": Annotated[int | None, typer.Option("--threads", help="Embedded model threads.")],
    "timeout": Annotated[
        float | None, typer.Option("--timeout", help="Seconds to wait for one answer.")
    ],
}


def make_config(chosen: dict[str, Any]) -> LLMConfig:
    """The model configuration from the ``MODEL_OPTIONS`` a user gave, then the environment."""
    local = LocalConfig.from_env(model_path=chosen.get("model_path"), threads=chosen.get("threads"))
    top = {k: chosen.get(k) for k in ("model", "base_url", "timeout")}
    return LLMConfig.from_env(local=local, **top)


def kept_alive(config: LLMConfig) -> LLMConfig:
    """``config`` for a one-article command: the embedded model stays loaded in the background
    ``INTERACTIVE_KEEP_ALIVE`` seconds, unless ``QUOTECHECK_KEEP_ALIVE`` is set."""
    if config.endpoint_kind != "embedded" or os.environ.get(KEEP_ALIVE_ENV, "").strip():
        return config
    return replace(config, local=replace(config.local, keep_alive=INTERACTIVE_KEEP_ALIVE))


def background_note(config: LLMConfig) -> None:
    """At the end of a one-article command: start the warm worker that takes the next one
    (``cli.warm``) while the model is kept loaded, and say so on stderr when this command left
    the model loaded in the background."""
    from quotecheck.cli.warm import start

    worker = start(config.local.keep_alive)
    for pid in background_started():
        typer.echo(
            f"the embedded model stays loaded for {config.local.keep_alive:.0f} s of idleness "
            f"(pid {pid}) so the next command starts at once; `quotecheck models stop` ends "
            "it, QUOTECHECK_KEEP_ALIVE=0 turns this off",
            err=True,
        )
    if worker is not None:
        typer.echo(f"a warm worker (pid {worker}) takes the next `extract` or `check`", err=True)


#: ``--base-url`` for commands that can spread work over several endpoints
MANY_BASE_URLS = Annotated[
    list[str] | None,
    typer.Option(
        "--base-url",
        help="OpenAI-compatible endpoint (OPENAI_BASE_URL); repeat to spread the work over "
        "several servers; none: embedded.",
    ),
]


TaggerCorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--tagger-corpus",
        help="Annotated corpus (PolNeAR JSONL) to learn reported speech from; trained once, "
        f"then cached ({TAGGER_CORPUS_ENV}).",
    ),
]


def use_tagger(corpus: Path | None) -> None:
    """Mark reported speech with the tagger learned from ``corpus`` (or the corpus the
    environment names): trained here, once, with a note on stderr, so that every worker the
    command starts finds it in the cache."""
    if corpus is not None:
        os.environ[TAGGER_CORPUS_ENV] = str(Path(corpus).expanduser().resolve())
    if not os.environ.get(TAGGER_CORPUS_ENV, "").strip():
        return
    from quotecheck.quotes import default_tagger, tagger_trained

    if not tagger_trained():
        typer.echo(
            "training the attribution tagger once (a few minutes); later runs open it at once",
            err=True,
        )
    default_tagger()


def model_options(fn: F | None = None, *, many_endpoints: bool = False) -> Any:
    """Give a command the model options; it receives them as one ``config: LLMConfig``.

    With ``many_endpoints`` ``--base-url`` may be repeated and the command also receives
    ``endpoints: list[LLMConfig]``, one per URL (just ``[config]`` when none was given).
    """
    if fn is None:
        return functools.partial(model_options, many_endpoints=many_endpoints)
    options = {**MODEL_OPTIONS, "base_url": MANY_BASE_URLS} if many_endpoints else MODEL_OPTIONS
    sig = inspect.signature(fn, eval_str=True)
    params = [p for p in sig.parameters.values() if p.name not in ("config", "endpoints")]
    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=ann)
        for name, ann in {**options, "tagger_corpus": TaggerCorpusOpt}.items()
    ]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        chosen = {name: kwargs.pop(name, None) for name in options}
        use_tagger(kwargs.pop("tagger_corpus", None))
        if not many_endpoints:
            return fn(*args, config=make_config(chosen), **kwargs)
        urls = list(dict.fromkeys(chosen.pop("base_url") or []))  # repeated URLs count once
        configs = [make_config({**chosen, "base_url": url}) for url in urls or [None]]
        return fn(*args, config=configs[0], endpoints=configs, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=params + extra)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {
        **{p.name: p.annotation for p in params},
        **options,
        "tagger_corpus": TaggerCorpusOpt,
    }
    return wrapper


def json_alias(fmt: str | None, as_json: bool, default: str) -> str:
    """``--json`` is the old spelling of ``--format json`` (kept for one release)."""
    return "json" if as_json else (fmt or default)


JsonAliasOpt = Annotated[
    bool, typer.Option("--json", hidden=True, help="Same as --format json (old spelling).")
]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write here, not stdout.")]
HtmlOpt = Annotated[
    Path | None,
    typer.Option("--html", metavar="PATH", help="Also write the HTML report (one file) here."),
]
#: ``--format`` of the commands that print text for people or JSON for programs
TextJsonOpt = Annotated[
    Literal["text", "json"] | None, typer.Option("--format", "-f", help="text or json.")
]
#: what every command that reads one article takes: a file, a URL, or ``-``
InputArg = Annotated[
    str, typer.Argument(help="Article file (text or HTML), an http(s) URL, or - for stdin.")
]
OfflineOpt = Annotated[
    bool,
    typer.Option(
        "--offline", help="Never fetch a URL (also QUOTECHECK_OFFLINE=1); feeds use their content."
    ),
]


def emit(rendered: str, out: Path | None) -> None:
    """Print ``rendered``, or write it to ``out`` (one trailing newline either way)."""
    text = rendered if rendered.endswith("\n") else rendered + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, "utf-8")
    except OSError as err:
        raise fail(f"{out}: {err.strerror}", 2) from None
