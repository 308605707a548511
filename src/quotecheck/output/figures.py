"""The source mix of a batch, as a standards editor asks about it, from batch output records.

A record is one line of ``quotecheck batch`` output: ``{"id", "report": QuoteReport,
"factcheck"?: FactCheckReport}``; error records (``"error"``) are counted as failed articles.
Where the records say where and when an article appeared (an ``article`` block with
``site_name``/``publisher`` and ``date``/``published``: the record's, its report's, or the same
fields at the top level), the figures are
also given per publication and per month. Every figure is also a CSV row
(``table, group, measure, value``). Renders records only: imports nothing of the package but
the rest of ``output``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quotecheck.output.quotes_csv import write_csv

#: how a quote's source is counted: a named speaker, an anonymous one, or nobody found
SOURCE_PARTS = ("named", "anonymous", "unattributed")
KINDS = ("person", "organisation", "media", "group", "unknown")
_MONTH = re.compile(r"^(\d{4})-(\d{2})")
CSV_HEADER = ("table", "group", "measure", "value")


@dataclass
class Mix:
    """Quotes of one group (all, a publication, a month) by source, and its articles."""

    articles: int = 0
    sources: Counter = field(default_factory=Counter)

    @property
    def quotes(self) -> int:
        return sum(self.sources.values())

    def share(self, part: str) -> float:
        return self.sources[part] / self.quotes if self.quotes else 0.0


@dataclass
class Figures:
    records: int = 0
    failed: int = 0
    overall: Mix = field(default_factory=Mix)
    types: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    speakers: dict[str, dict[str, Any]] = field(default_factory=dict)
    anonymous_with_reason: int = 0
    anonymous_without_reason: list[dict[str, Any]] = field(default_factory=list)
    by_publication: dict[str, Mix] = field(default_factory=dict)
    by_month: dict[str, Mix] = field(default_factory=dict)
    verdicts: Counter = field(default_factory=Counter)

    def top_speakers(self, n: int = 15) -> list[dict[str, Any]]:
        """Named speakers with the most quotes (ties: more articles, then name)."""
        ranked = sorted(
            self.speakers.values(), key=lambda s: (-s["quotes"], -len(s["articles"]), s["name"])
        )
        return ranked[:n]


def _text(span: Any) -> str | None:
    return span.get("text") if isinstance(span, dict) else None


def _meta(record: dict) -> tuple[str | None, str | None]:
    """(publication, month) from the record's article block or its top-level fields."""
    report = record.get("report") if isinstance(record.get("report"), dict) else {}
    blocks = [record.get("article"), report.get("article"), record]  # the report's: batch pages
    blocks = [b for b in blocks if isinstance(b, dict)]

    def first(*names: str) -> Any:
        for source in blocks:
            for name in names:
                value = source.get(name)
                if isinstance(value, str) and value.strip():
                    return value.strip()
        return None

    publication = first("site_name", "publisher", "publication")
    date = first("date", "published", "date_published")
    month = None
    if date is not None and (m := _MONTH.match(date)):
        month = f"{m.group(1)}-{m.group(2)}"
    return publication, month


def source_of(quote: dict) -> str:
    if quote.get("anonymous"):
        return "anonymous"
    return "named" if quote.get("speaker_name") or quote.get("speaker_id") else "unattributed"


