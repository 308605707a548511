"""The warm worker (cli.warm): what a worker must match, when a command never hands its job over,
the client's side of the exchange, and then live: a first ``extract`` that leaves a real worker
behind, a second one it serves with the same answer from another folder, its errors and exit
codes, and ``models stop`` ending it. Model answers are the embedded model's recorded ones for
the example article, served over real HTTP (``cassette_replay``)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from cassette_replay import EXAMPLE_CASSETTE, CassetteResponder
from conftest import REPO
from fakeserver import FakeOpenAIServer
from quotecheck.cli import warm, worker
from quotecheck.llm import EMBEDDED_MODEL_NAME
from quotecheck.schema import QuoteReport
from serve_process import model_env

EXAMPLE = REPO / "examples" / "harbour-bridge.txt"
FAKE_KEY_NAME = "OPENAI_API_KEY"
# the network stays blocked; local Unix sockets (absolute paths) are this machine's own
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1", "localhost", "/"])


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A short private QUOTECHECK_HOME (a Unix socket's path must stay under 108 bytes)."""
    where = Path(tempfile.mkdtemp(prefix="qcw"))
    monkeypatch.setenv("QUOTECHECK_HOME", str(where))
    try:
        yield where
    finally:
        shutil.rmtree(where, ignore_errors=True)


def test_a_worker_serves_only_the_same_source_and_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "pkg"
    (src / "__pycache__").mkdir(parents=True)
    module = src / "a.py"
    module.write_text("x = 1\n")
    monkeypatch.setattr(warm, "_sources", lambda: [src, tmp_path / "no-prompts"])
    env = {"QUOTECHECK_MODEL": "m", "HOME": "/home/x", "TERM": "xterm"}
    key = warm.fingerprint(env)
    assert warm.fingerprint(dict(env)) == key
    assert warm.fingerprint({**env, "TERM": "dumb", "SHLVL": "3"}) == key  # not a setting
    assert warm.fingerprint({**env, "QUOTECHECK_MODEL": "other"}) != key
    assert warm.fingerprint({**env, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}) != key
    (src / "__pycache__" / "a.cpython.pyc").write_bytes(b"compiled")  # compiling changes nothing
    assert warm.fingerprint(env) == key
    stamp = module.stat().st_mtime_ns + 5_000_000_000
    os.utime(module, ns=(stamp, stamp))  # the source was edited
    assert warm.fingerprint(env) != key


class _OneReply:
    """A socket that answers one request the way a worker does, recording what it was sent."""

    def __init__(self, path: Path, reply: bytes) -> None:
        self.got: list[dict] = []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(str(path))
        self.sock.listen(1)
        self.reply = reply
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            data = b""
            while chunk := conn.recv(4096):
                data += chunk
            self.got.append(json.loads(data))
            conn.sendall(self.reply)


