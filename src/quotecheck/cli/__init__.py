"""The command line (Typer): thin commands that parse, call the library and render.

``app`` is the root; each command group lives in its own module. Nothing imports this package.
"""

from quotecheck.cli.app import app, main

__all__ = ["app", "main"]
