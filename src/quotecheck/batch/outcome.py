"""What processing one article ends as, whichever engine ran it: an :class:`Outcome` (the
record body and its figures) or a :class:`Failure` (the error record, and whether the whole
batch must stop). Both are plain picklable data, so a Ray worker returns them to the driver
unchanged; :func:`attempt` is the one place an article's exception becomes a ``Failure``.

Imports ``schema``, ``errors``, ``text`` (the page type) and ``batch.inputs``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from quotecheck.batch.inputs import Article
from quotecheck.errors import FATAL_ERRORS, InvalidOutput
from quotecheck.schema import Usage
from quotecheck.text import Page


@dataclass
class Outcome:
    """What processing one article produced: the record body plus figures for the summary."""

    record: dict[str, Any]
    quotes: int = 0
    claims: int = 0
    usage: Usage = field(default_factory=Usage)
    model: str | None = None
    endpoint_kind: str | None = None


@dataclass
class Failure:
    """One article that did not make it: its line for ``<out>.errors.jsonl``, the tokens it
    still cost, and ``fatal`` (the message) when no article can succeed (bad key, no server):
    then the batch stops instead of blaming every article."""

    record: dict[str, Any]
    usage: Usage = field(default_factory=Usage)
    fatal: str | None = None


#: processes one article's page (``page.text`` is what offsets index, ``page.meta`` what is known)
Processor = Callable[[Article, Page], Awaitable[Outcome]]


def error_record(article: Article, kind: str, message: str, **extra: Any) -> dict[str, Any]:
    """The errors-file line for ``article``."""
    return {
        "id": article.id,
        "source": article.source,
        "error": kind,
        "message": message,
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        **extra,
    }


def failure(article: Article, err: BaseException) -> Failure:
    """The :class:`Failure` for an exception raised while processing ``article``."""
    extra: dict[str, Any] = {}
    usage = Usage()
    if isinstance(err, InvalidOutput):
        extra["attempts"] = err.attempts
        if err.last_completion is not None:
            extra["last_completion"] = err.last_completion[:2000]
        usage = err.usage
    record = error_record(article, type(err).__name__, str(err) or repr(err), **extra)
    fatal = (str(err) or repr(err)) if isinstance(err, FATAL_ERRORS) else None
    return Failure(record=record, usage=usage, fatal=fatal)


async def attempt(
    process: Processor, article: Article, page: Page | None = None
) -> Outcome | Failure:
    """Process one article (loading its page unless given); any exception becomes a Failure."""
    try:
        if page is None:  # in a thread: loading may fetch a page or read an archive record
            page = await asyncio.to_thread(article.load_page)
        return await process(article, page)
    except Exception as err:  # one article's failure (incl. BadInput), or a fatal one
        return failure(article, err)
