"""Web archives (WARC, plain or gzipped per record, via ``warcio``) as articles, streamed.

``scan_warc`` walks the archive once, reading only record and HTTP headers (payloads are
skipped, never held), and keeps for each HTML capture (a ``response`` record, HTTP status 200,
``text/html`` or XHTML) its offset, target URI and WARC-Date. ``warc_page`` later seeks to one
offset and reads that one record's payload, capped at the one size limit. So an archive larger
than memory works: memory grows with the number of captures (a few hundred bytes each), not
with the archive. What was skipped is counted (not HTML, not status 200, other record types).
Imports ``errors``, ``schema``, ``text`` and ``ingest.web``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from quotecheck.errors import BadInput, ConfigError
from quotecheck.ingest.web import media_type, require
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
    if media_type(http.get_header("Content-Type"))[0] not in _HTML:
        return "not HTML"
    return None


_RECORD_TYPES = frozenset({"warcinfo", "response", "resource", "request", "metadata",
                           "revisit", "conversion", "continuation"})  # fmt: skip


def _iterator(fh: object, *, digests: bool = False) -> object:
    archive = require("warcio.archiveiterator", "web archives (WARC)")
    return archive.ArchiveIterator(fh, arc2warc=True, check_digests=digests)  # type: ignore[attr-defined]


def scan_warc(path: str | Path) -> Scan:
    """Every HTML capture of the archive at ``path``, reading headers only. A record that is
    not a WARC record, or bytes after the last record that are not one, end the scan with
    ``problem`` set (the captures before it are kept)."""
    path = Path(path)
    scan = Scan()
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            iterator = _iterator(fh)
            for record in iterator:  # type: ignore[attr-defined]
                if record.rec_type not in _RECORD_TYPES:
                    raise ValueError(f"a record of no known type at offset {fh.tell()}")
                why = _why_skipped(record)
                if why is not None:
                    scan.skipped[why] += 1
                    continue
                headers = record.rec_headers
                offset = iterator.get_record_offset()  # type: ignore[attr-defined]
                uri = headers.get_header("WARC-Target-URI") or f"{path.name}@{offset}"
                charset = media_type(record.http_headers.get_header("Content-Type"))[1]
                date = _iso(headers.get_header("WARC-Date"))
                scan.captures.append(Capture(str(path), offset, uri, date, charset))
            end = getattr(iterator, "offset", size)
            if end < size and fh.seek(end) == end and fh.read(64).strip():
                raise ValueError(f"{size - end:,} bytes after offset {end:,} are not a record")
    except OSError as err:
        raise BadInput(f"{path}: cannot read ({err.strerror or err})") from err
    except ConfigError:
        raise
    except Exception as err:  # noqa: BLE001 - warcio fails in many ways on damaged bytes
        where = f"after {len(scan.captures)} captures"
        scan.problem = f"{path}: damaged web archive {where} ({err}); the rest is not read"
    return scan


def warc_page(capture: Capture) -> Page:
    """The article of one capture: its record read from its offset, its payload (HTTP body,
    de-chunked and decompressed) capped at the size limit and checked against the record's
    digest (a truncated or altered record is refused), then ``read_page``."""
    where = f"{capture.path}@{capture.offset}"
    try:
        with open(capture.path, "rb") as fh:
            fh.seek(capture.offset)
            record = next(iter(_iterator(fh, digests=True)))  # type: ignore[call-overload]
            body = record.content_stream().read(MAX_INPUT + 1)
            if len(body) <= MAX_INPUT:
                record.content_stream().read()  # to the end, so the digest is checked
            checked = record.digest_checker.passed
            declared = record.rec_headers.get_header("WARC-Payload-Digest")
    except ConfigError:
        raise
    except Exception as err:  # noqa: BLE001 - OSError, or warcio failing on damaged bytes
        raise BadInput(f"{where}: cannot read the record ({err or type(err).__name__})") from None
    if len(body) > MAX_INPUT:
        raise BadInput(f"{capture.uri}: the archived page is over the {MAX_INPUT:,}-byte limit")
    if checked is False or (checked is None and declared):
        raise BadInput(f"{where}: damaged record ({capture.uri}): its digest does not match")
    known = ArticleMeta(source_url=capture.uri, retrieved=capture.date, origin="warc")
    return read_page(body, capture.uri, known=known, charset=capture.charset)
