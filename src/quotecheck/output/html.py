"""The editor's view: a quote report (and a fact-check report) as one self-contained HTML page.

The article text is shown as it is (``white-space: pre-wrap``), every quote fragment marked in
its speaker's colour with a label, speaker mentions, cues and stated anonymity reasons
underlined, claim sentences underlined by verdict. Hovering or focusing a mark shows the
quote's details; the same details are listed below the article for print and screen readers.
Every string from a report or an article is escaped; element ids are made from positions, never
from report values. The only CSS and JS are the constant files in ``assets/``, pinned by a
Content-Security-Policy (hashes), so the page loads nothing and runs nothing else.

Renders records only: imports nothing but ``schema`` and the rest of ``output``.
"""

from __future__ import annotations

from typing import Any

from quotecheck.output.html_checks import claim_marks, claims_list, fidelity_list
from quotecheck.output.html_page import (
    Mark,
    badge,
    esc,
    label_text,
    page,
    quote_details,
    speaker_classes,
)
from quotecheck.schema import FactCheckReport, Label, QuoteFidelity, QuoteReport


def nest(text: str, marks: list[Mark]) -> str:
    """``text`` escaped, with every mark wrapped around its slice. Marks may nest or cross:
    a mark that crosses the end of another is closed there and reopened (its continuation
    gets the class ``cont``), so the HTML is always well formed."""
    spans = sorted(
        ((s, e, o, c, i) for i, (s, e, o, c) in enumerate(marks) if 0 <= s < e <= len(text)),
        key=lambda m: (m[0], -m[1], m[4]),
    )
    points = sorted({p for s, e, *_ in spans for p in (s, e)})
    starts: dict[int, list] = {}
    for span in spans:
        starts.setdefault(span[0], []).append(span)
    out, stack, pos = [], [], 0
    for point in points:
        out.append(esc(text[pos:point]))
        pos = point
        if any(span[1] == point for span in stack):
            reopen = []
            while any(span[1] == point for span in stack):
                span = stack.pop()
                out.append(span[3])
                if span[1] != point:
                    reopen.append(span)
            for span in reversed(reopen):
                out.append(_continued(span[2]))
                stack.append(span)
        for span in starts.get(point, []):
            out.append(span[2])
            stack.append(span)
    out.append(esc(text[pos:]))
    return "".join(out)


def _continued(opening: str) -> str:
    """The opening tag of a mark's second piece: no id, no tab stop, class ``cont``."""
    tag = opening.replace(' class="', ' class="cont ', 1)
    for attr in (" tabindex=", " id="):
        at = tag.find(attr)
        if at >= 0:
            end = tag.index('"', tag.index('"', at) + 1)
            tag = tag[:at] + tag[end + 1 :]
    return tag


def _check_offsets(text: str, quotes: QuoteReport | None, fc: FactCheckReport | None) -> None:
    bad = []
    if quotes is not None:
        bad += [q.id for q in quotes.quotes for f in q.fragments if text[f.start : f.end] != f.text]
    if fc is not None:
        bad += [c.claim.id for c in fc.claims if _slice(text, c.claim.sentence) is None]
    if bad:
        raise ValueError(
            f"the report's offsets do not match this text ({', '.join(bad[:5])}); "
            "render it with the text it was made from"
        )


def _slice(text: str, span: Any) -> str | None:
    return span.text if text[span.start : span.end] == span.text else None


def _quote_marks(quotes: QuoteReport, classes: dict[str | None, str]) -> list[Mark]:
    marks: list[Mark] = []
    seen: set[tuple[int, int, str]] = set()
    for qi, q in enumerate(quotes.quotes):
        cls = classes.get(q.speaker_id, "spx")
        flags = " anon" if q.anonymous else ""
        flags += " noreason" if q.anonymous and q.anonymity_reason is None else ""
        label = esc(q.id)
        for fi, frag in enumerate(q.fragments):
            opening = (
                f'<mark class="q {cls}{flags}" id="f{qi}-{fi}" tabindex="0" data-qi="{qi}" '
                f'data-frag="{qi}-{fi}" data-label="{label}" '
                f'data-speaker="{esc(q.speaker_label() or "")}" aria-describedby="qd-{qi}">'
            )
            marks.append((frag.start, frag.end, opening, "</mark>"))
        for span, kind in (
            (q.speaker_mention, f"who {cls}"),
            (q.cue, "cue"),
            (q.anonymity_reason, "why"),
        ):
            if span is not None and (span.start, span.end, kind) not in seen:
                seen.add((span.start, span.end, kind))
                marks.append((span.start, span.end, f'<span class="{kind}">', "</span>"))
    return marks


