"""Request bodies to library inputs: the article's text (HTML reduced, as the CLI does),
evidence documents and transcripts. A bad one raises ``BadInput`` naming it (a 422).
Imports the faces of ``text``, ``factcheck`` and ``errors``, and ``service.models``.
"""

from __future__ import annotations

from quotecheck.errors import BadInput
from quotecheck.factcheck import Source, Transcript, parse_transcript
from quotecheck.service.models import Document, TranscriptIn
from quotecheck.text import (
    Page,
    article_text,
    check_text,
    page_of,
    plain_text,
    prepare_article,
)


def article_of(text: str | None, html: str | None) -> tuple[Page, list[str], bool]:
    """(the page: the text offsets will index and what the HTML said of the article,
    warnings, whether the text differs from what was sent)."""
    if html is not None:
        page = page_of(html, html=True)
        if not page.text.strip():
            raise BadInput("the HTML has no article text")
        return (
            page,
            ["the article was HTML: offsets index its extracted text", *page.warnings],
            True,
        )
    assert text is not None
    prepared, warnings = prepare_article(text)
    if prepared == text:
        return Page(text, None), warnings, False
    return page_of(text), warnings, True


def evidence_sources(documents: list[Document]) -> list[Source]:
    sources = []
    for doc in documents:
        try:
            body = check_text(doc.html if doc.html is not None else doc.text or "")
            body = article_text(body) if doc.html is not None else plain_text(body)
        except BadInput as err:
            raise BadInput(f"evidence {doc.id!r}: {err}") from None
        if body.strip():
            sources.append(Source(doc.id, body))
    return sources


def transcripts_of(items: list[TranscriptIn]) -> list[Transcript]:
    out = []
    for item in items:
        try:
            check_text(item.text)
        except BadInput as err:
            raise BadInput(f"transcript {item.id!r}: {err}") from None
        parsed = parse_transcript(item.text, item.id)
        if not parsed.turns:
            raise BadInput(f"transcript {item.id!r} has no 'SPEAKER: words' lines")
        out.append(parsed)
    return out
