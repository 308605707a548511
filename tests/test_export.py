"""JSON, Markdown and ClaimReview output of a hand-built fact-check report."""

from __future__ import annotations

import json

from quotecheck.output import to_claimreview, to_json, to_markdown
from quotecheck.schema import (
    Citation,
    Claim,
    ClaimCheck,
    DiffOp,
    FactCheckReport,
    FidelityStatus,
    FragmentAlignment,
    QuoteFidelity,
    Span,
    Verdict,
)

ARTICLE = "The mayor, 52, opened the bridge. “It cost $40m,” Ana Lima said."


def _span(text: str, source: str = ARTICLE) -> Span:
    start = source.index(text)
    return Span(start=start, end=start + len(text), text=text)


def _report() -> FactCheckReport:
    own = Claim(
        id="c1", text="The mayor is 52.", sentence=_span("The mayor, 52, opened the bridge.")
    )
    quoted = Claim(
        id="c2",
        text="The bridge cost $40m.",
        sentence=_span("“It cost $40m,” Ana Lima said."),
        asserted_by="speaker",
        speaker_name="Ana Lima",
        quote_id="q1",
    )
    refuting = Citation(source_id="notes.txt", start=0, end=22, text="The mayor is 61 | old.")
    checks = [
        ClaimCheck(
            claim=own,
            verdict=Verdict(label="refuted", rationale="Notes give 61.", citations=[refuting]),
        ),
        ClaimCheck(
            claim=quoted,
            verdict=Verdict(label="not_enough_evidence", partial=True, rationale="Cost unknown."),
        ),
    ]
    fragment = _span("It cost $40m,")
    quote = QuoteFidelity(
        quote_id="q1",
        speaker_name="Ana Lima",
        status=FidelityStatus.altered,
        speaker_match=False,
        meaning_changed=True,
        meaning_reason="The amount differs.",
        fragments=[
            FragmentAlignment(
                fragment=fragment,
                status=FidelityStatus.altered,
                score=88.0,
                transcript_id="t.txt",
                transcript_span=Span(start=10, end=23, text="It cost $30m"),
                transcript_speaker="BOB",
                diff=[
                    DiffOp(op="equal", article="It cost", transcript="It cost"),
                    DiffOp(op="replace", article="40m", transcript="30m"),
                ],
            )
        ],
    )
    return FactCheckReport(
        article_id="bridge",
        text_sha256="0" * 64,
        text_length=len(ARTICLE),
        claims=checks,
        quotes=[quote],
        warnings=["one source skipped"],
    )


def test_json_round_trips():
    report = _report()
    assert FactCheckReport.model_validate_json(to_json(report)) == report


def test_markdown_tells_an_editor_what_to_look_at():
    md = to_markdown(_report())
    assert md.startswith("# Fact-check draft: bridge")
    assert "### c1. Refuted" in md
    assert "### c2. Not enough evidence (partly supported)" in md
    assert "Asserted by: Ana Lima (quote q1)" in md
    assert "`notes.txt` chars 0-22" in md and "61 \\| old" in md
    assert "| q1 | Ana Lima | Altered wording | **no** | **yes** |" in md
    assert "“30m” became “40m”" in md
    assert "- one source skipped" in md


def test_claimreview_is_a_draft_with_schema_org_fields():
    items = json.loads(
        to_claimreview(_report(), article_url="https://example.org/a", publisher="Daily")
    )
    assert len(items) == 2
    first, second = items
    for item in items:
        assert item["@context"] == "https://schema.org" and item["@type"] == "ClaimReview"
        assert item["creativeWorkStatus"] == "Draft"
        assert item["itemReviewed"]["@type"] == "Claim"
        assert item["itemReviewed"]["appearance"]["url"] == "https://example.org/a"
    assert first["claimReviewed"] == "The mayor is 52."
    assert first["reviewRating"]["alternateName"] == "False"
    assert first["reviewRating"]["ratingValue"] == 1
    assert first["itemReviewed"]["author"] == {"@type": "Organization", "name": "Daily"}
    assert first["citation"][0]["name"] == "notes.txt"
    assert second["reviewRating"]["alternateName"] == "Unproven"
    assert second["itemReviewed"]["author"] == {"@type": "Person", "name": "Ana Lima"}
    assert second["reviewBody"].startswith("Partly supported")


def test_claimreview_takes_author_date_and_url_from_the_article_metadata():
    from quotecheck.schema import ArticleMeta

    report = _report()
    report.article = ArticleMeta(
        url="https://news.example.org/bridge",
        title="Bridge opens",
        authors=["Priya Natarajan"],
        published="2025-06-03",
        site_name="The Harbour Gazette",
    )
    own, quoted = json.loads(to_claimreview(report))
    item = own["itemReviewed"]
    assert item["author"] == {"@type": "Person", "name": "Priya Natarajan"}
    assert item["datePublished"] == "2025-06-03"
    appearance = item["appearance"]
    assert appearance["url"] == "https://news.example.org/bridge"
    assert appearance["headline"] == "Bridge opens"
    assert appearance["datePublished"] == "2025-06-03"
    assert appearance["publisher"] == {"@type": "Organization", "name": "The Harbour Gazette"}
    assert quoted["itemReviewed"]["author"] == {"@type": "Person", "name": "Ana Lima"}
    # what the caller says wins over the page
    (first, _) = json.loads(to_claimreview(report, article_url="https://example.org/x"))
    assert first["itemReviewed"]["appearance"]["url"] == "https://example.org/x"
