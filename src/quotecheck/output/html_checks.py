"""The fact-check parts of the report page: claim sentences marked in the article by verdict,
the claims with their verdict badges and cited evidence sentences, and quote fidelity against
transcripts (with the word diff). Renders records only: imports ``schema`` and ``output``.
"""

from __future__ import annotations

from quotecheck.output.html_page import Mark, badge, esc, label_text, status_text
from quotecheck.output.markdown import verdict_notes
from quotecheck.schema import FactCheckReport, Label


def _verdict_class(labels: list[Label], partial: bool) -> str:
    if Label.refuted in labels:
        return "v-refuted"
    if Label.needs_review in labels:
        return "v-review"
    if partial:
        return "v-partial"
    return "v-supported" if Label.supported in labels else "v-none"


def claim_marks(fc: FactCheckReport) -> list[Mark]:
    by_sentence: dict[tuple[int, int], list[int]] = {}
    for ci, check in enumerate(fc.claims):
        s = check.claim.sentence
        by_sentence.setdefault((s.start, s.end), []).append(ci)
    marks: list[Mark] = []
    for (start, end), indexes in by_sentence.items():
        checks = [fc.claims[i] for i in indexes]
        cls = _verdict_class(
            [c.verdict.label for c in checks], any(c.verdict.partial for c in checks)
        )
        ids = esc(" ".join(c.claim.id for c in checks))
        opening = f'<span class="cs {cls}" id="cs{indexes[0]}" data-claims="{ids}">'
        marks.append((start, end, opening, "</span>"))
    return marks


def claims_list(fc: FactCheckReport, quote_index: dict[str, int]) -> str:
    if not fc.claims:
        return ""
    first = {}
    for ci, check in enumerate(fc.claims):
        s = check.claim.sentence
        first.setdefault((s.start, s.end), ci)
    items = []
    for check in fc.claims:
        c, v = check.claim, check.verdict
        cls = "b-partial" if v.partial else f"b-{v.label.value}"
        who = "the article"
        if c.asserted_by.value == "speaker":
            who = esc(c.speaker_name or "a quoted speaker")
            if c.quote_id in quote_index:
                who += f' (<a href="#f{quote_index[c.quote_id]}-0">{esc(c.quote_id)}</a>)'
        anchor = first[(c.sentence.start, c.sentence.end)]
        lines = [
            f"{badge(label_text(v.label, v.partial), cls)} <b>{esc(c.id)}</b> "
            f'<span class="qtext">{esc(c.text)}</span>',
            f'<div>Asserted by {who} · <a href="#cs{anchor}">sentence in the article</a></div>',
        ]
        lines += [f'<div class="reason">{esc(note)}</div>' for note in verdict_notes(v)]
        for cit in v.citations:
            lines.append(
                f'<blockquote class="cite">{esc(cit.text)}<div class="src">{esc(cit.source_id)}, '
                f"characters {cit.start}–{cit.end}</div></blockquote>"
            )
        if not v.citations:
            lines.append('<div class="reason">No evidence sentence cited.</div>')
        items.append("<li>" + "\n".join(lines) + "</li>")
    return (
        '<section class="claims" aria-labelledby="h-claims"><h2 id="h-claims">Claims</h2><ol>'
        + "\n".join(items)
        + "</ol></section>"
    )


def fidelity_list(fc: FactCheckReport) -> str:
    if not fc.quotes:
        return ""
    items = []
    for q in fc.quotes:
        lines = [f"{badge(status_text(q.status), f'b-{q.status.value}')} <b>{esc(q.quote_id)}</b>"]
        for f in q.fragments:
            if f.transcript_span is None:
                continue
            words = "".join(
                esc(d.article + " ") if d.op == "equal"
                else (f"<del>{esc(d.transcript)}</del> " if d.transcript else "")
                + (f"<ins>{esc(d.article)}</ins> " if d.article else "")
                for d in f.diff
            ) or esc(f.fragment.text)  # fmt: skip
            lines.append(
                f'<blockquote class="cite">{words}<div class="src">{esc(f.transcript_id or "")}'
                f" ({esc(f.transcript_speaker or '?')})</div></blockquote>"
            )
        if q.speaker_match is False:
            lines.append(f"<div>{badge('speaker differs', 'b-altered')}</div>")
        if q.meaning_reason:
            lines.append(f'<div class="reason">Meaning: {esc(q.meaning_reason)}</div>')
        items.append("<li>" + "\n".join(lines) + "</li>")
    return (
        '<section class="fidelity" aria-labelledby="h-fid"><h2 id="h-fid">Quotes against '
        "transcripts</h2><ol>" + "\n".join(items) + "</ol></section>"
    )
