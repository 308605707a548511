"""``quotecheck cache``: inspect or trim the response cache. Imports ``llm`` and ``cli.common``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from quotecheck.cli.common import clean_errors, fail
from quotecheck.llm import ResponseCache, default_cache_path

_MIB = 1024 * 1024

cache_app = typer.Typer(help="Inspect or trim the response cache.", no_args_is_help=True)

_PathOpt = Annotated[
    Path | None,
    typer.Option(
        "--path", help="Cache file or folder (default: $QUOTECHECK_CACHE, else the user cache)."
    ),
]


def _open_cache(path: Path | None) -> ResponseCache:
    target = path or default_cache_path()
    try:
        return ResponseCache(target)
    except Exception as err:  # sqlite3.DatabaseError, OSError: not a usable cache
        raise fail(f"cannot open cache {target}: {err}", 2) from err


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds") if ts else "-"


@cache_app.command("info")
@clean_errors
def cache_info(path: _PathOpt = None) -> None:
    """Where the cache is, how many answers it holds and how big it is."""
    with _open_cache(path) as cache:
        s = cache.stats()
    typer.echo(f"path: {s['path']}")
    typer.echo(f"entries: {s['entries']}")
    typer.echo(f"size: {s['file_bytes'] / _MIB:.2f} MiB on disk")
    typer.echo(f"oldest: {_when(s['oldest'])}, newest: {_when(s['newest'])}")


@cache_app.command("prune")
@clean_errors
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
        raise fail("say what to prune: --older-than-days and/or --max-mb", 2)
    with _open_cache(path) as cache:
        removed = cache.prune(older_than_days=older_than_days, max_mb=max_mb)
        left = cache.stats()["entries"]
    typer.echo(f"removed {removed} entries, {left} left")


@cache_app.command("clear")
@clean_errors
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
