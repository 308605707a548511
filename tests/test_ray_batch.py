"""``quotecheck batch --engine ray`` on a real Ray instance (a ``ray start --head`` child on
127.0.0.1, started and stopped here) against the fake OpenAI server.

What must hold, whatever Ray does: the same records as the local runner; every article
exactly once after a driver SIGKILL and a resume, or after a worker is killed; an article that
keeps killing its worker fails once; fatal errors stop the run; each endpoint gets at most
``-j`` articles at once. The articles are short texts written for these tests.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest_fakeserver import FAKE_KEY, FAKE_MODEL, fake_env
from fakeserver import FakeOpenAIServer, Faults, attribution_responder
from quotecheck import batch as runner
from quotecheck.llm import LLMConfig
from raycluster import RAY_TEST_ENV, RayHead, ray_processes
from test_fault_batch import _cli, assert_correct, comparable, make_articles, read_jsonl

pytestmark = [
    pytest.mark.ray,
    pytest.mark.skipif(
        importlib.util.find_spec("ray") is None,
        reason="needs the ray extra: pip install -e '.[ray]'",
    ),
]

N = 200


@pytest.fixture(scope="module")
def ray_env():
    with pytest.MonkeyPatch.context() as mp:
        for key, value in RAY_TEST_ENV.items():
            mp.setenv(key, value)
        yield


@pytest.fixture(scope="module")
def head(ray_env):
    cluster = RayHead(num_cpus=2).start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def driver(head):
    """This process attached to the head, as a driver (the engine reuses the connection)."""
    import logging

    import ray

    ray.init(address=head.address, logging_level=logging.WARNING, log_to_driver=False)
    try:
        yield ray
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def server():
    fake = FakeOpenAIServer(attribution_responder(), latency=0.02, keep_requests=False).start()
    try:
        yield fake
    finally:
        fake.stop()


def config_for(server: FakeOpenAIServer, **overrides) -> LLMConfig:
    settings = dict(
        base_url=server.base_url,
        api_key=FAKE_KEY,
        model=FAKE_MODEL,
        timeout=10.0,
        attempts=3,
        transport_retries=4,
        max_backoff=0.05,
    )
    settings.update(overrides)
    return LLMConfig(**settings)


def ray_run(articles, out: Path, configs, *, jobs=8, factory=None, **opts):
    engine = runner.RayEngine(
        configs, jobs=jobs, options=runner.RayOptions(**opts), factory=factory
    )
    options = runner.BatchOptions(out=out, jobs=jobs, handle_signals=False)
    return asyncio.run(runner.run_engine(articles, engine, options)), engine


@pytest.fixture(scope="module")
def local_records(server, tmp_path_factory):
    """The local runner's output for the N articles: what every Ray run must reproduce."""
    articles, _ = make_articles(N)
    out = tmp_path_factory.mktemp("local") / "local.jsonl"
    llm = runner.build_llm(config_for(server), use_cache=False)

    async def go():
        try:
            options = runner.BatchOptions(out=out, jobs=8, handle_signals=False)
            return await runner.run_batch(articles, runner.make_processor(llm), options)
        finally:
            await runner.close_llm(llm)

    summary = asyncio.run(go())
    assert summary.ok == N
    return {r["id"]: comparable(r) for r in read_jsonl(out)}


def test_ray_gives_the_local_runners_records(driver, server, local_records, tmp_path):
    articles, speakers = make_articles(N)
    out = tmp_path / "ray.jsonl"
    summary, engine = ray_run(articles, out, [config_for(server)], jobs=8)
    assert (summary.ok, summary.failed, summary.fatal) == (N, 0, None)
    records = read_jsonl(out)
    assert len(records) == N
    assert {r["id"]: comparable(r) for r in records} == local_records
    for record in records:
        assert_correct(record, speakers[record["id"]])
    assert summary.usage.calls >= N and summary.endpoint_kind == "openai-compatible"
    assert engine.stats.workers == 2  # the head's 2 CPUs, one per worker
    assert any(line.startswith("engine: ray, 2 workers") for line in summary.lines())
    again, _ = ray_run(articles, out, [config_for(server)])  # resume: nothing left to do
    assert (again.ok, again.skipped, again.usage.calls) == (0, N, 0)


