"""A fact-check report an editor reads top to bottom, as Markdown (and as JSON).

Renders records only: imports nothing but ``schema``.
"""

from __future__ import annotations

from quotecheck.schema import (
    Assertor,
    ClaimCheck,
    FactCheckReport,
    FidelityStatus,
    Label,
    Verdict,
)

LABEL_TEXT = {
    Label.supported: "Supported",
    Label.refuted: "Refuted",
    Label.not_enough_evidence: "Not enough evidence",
    Label.needs_review: "Needs review",
}
STATUS_TEXT = {
    FidelityStatus.exact: "Exact",
    FidelityStatus.trivial: "Trivial differences",
    FidelityStatus.altered: "Altered wording",
    FidelityStatus.not_found: "Not found in transcripts",
}


def verdict_notes(verdict: Verdict) -> list[str]:
    """Why a verdict is what it is, in words (all written by code from the evidence)."""
    notes = [f"Why: {verdict.explanation}"] if verdict.explanation else []
    if verdict.probability is not None:
        notes.append(f"P(supported): {verdict.probability:.2f}")
    return notes + ([f"Decided by code: {verdict.reason}"] if verdict.reason else [])


def to_json(report: FactCheckReport) -> str:
    return report.model_dump_json(indent=2)


def _md(text: str) -> str:
    """One line of text, safe inside Markdown tables and emphasis."""
    return " ".join(text.split()).replace("|", "\\|")


def _who(check: ClaimCheck) -> str:
    c = check.claim
    if c.asserted_by == Assertor.speaker:
        return f"{c.speaker_name or 'a quoted speaker'} (quote {c.quote_id})"
    return "the article"


def _curly(words: str) -> str:
    return f"“{_md(words)}”"


def to_markdown(report: FactCheckReport, title: str | None = None) -> str:
    """A report an editor can read top to bottom: verdicts first, then quotes."""
    lines = [f"# Fact-check draft: {title or report.article_id or 'article'}", ""]
    lines.append("_Draft for an editor: machine verdicts, check the cited evidence._")
    lines.append("")
    if report.claims:
        counts = {label: 0 for label in Label}
        for c in report.claims:
            counts[c.verdict.label] += 1
        lines += ["## Claims", ""]
        lines.append(", ".join(f"{LABEL_TEXT[k]}: {v}" for k, v in counts.items()))
        lines.append("")
        for check in report.claims:
            v = check.verdict
            label = LABEL_TEXT[v.label] + (" (partly supported)" if v.partial else "")
            lines.append(f"### {check.claim.id}. {label}")
            lines.append("")
            lines.append(f"> {_md(check.claim.text)}")
            lines.append("")
            lines.append(f"- Asserted by: {_who(check)}")
            s = check.claim.sentence
            lines.append(f"- Article sentence (chars {s.start}-{s.end}): {_md(s.text)}")
            lines += [f"- {_md(note)}" for note in verdict_notes(v)]
            for cit in v.citations:
                lines.append(
                    f"- Evidence `{cit.source_id}` chars {cit.start}-{cit.end}: “{_md(cit.text)}”"
                )
            lines.append("")
    if report.quotes:
        lines += ["## Quotes against transcripts", ""]
        lines.append("| quote | speaker | status | speaker matches | meaning changed |")
        lines.append("|---|---|---|---|---|")
        for q in report.quotes:
            match = {True: "yes", False: "**no**", None: "n/a"}[q.speaker_match]
            meaning = {True: "**yes**", False: "no", None: "n/a"}[q.meaning_changed]
            status = STATUS_TEXT[q.status]
            lines.append(
                f"| {q.quote_id} | {_md(q.speaker_name or '?')} | {status} | {match} | {meaning} |"
            )
        lines.append("")
        for q in report.quotes:
            for f in q.fragments:
                if f.status != FidelityStatus.altered:
                    continue
                lines.append(f"### {q.quote_id}: altered wording")
                lines.append("")
                lines.append(f"- Article: “{_md(f.fragment.text)}”")
                if f.transcript_span is not None:
                    lines.append(
                        f"- Transcript `{f.transcript_id}` ({f.transcript_speaker}): "
                        f"“{_md(f.transcript_span.text)}”"
                    )
                changes = [d.describe(_curly) for d in f.diff if d.op != "equal"]
                lines.append(f"- Changes: {'; '.join(changes)}")
                if q.meaning_reason:
                    lines.append(f"- Meaning: {_md(q.meaning_reason)}")
                lines.append("")
    if report.warnings:
        lines += ["## Warnings", ""] + [f"- {_md(w)}" for w in report.warnings] + [""]
    if report.run is not None:
        u = report.run.usage
        lines.append(
            f"_Model {report.run.model} ({report.run.endpoint_kind}); {u.calls} calls, "
            f"{u.prompt_tokens} prompt + {u.completion_tokens} completion tokens._"
        )
    return "\n".join(lines).rstrip() + "\n"
