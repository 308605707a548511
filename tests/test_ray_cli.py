"""``quotecheck batch --engine ray`` where Ray is not installed, and Ray-only flags without
it: one line that says what to do, exit code 2, no traceback. Needs no Ray."""

from __future__ import annotations

import json
import subprocess
import sys

#: the CLI in a Python where ``import ray`` fails, as on a base install
_NO_RAY = (
    "import sys; sys.modules['ray'] = None; from quotecheck.cli import app; "
    "sys.argv[0] = 'quotecheck'; app()"
)


def _inputs(tmp_path):
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps({"id": "a", "text": "The mayor said it would rain."}) + "\n")
    return data


def test_engine_ray_without_ray_says_how_to_install(tmp_path):
    data, out = _inputs(tmp_path), tmp_path / "out.jsonl"
    args = [sys.executable, "-c", _NO_RAY, "batch", str(data), "-o", str(out), "--engine", "ray"]
    res = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip().splitlines() == [
        "error: --engine ray needs Ray: pip install 'quotecheck[ray]'"
    ]
    assert not out.exists()


def test_ray_flags_need_the_ray_engine(tmp_path):
    data, out = _inputs(tmp_path), tmp_path / "out.jsonl"
    for flags in (["--address", "auto"], ["--workers", "3"], ["--max-tries", "5"]):
        args = [sys.executable, "-c", _NO_RAY, "batch", str(data), "-o", str(out), *flags]
        res = subprocess.run(args, capture_output=True, text=True, timeout=120)
        assert res.returncode == 2 and "need --engine ray" in res.stderr, res.stderr
        assert "Traceback" not in res.stderr