def test_killed_worker_loses_nothing(head, driver, server, local_records, tmp_path):
    articles, _ = make_articles(N)
    out = tmp_path / "ray.jsonl"
    killed: list[int] = []
    seen_midway: list[int] = []

    def kill_one_worker() -> None:  # once results are streaming in, kill one actor process
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            lines = out.read_bytes().count(b"\n") if out.exists() else 0
            if lines >= 40:
                seen_midway.append(lines)
                pids = ray_processes("ray::ArticleWorker", str(head.temp_dir))  # ours only
                if pids:
                    os.kill(pids[0], signal.SIGKILL)
                    killed.append(pids[0])
                    return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_one_worker)
    killer.start()
    summary, engine = ray_run(articles, out, [config_for(server)], jobs=8)
    killer.join()
    assert killed, "no worker process was found to kill"
    assert seen_midway[0] < N  # results reached the journal while the run was going
    assert engine.stats.deaths >= 1 and engine.stats.retried
    assert (summary.ok, summary.failed) == (N, 0)
    records = read_jsonl(out)
    assert sorted(r["id"] for r in records) == sorted(local_records)  # once each
    assert {r["id"]: comparable(r) for r in records} == local_records


def poison_factory(poison: str):
    """A worker whose processor crashes its whole process on one article."""

    def factory(llm, evidence):
        process = runner.make_processor(llm, evidence)

        async def crashing(article, text):
            if article.id == poison:
                os._exit(3)  # as a segfault in a native library would
            return await process(article, text)

        return crashing

    return factory


def test_poison_article_fails_once_and_spares_the_rest(driver, server, tmp_path):
    articles, speakers = make_articles(24)
    poison = articles[5].id
    out = tmp_path / "ray.jsonl"
    summary, engine = ray_run(
        articles, out, [config_for(server)], jobs=4, factory=poison_factory(poison), max_tries=2
    )
    assert (summary.ok, summary.failed, summary.fatal) == (23, 1, None)
    (error,) = read_jsonl(runner.errors_path(out))
    assert (error["id"], error["error"], error["tries"]) == (poison, "WorkerDied", 2)
    done = [r["id"] for r in read_jsonl(out)]
    assert sorted(done) == sorted(a.id for a in articles if a.id != poison)
    assert engine.stats.deaths == 2  # it ran alone the second time: nothing else was lost


def test_fatal_error_stops_the_ray_run(driver, server, tmp_path):
    articles, _ = make_articles(40)
    out = tmp_path / "ray.jsonl"
    before = server.outcomes["401"]
    summary, _ = ray_run(articles, out, [config_for(server, api_key="sk-wrong")], jobs=2)
    assert summary.fatal and "API key" in summary.fatal
    assert server.outcomes["401"] - before <= 4  # the ones in flight, not one per article
    assert summary.exit_code == 1 and (summary.ok, summary.failed) == (0, 0)
    assert not runner.errors_path(out).exists()  # not blamed on the articles


def test_workers_spread_over_endpoints_within_their_limit(driver, tmp_path):
    correct = attribution_responder()

    def limited(stats: dict):
        lock = threading.Lock()

        def respond(request):
            with lock:
                stats["now"] += 1
                stats["max"] = max(stats["max"], stats["now"])
                stats["calls"] += 1
            time.sleep(0.03)
            with lock:
                stats["now"] -= 1
            return correct(request)

        return respond

    stats = [{"now": 0, "max": 0, "calls": 0} for _ in range(2)]
    faults = Faults(rate_429=0.15, retry_after="0.05")  # workers honour Retry-After too
    servers = [FakeOpenAIServer(limited(s), faults=faults).start() for s in stats]
    try:
        articles, _ = make_articles(60)
        configs = [config_for(s) for s in servers]
        summary, engine = ray_run(articles, tmp_path / "o.jsonl", configs, jobs=3, workers=2)
    finally:
        for s in servers:
            s.stop()
    assert summary.ok == 60 and engine.stats.workers == 2
    for s in stats:
        assert s["calls"] > 0 and 1 <= s["max"] <= 3  # every endpoint used, none over -j
    assert sum(s.outcomes["429"] for s in servers) > 0 and summary.failed == 0


# -- the CLI as a user runs it ----------------------------------------------------------------
def _write_inputs(path: Path, n: int) -> list:
    articles, _ = make_articles(n)
    path.write_text("".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in articles))
    return articles


