"""ClaimReview JSON-LD drafts, one per checked claim.

Items are drafts (``"creativeWorkStatus": "Draft"``): an editor reviews and publishes them, the
tool never does. Ratings use a 1-3 scale: 1 False (refuted), 2 Unproven (not enough evidence),
3 True (supported). The article's metadata (``report.article``: URL, title, authors, date,
site) fills ``itemReviewed``; arguments given by the caller win. Renders records only: imports
nothing but ``schema``.
"""

from __future__ import annotations

import json
from typing import Any

from quotecheck.schema import ArticleMeta, Assertor, ClaimCheck, FactCheckReport, Label

RATINGS = {
    Label.supported: (3, "True"),
    Label.not_enough_evidence: (2, "Unproven"),
    Label.needs_review: (2, "Unproven"),
    Label.refuted: (1, "False"),
}


def claim_review(
    check: ClaimCheck,
    *,
    article_url: str | None = None,
    article_title: str | None = None,
    publisher: str | None = None,
    reviewer: str | None = None,
    article: ArticleMeta | None = None,
) -> dict[str, Any]:
    """One schema.org ClaimReview (draft) for one checked claim."""
    claim, verdict = check.claim, check.verdict
    value, name = RATINGS[verdict.label]
    meta = article or ArticleMeta()
    article_url = article_url or meta.url or meta.source_url
    article_title = article_title or meta.title
    publisher = publisher or meta.site_name
    writers = [{"@type": "Person", "name": a} for a in meta.authors]
    if claim.asserted_by == Assertor.speaker and claim.speaker_name:
        author: dict[str, Any] | list[dict[str, Any]] = {
            "@type": "Person",
            "name": claim.speaker_name,
        }
    elif writers:
        author = writers[0] if len(writers) == 1 else writers
    else:
        author = {"@type": "Organization", "name": publisher or "the article's publisher"}
    appearance: dict[str, Any] = {"@type": "CreativeWork", "text": claim.sentence.text}
    if article_url:
        appearance["url"] = article_url
    if article_title:
        appearance["headline"] = article_title
    if meta.published:
        appearance["datePublished"] = meta.published
    if writers:
        appearance["author"] = writers
    if publisher:
        appearance["publisher"] = {"@type": "Organization", "name": publisher}
    item: dict[str, Any] = {"@type": "Claim", "author": author, "appearance": appearance}
    if meta.published:
        item["datePublished"] = meta.published
    body = verdict.explanation or verdict.reason or ""
    if verdict.partial:
        body = f"Partly supported by the sources. {body}".strip()
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "creativeWorkStatus": "Draft",
        "claimReviewed": claim.text,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 3,
            "worstRating": 1,
            "alternateName": name,
        },
        "itemReviewed": item,
        "reviewBody": body,
    }
    if reviewer:
        review["author"] = {"@type": "Organization", "name": reviewer}
    if verdict.citations:
        review["citation"] = [
            {"@type": "CreativeWork", "name": c.source_id, "text": c.text}
            for c in verdict.citations
        ]
    return review


def to_claimreview(report: FactCheckReport, **kwargs: Any) -> str:
    """A JSON-LD array of draft ClaimReviews, one per claim (see ``claim_review``), with the
    report's article metadata unless ``article`` is given."""
    kwargs.setdefault("article", report.article)
    return json.dumps(
        [claim_review(c, **kwargs) for c in report.claims], indent=2, ensure_ascii=False
    )
