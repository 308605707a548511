"""``quotecheck batch --evidence``: quotes and fact-checks land in one record per article,
with the evidence indexed once. Runs against the fake server; the fact-check answers are
minimal (no claims found), since judging claims is the fact-check suite's business."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest_fakeserver import fake_env
from fakeserver import attribution_answer, json_responder
from quotecheck import batch as runner


def route(request: dict) -> dict:
    """Answer each prompt kind by its response schema's name."""
    name = ((request.get("response_format") or {}).get("json_schema") or {}).get("name")
    if name == "Attributions":
        return attribution_answer(request)
    if name == "_Selection":  # the claim selector: nothing check-worthy
        return {"checkworthy": []}
    raise AssertionError(f"unexpected prompt schema {name!r}")


def test_evidence_batch_writes_factcheck_per_article(fake_server, tmp_path, monkeypatch):
    import typer

    from quotecheck.cli.batch import batch
    from quotecheck.cli.cache import cache_app

    fake_server.responder = json_responder(route)
    for key, value in fake_env(fake_server).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("QUOTECHECK_CACHE", str(tmp_path / "cache"))
    built = []
    real_load = runner.load_evidence
    monkeypatch.setattr(runner, "load_evidence", lambda p: built.append(p) or real_load(p))

    src = tmp_path / "sources"
    src.mkdir()
    (src / "minutes.txt").write_text("The council met on Tuesday. The library budget grew.")
    arts = tmp_path / "arts"
    arts.mkdir()
    for i in range(3):
        (arts / f"a{i}.txt").write_text(
            f"Library news {i}\n\n\u201cThe budget grew this year,\u201d said Mayor Ana Ruiz.\n\n"
            "The library budget grew by 12 percent in 2024 after the council vote on Tuesday.\n"
        )
    out = tmp_path / "out.jsonl"
    app = typer.Typer()
    app.command()(batch)
    app.add_typer(cache_app, name="cache")
    res = CliRunner().invoke(app, ["batch", str(arts), "-o", str(out), "--evidence", str(src)])
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 3 and len(built) == 1  # evidence indexed once for the batch
    for record in records:
        assert record["report"]["quotes"][0]["speaker_mention"]["text"] == "Mayor Ana Ruiz"
        factcheck = record["factcheck"]
        assert factcheck["article_id"] == record["id"]
        assert factcheck["sources"] == ["minutes.txt"]
        assert factcheck["claims"] == []
    names = [
        ((r.get("response_format") or {}).get("json_schema") or {}).get("name")
        for r in fake_server.requests
    ]
    assert "_Selection" in names  # the claim selector was asked, once per article
