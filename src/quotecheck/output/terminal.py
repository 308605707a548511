"""A quote report as a table in a terminal. Renders records only: imports only ``schema``."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from quotecheck.schema import QuoteReport


def print_report(report: QuoteReport, text: str, console: Console | None = None) -> None:
    console = console or Console()
    if not report.quotes:
        console.print("[dim]no quotes found[/dim]")
    else:
        table = Table(show_lines=True, title=report.article_id or None)
        table.add_column("#", style="dim", no_wrap=True)
        table.add_column("quote")
        table.add_column("type", no_wrap=True)
        table.add_column("speaker")
        table.add_column("cue")
        table.add_column("anonymity / relay")
        for q in report.quotes:
            speaker = q.speaker_name or "[dim]unknown[/dim]"
            if q.speaker_mention and q.speaker_mention.text != q.speaker_name:
                speaker += f"\n[dim]as “{q.speaker_mention.text}”[/dim]"
            speaker += f"\n[dim]{q.speaker_kind.value}[/dim]"
            notes = []
            if q.anonymous:
                desc = q.anonymity_descriptor.text if q.anonymity_descriptor else "anonymous"
                notes.append(f"anonymous: {desc}")
                if q.anonymity_reason:
                    notes.append(f"reason: {q.anonymity_reason.text}")
            notes += [f"via {r.name}" for r in q.relay]
            quote = q.text if len(q.text) <= 300 else q.text[:297] + "…"
            table.add_row(
                q.id, quote, q.type.value, speaker, q.cue.text if q.cue else "", "\n".join(notes)
            )
        console.print(table)
    run = report.run
    if run is not None:
        console.print(
            f"[dim]{len(report.quotes)} quotes, {len(report.speakers)} speakers; model {run.model} "
            f"({run.endpoint_kind}); {run.usage.calls} calls, {run.usage.prompt_tokens} prompt + "
            f"{run.usage.completion_tokens} output tokens; {run.seconds:.1f} s[/dim]"
        )
    for w in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")