def test_cli_driver_sigkill_then_resume_through_ray_client(head, server, tmp_path):
    data, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    articles = _write_inputs(data, 60)
    env = {**os.environ, **fake_env(server), "QUOTECHECK_CACHE": str(tmp_path / "c")}

    def cmd(address: str) -> list[str]:
        return [*_cli(), "batch", str(data), "-o", str(out), "-j", "4", "--no-progress",
                "--engine", "ray", "--address", address]  # fmt: skip

    proc = subprocess.Popen(cmd(head.address), env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 8:
            break
        time.sleep(0.01)
    assert proc.poll() is None, proc.stderr.read().decode()
    proc.send_signal(signal.SIGKILL)  # the driver, at an arbitrary moment
    proc.wait()
    proc.stderr.close()
    killed_at = out.read_bytes().count(b"\n")
    assert 8 <= killed_at < len(articles)

    resumed = subprocess.run(
        cmd(head.client_address), env=env, capture_output=True, text=True, timeout=300
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{killed_at} already done" in resumed.stderr or "repaired" in resumed.stderr
    assert "engine: ray" in resumed.stderr and "Traceback" not in resumed.stderr
    ids = [r["id"] for r in read_jsonl(out)]
    assert sorted(ids) == sorted(a.id for a in articles)  # every article exactly once


def test_cli_private_instance(ray_env, server, tmp_path):
    """No --address: the CLI starts (and stops) a Ray instance of its own on loopback."""
    data, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    articles = _write_inputs(data, 10)
    env = {**os.environ, **fake_env(server), "QUOTECHECK_CACHE": str(tmp_path / "c")}
    env.pop("RAY_ADDRESS", None)
    args = [*_cli(), "batch", str(data), "-o", str(out), "--engine", "ray", "--no-progress"]
    res = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "10 ok, 0 failed" in res.stderr and "engine: ray" in res.stderr
    assert sorted(r["id"] for r in read_jsonl(out)) == sorted(a.id for a in articles)


def test_evidence_reaches_the_workers(driver, tmp_path):
    """``--evidence``: indexed once on the driver, shipped to the workers through Ray's object
    store, and the records equal the local runner's."""
    from fakeserver import json_responder
    from test_batch_evidence import route

    src = tmp_path / "sources"
    src.mkdir()
    (src / "minutes.txt").write_text("The council met on Tuesday. The library budget grew.")
    evidence = runner.load_evidence([src])
    articles, _ = make_articles(6)
    fake = FakeOpenAIServer(json_responder(route)).start()
    try:
        config = config_for(fake)
        engine = runner.RayEngine([config], jobs=4, evidence=evidence)
        out_ray, out_local = tmp_path / "ray.jsonl", tmp_path / "local.jsonl"
        opts = runner.BatchOptions(out=out_ray, handle_signals=False)
        ray_summary = asyncio.run(runner.run_engine(articles, engine, opts))
        llm = runner.build_llm(config, use_cache=False)
        process = runner.make_processor(llm, evidence)
        opts = runner.BatchOptions(out=out_local, handle_signals=False)
        local_summary = asyncio.run(runner.run_batch(articles, process, opts))
    finally:
        fake.stop()
    assert ray_summary.ok == local_summary.ok == 6

    def comparable_with_factcheck(record):
        factcheck = dict(record["factcheck"])
        factcheck.pop("run", None)
        return {**comparable(record), "factcheck": factcheck}

    ray_records = {r["id"]: comparable_with_factcheck(r) for r in read_jsonl(out_ray)}
    local = {r["id"]: comparable_with_factcheck(r) for r in read_jsonl(out_local)}
    assert ray_records == local and all("factcheck" in r for r in ray_records.values())


def test_cli_unreachable_cluster_is_one_line(ray_env, server, tmp_path):
    from raycluster import free_port

    data, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_inputs(data, 3)
    env = {**os.environ, **fake_env(server)}
    address = f"127.0.0.1:{free_port()}"  # nobody listens there
    args = [*_cli(), "batch", str(data), "-o", str(out), "--engine", "ray", "--address", address]
    res = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip().splitlines() == [
        f"error: cannot reach the Ray cluster at {address} (Connection refused); "
        "is `ray start --head` running there?"
    ]


def test_cli_sigint_stops_cleanly_and_resumes(head, tmp_path):
    slow = FakeOpenAIServer(attribution_responder(), latency=0.1).start()
    try:
        data, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
        articles = _write_inputs(data, 40)
        env = {**os.environ, **fake_env(slow), "QUOTECHECK_CACHE": str(tmp_path / "c")}
        args = [*_cli(), "batch", str(data), "-o", str(out), "-j", "2", "--no-progress",
                "--engine", "ray", "--address", head.address]  # fmt: skip
        proc = subprocess.Popen(args, env=env, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if out.exists() and out.read_bytes().count(b"\n") >= 5:
                break
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err.decode()
        assert "interrupted" in err.decode() and "Traceback" not in err.decode()
        assert out.read_bytes().endswith(b"\n")
        again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
    finally:
        slow.stop()
    ids = [r["id"] for r in read_jsonl(out)]
    assert sorted(ids) == sorted(a.id for a in articles)
