"""A warm worker for the one-article commands: a fresh ``quotecheck extract`` or ``check`` hands
its job to a Python process that has already imported the package (about a second of imports,
half of it the ``openai`` SDK), instead of importing it again.

Client side (``delegate``), run by ``cli.main`` before Typer or the package is loaded, so it
imports the standard library only (and ``platformdirs``): it looks for the worker of this exact
installation and settings (``fingerprint``: the interpreter, every source and prompt file's size
and time, and the environment variables that steer quotecheck), sends argv, working directory
and terminal facts over a Unix socket in a folder only this user can open, and prints what the
worker wrote with its exit code. A job reading stdin, or any failure to reach or hear from a
worker, runs in the process as before: a worker can make a command faster, never different.

The worker (``cli.worker``) is started in the background by the first ``extract`` or ``check``
that keeps the model loaded (``start``, from ``common.background_note``) and serves until
``keep_alive`` idle seconds pass, its source changes, or ``quotecheck models stop`` (``stop_all``).

State: ``<cache>/workers/<fingerprint>.sock`` and ``.json`` (pid, jobs), its log beside.
Imports nothing of quotecheck.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

COMMANDS = frozenset({"extract", "check"})  # the commands a worker runs
WORKER_ENV = "QUOTECHECK_WORKER"  # "0": no worker, the model may still be kept loaded
#: environment variables that change what a command does; a worker serves only the same values
KEYED_PREFIXES = ("QUOTECHECK_", "OPENAI_", "AZURE_", "HF_", "HUGGINGFACE_", "XDG_", "LC_")
KEYED_NAMES = frozenset(
    "HOME LANG LANGUAGE PATH TZ NO_COLOR FORCE_COLOR PYTHONPATH PYTHONHASHSEED SSL_CERT_FILE "
    "SSL_CERT_DIR REQUESTS_CA_BUNDLE HTTP_PROXY HTTPS_PROXY NO_PROXY ALL_PROXY http_proxy "
    "https_proxy no_proxy all_proxy".split()
)
POLL = 2.0  # seconds between the worker's idle checks
RECHECK = 10.0  # seconds between the worker's checks that its source is unchanged
#: the environment this process started with (``use_tagger`` and jobs may change it later)
START_ENV = dict(os.environ)
in_worker = False  # set in the worker itself: its jobs never start another worker


def folder() -> Path:
    """``<cache>/workers``, beside the weights' ``models`` folder (``QUOTECHECK_HOME``)."""
    home = os.environ.get("QUOTECHECK_HOME")
    if home:
        return Path(home).expanduser() / "workers"
    import platformdirs

    return Path(platformdirs.user_cache_dir("quotecheck")) / "workers"


def _sources() -> list[Path]:
    """The package and, in a checkout, the prompts folder beside ``src``."""
    package = Path(__file__).resolve().parents[1]
    return [package, package.parents[1] / "prompts"]


def fingerprint(env: dict[str, str] | None = None) -> str:
    """What a worker must match to run this process's job, as 16 hex digits."""
    env = START_ENV if env is None else env
    digest = hashlib.sha256(f"{sys.executable}\0{sys.version}\0{os.getuid()}\n".encode())
    for root in _sources():
        for here, dirs, files in os.walk(root):  # top-down, folders in order: a stable walk
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                with contextlib.suppress(OSError):
                    st = os.stat(os.path.join(here, name))
                    digest.update(f"{here}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    keyed = sorted(
        (k, v) for k, v in env.items() if k in KEYED_NAMES or k.startswith(KEYED_PREFIXES)
    )
    digest.update(json.dumps(keyed).encode())
    return digest.hexdigest()[:16]


def private(where: Path) -> bool:
    """True when ``where`` is a folder of this user that nobody else may enter."""
    try:
        st = os.stat(where, follow_symlinks=False)
    except OSError:
        return False
    return os.path.isdir(where) and st.st_uid == os.getuid() and not st.st_mode & 0o077


def _off(env: dict[str, str]) -> bool:
    """``QUOTECHECK_WORKER=0`` turns the worker off; ``QUOTECHECK_KEEP_ALIVE=0`` turns off all
    that stays in the background, model and worker."""
    if env.get(WORKER_ENV, "").strip().lower() in ("0", "false", "no", "off"):
        return True
    raw = env.get("QUOTECHECK_KEEP_ALIVE", "").strip()
    try:
        return bool(raw) and float(raw) <= 0
    except ValueError:
        return False


def _prog() -> str:
    first = sys.argv[0] if sys.argv else "quotecheck"
    return "python -m quotecheck" if first.endswith("__main__.py") else os.path.basename(first)


def _columns() -> int:
    """The width this process would lay text out for: ``COLUMNS``, else its terminal's; 0 for
    none (a pipe)."""
    raw = os.environ.get("COLUMNS", "").strip()
    if raw.isdigit():
        return int(raw)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return 0


def delegate(argv: list[str]) -> int | None:
    """Run ``argv`` in this installation's warm worker and return its exit code, having printed
    its output; None (nothing printed) when there is no worker to take it."""
    if not argv or argv[0] not in COMMANDS or "-" in argv[1:] or _off(START_ENV):
        return None
    if not hasattr(socket, "AF_UNIX") or not private(folder()):
        return None
    path = folder() / f"{fingerprint()}.sock"
    if not path.exists():
        return None
    job = {"argv": argv, "cwd": os.getcwd(), "prog": _prog(), "tty": sys.stdout.isatty()}
    job["columns"] = _columns()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(2.0)
            conn.connect(str(path))
            conn.settimeout(None)  # a job takes as long as it takes
            conn.sendall(json.dumps(job).encode("utf-8") + b"\n")
            conn.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := conn.recv(1 << 16):
                chunks.append(chunk)
        reply = json.loads(b"".join(chunks))
        out, err, code = str(reply["stdout"]), str(reply["stderr"]), int(reply["code"])
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no worker, or it stopped mid-job: the job runs here
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    return code


def _answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


def start(keep_alive: float) -> int | None:
    """Start this installation's worker in the background unless it runs; its pid, or None."""
    if in_worker or keep_alive <= 0 or _off(START_ENV) or not hasattr(socket, "AF_UNIX"):
        return None
    where = folder()
    with contextlib.suppress(OSError):
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not private(where) or _answers(where / f"{fingerprint()}.sock"):
        return None
    args = [sys.executable, "-m", "quotecheck.cli.worker", "--keep-alive", str(keep_alive)]
    with open(where / "worker.log", "a") as log:
        child = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            args, stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=START_ENV,
            start_new_session=True,
        )  # fmt: skip
    return child.pid


def _is_worker(pid: int) -> bool:
    """True when ``pid`` runs: a worker, where ``/proc`` can say (a state file a killed worker
    left must not make ``stop_all`` signal whatever process took its pid)."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        return b"quotecheck.cli.worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc here: the live pid is all there is to go on


def running() -> list[dict]:
    """This user's live workers: pid, fingerprint and jobs served."""
    where, found = folder(), []
    for state in sorted(where.glob("*.json")) if private(where) else []:
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            info = json.loads(state.read_text("utf-8"))
            if _is_worker(int(info["pid"])):
                found.append(info)
    return found


def stop_all() -> list[int]:
    """End every worker of this user; returns their pids."""
    stopped = []
    for info in running():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(info["pid"]), signal.SIGTERM)
            stopped.append(int(info["pid"]))
    return stopped
