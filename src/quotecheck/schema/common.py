"""Shapes shared by every report: spans of the input, model usage, and how a run was made.

Imports nothing from the package: every other module may import this one.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


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


class ArticleReport(BaseModel):
    """What every report starts with: its version and which text its offsets refer to."""

    schema_version: str
    article_id: str | None = None
    text_sha256: str
    text_length: int


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
