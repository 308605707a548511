"""``schemathesis`` against the OpenAPI spec a running ``quotecheck serve`` publishes: whatever
it sends (valid, invalid, hostile), the server never answers 5xx, and every answer matches
the spec (status codes, content types, headers, bodies). The model behind it is the fake
server answering every prompt. Bounded: a fixed seed, a few examples per operation, and a
time budget.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest_fakeserver import FAKE_MODEL
from serve_process import TOKEN, Served, model_env
from test_service import _fake

pytest.importorskip("fastapi", reason="the service needs pip install -e '.[service]'")
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_headers_conformance,response_schema_conformance,unsupported_method"
)


def _schemathesis() -> list[str]:
    found = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("schemathesis is not installed (pip install -e '.[test]')")
    return [found]


def test_no_5xx_and_answers_match_the_spec(tmp_path):  # type: ignore[no-untyped-def]
    cli = _schemathesis()
    with _fake() as fake:
        env = {**model_env(fake, FAKE_MODEL), "QUOTECHECK_API_TOKENS": TOKEN}
        with Served(env, tmp_path / "jobs", "--max-body", "2000000", "--concurrency", "4") as s:
            done = subprocess.run(
                [*cli, "run", f"{s.url}/openapi.json", "--header", f"Authorization: Bearer {TOKEN}",
                 "--checks", CHECKS, "--max-examples", "10", "--seed", "1", "--workers", "1",
                 "--max-time", "60", "--generation-database", "none", "--no-color",
                 "--report-dir", str(tmp_path / "report"), "--request-timeout", "60"],
                capture_output=True, text=True, timeout=400, cwd=tmp_path,
            )  # fmt: skip
            log = s.log
    assert "generated" in done.stdout, done.stdout[-3000:] + done.stderr[-2000:]
    assert done.returncode == 0, done.stdout[-8000:]
    assert "Traceback" not in log and '" 500 ' not in log, log[-4000:]
