"""The editor page served at ``/``: paste an article (and, optionally, sources and
transcripts), see the HTML report in a sandboxed frame. Constant HTML/CSS/JS from ``assets/``,
pinned by a Content-Security-Policy that also allows the report's own style and script (the
frame inherits the page's policy) and calls to this server only.
Imports the face of ``output``.
"""

from __future__ import annotations

import functools
from importlib import resources

from quotecheck.output import asset, content_security_policy, document


def _read(name: str) -> str:
    return resources.files("quotecheck.service").joinpath("assets", name).read_text("utf-8")


@functools.cache
def editor_page() -> tuple[str, str]:
    """The page and its Content-Security-Policy header."""
    css, js = _read("editor.css"), _read("editor.js")
    policy = content_security_policy(
        [css, asset("report.css")],
        [js, asset("report.js")],
        "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'",
    )
    page = document(
        "quotecheck: the editor's view", _read("editor.html"), css=css, js=js, policy=policy
    )
    return page, policy
