"""The warm worker's side (``python -m quotecheck.cli.worker``; the client's side, which starts
it and hands it jobs, is ``cli.warm``): answer one job at a time through the Typer app with
stdout and stderr captured, put the environment and working directory back after each job, and
exit after ``keep_alive`` idle seconds, when the source changes (its fingerprint no longer
matches), or on SIGTERM (``quotecheck models stop``). The socket is created mode 0600 in a
folder only this user may enter; a request that is not one of ``warm.COMMANDS`` is refused.
Imports the command line's ``app`` and ``warm``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from quotecheck.cli import warm
from quotecheck.cli.root import app


def _exit_code(code: object) -> tuple[int, str]:
    if code is None:
        return 0, ""
    if isinstance(code, int):
        return code, ""
    return 1, f"{code}\n"


def run_job(job: dict) -> dict:
    """One command, as a fresh process would run it, with its output captured."""
    env, cwd = dict(os.environ), os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        os.chdir(job["cwd"])
        os.environ.pop("COLUMNS", None)  # the client's width, or none, as it would have it
        if job.get("columns"):
            os.environ["COLUMNS"] = str(int(job["columns"]))
        if job.get("tty"):
            os.environ["FORCE_COLOR"] = "1"  # the client's terminal shows colour
        with redirect_stdout(out), redirect_stderr(err):
            try:
                app(args=[str(a) for a in job["argv"]], prog_name=str(job.get("prog")))
            except SystemExit as stop:
                code, message = _exit_code(stop.code)
                err.write(message)
    except Exception as exc:  # noqa: BLE001 - a job's failure never ends the worker
        code = 1
        err.write(f"error: {type(exc).__name__}: {exc}\n")
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
    return {"stdout": out.getvalue(), "stderr": err.getvalue(), "code": code}


def _receive(conn: socket.socket) -> dict:
    conn.settimeout(10.0)  # the client sends its job at once
    chunks = []
    while chunk := conn.recv(1 << 16):
        chunks.append(chunk)
    job = json.loads(b"".join(chunks))
    if not isinstance(job, dict) or not isinstance(job.get("argv"), list):
        raise ValueError("not a job")
    if not job["argv"] or job["argv"][0] not in warm.COMMANDS:
        raise ValueError("not a command a worker runs")
    return job


def serve(keep_alive: float) -> None:
    """Answer jobs until idle ``keep_alive`` seconds, stopped, or the source changed."""
    import fcntl

    warm.in_worker = True  # the jobs' ``background_note`` starts no other worker
    where = warm.folder()
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not warm.private(where):
        raise SystemExit(f"{where} is open to other users; not serving")
    key = warm.fingerprint()
    path, state = where / f"{key}.sock", where / f"{key}.json"
    lock = open(where / f"{key}.lock", "w")  # noqa: SIM115 - held for the worker's life
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return  # another worker of the same installation is starting or running
    from quotecheck.factcheck import check_claims  # noqa: F401 - imports a job would pay
    from quotecheck.ingest import read_input  # noqa: F401
    from quotecheck.output import print_report  # noqa: F401

    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a dead worker's socket
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old)
    listener.listen(16)
    listener.settimeout(warm.POLL)
    jobs, stop = 0, False

    def _term(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _term)
    signal.signal(signal.SIGINT, _term)
    _write_state(state, key, jobs)
    last = checked = time.monotonic()
    print(f"worker {os.getpid()} serving {path}", flush=True)
    try:
        while not stop and time.monotonic() - last < keep_alive:
            if time.monotonic() - checked > warm.RECHECK:
                checked = time.monotonic()
                if warm.fingerprint() != key or not path.exists():
                    break  # the source changed or the socket was removed: a new worker serves
            try:
                conn, _ = listener.accept()
            except (TimeoutError, InterruptedError):
                continue
            with conn:
                try:
                    job = _receive(conn)
                except (OSError, ValueError, UnicodeDecodeError) as err:
                    print(f"refused a request: {err}", flush=True)
                    continue
                t0 = time.monotonic()
                reply = run_job(job)
                jobs += 1
                _write_state(state, key, jobs)
                took = time.monotonic() - t0
                print(f"job {jobs}: {job['argv'][0]} exit {reply['code']} {took:.2f} s", flush=True)
                with contextlib.suppress(OSError):
                    conn.sendall(json.dumps(reply).encode("utf-8"))
            last = time.monotonic()
    finally:
        listener.close()
        for own in (path, state):
            with contextlib.suppress(OSError):
                own.unlink()
        lock.close()


def _write_state(state: Path, key: str, jobs: int) -> None:
    tmp = state.with_suffix(".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump({"pid": os.getpid(), "fingerprint": key, "jobs": jobs}, out)
    tmp.replace(state)


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description="quotecheck's warm worker for one-article commands")
    ap.add_argument("--keep-alive", type=float, required=True, help="idle seconds before exiting")
    serve(ap.parse_args(argv).keep_alive)


if __name__ == "__main__":
    main()
