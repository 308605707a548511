"""Fault injection: batch runs against the fake OpenAI server answering with 429 (with and
without Retry-After), 500, 503, hangs past the timeout, truncated JSON and invented speakers.

Whatever the faults, every article must end as exactly one correct record or one recorded
error: none lost, none duplicated, nothing invented in the output. The articles are short
texts written for these tests.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest_fakeserver import FAKE_KEY, FAKE_MODEL, fake_env
from fakeserver import Faults, attribution_inventor, attribution_responder
from quotecheck import batch as runner
from quotecheck.batch import Article, PriceTable
from quotecheck.llm import LLM
from quotecheck.llm.config import LLMConfig

NAMES = ["Lena Okafor", "Tomas Brandt", "Priya Nair", "Jonas Weller", "Maria Duarte", "Sam Ortiz"]
TITLES = ["Mayor", "Councillor", "Inspector", "Director", "Professor", "Captain"]
TOPICS = ["the library", "the river bridge", "the night bus", "the market hall", "the school roof"]
INVENTED = "Imaginary Nobody"


def make_article(i: int) -> tuple[Article, str]:
    """A short made-up article with one attributed direct quote; returns it and its speaker."""
    name, title = NAMES[i % len(NAMES)], TITLES[(i // 2) % len(TITLES)]
    topic = TOPICS[i % len(TOPICS)]
    speaker = f"{title} {name}"
    text = (
        f"Plans for {topic} change again (report {i})\n\n"
        f"The town announced new dates for {topic} on day {i}.\n\n"
        f"\u201cWe expect {topic} to be ready within {i + 2} weeks,\u201d said {speaker}.\n\n"
        f"Residents have waited since spring for news.\n"
    )
    return Article(id=f"art-{i:03d}", source="test", text=text), speaker


def make_articles(n: int) -> tuple[list[Article], dict[str, str]]:
    pairs = [make_article(i) for i in range(n)]
    return [a for a, _ in pairs], {a.id: s for a, s in pairs}


def llm_for(server, **overrides) -> LLM:
    settings = dict(
        base_url=server.base_url,
        api_key=FAKE_KEY,
        model=FAKE_MODEL,
        timeout=2.0,
        attempts=3,
        transport_retries=4,
        max_backoff=0.02,
        use_cache=False,
    )
    settings.update(overrides)
    return LLM(LLMConfig(**settings))


async def run_batch(articles, out: Path, llm: LLM, **opts) -> runner.BatchSummary:
    options = runner.BatchOptions(out=out, handle_signals=False, **opts)
    try:
        return await runner.run_batch(articles, runner.make_processor(llm), options)
    finally:
        await llm.aclose()


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def comparable(record: dict) -> dict:
    """A record without run figures (timings, ports, usage), which differ between runs."""
    report = dict(record["report"])
    report.pop("run", None)
    return {"id": record["id"], "report": report}


def assert_correct(record: dict, speaker: str) -> None:
    """The one quote is attributed to the right speaker, or its speaker was dropped and the
    drop counted; an invented name never reaches the output."""
    assert INVENTED not in json.dumps(record)
    quotes = record["report"]["quotes"]
    assert len(quotes) == 1, record
    mention = quotes[0]["speaker_mention"]
    if mention is None:
        assert record["report"]["run"]["dropped"] > 0, record
    else:
        assert mention["text"] == speaker


async def test_mixed_faults_lose_and_duplicate_nothing(fake_server, tmp_path):
    fake_server.responder = attribution_responder()
    fake_server.inventor = attribution_inventor
    fake_server.faults = Faults(
        rate_429=0.06,
        rate_429_bare=0.06,
        rate_500=0.06,
        rate_503=0.06,
        rate_hang=0.06,
        rate_truncated=0.08,
        rate_invented=0.08,
        retry_after="0",
        hang_seconds=1.0,
    )
    fake_server.reseed(7)
    articles, speakers = make_articles(36)
    out = tmp_path / "out.jsonl"
    summary = await run_batch(articles, out, llm_for(fake_server, timeout=0.4), jobs=8)

    records, errors = read_jsonl(out), read_jsonl(runner.errors_path(out))
    done = [r["id"] for r in records]
    failed = [e["id"] for e in errors]
    assert len(done) == len(set(done)) and len(failed) == len(set(failed))
    assert sorted(done + failed) == sorted(speakers)  # every article exactly once
    assert (summary.ok, summary.failed) == (len(done), len(failed))
    assert summary.fatal is None
    for record in records:
        assert_correct(record, speakers[record["id"]])
    for error in errors:
        assert error["message"] and error["error"]
    # every kind of fault was actually served
    for kind in ("429", "429_bare", "500", "503", "hang", "truncated", "invented"):
        assert fake_server.outcomes[kind] > 0, (kind, fake_server.outcomes)

    # faults off: --retry-failed completes the batch, and it matches a clean run
    fake_server.faults = Faults()
    retry = await run_batch(articles, out, llm_for(fake_server), jobs=8, retry_failed=True)
    assert (retry.ok, retry.failed) == (len(failed), 0)
    clean_out = tmp_path / "clean.jsonl"
    clean = await run_batch(articles, clean_out, llm_for(fake_server), jobs=8)
    assert clean.ok == len(articles)
    union = {r["id"]: comparable(r) for r in read_jsonl(out)}
    assert len(read_jsonl(out)) == len(articles)
    expected = {r["id"]: comparable(r) for r in read_jsonl(clean_out)}
    # records that survived an invented answer may have a dropped speaker; the rest must match
    for art_id, record in union.items():
        if record["report"]["quotes"][0]["speaker_mention"] is not None:
            assert record == expected[art_id]
    assert not runner.errors_path(out).exists()


async def test_truncated_answers_become_invalid_output_errors(fake_server, tmp_path):
    fake_server.responder = attribution_responder()
    fake_server.faults = Faults(rate_truncated=1.0)
    articles, _ = make_articles(3)
    out = tmp_path / "out.jsonl"
    summary = await run_batch(articles, out, llm_for(fake_server, attempts=2), jobs=3)
    assert (summary.ok, summary.failed) == (0, 3)
    errors = read_jsonl(runner.errors_path(out))
    assert {e["error"] for e in errors} == {"InvalidOutput"}
    assert all(e["attempts"] == 2 and e["last_completion"] for e in errors)
    assert fake_server.outcomes["truncated"] == 6  # 2 validation attempts per article
    assert summary.usage.calls == 6  # tokens of failed calls are still counted


async def test_hangs_past_timeout_are_recorded_per_article(fake_server, tmp_path):
    fake_server.responder = attribution_responder()
    fake_server.faults = Faults(rate_hang=1.0, hang_seconds=2.0)
    articles, _ = make_articles(2)
    out = tmp_path / "out.jsonl"
    llm = llm_for(fake_server, timeout=0.2, transport_retries=1)
    summary = await run_batch(articles, out, llm, jobs=2)
    assert (summary.ok, summary.failed, summary.fatal) == (0, 2, None)
    errors = read_jsonl(runner.errors_path(out))
    assert all("did not answer" in e["message"] for e in errors)
    assert fake_server.outcomes["hang"] == 4  # first try + one retry each


async def test_retry_after_is_honoured(fake_server, tmp_path):
    correct = attribution_responder()
    calls = {"n": 0}

    def first_429(request):
        calls["n"] += 1
        if calls["n"] == 1:  # one 429 asking for 2 s; without it the backoff is <= 1.5 s
            return 429, {"Retry-After": "2"}, {"error": {"message": "slow", "type": "x"}}
        return correct(request)

    fake_server.responder = first_429
    articles, speakers = make_articles(1)
    out = tmp_path / "out.jsonl"
    summary = await run_batch(articles, out, llm_for(fake_server, max_backoff=10.0))
    assert summary.ok == 1
    gap = fake_server.times[1] - fake_server.times[0]
    assert gap >= 1.9  # a lower bound only: the client waited as long as it was told
    assert_correct(read_jsonl(out)[0], speakers["art-000"])


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda s: setattr(s, "api_key", "sk-other"), "API key"),
        (lambda s: setattr(s, "models", ("another-model",)), "not found"),
    ],
    ids=["401", "404-model"],
)
async def test_auth_and_model_errors_stop_the_batch_at_once(fake_server, tmp_path, setup, message):
    fake_server.responder = attribution_responder()
    setup(fake_server)
    articles, _ = make_articles(30)
    out = tmp_path / "out.jsonl"
    summary = await run_batch(articles, out, llm_for(fake_server), jobs=4)
    assert summary.fatal and message in summary.fatal
    assert summary.exit_code == 1 and summary.ok == 0 and summary.failed == 0
    assert len(fake_server.requests) <= 4  # the in-flight ones, not one per article
    assert not out.exists() or read_jsonl(out) == []
    assert not runner.errors_path(out).exists()


async def test_unreachable_endpoint_stops_the_batch(tmp_path):
    import socket

    with socket.socket() as sock:  # a port with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    llm = LLM(
        LLMConfig(
            base_url=f"http://127.0.0.1:{port}/v1",
            api_key=FAKE_KEY,
            model=FAKE_MODEL,
            transport_retries=1,
            max_backoff=0.01,
        )
    )
    articles, _ = make_articles(10)
    summary = await run_batch(articles, tmp_path / "o.jsonl", llm, jobs=2)
    assert summary.fatal and "cannot reach" in summary.fatal
    assert summary.failed == 0


# -- kill a running CLI batch and resume it -------------------------------------------------
_DRIVER = (
    "import typer; from quotecheck.cli.batch import batch; "
    "from quotecheck.cli.cache import cache_app; app = typer.Typer(); "
    "app.command()(batch); app.add_typer(cache_app, name='cache'); app()"
)


def _cli() -> list[str]:
    """``python -m quotecheck``; before the package has a ``__main__``, the same commands
    mounted the way cli.py mounts them."""
    if importlib.util.find_spec("quotecheck.__main__") is not None:
        return [sys.executable, "-m", "quotecheck"]
    return [sys.executable, "-c", _DRIVER]


def test_sigkill_midway_then_resume_equals_clean_run(fake_server, tmp_path):
    fake_server.responder = attribution_responder()
    fake_server.latency = 0.05
    articles, speakers = make_articles(40)
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in articles))
    env = {**os.environ, **fake_env(fake_server), "QUOTECHECK_CACHE": str(tmp_path / "c")}
    out, clean = tmp_path / "out.jsonl", tmp_path / "clean.jsonl"

    def cmd(target: Path) -> list[str]:
        return [*_cli(), "batch", str(data), "-o", str(target), "-j", "2", "--no-progress"]

    proc = subprocess.Popen(cmd(out), env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 8:
            break
        time.sleep(0.02)
    assert proc.poll() is None, proc.stderr.read().decode()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    partial = out.read_bytes()
    killed_at = partial.count(b"\n")
    assert 8 <= killed_at < len(articles)

    resumed = subprocess.run(cmd(out), env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{killed_at} already done" in resumed.stderr
    fresh = subprocess.run(cmd(clean), env=env, capture_output=True, text=True, timeout=300)
    assert fresh.returncode == 0, fresh.stderr

    union, expected = read_jsonl(out), read_jsonl(clean)
    ids = [r["id"] for r in union]
    assert len(ids) == len(set(ids)) == len(articles)  # no loss, no duplicate
    assert {r["id"]: comparable(r) for r in union} == {r["id"]: comparable(r) for r in expected}
    for record in union:
        assert_correct(record, speakers[record["id"]])


def test_sigint_stops_cleanly_and_resumes(fake_server, tmp_path):
    fake_server.responder = attribution_responder()
    fake_server.latency = 0.05
    articles, _ = make_articles(30)
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in articles))
    env = {**os.environ, **fake_env(fake_server), "QUOTECHECK_CACHE": str(tmp_path / "c")}
    out = tmp_path / "out.jsonl"
    args = [*_cli(), "batch", str(data), "-o", str(out), "-j", "2", "--no-progress"]
    proc = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 5:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert "interrupted" in err.decode() and "Traceback" not in err.decode()
    assert out.read_bytes().endswith(b"\n")
    again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    ids = [r["id"] for r in read_jsonl(out)]
    assert sorted(ids) == sorted(a.id for a in articles)


# -- the response cache through the whole pipeline ------------------------------------------
async def test_cached_rerun_costs_nothing_and_prompt_change_misses(
    fake_server, tmp_path, monkeypatch
):
    fake_server.responder = attribution_responder()
    articles, _ = make_articles(6)
    cache = tmp_path / "cache"
    cache.mkdir()
    priced = PriceTable(prices={FAKE_MODEL: (1.0, 2.0)})
    first = await run_batch(
        articles,
        tmp_path / "a.jsonl",
        llm_for(fake_server, use_cache=True, cache_path=cache),
        prices=priced,
    )
    assert (first.ok, first.usage.calls, first.usage.cached_calls) == (6, 6, 0)
    served = len(fake_server.requests)

    again = await run_batch(
        articles,
        tmp_path / "b.jsonl",
        llm_for(fake_server, use_cache=True, cache_path=cache),
        prices=priced,
    )
    assert (again.ok, again.usage.calls, again.usage.cached_calls) == (6, 0, 6)
    assert len(fake_server.requests) == served  # not one request reached the server
    assert (again.usage.prompt_tokens, again.usage.completion_tokens) == (0, 0)
    assert first.cost > 0 and again.cost == 0.0  # priced per token, and no token was paid
    a = {r["id"]: comparable(r) for r in read_jsonl(tmp_path / "a.jsonl")}
    b = {r["id"]: comparable(r) for r in read_jsonl(tmp_path / "b.jsonl")}
    assert a == b

    import quotecheck.quotes.decide as quotes

    real_render = quotes.render

    def edited(name, **kw):  # as if the system prompt had been edited
        text, sha = real_render(name, **kw)
        return (text + "\nBe brief.", "edited00000") if name == "attribute_system" else (text, sha)

    monkeypatch.setattr(quotes, "render", edited)
    edited_run = await run_batch(
        articles,
        tmp_path / "c.jsonl",
        llm_for(fake_server, use_cache=True, cache_path=cache),
        prices=priced,
    )
    assert (edited_run.usage.calls, edited_run.usage.cached_calls) == (6, 0)

    monkeypatch.setattr(quotes, "render", real_render)
    off = await run_batch(articles, tmp_path / "d.jsonl", llm_for(fake_server, use_cache=False))
    assert (off.usage.calls, off.usage.cached_calls) == (6, 0)  # --no-cache reads nothing
