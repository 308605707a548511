"""Annotated attribution corpora in PolNeAR's JSONL form (one article a line: ``doc_id``,
``text`` and ``attributions`` with source, cue and content character spans): the gold of
``quotecheck eval quotes`` and what the attribution tagger learns from.

Only the primary annotation of each article is used, so every article counts once.
Imports only ``errors``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from quotecheck.errors import BadInput

GoldSpan = tuple[int, int]


@dataclass(frozen=True)
class GoldAttribution:
    """One attribution: who (source), how (cue), what (content: one or more fragments)."""

    id: str
    content: tuple[GoldSpan, ...]
    source: tuple[GoldSpan, ...]
    cue: tuple[GoldSpan, ...]
    source_text: str
    quote_type: str  # direct / mixed / indirect (a quotation-mark heuristic in the data)
    has_source: bool
    source_is_pronoun: bool


@dataclass(frozen=True)
class GoldDoc:
    doc_id: str
    publisher: str
    text: str
    attributions: tuple[GoldAttribution, ...] = field(default_factory=tuple)


def _spans(raw: list[dict] | None) -> tuple[GoldSpan, ...]:
    return tuple((int(s["start"]), int(s["end"])) for s in raw or [] if s["end"] > s["start"])


def _attribution(raw: dict) -> GoldAttribution | None:
    content = _spans(raw.get("content"))
    if not content:  # an annotation with no content cannot be matched; the data has one
        return None
    derived = raw.get("derived") or {}
    source = _spans(raw.get("source"))
    return GoldAttribution(
        id=str(raw.get("id", "")),
        content=content,
        source=source,
        cue=_spans(raw.get("cue")),
        source_text=" ".join(s.get("text", "") for s in raw.get("source") or []),
        quote_type=derived.get("quote_type") or "indirect",
        has_source=bool(derived.get("has_source", bool(source))),
        source_is_pronoun=bool(derived.get("source_is_pronoun")),
    )


def _doc(row: dict) -> GoldDoc:
    atts = (_attribution(a) for a in row.get("attributions") or [])
    return GoldDoc(
        doc_id=str(row["doc_id"]),
        publisher=str(row.get("publisher") or "unknown"),
        text=str(row["text"]),
        attributions=tuple(a for a in atts if a is not None),
    )


def iter_gold(path: Path, *, limit: int | None = None) -> Iterator[GoldDoc]:
    """Primary-annotation articles in file order; ``limit`` caps how many are read."""
    if not path.is_file():
        raise BadInput(f"gold file {path} not found: pass a PolNeAR-format .jsonl file")
    count = 0
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError as err:
        raise BadInput(f"{path} is not UTF-8 text: pass a PolNeAR-format .jsonl file") from err
    for lineno, line in enumerate(lines, 1):
        if limit is not None and count >= limit:
            return
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise BadInput(f"{path}:{lineno} is not JSON ({err.msg}): fix or remove it") from err
        if not isinstance(row, dict) or "text" not in row or "doc_id" not in row:
            raise BadInput(f"{path}:{lineno} lacks doc_id/text: is this a PolNeAR file?")
        if row.get("is_primary", True) is not True:
            continue
        try:
            doc = _doc(row)
        except (KeyError, TypeError, ValueError) as err:
            raise BadInput(f"{path}:{lineno} has a malformed attribution ({err!r})") from err
        yield doc
        count += 1


def load_gold(path: Path, *, limit: int | None = None) -> list[GoldDoc]:
    return list(iter_gold(path, limit=limit))
