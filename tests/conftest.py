"""Shared test set-up: cassette policy, shared data location, the fake server plugin.

Cassettes store each request body as its SHA-256 (``before_record_request``), so the articles
sent to the model never enter the repository; on replay the same filter hashes the live body,
and matching on method, path and body compares hashes. A prompt change therefore changes the
hash and the test fails until the cassette is re-recorded (see README).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

pytest_plugins = ["conftest_fakeserver"]

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("QUOTECHECK_SHARED_DATA", REPO.parent / "shared" / "data"))
#: where cassettes were recorded from: `quotecheck serve-llm --port 8089`
RECORD_BASE_URL = os.environ.get("QUOTECHECK_E2E_BASE_URL", "http://127.0.0.1:8089/v1")
_FILTERED_HEADERS = ["authorization", "api-key", "cookie", "set-cookie", "openai-organization",
                     "openai-project", "x-api-key"]  # fmt: skip


def _hash_body(request):  # type: ignore[no-untyped-def]
    body = request.body
    if body:
        raw = body if isinstance(body, bytes) else str(body).encode("utf-8")
        if not raw.startswith(b"sha256:"):
            request.body = b"sha256:" + hashlib.sha256(raw).hexdigest().encode()
    return request


def _strip_response(response):  # type: ignore[no-untyped-def]
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in {"set-cookie", "cookie", "authorization"}:
            del headers[name]
    return response


@pytest.fixture(autouse=True)
def _no_background_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test leaves the embedded model loaded behind it (llm.daemon); test_daemon opts in."""
    monkeypatch.setenv("QUOTECHECK_KEEP_ALIVE", "0")


@pytest.fixture(autouse=True)
def _no_tagger_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test picks up a tagger from the developer's environment, and one that names a tagger
    through the CLI (which sets the variable) leaves it unset behind it: an empty value is
    none, and monkeypatch restores what was there."""
    monkeypatch.setenv("QUOTECHECK_TAGGER_CORPUS", "")


@pytest.fixture(scope="module")
def vcr_config() -> dict:
    return {
        "filter_headers": _FILTERED_HEADERS,
        "before_record_request": _hash_body,
        "before_record_response": _strip_response,
        "decode_compressed_response": True,
        "match_on": ["method", "path", "body"],
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(REPO / "cassettes" / request.module.__name__.split(".")[-1])


def shared_file(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (set QUOTECHECK_SHARED_DATA)")
    return path


def one_quote_report(article: str, words: str, speaker: str):  # type: ignore[no-untyped-def]
    """A report with one direct quote of ``words`` (found in ``article``) by ``speaker``."""
    from quotecheck.schema import Quote, QuoteReport, Span

    start = article.index(words)
    quote = Quote(
        id="q1",
        type="direct",
        fragments=[Span(start=start, end=start + len(words), text=words)],
        text=words,
        speaker_name=speaker,
        confidence=0.9,
        verbatim=True,
    )
    return QuoteReport(text_sha256="x", text_length=len(article), quotes=[quote])
