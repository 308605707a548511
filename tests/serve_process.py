"""A real ``quotecheck serve`` in a child process on 127.0.0.1 (a free port), for the API,
browser and fuzz tests: started with an environment pointing it at a fake (or cassette
replaying) OpenAI server, stopped or SIGKILLed by the test.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from conftest_fakeserver import FAKE_KEY, fake_env
from fakeserver import FakeOpenAIServer

TOKEN = "test-token-0123456789abcdef"  # a test value, not a secret


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def model_env(server: FakeOpenAIServer, model: str, timeout: float = 5.0) -> dict[str, str]:
    env = fake_env(server, timeout=timeout)
    env["QUOTECHECK_MODEL"] = model
    env["OPENAI_API_KEY"] = FAKE_KEY
    return env


class Served:
    """One server process; ``url`` is its base URL, ``log`` what it wrote."""

    def __init__(self, env: dict[str, str], jobs: Path, *args: str, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.jobs = jobs
        self.log_path = jobs.parent / f"serve-{self.port}-{time.monotonic_ns()}.log"
        clean = {
            k: v for k, v in os.environ.items() if not k.startswith(("QUOTECHECK_", "OPENAI_"))
        }
        self.env = {**clean, **env}
        self.args = args
        self.proc: subprocess.Popen | None = None

    def start(self, wait: bool = True) -> Served:
        cmd = [sys.executable, "-m", "quotecheck", "serve", "--port", str(self.port),
               "--jobs-dir", str(self.jobs), *self.args]  # fmt: skip
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(cmd, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        if wait:
            self.wait_healthy()
        return self

    def wait_healthy(self, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited {self.proc.returncode}:\n{self.log}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"serve did not come up:\n{self.log}")

    @property
    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no cleanup of any kind, as a crash or an OOM kill."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._log.close()

    def stop(self) -> int:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self._log.close()
        return code

    def __enter__(self) -> Served:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
