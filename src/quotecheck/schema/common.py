"""Shapes shared by every report: spans of the input, model usage, and how a run was made.

Imports nothing from the package: every other module may import this one.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Span(BaseModel):
    """A slice of the input: ``text == article[start:end]``."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Usage(BaseModel):
    """What the model calls of a run cost; ``add`` sums another run's usage into this one."""

    calls: int = Field(0, description="requests sent to the model")
    prompt_tokens: int = Field(0, description="prompt tokens of the requests")
    cached_prompt_tokens: int = Field(
        0, description="of those, tokens the server took from its prompt cache instead of reading"
    )
    completion_tokens: int = Field(0, description="tokens the model wrote")
    cached_calls: int = Field(0, description="answers taken from the response cache")
    seconds: float = Field(0.0, description="time spent waiting for the model")

    def add(self, other: Usage) -> None:
        for name in type(self).model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class ArticleMeta(BaseModel):
    """What is known of an article besides its text: from the page itself (trafilatura's
    metadata), the HTTP response it was fetched with, its feed entry or its web-archive record.
    Every field is optional; plain-text input has no metadata at all (``article`` is null)."""

    url: str | None = Field(None, description="canonical URL (the page's own, else where read)")
    source_url: str | None = Field(
        None, description="where the page was read: fetched URL after redirects, WARC target URI"
    )
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: str | None = Field(None, description="publication date, ISO 8601")
    site_name: str | None = Field(None, description="the publication (site or feed title)")
    language: str | None = Field(None, description="language tag, e.g. en, pt-BR")
    description: str | None = None
    retrieved: str | None = Field(
        None, description="when the page was fetched or archived (HTTP Date, WARC-Date), ISO 8601"
    )
    origin: str | None = Field(None, description="html, url, feed or warc: how the page came in")
    source_sha256: str | None = Field(None, description="SHA-256 of the raw page as read")


class ArticleReport(BaseModel):
    """What every report starts with: its version and which text its offsets refer to, plus
    what is known of the article when it came in as a page (``article``, ``source_sha256``)."""

    schema_version: str
    article_id: str | None = None
    text_sha256: str
    text_length: int
    source_sha256: str | None = Field(
        None, description="SHA-256 of the raw page the text was extracted from (null: plain text)"
    )
    article: ArticleMeta | None = None

    @model_validator(mode="after")
    def _source_hash_from_article(self) -> ArticleReport:
        if self.source_sha256 is None and self.article is not None:
            self.source_sha256 = self.article.source_sha256
        return self


class RunInfo(BaseModel):
    model: str
    endpoint_kind: str = Field(description="embedded, openai, azure, or openai-compatible")
    base_url: str | None = None
    prompts: dict[str, str] = Field(default_factory=dict, description="prompt id -> sha256[:12]")
    usage: Usage = Field(default_factory=Usage)
    attempts: int = 0
    dropped: int = Field(0, description="model answers that failed grounding and were dropped")
    chunks: int = 1
    seconds: float = 0.0
    tagger: str | None = Field(
        None,
        description="quote reports: the attribution tagger that marked reported speech (its "
        "model file: the corpus's hash and the feature version), or null when none was used",
    )
    logprobs: bool | None = Field(
        None,
        description="fact-checks: True when verdict probabilities were read from the answer "
        "token's log-probabilities; False when the endpoint returned none and each score is the "
        "generated yes/no (0 or 1), which calibrates worse",
    )
