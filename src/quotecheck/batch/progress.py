"""Progress of a batch on stderr: done, failed, quotes, tokens, rate, ETA (a rich bar).

Imports only ``schema``; the runner hands it the live counts.
"""

from __future__ import annotations

import time
from typing import Protocol

from quotecheck.schema import Usage


class Counts(Protocol):
    """What the bar reads from the runner's summary."""

    ok: int
    failed: int
    quotes: int
    usage: Usage


class ProgressBar:
    """A rich progress bar on stderr: done, failed, quotes, tokens, rate, ETA."""

    def __init__(self, total: int, summary: Counts, started: float) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.summary, self.started = summary, started
        self.bar = Progress(
            TextColumn("[bold]batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("failed {task.fields[failed]}"),
            TextColumn("quotes {task.fields[quotes]}"),
            TextColumn("tokens {task.fields[tokens]}"),
            TextColumn("{task.fields[rate]:.1f}/min"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self.task = self.bar.add_task("batch", total=total, failed=0, quotes=0, tokens=0, rate=0.0)

    def start(self) -> None:
        self.bar.start()

    def stop(self) -> None:
        self.bar.stop()

    def update(self) -> None:
        s = self.summary
        elapsed = max(1e-9, time.perf_counter() - self.started)
        self.bar.update(
            self.task,
            completed=s.ok + s.failed,
            failed=s.failed,
            quotes=s.quotes,
            tokens=s.usage.prompt_tokens + s.usage.completion_tokens,
            rate=60.0 * (s.ok + s.failed) / elapsed,
        )
