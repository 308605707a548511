"""The public contract: what a quote analysis returns.

Every span carries character offsets into the *original* input text, computed by code,
so ``text[span.start:span.end] == span.text`` always holds. The JSON form of a report is
versioned by ``schema_version``; bump it on any breaking change.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"


class Span(BaseModel):
    """A slice of the input: ``text == article[start:end]``."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class QuoteType(StrEnum):
    direct = "direct"  # the whole content is inside quotation marks
    mixed = "mixed"  # partly quoted: a quoted fragment inside reported speech
    indirect = "indirect"  # reported speech, no quotation marks


class SpeakerKind(StrEnum):
    person = "person"
    organisation = "organisation"
    media = "media"  # a news outlet or agency (KCNA, state media, The New York Times)
    group = "group"  # several people ("protesters", "officials")
    unknown = "unknown"


class CueKind(StrEnum):
    speech_verb = "speech_verb"  # said, told reporters, added
    according_to = "according_to"
    statement = "statement"  # "in a statement"
    interview = "interview"
    written = "written"  # wrote, posted, tweeted
    other = "other"


class Relay(BaseModel):
    """An intermediary the words reached the article through ("state-run KCNA")."""

    name: str
    span: Span


class Quote(BaseModel):
    id: str
    type: QuoteType
    fragments: list[Span] = Field(min_length=1)
    text: str = Field(description="the fragments joined with ' … '")
    speaker_mention: Span | None = None
    speaker_id: str | None = None
    speaker_name: str | None = None
    speaker_kind: SpeakerKind = SpeakerKind.unknown
    anonymous: bool = False
    anonymity_descriptor: Span | None = None
    anonymity_reason: Span | None = None
    cue: Span | None = None
    cue_kind: CueKind | None = None
    relay: list[Relay] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    verbatim: bool = Field(description="every fragment slices back to its text exactly")


class Speaker(BaseModel):
    """An entity that speaks: all mentions that refer to one source, clustered."""

    id: str
    name: str
    kind: SpeakerKind = SpeakerKind.unknown
    anonymous: bool = False
    descriptor: str | None = None
    mentions: list[Span] = Field(default_factory=list)
    quote_ids: list[str] = Field(default_factory=list)


class Usage(BaseModel):
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_calls: int = 0
    seconds: float = 0.0

    def add(self, other: Usage) -> None:
        self.calls += other.calls
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cached_calls += other.cached_calls
        self.seconds += other.seconds


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


class QuoteReport(BaseModel):
    schema_version: str = SCHEMA_VERSION
    article_id: str | None = None
    text_sha256: str
    text_length: int
    quotes: list[Quote] = Field(default_factory=list)
    speakers: list[Speaker] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    run: RunInfo | None = None
