"""The pieces every HTML page of quotecheck shares: escaping, badges, speaker colours, a quote's
details, and the page shell with its constant CSS/JS (``assets/``) pinned by a
Content-Security-Policy of hashes, so a page can load nothing and run nothing else.

Renders records only: imports ``schema`` and ``output.markdown`` (the verdict words).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
from importlib import resources

from quotecheck.output.markdown import LABEL_TEXT, STATUS_TEXT
from quotecheck.schema import FidelityStatus, Label, Quote, QuoteFidelity, RunInfo, Speaker

Mark = tuple[int, int, str, str]  # start, end, opening tag, closing tag
PALETTE_SIZE = 10  # colour classes sp0..sp9 in report.css; speakers past ten reuse them


def esc(value: object) -> str:
    """Text safe in HTML content and in double-quoted attributes."""
    return html.escape(str(value), quote=True)


def badge(text: str, cls: str) -> str:
    return f'<span class="badge {esc(cls)}">{esc(text)}</span>'


def label_text(label: Label, partial: bool) -> str:
    return "partly supported" if partial and label != Label.refuted else LABEL_TEXT[label].lower()


def status_text(status: FidelityStatus) -> str:
    return STATUS_TEXT[status].lower()


@functools.cache
def asset(name: str) -> str:
    """A constant file of ``output/assets`` (CSS or JS), as shipped in the wheel."""
    return resources.files("quotecheck.output").joinpath("assets", name).read_text("utf-8")


def csp_hash(content: str) -> str:
    """The CSP source that allows exactly this inline ``<style>``/``<script>`` content."""
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def content_security_policy(styles: list[str], scripts: list[str], extra: str = "") -> str:
    """No network at all (``extra`` may open some, e.g. ``connect-src 'self'``): only the given
    inline styles and scripts run, images only as data: URLs."""
    style = " ".join(csp_hash(s) for s in styles) or "'none'"
    script = " ".join(csp_hash(s) for s in scripts) or "'none'"
    policy = (
        f"default-src 'none'; style-src {style}; script-src {script}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    return f"{policy}; {extra}" if extra else policy


def speaker_classes(speakers: list[Speaker]) -> dict[str | None, str]:
    """Speaker id -> CSS classes: a colour (``spN``) and a unique one for filtering (``sN``)."""
    return {s.id: f"sp{i % PALETTE_SIZE} s{i}" for i, s in enumerate(speakers)}


def _row(term: str, value: str) -> str:
    return f"<dt>{term}</dt><dd>{value}</dd>"


def quote_details(q: Quote, qi: int, fidelity: QuoteFidelity | None = None) -> str:
    """What an editor asks about one quote, as a definition list (``id="qd-<qi>"``)."""
    rows = [_row("Speaker", esc(q.speaker_name or "not attributed"))]
    if q.speaker_mention is not None and q.speaker_mention.text != q.speaker_name:
        rows.append(_row("As written", f"“{esc(q.speaker_mention.text)}”"))
    rows.append(_row("Kind", esc(q.speaker_kind.value)))
    rows.append(_row("Type", esc(q.type.value)))
    cue = f"“{esc(q.cue.text)}”" if q.cue is not None else "none found"
    if q.cue_kind is not None:
        cue += f" ({esc(q.cue_kind.value.replace('_', ' '))})"
    rows.append(_row("Cue", cue))
    relay = " → ".join(esc(r.name) for r in q.relay) or "none (direct to the article)"
    rows.append(_row("Relay", relay))
    if q.anonymous:
        desc = q.anonymity_descriptor.text if q.anonymity_descriptor else "anonymous"
        rows.append(_row("Anonymous", f"{badge('anonymous', 'b-anon')} “{esc(desc)}”"))
        reason = (
            f"“{esc(q.anonymity_reason.text)}”"
            if q.anonymity_reason is not None
            else badge("no reason given", "b-noreason")
        )
        rows.append(_row("Reason", reason))
    rows.append(_row("Confidence", f"{q.confidence:.2f}"))
    if fidelity is not None:
        check = badge(status_text(fidelity.status), f"b-{fidelity.status.value}")
        if fidelity.speaker_match is False:
            check += " " + badge("speaker differs", "b-altered")
        if fidelity.meaning_changed:
            check += " " + badge("meaning changed", "b-altered")
        rows.append(_row("Transcript", check))
    return f'<dl class="qd" id="qd-{qi}">{"".join(rows)}</dl>'


def _run_line(run: RunInfo) -> str:
    u = run.usage
    return (
        f"Model {esc(run.model)} ({esc(run.endpoint_kind)}): {u.calls} calls, "
        f"{u.prompt_tokens} prompt + {u.completion_tokens} output tokens, {run.seconds:.1f} s."
    )


def document(
    title: str, body: str, *, css: str, js: str | None = None, policy: str | None = None
) -> str:
    """A whole page: the policy (default: only this page's style and script), the one
    stylesheet and the one script, inline."""
    policy = policy or content_security_policy([css], [js] if js else [])
    script = f"<script>{js}</script>" if js else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="quotecheck">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f"{body}\n{script}\n</body>\n</html>\n"
    )


def page(
    heading: str,
    summary: list[str],
    body: str,
    aside: list[str],
    lists: list[str],
    warnings: list[str],
    runs: list[RunInfo],
) -> str:
    """The report page: header with the summary, the article and its side panel, the lists."""
    items = "".join(f"<li>{item}</li>" for item in summary)
    warn = ""
    if warnings:
        warn = (
            '<section class="warnings"><h2>Warnings</h2><ul>'
            + "".join(f"<li>{esc(w)}</li>" for w in warnings)
            + "</ul></section>"
        )
    runs_html = " ".join(_run_line(r) for r in runs)
    legend = (
        "Marked: quotes in their speaker's colour (label = quote id, ⚑ = anonymous source), "
        "speakers underlined, cues dotted, stated reasons for anonymity shaded."
    )
    content = (
        '<a class="skip" href="#article">Skip to the article</a>\n'
        f'<header><h1>{esc(heading)}</h1><ul class="summary">{items}</ul>'
        f'<p class="ui">{legend}</p></header>\n'
        '<main class="layout"><div>'
        f'<h2 class="ui">Article</h2>{body}{"".join(lists)}{warn}</div>\n'
        f'<aside aria-label="Speakers">{"".join(aside)}</aside></main>\n'
        f"<footer><p>{runs_html} Machine analysis: check it against the article.</p></footer>\n"
        '<div id="qc-tip" role="tooltip" hidden></div>'
    )
    return document(heading, content, css=asset("report.css"), js=asset("report.js"))
