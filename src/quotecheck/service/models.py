"""The service's request and response bodies: the report schema of ``quotecheck.schema``
plus what only HTTP needs (articles in, jobs). FastAPI generates the OpenAPI spec from these.

Limits are part of the contract (so the spec says them and a bad body is a 422, not a crash):
one article or document at most ``MAX_INPUT`` characters, text must be valid Unicode.
Imports ``schema`` and ``text``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from quotecheck.schema import FactCheckReport, QuoteReport
from quotecheck.text import MAX_INPUT

JobState = Literal["queued", "running", "done", "failed", "cancelled"]
_ID = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")


def _unicode(value: str | None) -> str | None:
    """Lone surrogates (``"\\ud800"`` in JSON) are not text: refuse them here."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            raise ValueError(f"not valid Unicode text (lone surrogate at {err.start})") from None
    return value


ONE_BODY = {"oneOf": [{"required": ["text"]}, {"required": ["html"]}]}
SOME_SOURCE = {
    "anyOf": [
        {"required": ["evidence"], "properties": {"evidence": {"minItems": 1}}},
        {"required": ["transcripts"], "properties": {"transcripts": {"minItems": 1}}},
    ]
}


def rules(*extra: dict) -> Callable[[dict], None]:
    """Cross-field rules for the spec (the validators below enforce them)."""

    def add(schema: dict) -> None:
        schema.setdefault("allOf", []).extend(extra)

    return add


def _body(description: str) -> Any:
    # not nullable: leave the field out instead (the spec says exactly one is required)
    # not blank: in the spec; the check itself says "the article is empty" (a clearer 422)
    return Field(
        None,
        min_length=1,
        max_length=MAX_INPUT,
        description=description,
        json_schema_extra={"pattern": r"\S"},
    )


class _TextOrHtml(BaseModel):
    """Exactly one of ``text`` (plain text, or an HTML page: sniffed) and ``html``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=rules(ONE_BODY))

    text: str = _body("plain text, or an HTML page (detected); not blank")
    html: str = _body("HTML; reduced to its article text")

    _check_unicode = field_validator("text", "html")(_unicode)

    @model_validator(mode="after")
    def _one_body(self) -> _TextOrHtml:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of 'text' and 'html'")
        return self


class QuoteRequest(_TextOrHtml):
    """One article for ``POST /v1/quotes``."""

    article_id: str | None = Field(None, max_length=200)
    indirect: bool = Field(True, description="also reported speech (no quotation marks)")


class Document(_TextOrHtml):
    """An evidence document: notes, a press release, a report (text or HTML)."""

    id: str = _ID


class TranscriptIn(BaseModel):
    """A transcript: ``SPEAKER: words`` lines, optional ``[hh:mm:ss]`` stamps."""

    model_config = ConfigDict(extra="forbid")

    id: str = _ID
    text: str = Field(min_length=1, max_length=MAX_INPUT, pattern=r"\S")

    _check_unicode = field_validator("text")(_unicode)


class CheckRequest(_TextOrHtml):
    """One article and its sources for ``POST /v1/check``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=rules(ONE_BODY, SOME_SOURCE))

    article_id: str | None = Field(None, max_length=200)
    evidence: list[Document] = Field(default_factory=list, max_length=500)
    transcripts: list[TranscriptIn] = Field(default_factory=list, max_length=100)
    top_k: int = Field(3, ge=1, le=20, description="passages shown to the verifier per claim")
    include_opinions: bool = False
    judge_meaning: bool = Field(
        True, description="ask the model whether altered quotes change the meaning"
    )

    @model_validator(mode="after")
    def _some_source(self) -> CheckRequest:
        if not self.evidence and not self.transcripts:
            raise ValueError("give 'evidence' documents and/or 'transcripts' to check against")
        for name, items in (("evidence", self.evidence), ("transcripts", self.transcripts)):
            ids = [d.id for d in items]
            if len(ids) != len(set(ids)):
                raise ValueError(f"{name} ids must be unique")
        return self


class QuoteResponse(QuoteReport):
    """A ``QuoteReport``; ``article_text`` is the text its offsets index when that is not the
    text sent (HTML reduced to its article text)."""

    article_text: str | None = None


class CheckResponse(FactCheckReport):
    """A ``FactCheckReport`` with the article's ``QuoteReport`` (claims link to its quotes)."""

    article_text: str | None = None
    quote_report: QuoteReport | None = None


class JobArticle(_TextOrHtml):
    """One article of a job; ``site_name``/``publisher`` and ``date`` go into its record (the
    archive dashboard groups by them)."""

    id: str | None = Field(None, min_length=1, max_length=200, description="default: position")
    site_name: str | None = Field(None, max_length=200)
    publisher: str | None = Field(None, max_length=200)
    date: str | None = Field(None, max_length=40, description="ISO date, e.g. 2024-05-01")
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=1000)

    def meta(self) -> dict[str, str]:
        fields = ("site_name", "publisher", "date", "url", "title")
        return {k: v for k in fields if (v := getattr(self, k)) is not None}


class JobRequest(BaseModel):
    """Many articles, processed in the background by the batch runner (resumable)."""

    model_config = ConfigDict(extra="forbid")

    articles: list[JobArticle] = Field(min_length=1)
    evidence: list[Document] = Field(
        default_factory=list, max_length=500, description="fact-check every article against these"
    )

    def ids(self) -> list[str]:
        return [a.id if a.id is not None else str(i) for i, a in enumerate(self.articles, 1)]

    @model_validator(mode="after")
    def _unique(self) -> JobRequest:
        ids = self.ids()
        if len(ids) != len(set(ids)):
            seen: set[str] = set()
            dup = next(i for i in ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
            raise ValueError(f"article ids must be unique in a job ({dup!r} repeats)")
        return self


class JobStatus(BaseModel):
    id: str
    status: JobState
    created: datetime
    started: datetime | None = None
    finished: datetime | None = None
    total: int = Field(description="articles in the job")
    done: int = Field(description="articles with a report")
    failed: int = Field(description="articles that failed (their error is in the results)")
    pending: int
    quotes: int = 0
    claims: int = 0
    error: str | None = Field(None, description="why the job stopped, when it did")
    results: str = Field(description="URL of the JSONL results")


class Problem(BaseModel):
    """Every error response: one line saying what to do, and the details for a program."""

    detail: str
    errors: list[dict] | None = None


class Readiness(BaseModel):
    ready: bool
    model: str | None = None
    endpoint_kind: str
    reason: str | None = None
