"""The one sync/async pattern: every API is an async core, and its blocking twin is made by
``sync_twin`` with the same typed signature. Imports nothing of the package."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def run_sync(coro: Coroutine[Any, Any, R]) -> R:
    """Run a coroutine from sync code, even when the caller already has an event loop running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def sync_twin(fn: Callable[P, Awaitable[R]], name: str) -> Callable[P, R]:
    """The blocking twin of the coroutine function ``fn``: same parameters, same result."""

    @functools.wraps(fn)
    def twin(*args: P.args, **kwargs: P.kwargs) -> R:
        return run_sync(fn(*args, **kwargs))  # type: ignore[arg-type]

    twin.__name__ = twin.__qualname__ = name
    twin.__doc__ = f"Blocking twin of :func:`{fn.__name__}` (same arguments).\n\n{fn.__doc__ or ''}"
    return twin
