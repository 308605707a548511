"""The naive LLM baseline: one prompt asking the model to write out every quote and speaker.

It shows what the pipeline's design (quote ids instead of re-typed text, grounding in code)
buys: re-typed quotes drift from the article, so each one is searched in the text, exactly and
then with quote marks and whitespace normalised; what is not found stays in the report as a
non-verbatim quote (a zero-length fragment) so the scorer can count it.
Imports ``llm``, ``schema``, ``text`` and the scorer's warning names.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from pydantic import BaseModel

from quotecheck.errors import InvalidOutput
from quotecheck.evaluation.scoring import CAP_WARNING, INVALID_WARNING
from quotecheck.llm import render
from quotecheck.schema import Quote, QuoteReport, QuoteType, RunInfo, Span, Usage
from quotecheck.text import text_sha256

if TYPE_CHECKING:
    from quotecheck.llm import LLM

PROMPT_ID = "naive_extract"
DEFAULT_MAX_TOKENS = 1024

_FOLD = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u00a0": " ",
    }
)
_EDGE_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb \n"


class NaiveQuote(BaseModel):
    quote: str
    speaker: str | None


class NaiveAnswer(BaseModel):
    quotes: list[NaiveQuote]


def _normalised(text: str) -> tuple[str, list[int]]:
    """Text with quote marks straightened and whitespace runs collapsed, and an offset map."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        where.append(i)
    return "".join(out), where


def find_in_text(text: str, needle: str) -> tuple[int, int] | None:
    """Offsets of ``needle`` in ``text``: exact first, then quote- and whitespace-normalised."""
    needle = needle.strip(_EDGE_QUOTES)
    if not needle:
        return None
    at = text.find(needle)
    if at >= 0:
        return at, at + len(needle)
    hay, where = _normalised(text)
    folded, _ = _normalised(needle)
    at = hay.find(folded.strip())
    if at < 0:
        return None
    return where[at], where[at + len(folded.strip()) - 1] + 1


def _speaker_span(text: str, name: str | None, near: int) -> Span | None:
    """The occurrence of the speaker's name (as whole words) closest to the quote."""
    if not name or not name.strip():
        return None
    hits = [m for m in re.finditer(rf"(?<!\w){re.escape(name.strip())}(?!\w)", text)]
    if not hits:
        return None
    best = min(hits, key=lambda m: abs(m.start() - near))
    return Span(start=best.start(), end=best.end(), text=best.group())


def ground(text: str, answer: NaiveAnswer) -> list[Quote]:
    """Turn the model's re-typed quotes into ``Quote`` objects with code-computed offsets."""
    quotes = []
    for number, item in enumerate(answer.quotes, 1):
        found = find_in_text(text, item.quote)
        if found:
            fragment = Span(start=found[0], end=found[1], text=text[found[0] : found[1]])
        else:  # not in the article: kept, visibly not verbatim, matching nothing
            fragment = Span(start=0, end=0, text=item.quote)
        speaker = item.speaker if item.speaker and item.speaker.lower() != "null" else None
        quotes.append(
            Quote(
                id=f"q{number}",
                type=QuoteType.direct,
                fragments=[fragment],
                text=fragment.text,
                speaker_mention=_speaker_span(text, speaker, fragment.start),
                speaker_name=speaker,
                confidence=0.5,
                verbatim=found is not None,
            )
        )
    return quotes


async def naive_quotes(
    text: str, llm: LLM, *, article_id: str | None = None, max_tokens: int = DEFAULT_MAX_TOKENS
) -> QuoteReport:
    """One call, output capped at ``max_tokens``; a capped or unusable answer gives no quotes."""
    began = time.perf_counter()
    prompt, sha = render(PROMPT_ID, article=text)
    warnings: list[str] = []
    usage = Usage()
    quotes: list[Quote] = []
    try:
        done = await llm.acomplete(
            prompt, NaiveAnswer, prompt_id=PROMPT_ID, validate=None, max_tokens=max_tokens
        )
        usage = done.usage
        quotes = ground(text, done.value)
    except InvalidOutput as err:
        usage = err.usage
        per_call = usage.completion_tokens / max(1, usage.calls)
        capped = per_call >= 0.95 * max_tokens
        warnings.append(f"{CAP_WARNING if capped else INVALID_WARNING}: {err}")
    info = getattr(llm, "info", llm)  # model and endpoint kind, read after the call
    return QuoteReport(
        article_id=article_id,
        text_sha256=text_sha256(text),
        text_length=len(text),
        quotes=quotes,
        warnings=warnings,
        run=RunInfo(
            model=str(getattr(info, "model", None) or "unknown"),
            endpoint_kind=str(getattr(info, "endpoint_kind", None) or "unknown"),
            prompts={PROMPT_ID: sha},
            usage=usage,
            attempts=usage.calls,
            dropped=sum(not q.verbatim for q in quotes),
            seconds=time.perf_counter() - began,
        ),
    )