def figures(records: Iterable[dict]) -> Figures:
    """Count every quote of ``records`` once; records without a report are failures."""
    fig = Figures()
    names: dict[str, Counter] = {}
    for record in records:
        fig.records += 1
        report = record.get("report")
        if not isinstance(report, dict) or "error" in record:
            fig.failed += 1
            continue
        article_id = str(record.get("id", report.get("article_id") or fig.records))
        publication, month = _meta(record)
        groups = [fig.overall]
        if publication:
            groups.append(fig.by_publication.setdefault(publication, Mix()))
        if month:
            groups.append(fig.by_month.setdefault(month, Mix()))
        for group in groups:
            group.articles += 1
        for q in report.get("quotes") or []:
            if not isinstance(q, dict):
                continue
            part = source_of(q)
            for group in groups:
                group.sources[part] += 1
            fig.types[str(q.get("type") or "unknown")] += 1
            fig.kinds[str(q.get("speaker_kind") or "unknown")] += 1
            if part == "anonymous":
                if _text(q.get("anonymity_reason")):
                    fig.anonymous_with_reason += 1
                else:
                    fig.anonymous_without_reason.append(_anonymous_row(article_id, q))
            elif part == "named" and q.get("speaker_name"):
                name = " ".join(str(q["speaker_name"]).split())
                key = name.casefold()
                entry = fig.speakers.setdefault(
                    key,
                    {"name": name, "kind": q.get("speaker_kind"), "quotes": 0, "articles": set()},
                )
                entry["quotes"] += 1
                entry["articles"].add(article_id)
                names.setdefault(key, Counter())[name] += 1
        factcheck = record.get("factcheck")
        if isinstance(factcheck, dict):
            for check in factcheck.get("claims") or []:
                verdict = (check.get("verdict") or {}) if isinstance(check, dict) else {}
                label = verdict.get("label") or "unknown"
                fig.verdicts["partly supported" if verdict.get("partial") else label] += 1
    for key, spellings in names.items():
        fig.speakers[key]["name"] = spellings.most_common(1)[0][0]
    fig.by_month = dict(sorted(fig.by_month.items()))
    fig.by_publication = dict(sorted(fig.by_publication.items(), key=lambda kv: -kv[1].quotes))
    return fig


def _anonymous_row(article_id: str, q: dict) -> dict[str, Any]:
    fragments = q.get("fragments") or [{}]
    return {
        "article_id": article_id,
        "quote_id": q.get("id"),
        "descriptor": _text(q.get("anonymity_descriptor")) or _text(q.get("speaker_mention")),
        "cue": _text(q.get("cue")),
        "text": q.get("text") or "",
        "start": fragments[0].get("start") if isinstance(fragments[0], dict) else None,
    }


def _mix_rows(table: str, group: str, mix: Mix) -> list[tuple]:
    rows = [(table, group, "articles", mix.articles), (table, group, "quotes", mix.quotes)]
    for part in SOURCE_PARTS:
        rows.append((table, group, f"{part}_quotes", mix.sources[part]))
        rows.append((table, group, f"{part}_share", round(mix.share(part), 4)))
    return rows


def figure_rows(fig: Figures) -> list[tuple]:
    """Every figure of the dashboard as ``(table, group, measure, value)``."""
    rows: list[tuple] = [
        ("overall", "all", "records", fig.records),
        ("overall", "all", "failed_articles", fig.failed),
        *_mix_rows("overall", "all", fig.overall),
        ("anonymity", "all", "with_stated_reason", fig.anonymous_with_reason),
        ("anonymity", "all", "without_stated_reason", len(fig.anonymous_without_reason)),
    ]
    total = fig.overall.quotes
    for kind in sorted(set(KINDS) | set(fig.kinds)):
        rows.append(("speaker_kind", kind, "quotes", fig.kinds[kind]))
        rows.append(
            ("speaker_kind", kind, "share", round(fig.kinds[kind] / total, 4) if total else 0)
        )
    for kind, n in sorted(fig.types.items()):
        rows.append(("quote_type", kind, "quotes", n))
    for s in fig.top_speakers():
        rows.append(("top_speakers", s["name"], "quotes", s["quotes"]))
        rows.append(("top_speakers", s["name"], "articles", len(s["articles"])))
    for name, mix in fig.by_publication.items():
        rows += _mix_rows("publication", name, mix)
    for month, mix in fig.by_month.items():
        rows += _mix_rows("month", month, mix)
    for label, n in sorted(fig.verdicts.items()):
        rows.append(("verdicts", label, "claims", n))
    return rows


def write_figures_csv(fig: Figures, path: Path) -> int:
    """The figures as CSV (formulas defused), written atomically; returns the rows written."""
    return write_csv(path, CSV_HEADER, figure_rows(fig))
