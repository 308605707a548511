"""Live: the real embedded model through the public API, with no endpoint configured.

Needs the ``[local]`` extra (engine + offline model packages); skipped where they are absent.
This is the one place the test suite starts the model.
"""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlparse

import pytest

from quotecheck import LLM, LLMConfig, QuoteType, extract_quotes
from quotecheck.llm.weights import DEFAULT_MODEL, cache_dir, package_chunks

pytestmark = pytest.mark.live

TEXT = (
    "The harbour ferry will stop running in March, the operator announced on Monday.\n\n"
    # the comma outside the marks and "told staff" keep this quote off the rule paths
    # (quotes/rules.py, quotes/reported.py): the model is asked
    "“We cannot keep losing money on every crossing”, the operator's director Ida Brandt told "
    "staff in an email."
)


def _model_available() -> bool:
    try:
        import xllamacpp  # noqa: F401
    except ImportError:
        return False
    cached = cache_dir() / DEFAULT_MODEL.filename
    return cached.is_file() or package_chunks(DEFAULT_MODEL) is not None


@pytest.fixture
def no_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "QUOTECHECK_BASE_URL", "QUOTECHECK_API_KEY",
                 "AZURE_OPENAI_ENDPOINT", "QUOTECHECK_MODEL", "QUOTECHECK_CACHE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


@pytest.mark.skipif(not _model_available(), reason="needs pip install -e '.[local]'")
def test_embedded_model_answers_and_shuts_down(no_endpoint: None) -> None:
    from quotecheck.llm.server import shared_server, stop_shared_server

    threads_before = threading.active_count()
    llm = LLM(LLMConfig.from_env())
    assert llm.endpoint_kind == "embedded"
    report = extract_quotes(TEXT, llm=llm, indirect=False)

    direct = [q for q in report.quotes if q.type == QuoteType.direct]
    assert len(direct) == 1
    q = direct[0]
    assert TEXT[q.fragments[0].start : q.fragments[0].end] == q.fragments[0].text
    assert q.speaker_mention is not None and "Ida Brandt" in q.speaker_mention.text
    assert report.run is not None and report.run.endpoint_kind == "embedded"
    assert report.run.usage.completion_tokens > 0

    info = shared_server().info
    assert info is not None
    host = urlparse(info.base_url)
    stop_shared_server()
    assert not shared_server().running
    with pytest.raises(OSError):
        socket.create_connection((host.hostname, host.port), timeout=2).close()
    assert threading.active_count() <= threads_before