def test_the_client_prints_what_the_worker_wrote_and_falls_back_when_it_cannot(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(warm, "START_ENV", {"QUOTECHECK_HOME": str(home)})
    where = home / "workers"
    assert warm.delegate(["extract", "a.txt"]) is None  # no folder, no worker
    where.mkdir(mode=0o700)
    path = where / f"{warm.fingerprint()}.sock"
    answer = {"stdout": "one quote\n", "stderr": "a note\n", "code": 3}
    worker = _OneReply(path, json.dumps(answer).encode())
    for not_a_job in (["batch", "dir"], ["extract", "-"], ["text", "a.txt"], []):
        assert warm.delegate(not_a_job) is None
    monkeypatch.setattr(warm, "START_ENV", {"QUOTECHECK_HOME": str(home), "QUOTECHECK_WORKER": "0"})
    assert warm.delegate(["extract", "a.txt"]) is None  # turned off (and another fingerprint)
    monkeypatch.setattr(warm, "START_ENV", {"QUOTECHECK_HOME": str(home)})
    where.chmod(0o755)  # others may enter the folder: its socket is not trusted
    assert warm.delegate(["extract", "a.txt"]) is None
    where.chmod(0o700)
    assert warm.delegate(["extract", "a.txt", "--format", "json"]) == 3
    out = capsys.readouterr()
    assert (out.out, out.err) == ("one quote\n", "a note\n")
    (job,) = worker.got
    assert job["argv"] == ["extract", "a.txt", "--format", "json"]
    assert job["cwd"] == os.getcwd()
    # a state file left by a killed worker whose pid another process took: not a worker
    (where / f"{warm.fingerprint()}.json").write_text(json.dumps({"pid": os.getpid(), "jobs": 0}))
    assert warm.running() == [] and warm.stop_all() == []
    path.unlink()
    _OneReply(path, b'{"stdout": "half')  # the worker stopped mid-job: the job runs here
    assert warm.delegate(["extract", "a.txt"]) is None
    assert capsys.readouterr().out == ""


def test_a_job_runs_as_in_a_fresh_process_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dict(os.environ)
    cwd = os.getcwd()
    missing = worker.run_job({"argv": ["extract", "nope.txt"], "cwd": str(tmp_path), "prog": "qc"})
    assert missing["code"] == 2 and "nope.txt" in missing["stderr"]
    usage = worker.run_job({"argv": ["extract", "--bogus"], "cwd": str(tmp_path), "prog": "qc"})
    assert usage["code"] == 2 and "Usage: qc extract" in usage["stderr"]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("")
    job = {"argv": ["extract", "nope.txt", "--tagger-corpus", str(corpus)], "cwd": str(tmp_path)}
    assert worker.run_job({**job, "columns": 120, "tty": True})["code"] != 0
    assert dict(os.environ) == before and os.getcwd() == cwd  # the next job starts clean


@pytest.fixture
def replay_server():  # type: ignore[no-untyped-def]
    server = FakeOpenAIServer(models=(EMBEDDED_MODEL_NAME,)).start()
    server.raw_responder = CassetteResponder(EXAMPLE_CASSETTE)
    try:
        yield server
    finally:
        server.stop()


def _extract(env: dict[str, str], *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "quotecheck", "extract", *args],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _wait_for_worker(env: dict[str, str]) -> list[dict]:
    probe = [sys.executable, "-c", "from quotecheck.cli import warm; print(warm.running())"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = subprocess.run(probe, env=env, capture_output=True, text=True, check=True)
        if done.stdout.strip() != "[]":
            return eval(done.stdout)  # noqa: S307 - our own repr of a list of dicts
        time.sleep(0.2)
    raise AssertionError("the worker never started")


def test_a_first_extract_leaves_a_worker_that_serves_the_next(
    home: Path, replay_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "QUOTECHECK_"))}
    env.update(model_env(replay_server, EMBEDDED_MODEL_NAME))
    env.update({"QUOTECHECK_HOME": str(home), "QUOTECHECK_KEEP_ALIVE": "60"})
    env.update({"QUOTECHECK_TAGGER_CORPUS": "", "QUOTECHECK_CACHE": str(home / "responses")})
    assert FAKE_KEY_NAME in env
    first = _extract(env, str(EXAMPLE), "--format", "json")
    assert first.returncode == 0, first.stderr
    assert "a warm worker (pid" in first.stderr
    (info,) = _wait_for_worker(env)
    sock = home / "workers" / f"{info['fingerprint']}.sock"
    assert oct(sock.stat().st_mode & 0o777) == "0o600"
    assert oct((home / "workers").stat().st_mode & 0o777) == "0o700"
    try:
        # the same article by a relative path from another folder: the worker's answer
        here = tmp_path / "desk"
        here.mkdir()
        shutil.copy(EXAMPLE, here / "story.txt")
        second = _extract(env, "story.txt", "--format", "json", cwd=here)
        assert second.returncode == 0, second.stderr
        assert "a warm worker" not in second.stderr  # none started: one was serving
        a = QuoteReport.model_validate_json(first.stdout)
        b = QuoteReport.model_validate_json(second.stdout)
        assert b.quotes == a.quotes and len(b.quotes) == 11 and b.article_id == "story.txt"
        assert replay_server.raw_responder.missed == []
        (info,) = _wait_for_worker(env)
        assert info["jobs"] == 1  # the second command ran in the worker
        # its errors: the message and the exit code a fresh process would give
        gone = _extract(env, "nope.txt", cwd=here)
        assert gone.returncode == 2 and gone.stderr.startswith("error:"), gone.stderr
        assert gone.stdout == ""
        (info,) = _wait_for_worker(env)
        assert info["jobs"] == 2
        # a rendered table, laid out for the terminal that asked
        table = _extract({**env, "COLUMNS": "150"}, "story.txt", cwd=here)
        assert table.returncode == 0 and "Tomas Lind" in table.stdout
    finally:
        stop = subprocess.run(
            [sys.executable, "-m", "quotecheck", "models", "stop"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
    assert str(info["pid"]) in stop.stdout
    deadline = time.monotonic() + 20
    while sock.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not sock.exists()  # the worker removed its socket as it ended


def test_a_check_runs_in_the_worker_with_the_same_verdicts(home: Path, tmp_path: Path) -> None:
    """``check`` (claims against evidence, quotes against a transcript) handed to a worker gives
    the report a fresh process gives; the model answers are the recorded ones for the seed."""
    from cassette_replay import FACTCHECK_CASSETTE
    from quotecheck.schema import FactCheckReport
    from test_factcheck_e2e import _article, _inputs

    text = _article()  # skips without the shared seed article
    article = tmp_path / "seed.txt"
    article.write_text(text, "utf-8")
    evidence, transcript, _ = _inputs(tmp_path, text)
    server = FakeOpenAIServer(models=(EMBEDDED_MODEL_NAME,)).start()
    server.raw_responder = CassetteResponder(FACTCHECK_CASSETTE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "QUOTECHECK_"))}
    env.update(model_env(server, EMBEDDED_MODEL_NAME, timeout=30))
    env.update({"QUOTECHECK_HOME": str(home), "QUOTECHECK_KEEP_ALIVE": "60"})
    env.update({"QUOTECHECK_TAGGER_CORPUS": "", "QUOTECHECK_CACHE": str(home / "responses")})
    args = [sys.executable, "-m", "quotecheck", "check", str(article), "-e", str(evidence)]
    args += ["-t", str(transcript)]
    try:
        first = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
        assert first.returncode == 0, first.stderr
        (info,) = _wait_for_worker(env)
        assert info["jobs"] == 0
        second = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
        assert second.returncode == 0, second.stderr
        (info,) = _wait_for_worker(env)
        assert info["jobs"] == 1
        a = FactCheckReport.model_validate_json(first.stdout)
        b = FactCheckReport.model_validate_json(second.stdout)
        assert [c.verdict.label for c in b.claims] == [c.verdict.label for c in a.claims]
        assert b.quotes == a.quotes and a.claims
        assert server.raw_responder.missed == []
    finally:
        subprocess.run(
            [sys.executable, "-m", "quotecheck", "models", "stop"],
            env=env, capture_output=True, check=False,
        )  # fmt: skip
        server.stop()
