"""Fetching a page (or a feed) over HTTP, politely and within limits, or refusing it clearly.

``httpx2`` (the HTTP client the ``openai`` SDK already brings) with: a User-Agent naming
quotecheck, a timeout, at most ``MAX_REDIRECTS`` redirects followed by hand (so a loop is named
as a loop), the one size limit (``MAX_INPUT``: a declared Content-Length over it is refused
before reading, a body is never read past it), and a content-type check. Every failure is one
``BadInput`` saying what happened: oversized body, wrong type, redirect loop, too many
redirects, HTTP error status, unreachable host, timeout, offline. Only http and https URLs are
fetched, one request at a time per host. Imports ``errors`` and ``text``.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin, urlsplit

import httpx2

from quotecheck.errors import BadInput, ConfigError
from quotecheck.text import MAX_INPUT

MAX_REDIRECTS = 5
TIMEOUT = 20.0
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                        "application/xml", "text/xml", "application/feed+xml"})  # fmt: skip
#: set to 1 to forbid every fetch (the same as ``--offline``)
OFFLINE_ENV = "QUOTECHECK_OFFLINE"
#: seconds to leave between two requests to one host (default 0: only one at a time)
DELAY_ENV = "QUOTECHECK_FETCH_DELAY"
_HOSTS: dict[str, tuple[threading.Lock, list[float]]] = {}
_HOSTS_LOCK = threading.Lock()


@contextlib.contextmanager
def _host_turn(url: str) -> Iterator[None]:
    """Politeness: one request at a time per host in this process (a batch with -j 32 over
    one site's feed does not hit it 32 times at once), ``QUOTECHECK_FETCH_DELAY`` apart."""
    host = (urlsplit(url).hostname or "").lower()
    with _HOSTS_LOCK:
        lock, last = _HOSTS.setdefault(host, (threading.Lock(), [0.0]))
    try:
        delay = max(0.0, float(os.environ.get(DELAY_ENV) or 0))
    except ValueError:
        raise ConfigError(f"{DELAY_ENV} must be a number of seconds") from None
    with lock:
        wait = last[0] + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            yield
        finally:
            last[0] = time.monotonic()


def require(module: str, what: str) -> object:
    """Import an optional dependency of the ``archives`` extra, or say how to get it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ConfigError(
            f"{what} need the {module} package: pip install 'quotecheck[archives]'"
        ) from None


def _user_agent() -> str:
    try:
        own = version("quotecheck")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        own = "dev"
    default = f"quotecheck/{own} (quote and fact checking for newsrooms; one request per article)"
    return os.environ.get("QUOTECHECK_USER_AGENT") or default


def is_url(spec: str) -> bool:
    """True for an http(s) URL (what the CLI and batch inputs fetch instead of opening)."""
    return spec.lower().startswith(("http://", "https://"))


def offline_default() -> bool:
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Fetched:
    """A response that passed every check: ``url`` is the final URL after redirects."""

    requested: str
    url: str
    status: int
    media_type: str
    charset: str | None
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def retrieved(self) -> str | None:
        """The server's Date header as ISO 8601 (when the page was fetched)."""
        raw = self.headers.get("date")
        try:
            return parsedate_to_datetime(raw).isoformat() if raw else None
        except (TypeError, ValueError):
            return None

    @property
    def is_feed(self) -> bool:
        if self.media_type in FEED_TYPES - {"application/xml", "text/xml"}:
            return True
        head = self.body[:2048].lstrip().lower()
        return self.media_type in FEED_TYPES and any(
            tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf")
        )


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"{url}: not an http(s) URL; give a page address or a file")


def media_type(value: str | None) -> tuple[str, str | None]:
    """``text/html; charset=UTF-8`` as (``text/html``, ``UTF-8``)."""
    kind, _, params = (value or "").partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.strip().partition("=")
        if name.lower() == "charset" and val:
            charset = val.strip().strip("\"'")
    return kind.strip().lower(), charset


def _read_capped(response: httpx2.Response, url: str) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_INPUT:
        raise BadInput(
            f"{url}: the page is {int(declared):,} bytes, over the {MAX_INPUT:,} limit; not read"
        )
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_INPUT:
            raise BadInput(f"{url}: the body is over the {MAX_INPUT:,}-byte limit; stopped reading")
        chunks.append(chunk)
    return b"".join(chunks)


def _transport_error(url: str, err: httpx2.RequestError, timeout: float) -> BadInput:
    host = urlsplit(url).hostname or url
    if isinstance(err, httpx2.TimeoutException):
        return BadInput(f"{url}: no answer from {host} within {timeout:g} s (timed out)")
    if isinstance(err, httpx2.ConnectError):
        return BadInput(f"{url}: cannot reach {host} ({err or 'connection failed'})")
    return BadInput(f"{url}: the fetch failed ({type(err).__name__}: {err})")


def fetch(
    url: str,
    *,
    accept: frozenset[str] = HTML_TYPES,
    offline: bool = False,
    timeout: float = TIMEOUT,
    max_redirects: int = MAX_REDIRECTS,
    transport: httpx2.BaseTransport | None = None,
) -> Fetched:
    """GET ``url`` with every limit of this module; ``accept`` lists the media types taken."""
    if offline or offline_default():
        raise BadInput(f"{url}: offline, so not fetched; drop --offline or give a saved file")
    _check_url(url)
    headers = {"User-Agent": _user_agent(), "Accept": ", ".join(sorted(accept)) + ";q=1, */*;q=0.1"}
    seen = [url]
    current = url
    with httpx2.Client(
        headers=headers, timeout=timeout, follow_redirects=False, transport=transport
    ) as client:
        while True:
            try:
                with _host_turn(current), client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        nxt = urljoin(current, location)
                        if nxt in seen:
                            chain = " -> ".join([*seen[seen.index(nxt) :], nxt])
                            raise BadInput(f"{url}: redirect loop ({chain})")
                        if len(seen) > max_redirects:
                            raise BadInput(f"{url}: more than {max_redirects} redirects; stopped")
                        _check_url(nxt)
                        seen.append(nxt)
                        current = nxt
                        continue
                    return _accepted(url, current, response, accept)
            except httpx2.RequestError as err:  # transport, protocol, decoding
                raise _transport_error(current, err, timeout) from None
            except httpx2.InvalidURL as err:
                raise BadInput(f"{current}: not a valid URL ({err})") from None


def _accepted(
    requested: str, final: str, response: httpx2.Response, accept: frozenset[str]
) -> Fetched:
    if response.status_code >= 400:
        reason = response.reason_phrase or ""
        raise BadInput(f"{final}: HTTP {response.status_code} {reason}".rstrip())
    if response.status_code != 200:
        raise BadInput(f"{final}: HTTP {response.status_code}, not a page (expected 200)")
    media, charset = media_type(response.headers.get("content-type", ""))
    if media not in accept:
        wanted = "an HTML page" if accept == HTML_TYPES else "a page or a feed"
        raise BadInput(f"{final}: the server sent {media or 'no content type'}, not {wanted}")
    body = _read_capped(response, final)
    kept = {k: response.headers[k] for k in ("date", "last-modified", "content-language")
            if k in response.headers}  # fmt: skip
    return Fetched(requested, final, response.status_code, media, charset, body, kept)
