"""The command line (Typer): thin commands that parse, call the library and render.

``app`` is the root; each command group lives in its own module. Nothing imports this package.
``main`` first offers an ``extract`` or ``check`` to a warm worker (``cli.warm``, standard
library only), and loads Typer and the package only when no worker takes the job.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quotecheck.cli.root import app


def main() -> None:
    from quotecheck.cli import warm

    code = warm.delegate(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from quotecheck.cli.root import app

    app()


def __getattr__(name: str) -> Any:
    if name == "app":
        from quotecheck.cli.root import app

        return app
    raise AttributeError(f"module 'quotecheck.cli' has no attribute {name!r}")


__all__ = ["app", "main"]
