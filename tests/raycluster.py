"""A real Ray head node for the tests, on this machine's loopback only.

``ray start --head --block`` runs as a child process with its own temp folder, free ports and
a token the tests generate (token authentication on, as Ray's default): drivers in the test
process and CLI subprocesses attach to it by address. Stopping it sends SIGTERM to that one
process, which ends every Ray process it started; nothing is stopped by name.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Ray settings for every test process and child: loopback only (Ray otherwise binds the
#: machine's outward address), a token of our own, and gRPC fork handlers off (the Ray Client
#: server forks; with them on, gRPC aborts on this machine)
RAY_TEST_ENV = {
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
    "RAY_AUTH_MODE": "token",
    "RAY_AUTH_TOKEN": secrets.token_hex(32),
    "GRPC_ENABLE_FORK_SUPPORT": "false",
    "RAY_USAGE_STATS_ENABLED": "0",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cmdline(pid: int | str) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


def _parent(pid: int | str) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rpartition(")")[2].split()[1])  # the field after the state


def ray_processes(marker: str, parent_marker: str | None = None) -> list[int]:
    """Pids whose command line contains ``marker`` (e.g. ``ray::ArticleWorker``) and, when
    given, whose parent's contains ``parent_marker`` (a head's temp folder: its raylet)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or marker not in _cmdline(entry.name):
            continue
        parent = _parent(entry.name)
        if parent_marker is None or (parent and parent_marker in _cmdline(parent)):
            found.append(int(entry.name))
    return found


class RayHead:
    """``ray start --head --block`` with 2 CPUs on 127.0.0.1; ``address`` for ``ray.init``,
    ``client_address`` for Ray Client (``ray://``)."""

    def __init__(self, num_cpus: int = 2) -> None:
        self.num_cpus = num_cpus
        self.port, self.client_port = free_port(), free_port()
        self.temp_dir = Path(tempfile.mkdtemp(prefix="qcray-"))  # short: unix socket paths
        self.proc: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def client_address(self) -> str:
        return f"ray://127.0.0.1:{self.client_port}"

    def start(self, timeout: float = 90.0) -> RayHead:
        ray_bin = Path(sys.executable).with_name("ray")
        log = (self.temp_dir / "head.log").open("wb")
        self.proc = subprocess.Popen(
            [
                str(ray_bin),
                "start",
                "--head",
                "--block",
                f"--port={self.port}",
                f"--num-cpus={self.num_cpus}",
                "--include-dashboard=false",
                "--disable-usage-stats",
                f"--ray-client-server-port={self.client_port}",
                f"--dashboard-agent-listen-port={free_port()}",
                f"--temp-dir={self.temp_dir}",
            ],  # fmt: skip
            env={**os.environ, **RAY_TEST_ENV},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = (self.temp_dir / "head.log").read_text(errors="replace")
            if "Ray runtime started" in text:
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"ray start failed:\n{text[-3000:]}")
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("ray start did not come up in time")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # --block: it stops what it started
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        for pid in ray_processes(str(self.temp_dir)):  # a straggler of this head only
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.temp_dir, ignore_errors=True)
