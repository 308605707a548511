"""Pytest plugin: the fake OpenAI server as fixtures.

Loaded from ``tests/conftest.py`` with ``pytest_plugins = ["conftest_fakeserver"]``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakeserver import FakeOpenAIServer

FAKE_MODEL = "fake-model"
FAKE_KEY = "sk-fake"


@pytest.fixture
def fake_server() -> Iterator[FakeOpenAIServer]:
    """A running fake server answering ``{}``; tests set ``responder`` and ``faults``."""
    server = FakeOpenAIServer(models=(FAKE_MODEL,), api_key=FAKE_KEY).start()
    try:
        yield server
    finally:
        server.stop()


def fake_env(server: FakeOpenAIServer, *, timeout: float = 2.0, attempts: int = 3) -> dict:
    """Environment variables pointing quotecheck (in this process or a child) at ``server``."""
    return {
        "OPENAI_BASE_URL": server.base_url,
        "OPENAI_API_KEY": FAKE_KEY,
        "QUOTECHECK_MODEL": FAKE_MODEL,
        "QUOTECHECK_TIMEOUT": str(timeout),
        "QUOTECHECK_ATTEMPTS": str(attempts),
    }


@pytest.fixture
def fake_llm_env(
    fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> FakeOpenAIServer:
    """Point ``LLMConfig.from_env()`` at the fake server, with short timeouts and a private
    cache directory, and return the server."""
    for name in ("QUOTECHECK_BASE_URL", "QUOTECHECK_API_KEY", "AZURE_OPENAI_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in fake_env(fake_server).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("QUOTECHECK_CACHE_DIR", raising=False)
    monkeypatch.setenv("QUOTECHECK_CACHE", str(tmp_path / "cache"))
    return fake_server
