"""Transcripts: the spoken record a quote is checked against, parsed into speaker turns.

Format (plain UTF-8 text, one turn per line)::

    KIM YO JONG: The journey was clear proof of our friendship.
    [00:01:12] REPORTER: What about the sanctions?
    this line has no "NAME:" prefix, so it continues the previous turn.

A turn starts with the speaker's name (up to 60 characters, no digits) and a colon; an
optional ``[hh:mm:ss]`` timestamp before it is ignored. Lines starting with ``#`` are
comments. Offsets index the transcript file's text. Imports ``errors`` and ``text``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from quotecheck.errors import BadInput
from quotecheck.text import read_file

_TURN = re.compile(
    r"^[ \t]*(?:\[[0-9:.]+\][ \t]*)?(?P<speaker>[^\W\d][^:\d\n]{0,59}?)[ \t]*:[ \t]+(?P<text>\S.*)$"
)


@dataclass(frozen=True)
class Turn:
    """One speaker turn: ``transcript.text[start:end]`` is what the speaker said."""

    transcript_id: str
    speaker: str
    start: int
    end: int


@dataclass(frozen=True)
class Transcript:
    id: str
    text: str
    turns: tuple[Turn, ...]


def parse_transcript(text: str, transcript_id: str = "transcript") -> Transcript:
    """Split ``SPEAKER: text`` lines into turns; unprefixed lines continue the last turn."""
    turns: list[Turn] = []
    for line in re.finditer(r"[^\n]+", text):
        raw = line.group()
        if raw.lstrip().startswith("#") or not raw.strip():
            continue
        m = _TURN.match(raw)
        if m:
            start = line.start() + m.start("text")
            end = line.start() + len(raw.rstrip())
            turns.append(Turn(transcript_id, m.group("speaker").strip(), start, end))
        elif turns:
            last = turns[-1]
            turns[-1] = Turn(
                last.transcript_id, last.speaker, last.start, line.start() + len(raw.rstrip())
            )
    return Transcript(transcript_id, text, tuple(turns))


def load_transcripts(paths: Sequence[str | Path]) -> list[Transcript]:
    """Read transcript files (UTF-8 text); a file with no ``NAME:`` turn is an error."""
    out: list[Transcript] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise BadInput(f"{path}: no such transcript file; check the --transcript path")
        transcript = parse_transcript(read_file(path), path.name)
        if not transcript.turns:
            raise BadInput(f"{path}: no 'SPEAKER: text' lines; see the transcript format")
        out.append(transcript)
    return out
