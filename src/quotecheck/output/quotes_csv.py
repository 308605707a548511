"""Quotes as CSV rows, one per quote of a batch record, safe to open in a spreadsheet.

Renders records only: imports nothing of the package.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

CSV_COLUMNS = (
    "article_id", "quote_id", "type", "text", "speaker_name", "speaker_mention", "speaker_kind",
    "anonymous", "anonymity_descriptor", "anonymity_reason", "cue", "cue_kind", "relay",
    "confidence", "verbatim", "start", "end", "url", "title", "site", "published", "authors",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas (CSV injection) in text cells."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _span_text(span: Any) -> str:
    return span.get("text", "") if isinstance(span, dict) else ""


def quote_rows(record: dict) -> list[dict[str, Any]]:
    """One CSV row per quote of an output record."""
    report = record.get("report") or {}
    article = report.get("article") or {}
    rows = []
    for q in report.get("quotes") or []:
        fragments = q.get("fragments") or [{}]
        rows.append(
            {
                "article_id": record.get("id"),
                "quote_id": q.get("id"),
                "type": q.get("type"),
                "text": q.get("text"),
                "speaker_name": q.get("speaker_name"),
                "speaker_mention": _span_text(q.get("speaker_mention")),
                "speaker_kind": q.get("speaker_kind"),
                "anonymous": q.get("anonymous"),
                "anonymity_descriptor": _span_text(q.get("anonymity_descriptor")),
                "anonymity_reason": _span_text(q.get("anonymity_reason")),
                "cue": _span_text(q.get("cue")),
                "cue_kind": q.get("cue_kind"),
                "relay": "; ".join(r.get("name", "") for r in q.get("relay") or []),
                "confidence": q.get("confidence"),
                "verbatim": q.get("verbatim"),
                "start": fragments[0].get("start"),
                "end": fragments[-1].get("end"),
                "url": article.get("url") or article.get("source_url"),
                "title": article.get("title"),
                "site": article.get("site_name"),
                "published": article.get("published"),
                "authors": "; ".join(article.get("authors") or []),
            }
        )
    return rows


def write_quotes_csv(records: Iterable[dict], path: Path) -> int:
    """Write every quote of ``records`` (batch output lines) as CSV, atomically; returns rows."""
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for record in records:
            for row in quote_rows(record):
                writer.writerow({k: _cell(v) for k, v in row.items()})
                count += 1
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return count
