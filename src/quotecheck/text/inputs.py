"""What a user hands us, checked once: bytes to text, one size limit, one hash, one HTML sniff,
and one JSONL reader. Deterministic; may import only ``errors``.

Every reader in the package (articles, evidence sources, transcripts, batch inputs) goes
through these functions, so an input is refused the same way wherever it enters; pages (HTML)
then go through ``text.html.read_page`` (see ``text.pages``).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quotecheck.errors import BadInput

#: the one size limit, in bytes of a file or characters of a string
MAX_INPUT = 8_000_000
#: file endings read as plain text, HTML pages, and JSONL records
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_HTML_HINT = re.compile(r"<(?:!doctype|html|body|article|p|div|head)\b", re.I)


def text_sha256(text: str) -> str:
    """The hash every report gives for the text its offsets refer to."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _too_large(size: int, source: str) -> BadInput:
    return BadInput(f"{source} is {size:,} long, over the {MAX_INPUT:,} limit; split it")


def decode(data: bytes, source: str = "input") -> str:
    """UTF-8 (with or without BOM) or BOM-marked UTF-16; anything else is refused, not guessed."""
    if len(data) > MAX_INPUT:
        raise _too_large(len(data), source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BadInput(f"{source} starts like UTF-16 but is not valid UTF-16 text") from exc
    if b"\x00" in data[:4096]:
        raise BadInput(f"{source} looks binary (contains NUL bytes), not article text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"{source} is not UTF-8 text (bad byte at offset {exc.start}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from None


def check_text(text: str) -> str:
    """Reject a string that is not article text, with a message that says why."""
    if not isinstance(text, str):
        raise BadInput(f"expected text (str), got {type(text).__name__}")
    if len(text) > MAX_INPUT:
        raise _too_large(len(text), "the input")
    sample = text[:20000]
    if "\x00" in sample:
        raise BadInput("input looks binary (contains NUL bytes), not article text")
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    if sample and controls / len(sample) > 0.05:
        raise BadInput("input looks binary (many control characters), not article text")
    return text


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text[:5000]))


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes (``-`` reads stdin), size-checked: what every file reader starts from."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(MAX_INPUT + 1)
        if len(data) > MAX_INPUT:
            raise _too_large(len(data), "standard input")
        return data
    p = Path(path)
    if not p.exists():
        raise BadInput(f"{p} does not exist")
    if p.is_dir():
        raise BadInput(f"{p} is a folder; give a file (quotecheck batch takes folders)")
    if p.stat().st_size > MAX_INPUT:
        raise _too_large(p.stat().st_size, str(p))
    try:
        return p.read_bytes()
    except OSError as err:
        raise BadInput(f"{p}: cannot read ({err.strerror or err})") from err


def read_file(path: str | Path) -> str:
    """A file's text (``-`` reads stdin), size-checked and decoded; HTML is not reduced."""
    return decode(read_bytes(path), "standard input" if str(path) == "-" else str(path))


@dataclass(frozen=True)
class JsonlLine:
    """One non-blank line of a JSONL input: ``where`` is ``source:line``; ``record`` is the
    object, or None with ``problem`` saying why the line is unusable."""

    where: str
    lineno: int
    record: dict[str, Any] | None
    problem: str | None = None


def jsonl_lines(lines: Iterable[bytes | str], source: str) -> Iterator[JsonlLine]:
    """The package's one JSONL reader: every non-blank line as an object or a stated problem."""
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            record = json.loads(raw)
        except ValueError:
            yield JsonlLine(where, lineno, None, f"{where}: line is not valid JSON")
            continue
        if not isinstance(record, dict):
            yield JsonlLine(where, lineno, None, f"{where}: line is not a JSON object")
            continue
        yield JsonlLine(where, lineno, record)
