"""Web archives (WARC, plain or gzipped per record, via ``warcio``) as articles, streamed.

``scan_warc`` walks the archive once, reading only record and HTTP headers (payloads are
skipped, never held), and keeps for each HTML capture (a ``response`` record, HTTP status 200,
``text/html`` or XHTML) its offset, target URI and WARC-Date. ``warc_page`` later seeks to one
offset and reads that one record's payload, capped at the one size limit. So an archive larger
than memory works: memory grows with the number of captures (a few hundred bytes each), not
with the archive. What was skipped is counted (not HTML, not status 200, other record types).
Imports ``errors``, ``schema`` and ``text``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from quotecheck.errors import BadInput
from quotecheck.schema import ArticleMeta
from quotecheck.text import MAX_INPUT, Page, read_page

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_HTML = ("text/html", "application/xhtml+xml")


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


@dataclass(frozen=True)
class Capture:
    """Where one HTML capture is in its archive, and what its record says of it."""

    path: str
    offset: int
    uri: str
    date: str | None
    charset: str | None


@dataclass
class Scan:
    """The captures of an archive, what was skipped (by reason), and a problem that stopped the
    scan early (a damaged record: the captures before it are kept)."""

    captures: list[Capture] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    problem: str | None = None

    def summary(self, source: str) -> str:
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()))
        return f"{source}: {len(self.captures)} HTML captures" + (
            f" (skipped: {skipped})" if skipped else ""
        )


def _iso(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat()
    except ValueError:
        return raw


def _media(value: str | None) -> tuple[str, str | None]:
    kind, _, params = (value or "").partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.strip().partition("=")
        if name.lower() == "charset" and val:
            charset = val.strip().strip("\"'")
    return kind.strip().lower(), charset


def _why_skipped(record: object) -> str | None:
    rec_type = getattr(record, "rec_type", None)
    if rec_type != "response":
        return f"{rec_type} records"
    http = getattr(record, "http_headers", None)
    if http is None:
        return "responses without HTTP headers"
    status = http.get_statuscode()
    if status != "200":
        return f"status {status}"
    if _media(http.get_header("Content-Type"))[0] not in _HTML:
        return "not HTML"
    return None


def _records(fh: object) -> Iterator[tuple[object, object]]:
    from warcio.archiveiterator import ArchiveIterator

    iterator = ArchiveIterator(fh, arc2warc=True)
    for record in iterator:
        yield iterator, record


def scan_warc(path: str | Path) -> Scan:
    """Every HTML capture of the archive at ``path``, reading headers only."""
    from warcio.exceptions import ArchiveLoadFailed

    path = Path(path)
    scan = Scan()
    try:
        with path.open("rb") as fh:
            for iterator, record in _records(fh):
                why = _why_skipped(record)
                if why is not None:
                    scan.skipped[why] += 1
                    continue
                headers = record.rec_headers  # type: ignore[attr-defined]
                uri = headers.get_header("WARC-Target-URI") or f"{path.name}@{fh.tell()}"
                charset = _media(record.http_headers.get_header("Content-Type"))[1]  # type: ignore[attr-defined]
                offset = iterator.get_record_offset()  # type: ignore[attr-defined]
                scan.captures.append(
                    Capture(str(path), offset, uri, _iso(headers.get_header("WARC-Date")), charset)
                )
    except OSError as err:
        raise BadInput(f"{path}: cannot read ({err.strerror or err})") from err
    except (ArchiveLoadFailed, ValueError, EOFError) as err:
        where = f"after {len(scan.captures)} captures"
        scan.problem = f"{path}: damaged web archive {where} ({err}); the rest is not read"
    return scan


def warc_page(capture: Capture) -> Page:
    """The article of one capture: its record read from its offset, its payload (HTTP body,
    de-chunked and decompressed) capped at the size limit, then ``read_page``."""
    from warcio.exceptions import ArchiveLoadFailed

    try:
        with open(capture.path, "rb") as fh:
            fh.seek(capture.offset)
            _, record = next(_records(fh))
            body = record.content_stream().read(MAX_INPUT + 1)  # type: ignore[attr-defined]
    except (OSError, StopIteration, ArchiveLoadFailed, ValueError, EOFError) as err:
        raise BadInput(f"{capture.path}@{capture.offset}: cannot read the record ({err})") from None
    if len(body) > MAX_INPUT:
        raise BadInput(f"{capture.uri}: the archived page is over the {MAX_INPUT:,}-byte limit")
    known = ArticleMeta(source_url=capture.uri, retrieved=capture.date, origin="warc")
    return read_page(body, capture.uri, known=known, charset=capture.charset)
