"""The batch runner without any model: inputs, resume, errors, fatal stops, CSV, prices, CLI.

A stand-in processor replaces the LLM pipeline so these tests check the runner's own
bookkeeping; the end-to-end runs against the fake server are in ``test_fault_batch.py``.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from quotecheck import batch as runner
from quotecheck.batch import Article, JsonlLog, PriceTable, collect
from quotecheck.errors import AuthenticationFailed, ConfigError, InvalidOutput
from quotecheck.schema import Usage
from quotecheck.text import Page

QUOTE = re.compile(r'"([^"]+)"')


def fake_processor(fail_ids=(), fatal_at=None, delay=0.0, tracker=None):
    """Counts double-quoted strings as quotes; fails or stops on chosen ids."""

    async def process(article: Article, page: Page) -> runner.Outcome:
        text = page.text
        if tracker is not None:
            tracker["now"] += 1
            tracker["max"] = max(tracker["max"], tracker["now"])
        try:
            await asyncio.sleep(delay)
            if article.id == fatal_at:
                raise AuthenticationFailed("the endpoint rejected the API key; check it")
            if article.id in fail_ids:
                raise InvalidOutput("still invalid", attempts=3, last_completion="{oops")
            quotes = [
                {
                    "id": f"q{i}",
                    "type": "direct",
                    "text": m.group(1),
                    "fragments": [{"start": m.start(1), "end": m.end(1), "text": m.group(1)}],
                }  # fmt: skip
                for i, m in enumerate(QUOTE.finditer(text))
            ]
            usage = Usage(calls=1, prompt_tokens=len(text), completion_tokens=7)
            return runner.Outcome(
                record={"report": {"article_id": article.id, "quotes": quotes}},
                quotes=len(quotes),
                usage=usage,
                model="gpt-4o-mini",
                endpoint_kind="openai",
            )
        finally:
            if tracker is not None:
                tracker["now"] -= 1

    return process


def make_articles(n: int) -> list[Article]:
    return [
        Article(id=f"a{i}", source="test", text=f'Mayor {i} said "we will fix road {i}" today.')
        for i in range(n)
    ]


def run(articles, process, out, **opts):
    options = runner.BatchOptions(out=out, handle_signals=False, **opts)
    return asyncio.run(runner.run_batch(articles, process, options))


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


# -- inputs ---------------------------------------------------------------------------------
def test_collect_files_folders_globs_jsonl_and_stdin(tmp_path):
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "one.txt").write_text('He said "yes".')
    (tmp_path / "f" / "two.md").write_text("Plain.")
    (tmp_path / "f" / ".hidden.txt").write_text("skip me")
    (tmp_path / "f" / "img.png").write_bytes(b"\x89PNG")
    jl = tmp_path / "a.jsonl"
    jl.write_text(
        json.dumps({"meta": {"key": 7}, "body": "Seven."})
        + "\n\n{not json\n"
        + json.dumps({"meta": {"key": 8}, "other": 1})
        + "\n"
        + json.dumps({"meta": {"key": 7}, "body": "dup"})
        + "\n"
    )
    got = collect(
        [str(tmp_path / "f"), str(jl), "-", str(tmp_path / "f" / "*.txt")],
        id_field="meta.key",
        text_field="body",
        stdin=io.BytesIO(b"Text from stdin."),
    )
    ids = [a.id for a in got.articles]
    assert ids == [
        str(tmp_path / "f" / "one.txt"),
        str(tmp_path / "f" / "two.md"),
        "7",
        f"{jl}:3",
        "8",
        "stdin",
    ]
    assert got.duplicates == ["7", str(tmp_path / "f" / "one.txt")]
    by_id = {a.id: a for a in got.articles}
    assert by_id["7"].load() == "Seven."
    assert by_id["stdin"].load() == "Text from stdin."
    for bad in (f"{jl}:3", "8"):
        with pytest.raises(Exception, match="JSON|--text-field"):
            by_id[bad].load()


def test_stdin_jsonl_and_bad_paths(tmp_path):
    got = collect(["-"], stdin=io.BytesIO(b'{"id": "x", "text": "T"}\n{"id": "y", "text": "U"}\n'))
    assert [(a.id, a.load()) for a in got.articles] == [("x", "T"), ("y", "U")]
    with pytest.raises(ConfigError, match="not found"):
        collect([str(tmp_path / "missing.txt")])
    with pytest.raises(ConfigError, match="no files match"):
        collect([str(tmp_path / "*.nothing")])


def test_unreadable_files_fail_per_article(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02 binary")
    (tmp_path / "latin.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "page.html").write_text("<html><body><p>Hello <b>there</b></p></body></html>")
    arts = {a.path.name: a for a in collect([str(tmp_path)]).articles}
    with pytest.raises(Exception, match="binary"):
        arts["bin.txt"].load()
    with pytest.raises(Exception, match="UTF-8"):
        arts["latin.txt"].load()
    assert arts["page.html"].load() == "Hello there"


# -- crash-safe output ----------------------------------------------------------------------
def test_repair_truncates_only_a_partial_tail(tmp_path):
    log = JsonlLog(tmp_path / "o.jsonl")
    assert log.repair() == 0  # missing file
    log.append({"id": "a"})
    log.append({"id": "b"})
    log.close()
    good = log.path.read_bytes()
    assert log.repair() == 0 and log.path.read_bytes() == good
    log.path.write_bytes(good + b'{"id": "c", "rep')
    assert log.repair() == len(b'{"id": "c", "rep')
    assert log.path.read_bytes() == good
    log.path.write_bytes(b'{"id": "only-partial"')
    assert log.repair() > 0 and log.path.read_bytes() == b""


# -- the runner -----------------------------------------------------------------------------
def test_run_resume_and_counts(tmp_path):
    out = tmp_path / "out.jsonl"
    arts = make_articles(12)
    first = run(arts[:5], fake_processor(), out, jobs=3)
    assert (first.ok, first.failed, first.skipped, first.quotes) == (5, 0, 0, 5)
    assert first.exit_code == 0
    second = run(arts, fake_processor(), out, jobs=3)
    assert (second.ok, second.skipped) == (7, 5)
    records = read_jsonl(out)
    assert sorted(r["id"] for r in records) == sorted(a.id for a in arts)
    assert records[0]["report"]["quotes"][0]["text"].startswith("we will fix road")
    third = run(arts, fake_processor(), out, jobs=3)
    assert (third.ok, third.skipped, third.usage.calls) == (0, 12, 0)


def test_failures_recorded_then_retried_alone(tmp_path):
    out = tmp_path / "out.jsonl"
    arts = make_articles(10)
    first = run(arts, fake_processor(fail_ids={"a2", "a7"}), out, jobs=4)
    assert (first.ok, first.failed, first.exit_code) == (8, 2, 1)
    errs = read_jsonl(runner.errors_path(out))
    assert sorted(e["id"] for e in errs) == ["a2", "a7"]
    assert errs[0]["error"] == "InvalidOutput" and errs[0]["attempts"] == 3
    seen: list[str] = []
    base = fake_processor()

    async def recording(article, text):
        seen.append(article.id)
        return await base(article, text)

    retry = run(arts, recording, out, jobs=4, retry_failed=True)
    assert sorted(seen) == ["a2", "a7"]  # only the failed ones ran
    assert (retry.ok, retry.failed, retry.skipped, retry.exit_code) == (2, 0, 8, 0)
    assert not runner.errors_path(out).exists()  # nothing left failing
    ids = [r["id"] for r in read_jsonl(out)]
    assert sorted(ids) == sorted(a.id for a in arts) and len(ids) == len(set(ids))


def test_bad_input_is_an_error_record_not_a_crash(tmp_path):
    out = tmp_path / "out.jsonl"
    arts = [*make_articles(2), Article(id="broken", source="x:3", problem="x:3: not valid JSON")]
    summary = run(arts, fake_processor(), out)
    assert (summary.ok, summary.failed) == (2, 1)
    err = read_jsonl(runner.errors_path(out))[0]
    assert (err["id"], err["error"]) == ("broken", "BadInput")


def test_fatal_error_stops_the_whole_batch(tmp_path):
    out = tmp_path / "out.jsonl"
    arts = make_articles(40)
    calls: list[str] = []
    base = fake_processor(fatal_at="a5", delay=0.01)

    async def counting(article, text):
        calls.append(article.id)
        return await base(article, text)

    summary = run(arts, counting, out, jobs=2)
    assert summary.fatal and "API key" in summary.fatal
    assert summary.exit_code == 1
    assert len(calls) < 12  # stopped at once, not one failure per article
    assert not runner.errors_path(out).exists()  # not blamed on the articles
    done = [r["id"] for r in read_jsonl(out)]
    assert "a5" not in done and len(done) == len(set(done))
    resumed = run(arts, fake_processor(), out, jobs=2)
    assert resumed.ok + len(done) == 40


def test_concurrency_limit_is_respected(tmp_path):
    tracker = {"now": 0, "max": 0}
    summary = run(make_articles(30), fake_processor(delay=0.01, tracker=tracker), tmp_path / "o")
    assert summary.ok == 30 and tracker["max"] == 4  # default jobs=4, all busy at once
    tracker = {"now": 0, "max": 0}
    run(make_articles(30), fake_processor(delay=0.01, tracker=tracker), tmp_path / "p", jobs=1)
    assert tracker["max"] == 1


def test_csv_export_covers_resumed_output_and_defuses_formulas(tmp_path):
    out, csv_path = tmp_path / "out.jsonl", tmp_path / "quotes.csv"
    arts = make_articles(3) + [
        Article(id="f", source="t", text='She said "=HYPERLINK(1)" and "ok".')
    ]
    run(arts[:2], fake_processor(), out)
    run(arts, fake_processor(), out, csv_path=csv_path)
    rows = list(csv.DictReader(csv_path.open()))
    assert len(rows) == 5
    assert {r["article_id"] for r in rows} == {"a0", "a1", "a2", "f"}
    texts = {r["text"] for r in rows if r["article_id"] == "f"}
    assert texts == {"'=HYPERLINK(1)", "ok"}
    row = next(r for r in rows if r["article_id"] == "a1")
    src = arts[1].text
    assert src[int(row["start"]) : int(row["end"])] == row["text"]


def test_cost_estimate(tmp_path):
    summary = run(make_articles(2), fake_processor(), tmp_path / "o.jsonl")
    tokens_in = summary.usage.prompt_tokens
    assert summary.cost == pytest.approx((tokens_in * 0.15 + 14 * 0.60) / 1e6)


# -- prices ---------------------------------------------------------------------------------
def test_price_table(tmp_path):
    table = PriceTable()
    assert table.cost("gpt-4o-mini-2024-07-18", "openai", 1_000_000, 0) == pytest.approx(0.15)
    assert table.cost("gpt-4o", "openai", 0, 1_000_000) == pytest.approx(10.0)
    assert table.cost("qwen", "embedded", 10**9, 10**9) == 0.0
    assert table.cost("my-vllm-model", "openai-compatible", 10, 10) is None
    toml = tmp_path / "p.toml"
    toml.write_text('["my-vllm-model"]\ninput = 1.0\noutput = 2.0\n')
    assert PriceTable.load(toml).cost("my-vllm-model", "x", 10**6, 10**6) == pytest.approx(3.0)
    js = tmp_path / "p.json"
    js.write_text(json.dumps({"gpt-4o-mini": {"input": 0, "output": 0}}))
    assert PriceTable.load(js).cost("gpt-4o-mini", "openai", 10**6, 10**6) == 0.0
    js.write_text(json.dumps({"m": {"input": "cheap"}}))
    with pytest.raises(ConfigError, match="input"):
        PriceTable.load(js)


# -- the CLI --------------------------------------------------------------------------------
@pytest.fixture
def cli(monkeypatch):
    """The batch command with the stand-in processor instead of a model."""
    import typer

    from quotecheck.cli.batch import batch
    from quotecheck.cli.cache import cache_app

    monkeypatch.setattr(runner, "build_llm", lambda *a, **kw: object())
    monkeypatch.setattr(runner, "make_processor", lambda llm, ev=None: fake_processor({"a1"}))
    app = typer.Typer()
    app.command()(batch)
    app.add_typer(cache_app, name="cache")
    return app


def test_cli_exit_codes_and_outputs(cli, tmp_path):
    data = tmp_path / "in.jsonl"
    data.write_text(
        "".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in make_articles(4))
    )
    out = tmp_path / "out.jsonl"
    cli_runner = CliRunner()
    res = cli_runner.invoke(
        cli, ["batch", str(data), "-o", str(out), "--csv", str(tmp_path / "q.csv")]
    )
    assert res.exit_code == 1, res.output  # a1 fails
    assert "3 ok, 1 failed" in res.output and "retry-failed" in res.output
    assert len(read_jsonl(out)) == 3 and (tmp_path / "q.csv").exists()
    res = cli_runner.invoke(cli, ["batch", "-o", str(out)])
    assert res.exit_code == 2 and "at least one input" in res.output
    res = cli_runner.invoke(cli, ["batch", str(tmp_path / "nope.txt"), "-o", str(out)])
    assert res.exit_code == 2 and "not found" in res.output
    bad_prices = tmp_path / "p.toml"
    bad_prices.write_text("not = [valid")
    res = cli_runner.invoke(cli, ["batch", str(data), "-o", str(out), "--prices", str(bad_prices)])
    assert res.exit_code == 2 and "TOML" in res.output


def test_cli_cache_commands(cli, tmp_path):
    from quotecheck.llm.cache import ResponseCache

    with ResponseCache(tmp_path) as cache:
        for i in range(3):
            cache.put(f"k{i}", {"raw": "x" * 100})
    res = CliRunner().invoke(cli, ["cache", "info", "--path", str(tmp_path)])
    assert res.exit_code == 0 and "entries: 3" in res.output
    res = CliRunner().invoke(cli, ["cache", "prune", "--path", str(tmp_path)])
    assert res.exit_code == 2
    res = CliRunner().invoke(cli, ["cache", "prune", "--path", str(tmp_path), "--max-mb", "0"])
    assert res.exit_code == 0 and "removed 3" in res.output
    res = CliRunner().invoke(cli, ["cache", "clear", "--path", str(tmp_path), "--yes"])
    assert res.exit_code == 0 and "removed 0" in res.output


def test_resume_after_crash_with_partial_tail(tmp_path):
    out = tmp_path / "out.jsonl"
    arts = make_articles(6)
    run(arts[:3], fake_processor(), out)
    with out.open("ab") as fh:  # a crash in the middle of writing a4's line
        fh.write(b'{"id":"a4","report":{"quo')
    summary = run(arts, fake_processor(), out)
    assert summary.repaired_bytes == len(b'{"id":"a4","report":{"quo')
    assert (summary.ok, summary.skipped) == (3, 3)
    ids = [r["id"] for r in read_jsonl(out)]  # every line parses again
    assert sorted(ids) == sorted(a.id for a in arts)


def test_two_runs_cannot_share_one_output(tmp_path):
    from quotecheck.batch import OutputLock

    out = tmp_path / "out.jsonl"
    with OutputLock(out), pytest.raises(ConfigError, match="already writing"):
        run(make_articles(1), fake_processor(), out)
