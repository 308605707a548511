"""The archive dashboard: a batch's source mix as one self-contained HTML page (inline SVG
charts, each followed by the same figures as a table), from :mod:`output.figures`.

Renders records only: imports nothing of the package but the rest of ``output``.
"""

from __future__ import annotations

from collections.abc import Iterable

from quotecheck.output.figures import KINDS, SOURCE_PARTS, Figures, Mix, figures
from quotecheck.output.html_page import asset, document, esc
from quotecheck.output.svg import bar_chart, stacked_chart

SOURCE_COLOURS = [("named", "#1d4ed8"), ("anonymous", "#b45309"), ("unattributed", "#8a939b")]
_TEXT_LIMIT = 240


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _table(caption: str, head: list[str], rows: list[list[object]], numeric: set[int]) -> str:
    th = "".join(
        f'<th scope="col"{" class=n" if i in numeric else ""}>{esc(h)}</th>'
        for i, h in enumerate(head)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=n' if i in numeric else ''}>{esc(v)}</td>" for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><caption>{esc(caption)}</caption><tr>{th}</tr>{body}</table>"


def _mix_table(caption: str, label: str, groups: dict[str, Mix]) -> str:
    head = [label, "articles", "quotes", *(f"{p} %" for p in SOURCE_PARTS)]
    rows = [
        [name, m.articles, m.quotes, *(_pct(m.share(p)) for p in SOURCE_PARTS)]
        for name, m in groups.items()
    ]
    return _table(caption, head, rows, set(range(1, len(head))))


def _mix_section(title: str, label: str, groups: dict[str, Mix], hint: str) -> str:
    if not groups:
        return f'<h2>{esc(title)}</h2><p class="note">{esc(hint)}</p>'
    chart = stacked_chart(
        f"{title}: share of quotes by source",
        [(name, dict(m.sources)) for name, m in groups.items()],
        SOURCE_COLOURS,
    )
    return f"<h2>{esc(title)}</h2><figure>{chart}</figure>{_mix_table(title, label, groups)}"


def _sources(fig: Figures) -> str:
    o = fig.overall
    chart = stacked_chart("Quotes by source", [("all quotes", dict(o.sources))], SOURCE_COLOURS)
    rows = [[p, o.sources[p], _pct(o.share(p))] for p in SOURCE_PARTS]
    return (
        "<h2>Named and anonymous sources</h2>"
        '<p class="note">Named: the speaker is identified; anonymous: described but not named '
        '("a ministry official"); unattributed: no speaker was found for the quote.</p>'
        f"<figure>{chart}</figure>"
        + _table("Quotes by source", ["source", "quotes", "share"], rows, {1, 2})
    )


def _kinds(fig: Figures) -> str:
    total = fig.overall.quotes
    kinds = [k for k in KINDS if fig.kinds[k]] + sorted(set(fig.kinds) - set(KINDS))
    chart = bar_chart("Quotes by kind of speaker", [(k, fig.kinds[k]) for k in kinds], "#0e7490")
    rows = [[k, fig.kinds[k], _pct(fig.kinds[k] / total if total else 0)] for k in kinds]
    return f"<h2>People and organisations</h2><figure>{chart}</figure>" + _table(
        "Quotes by kind of speaker", ["kind", "quotes", "share"], rows, {1, 2}
    )


def _speakers(fig: Figures) -> str:
    top = fig.top_speakers()
    if not top:
        return '<h2>Top speakers</h2><p class="note">No named speaker in these records.</p>'
    chart = bar_chart(
        "Named speakers with the most quotes", [(s["name"], s["quotes"]) for s in top]
    )
    rows = [[s["name"], s["kind"] or "unknown", s["quotes"], len(s["articles"])] for s in top]
    return f"<h2>Top speakers</h2><figure>{chart}</figure>" + _table(
        "Top named speakers", ["speaker", "kind", "quotes", "articles"], rows, {2, 3}
    )


def _anonymous(fig: Figures) -> str:
    missing = fig.anonymous_without_reason
    total = len(missing) + fig.anonymous_with_reason
    if not total:
        return '<h2>Anonymous quotes</h2><p class="note">No anonymous quotes.</p>'
    lead = (
        f'<p><span class="alert">{len(missing)}</span> of {total} anonymous quotes give no '
        "reason for the anonymity (such as “speaking on condition of anonymity because …”).</p>"
    )
    if not missing:
        return f"<h2>Anonymous quotes without a stated reason</h2>{lead}"
    rows = "".join(
        f"<tr><td>{esc(r['article_id'])}</td><td>{esc(r['quote_id'])}</td>"
        f"<td>{esc(r['descriptor'] or '')}</td><td>{esc(r['cue'] or '')}</td>"
        f'<td class="quote">“{esc(_short(r["text"]))}”</td></tr>'
        for r in missing
    )
    head = "".join(
        f'<th scope="col">{h}</th>' for h in ("article", "quote", "source", "cue", "words")
    )
    return (
        f"<h2>Anonymous quotes without a stated reason</h2>{lead}"
        f"<table><caption>Anonymous quotes without a stated reason</caption><tr>{head}</tr>"
        f"{rows}</table>"
    )


def _short(text: str) -> str:
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


def _small_counts(title: str, counts: dict[str, int], colour: str) -> str:
    if not counts:
        return ""
    items = sorted(counts.items(), key=lambda kv: -kv[1])
    chart = bar_chart(title, items, colour)
    rows = [[k, v] for k, v in items]
    return f"<h2>{esc(title)}</h2><figure>{chart}</figure>" + _table(
        title, ["", "count"], rows, {1}
    )


def to_dashboard(records: Iterable[dict] | Figures, title: str | None = None) -> str:
    """The dashboard page for batch output ``records`` (or figures already counted)."""
    fig = records if isinstance(records, Figures) else figures(records)
    o = fig.overall
    summary = [
        f"<b>{o.articles}</b> articles",
        f"<b>{o.quotes}</b> quotes",
        f"<b>{_pct(o.share('named'))}</b> from named sources",
        f"<b>{_pct(o.share('anonymous'))}</b> anonymous",
        f"<b>{len(fig.anonymous_without_reason)}</b> anonymous without a stated reason",
    ]
    if fig.failed:
        summary.append(f"<b>{fig.failed}</b> failed articles (not counted)")
    heading = title or "Source mix"
    body = [
        f"<main><h1>{esc(heading)}</h1><ul class=\"summary\">"
        + "".join(f"<li>{s}</li>" for s in summary)
        + "</ul>",
        _sources(fig),
        _kinds(fig),
        _speakers(fig),
        _anonymous(fig),
        _mix_section(
            "Per publication", "publication", fig.by_publication,
            "The records name no publication (an article block with site_name, or publisher).",
        ),
        _mix_section(
            "Per month", "month", fig.by_month,
            "The records carry no date (an article block with date, or a date field).",
        ),
        _small_counts("Quote types", dict(fig.types), "#6d28d9"),
        _small_counts("Fact-check verdicts", dict(fig.verdicts), "#15803d"),
        '<p class="note">Machine analysis by quotecheck: figures count attributions found by '
        "the model and checked by code; sample them against the articles.</p></main>",
    ]  # fmt: skip
    return document(heading, "\n".join(body), css=asset("dashboard.css"))