def _speakers_panel(quotes: QuoteReport, classes: dict[str | None, str]) -> str:
    groups: dict[str, list[str]] = {"Named people": [], "Organisations and media": []}
    groups |= {"Anonymous sources": [], "Groups and others": []}
    counts = {s.id: len(s.quote_ids) for s in quotes.speakers}
    for si, s in enumerate(quotes.speakers):
        mine = [q for q in quotes.quotes if q.speaker_id == s.id]
        reasons = sorted({q.anonymity_reason.text for q in mine if q.anonymity_reason})
        meta = [f"{counts[s.id] or len(mine)} quote(s) · {esc(s.kind.value)}"]
        flag = ""
        if s.anonymous:
            flag = badge("anonymous", "b-anon")
            if s.descriptor:
                meta.append(f"described as “{esc(s.descriptor)}”")
            meta += [f"reason: “{esc(r)}”" for r in reasons]
            if not reasons:
                flag += " " + badge("no reason given", "b-noreason")
        button = (
            f'<button type="button" class="{classes[s.id]}" data-speaker-class="s{si}" '
            f'aria-pressed="false"><b>{esc(s.name)}</b> {flag}'
            + "".join(f'<span class="meta">{m}</span>' for m in meta)
            + '<span class="meta hint">show only these quotes</span></button>'
        )
        if s.anonymous:
            group = "Anonymous sources"
        elif s.kind.value == "person":
            group = "Named people"
        elif s.kind.value in ("organisation", "media"):
            group = "Organisations and media"
        else:
            group = "Groups and others"
        groups[group].append(f"<li>{button}</li>")
    unattributed = sum(1 for q in quotes.quotes if q.speaker_id is None)
    parts = ['<section aria-labelledby="h-speakers"><h2 id="h-speakers">Speakers</h2>']
    for title, items in groups.items():
        if items:
            parts.append(f'<h3>{title} ({len(items)})</h3><ul class="speakers">')
            parts += items + ["</ul>"]
    if not quotes.speakers:
        parts.append("<p>No speakers found.</p>")
    if unattributed:
        parts.append(f"<p>{unattributed} quote(s) without an attributed speaker.</p>")
    return "\n".join(parts + ["</section>"])


def _quotes_list(quotes: QuoteReport, fidelity: dict[str, QuoteFidelity]) -> str:
    if not quotes.quotes:
        return '<section class="quotes"><h2>Quotes</h2><p>No quotes found.</p></section>'
    items = []
    for qi, q in enumerate(quotes.quotes):
        items.append(
            f'<li><a href="#f{qi}-0">{esc(q.id)}</a> <span class="qtext">“{esc(q.text)}”</span>'
            f"{quote_details(q, qi, fidelity.get(q.id))}</li>"
        )
    return (
        '<section class="quotes" aria-labelledby="h-quotes"><h2 id="h-quotes">Quotes</h2><ol>'
        + "\n".join(items)
        + "</ol></section>"
    )


def _summary(quotes: QuoteReport | None, fc: FactCheckReport | None) -> list[str]:
    items = []
    if quotes is not None:
        qs = quotes.quotes
        anon = [q for q in qs if q.anonymous]
        named = sum(1 for q in qs if q.speaker_id and not q.anonymous)
        items += [
            f"<b>{len(qs)}</b> quotes",
            f"<b>{len(quotes.speakers)}</b> speakers",
            f"<b>{named}</b> from named sources",
            f"<b>{len(anon)}</b> anonymous",
        ]
        missing = sum(1 for q in anon if q.anonymity_reason is None)
        if missing:
            items.append(badge(f"{missing} anonymous without a stated reason", "b-noreason"))
    if fc is not None and fc.claims:
        for label in Label:
            n = sum(1 for c in fc.claims if c.verdict.label == label)
            items.append(f"{badge(label_text(label, False), f'b-{label.value}')} {n}")
    return items


def to_html(
    report: QuoteReport | FactCheckReport | dict,
    text: str | None = None,
    *,
    quotes: QuoteReport | None = None,
    title: str | None = None,
) -> str:
    """One self-contained HTML page for ``report`` over the article ``text`` it was made from.

    ``report`` is a :class:`QuoteReport`, a :class:`FactCheckReport` (give its ``quotes`` report
    to mark the quotes too) or a batch output record (``{"id", "report", "factcheck"}``).
    Without ``text`` the page lists the quotes and claims but cannot show the article.
    Raises ``ValueError`` when the report's offsets do not slice ``text``.
    """
    if isinstance(report, dict):
        fc_data = report.get("factcheck")
        quotes = quotes or QuoteReport.model_validate(report.get("report") or report)
        report = FactCheckReport.model_validate(fc_data) if fc_data else quotes
    fc = report if isinstance(report, FactCheckReport) else None
    if isinstance(report, QuoteReport):
        quotes = report
    if text is not None:
        _check_offsets(text, quotes, fc)
    classes = speaker_classes(quotes.speakers if quotes else [])
    fidelity = {f.quote_id: f for f in fc.quotes} if fc else {}
    marks: list[Mark] = []
    if quotes is not None:
        marks += _quote_marks(quotes, classes)
    if fc is not None:
        marks += claim_marks(fc)
    if text is None:
        body = '<p class="notext">The article text was not given; the quotes are listed below.</p>'
    else:
        body = f'<div class="article" id="article">{nest(text, marks)}</div>'
    aside = [_speakers_panel(quotes, classes)] if quotes is not None else []
    lists = [_quotes_list(quotes, fidelity)] if quotes is not None else []
    if fc is not None:
        index = {q.id: i for i, q in enumerate(quotes.quotes)} if quotes else {}
        lists += [claims_list(fc, index), fidelity_list(fc)]
    warnings = [*(quotes.warnings if quotes else []), *(fc.warnings if fc else [])]
    runs = [r.run for r in (quotes, fc) if r is not None and r.run is not None]
    meta = report.article or (quotes.article if quotes else None)
    name = title or (meta.title if meta else None) or report.article_id or "article"
    summary = _summary(quotes, fc)
    if meta is not None:  # where the article appeared, as text (the page links nowhere)
        where = " · ".join(v for v in (meta.site_name, meta.published, meta.url) if v)
        summary += [esc(where)] if where else []
    heading = f"Fact-check: {name}" if fc is not None else f"Quotes: {name}"
    return page(heading, summary, body, aside, lists, warnings, runs)
