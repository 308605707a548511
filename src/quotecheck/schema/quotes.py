"""The public contract: what a quote analysis returns.

Every span carries character offsets into the *original* input text, computed by code,
so ``text[span.start:span.end] == span.text`` always holds. The JSON form of a report is
versioned by ``schema_version``; bump it on any breaking change.
Imports only the shared shapes of ``schema``.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from quotecheck.schema.common import ArticleReport, RunInfo, Span

SCHEMA_VERSION = "1.1"


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

    def speaker_label(self) -> str | None:
        """The speaker in a few words: the name, else the anonymous descriptor, else the mention."""
        if self.speaker_name:
            return self.speaker_name
        if self.anonymity_descriptor is not None:
            return self.anonymity_descriptor.text
        return self.speaker_mention.text if self.speaker_mention else None


class Speaker(BaseModel):
    """An entity that speaks: all mentions that refer to one source, clustered."""

    id: str
    name: str
    kind: SpeakerKind = SpeakerKind.unknown
    anonymous: bool = False
    descriptor: str | None = None
    mentions: list[Span] = Field(default_factory=list)
    quote_ids: list[str] = Field(default_factory=list)


class QuoteReport(ArticleReport):
    schema_version: str = SCHEMA_VERSION
    quotes: list[Quote] = Field(default_factory=list)
    speakers: list[Speaker] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    run: RunInfo | None = None
