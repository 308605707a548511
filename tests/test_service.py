"""``quotecheck serve`` over real HTTP: a server subprocess on 127.0.0.1 (a free port) in front
of the fake OpenAI server (answers computed from each request). Every route, the token rule,
body limit, full queue, timeout, bad bodies, metrics, and jobs that survive a SIGKILL.

The articles are short texts written for these tests.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat
import subprocess
import sys
import time

import httpx
import pytest

from conftest_fakeserver import FAKE_KEY, FAKE_MODEL
from fakeserver import FakeOpenAIServer, attribution_answer, json_responder
from serve_process import TOKEN, Served, free_port, model_env
from test_fault_batch import assert_correct, make_articles

pytest.importorskip("fastapi", reason="the service needs pip install -e '.[service]'")
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = (
    "Harbour crane arrives\n\n"
    "The new crane, bought in 2022, lifted 40 tonnes on Monday.\n\n"
    "\u201cWe will finish the pier by June,\u201d said Mayor Ana Lima.\n"
)
NOTE = "Port notes. The harbour crane was bought in 2022. It lifted 40 tonnes on Monday."


def answer(request: dict) -> dict:
    """A correct-enough answer for every prompt the service sends, by its schema's name."""
    name = ((request.get("response_format") or {}).get("json_schema") or {}).get("name")
    if name == "_Selection":
        return {"checkworthy": [1]}
    if name == "_Facts":
        return {"facts": ["The new crane was bought in 2022."]}
    if name == "_VerifyAnswer":
        return {"same_topic": True, "label": "supported", "evidence": [1], "rationale": "Notes."}
    if name == "_MeaningAnswer":
        return {"changed": True, "reason": "The month differs."}
    return attribution_answer(request)


def _fake(**kw) -> FakeOpenAIServer:  # type: ignore[no-untyped-def]
    return FakeOpenAIServer(json_responder(answer), models=(FAKE_MODEL,), api_key=FAKE_KEY, **kw)


@pytest.fixture(scope="module")
def fake():  # type: ignore[no-untyped-def]
    with _fake() as server:
        yield server


@pytest.fixture(scope="module")
def served(fake, tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("serve")
    env = {
        **model_env(fake, FAKE_MODEL),
        "QUOTECHECK_API_TOKENS": f"{TOKEN},second-token-0123456789",
    }
    with Served(env, root / "jobs", "--max-body", "200000") as server:
        yield server


def post(served: Served, route: str, body: object, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
    headers = kw.pop("headers", AUTH)
    return httpx.post(served.url + route, json=body, headers=headers, timeout=60, **kw)


def test_health_readiness_editor_and_spec(served):  # type: ignore[no-untyped-def]
    assert httpx.get(served.url + "/healthz").json() == {"status": "ok"}
    ready = httpx.get(served.url + "/readyz").json()
    assert ready["ready"] is True and ready["model"] == FAKE_MODEL
    page = httpx.get(served.url + "/")
    assert page.status_code == 200 and 'id="article"' in page.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    spec = httpx.get(served.url + "/openapi.json").json()
    assert {"/v1/quotes", "/v1/check", "/v1/jobs", "/v1/jobs/{job_id}"} <= set(spec["paths"])
    schemas = spec["components"]["schemas"]
    assert {"QuoteRequest", "QuoteResponse", "CheckResponse", "Quote", "Problem"} <= set(schemas)
    assert "bearer" in spec["components"]["securitySchemes"]
    for code in ("401", "413", "422", "429"):
        assert code in spec["paths"]["/v1/quotes"]["post"]["responses"]


def test_quotes_json_html_and_html_input(served):  # type: ignore[no-untyped-def]
    res = post(served, "/v1/quotes", {"text": ARTICLE, "article_id": "crane"})
    assert res.status_code == 200, res.text
    report = res.json()
    (quote,) = report["quotes"]
    assert quote["speaker_name"] == "Mayor Ana Lima" and report["article_id"] == "crane"
    frag = quote["fragments"][0]
    assert ARTICLE[frag["start"] : frag["end"]] == frag["text"] and report["article_text"] is None
    page = post(served, "/v1/quotes?format=html", {"text": ARTICLE})
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert 'data-speaker="Mayor Ana Lima"' in page.text
    html = (
        "<html><body><h1>Crane</h1>"
        "<p>“We will finish the pier by June,” said Mayor Ana Lima.</p></body></html>"
    )
    res = post(served, "/v1/quotes", {"html": html})
    body = res.json()
    assert res.status_code == 200 and body["article_text"] and "<p>" not in body["article_text"]
    frag = body["quotes"][0]["fragments"][0]
    assert body["article_text"][frag["start"] : frag["end"]] == frag["text"]
    assert any("HTML" in w for w in body["warnings"])


def test_check_with_evidence_and_transcripts(served):  # type: ignore[no-untyped-def]
    body = {
        "text": ARTICLE,
        "evidence": [{"id": "notes", "text": NOTE}],
        "transcripts": [{"id": "briefing", "text": "ANA LIMA: We will finish the pier by July.\n"}],
    }
    res = post(served, "/v1/check", body)
    assert res.status_code == 200, res.text
    report = res.json()
    assert report["claims"] and report["sources"] == ["notes"]
    for check in report["claims"]:
        for cite in check["verdict"]["citations"]:
            assert NOTE[cite["start"] : cite["end"]] == cite["text"]
    (fidelity,) = report["quotes"]
    assert fidelity["status"] == "altered" and fidelity["meaning_changed"] is True
    assert report["quote_report"]["quotes"][0]["speaker_name"] == "Mayor Ana Lima"
    page = post(served, "/v1/check?format=html", body)
    assert page.status_code == 200 and "b-supported" in page.text and "briefing" in page.text
    res = post(served, "/v1/check", {"text": ARTICLE})
    assert res.status_code == 422 and "evidence" in res.json()["detail"]
    bad = {**body, "transcripts": [{"id": "t", "text": "no speaker lines here"}]}
    res = post(served, "/v1/check", bad)
    assert res.status_code == 422 and "SPEAKER" in res.json()["detail"]


@pytest.mark.parametrize(
    ("method", "route"),
    [("POST", "/v1/quotes"), ("POST", "/v1/check"), ("POST", "/v1/jobs"), ("GET", "/v1/jobs"),
     ("GET", "/v1/jobs/" + "0" * 32), ("GET", "/v1/jobs/" + "0" * 32 + "/results"),
     ("DELETE", "/v1/jobs/" + "0" * 32), ("GET", "/v1/nothing")],
)  # fmt: skip
def test_every_v1_route_needs_the_token(served, method, route):  # type: ignore[no-untyped-def]
    for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"},
                    {"Authorization": f"Basic {TOKEN}"}, {"Authorization": "Bearer"}):  # fmt: skip
        res = httpx.request(method, served.url + route, headers=headers, json={"text": "x"})
        assert res.status_code == 401, (headers, res.text)
        assert res.headers["www-authenticate"].startswith("Bearer")
        assert "token" in res.json()["detail"]
    second = {"Authorization": "Bearer second-token-0123456789"}
    assert httpx.get(served.url + "/v1/jobs", headers=second).status_code == 200


def test_oversized_body_is_413_and_the_server_goes_on(served):  # type: ignore[no-untyped-def]
    big = {"text": "word " * 60_000}  # 300 kB over the 200 kB limit
    res = post(served, "/v1/quotes", big)
    assert res.status_code == 413 and "200,000-byte limit" in res.json()["detail"]
    chunks = (b'{"text": "' + b"a" * 1000 for _ in range(300))  # no Content-Length: chunked
    res = httpx.post(
        served.url + "/v1/quotes",
        content=chunks,
        headers={**AUTH, "content-type": "application/json"},
    )
    assert res.status_code == 413
    assert post(served, "/v1/quotes", {"text": ARTICLE}).status_code == 200


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"{not json", "not valid JSON"), (b"", "not valid JSON"), (b"[]", "body"),
     (b'{"text": 5}', "text"), (b'{}', "exactly one"),
     (b'{"text": "a", "html": "b"}', "exactly one"),
     (b'{"text": "a\\u0000b"}', "binary"), (b'{"text": "\\ud800"}', "Unicode"),
     (b'{"text": "a", "surprise": 1}', "surprise"), (b'{"text": "   "}', "empty")],
)  # fmt: skip
def test_bad_bodies_are_422_with_a_clear_message(served, content, needle):  # type: ignore[no-untyped-def]
    res = httpx.post(
        served.url + "/v1/quotes",
        content=content,
        headers={**AUTH, "content-type": "application/json"},
    )
    assert res.status_code == 422, res.text
    assert needle.lower() in json.dumps(res.json()).lower(), res.json()


def test_tokens_and_bodies_never_reach_the_log(served):  # type: ignore[no-untyped-def]
    post(served, "/v1/quotes", {"text": ARTICLE + " secret-phrase-in-body"})
    httpx.get(served.url + "/v1/jobs", headers={"Authorization": "Bearer wrong-token-0123456789"})
    log = served.log
    assert "POST /v1/quotes" in log  # the access log is on
    assert TOKEN not in log and "wrong-token" not in log and "secret-phrase" not in log


def test_metrics(served):  # type: ignore[no-untyped-def]
    post(served, "/v1/quotes", {"text": ARTICLE})
    httpx.get(served.url + "/v1/jobs")
    text = httpx.get(served.url + "/metrics").text
    assert 'quotecheck_http_requests_total{method="POST",route="/v1/quotes",status="200"}' in text
    assert 'route="unauthorized",status="401"' in text
    assert 'quotecheck_http_request_duration_seconds_bucket{le="0.1",route="/v1/quotes"}' in text
    prompt = [
        line
        for line in text.splitlines()
        if line.startswith('quotecheck_model_tokens_total{kind="prompt"}')
    ]
    assert prompt and float(prompt[0].split()[-1]) > 0
    assert 'quotecheck_queue_depth{kind="request"} 0.0' in text
    assert 'quotecheck_rejected_requests_total{reason="unauthorized"}' in text
    assert "quotecheck_jobs{" in text


def test_jobs_routes_and_a_failing_article(served):  # type: ignore[no-untyped-def]
    articles = [
        {"id": "a1", "text": ARTICLE, "site_name": "Harbour Post", "date": "2024-05-02"},
        {"id": "a2", "text": "bad \u0000 bytes " * 3},
        {
            "html": "<p>“We will open the market in spring,” said Mayor Ana Lima.</p>",
            "publisher": "Bay News",
        },
    ]
    res = post(served, "/v1/jobs", {"articles": articles})
    assert res.status_code == 202, res.text
    job = res.json()
    assert res.headers["location"] == f"/v1/jobs/{job['id']}" and job["total"] == 3
    for _ in range(300):
        status = httpx.get(served.url + res.headers["location"], headers=AUTH).json()
        if status["status"] == "done":
            break
        time.sleep(0.05)
    assert status["status"] == "done" and (status["done"], status["failed"]) == (2, 1), status
    lines = httpx.get(served.url + status["results"], headers=AUTH)
    assert lines.headers["content-type"].startswith("application/x-ndjson")
    records = {r["id"]: r for r in map(json.loads, lines.text.splitlines())}
    assert set(records) == {"a1", "a2", "3"}
    meta = records["a1"]["report"]["article"]
    assert (meta["site_name"], meta["published"]) == ("Harbour Post", "2024-05-02")
    assert records["a2"]["error"] == "BadInput" and "report" not in records["a2"]
    assert records["3"]["report"]["quotes"][0]["speaker_name"] == "Mayor Ana Lima"
    board = httpx.get(served.url + f"/v1/jobs/{job['id']}/dashboard", headers=AUTH)
    assert board.status_code == 200 and "Harbour Post" in board.text and "<svg" in board.text
    listed = httpx.get(served.url + "/v1/jobs", headers=AUTH).json()
    assert job["id"] in [j["id"] for j in listed]
    gone = httpx.delete(served.url + f"/v1/jobs/{job['id']}", headers=AUTH)
    assert gone.status_code == 204
    assert httpx.get(served.url + f"/v1/jobs/{job['id']}", headers=AUTH).status_code == 404
    assert httpx.get(served.url + "/v1/jobs/../../etc", headers=AUTH).status_code in (404, 422)
    assert httpx.get(served.url + "/v1/jobs/XYZ", headers=AUTH).status_code == 422
    dup = post(
        served, "/v1/jobs", {"articles": [{"id": "x", "text": "a"}, {"id": "x", "text": "b"}]}
    )
    assert dup.status_code == 422 and "unique" in dup.json()["detail"]


def _serve_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("QUOTECHECK_API")}
    return subprocess.run(
        [sys.executable, "-m", "quotecheck", "serve", *args],
        env={**clean, **(env or {})}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_refuses_to_listen_beyond_loopback_without_a_token(tmp_path):  # type: ignore[no-untyped-def]
    done = _serve_cli("--host", "0.0.0.0", "--port", str(free_port()))
    assert (
        done.returncode == 2 and "refusing to listen on 0.0.0.0 without an API token" in done.stderr
    )
    assert "Traceback" not in done.stderr
    done = _serve_cli("--host", "0.0.0.0", env={"QUOTECHECK_API_TOKENS": "short"})
    assert done.returncode == 2 and "shorter than 16" in done.stderr
    tokens = tmp_path / "tokens"
    tokens.write_text(f"# ours\n{TOKEN}\n")
    tokens.chmod(0o644)
    done = _serve_cli("--host", "0.0.0.0", "--token-file", str(tokens))
    assert done.returncode == 2 and "chmod 600" in done.stderr and TOKEN not in done.stderr


def test_token_file_is_read(fake, tmp_path):  # type: ignore[no-untyped-def]
    tokens = tmp_path / "tokens"
    tokens.write_text(f"# the newsroom CMS\n{TOKEN}\n\n")
    tokens.chmod(stat.S_IRUSR | stat.S_IWUSR)
    with Served(model_env(fake, FAKE_MODEL), tmp_path / "jobs", "--token-file", str(tokens)) as s:
        assert httpx.get(s.url + "/v1/jobs").status_code == 401
        assert httpx.get(s.url + "/v1/jobs", headers=AUTH).status_code == 200


def test_full_queue_is_429_with_retry_after_never_a_hang(tmp_path):  # type: ignore[no-untyped-def]
    with (
        _fake(latency=1.0) as slow,
        Served(
            model_env(slow, FAKE_MODEL), tmp_path / "jobs", "--concurrency", "1", "--queue", "1"
        ) as s,
    ):

        async def run() -> None:
            async with httpx.AsyncClient(base_url=s.url, timeout=60) as client:
                first = asyncio.create_task(client.post("/v1/quotes", json={"text": ARTICLE}))
                while not slow.times:  # the first request holds the model
                    await asyncio.sleep(0.01)
                second = asyncio.create_task(client.post("/v1/quotes", json={"text": ARTICLE}))
                await asyncio.sleep(0.3)  # the second now waits in the queue
                third = await client.post("/v1/quotes", json={"text": ARTICLE})
                assert not first.done()  # refused while the model was still busy
                assert third.status_code == 429, third.text
                assert int(third.headers["retry-after"]) >= 1 and "busy" in third.json()["detail"]
                assert (await first).status_code == 200 and (await second).status_code == 200
                metrics = (await client.get("/metrics")).text
                assert 'quotecheck_rejected_requests_total{reason="queue_full"} 1.0' in metrics

        asyncio.run(run())


def test_request_timeout_is_504_and_the_next_request_is_served(tmp_path):  # type: ignore[no-untyped-def]
    with (
        _fake(latency=3.0) as slow,
        Served(
            model_env(slow, FAKE_MODEL, timeout=10), tmp_path / "jobs", "--request-timeout", "1"
        ) as s,
    ):
        res = httpx.post(s.url + "/v1/quotes", json={"text": ARTICLE}, timeout=30)
        assert res.status_code == 504 and "longer than 1 s" in res.json()["detail"]
        slow.latency = 0.0
        assert (
            httpx.post(s.url + "/v1/quotes", json={"text": ARTICLE}, timeout=30).status_code == 200
        )


def test_one_articles_failure_does_not_touch_another(tmp_path):  # type: ignore[no-untyped-def]
    def poisoned(request: dict):  # type: ignore[no-untyped-def]
        if "POISON" in json.dumps(request):
            return 500, {}, {"error": {"message": "boom", "type": "server_error"}}
        return json_responder(answer)(request)

    with FakeOpenAIServer(poisoned, models=(FAKE_MODEL,), api_key=FAKE_KEY) as fake_server:
        env = {
            **model_env(fake_server, FAKE_MODEL),
            "QUOTECHECK_TRANSPORT_RETRIES": "1",
            "QUOTECHECK_MAX_BACKOFF": "0.01",
        }
        with Served(env, tmp_path / "jobs", "--concurrency", "2") as s:

            async def run() -> tuple[httpx.Response, httpx.Response]:
                async with httpx.AsyncClient(base_url=s.url, timeout=60) as client:
                    bad = "“POISON pier,” said Mayor Ana Lima."
                    return await asyncio.gather(
                        client.post("/v1/quotes", json={"text": bad}),
                        client.post("/v1/quotes", json={"text": ARTICLE}),
                    )

            bad, good = asyncio.run(run())
            assert bad.status_code in (502, 503) and "Traceback" not in bad.text, bad.text
            assert (
                good.status_code == 200
                and good.json()["quotes"][0]["speaker_name"] == "Mayor Ana Lima"
            )
            assert "Traceback" not in s.log


def test_readyz_and_requests_when_the_endpoint_is_down(tmp_path):  # type: ignore[no-untyped-def]
    env = {"OPENAI_BASE_URL": f"http://127.0.0.1:{free_port()}/v1", "OPENAI_API_KEY": FAKE_KEY,
           "QUOTECHECK_MODEL": FAKE_MODEL, "QUOTECHECK_TRANSPORT_RETRIES": "1",
           "QUOTECHECK_MAX_BACKOFF": "0.01"}  # fmt: skip
    with Served(env, tmp_path / "jobs") as s:
        ready = httpx.get(s.url + "/readyz")
        assert ready.status_code == 503 and ready.json()["ready"] is False
        assert "reach" in ready.json()["reason"]
        assert httpx.get(s.url + "/healthz").status_code == 200
        res = httpx.post(s.url + "/v1/quotes", json={"text": ARTICLE}, timeout=30)
        assert res.status_code == 503 and res.headers["retry-after"]
        assert "unavailable" in res.json()["detail"]


def _results(s: Served, job_id: str) -> list[dict]:
    lines = httpx.get(f"{s.url}/v1/jobs/{job_id}/results", headers=AUTH, timeout=30).text
    return [json.loads(line) for line in lines.splitlines()]


def test_sigkill_mid_job_then_restart_resumes_every_article_exactly_once(tmp_path):  # type: ignore[no-untyped-def]
    articles, speakers = make_articles(40)
    body = {"articles": [{"id": a.id, "text": a.text, "site_name": "Town Crier"} for a in articles]}
    with _fake(latency=0.05) as slow:
        env = {**model_env(slow, FAKE_MODEL), "QUOTECHECK_API_TOKENS": TOKEN}
        jobs = tmp_path / "jobs"
        first = Served(env, jobs, "--job-workers", "2").start()
        job_id = post(first, "/v1/jobs", body).json()["id"]
        out = jobs / job_id / "out.jsonl"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (
            not out.exists() or out.read_bytes().count(b"\n") < 8
        ):
            time.sleep(0.02)
        first.kill()
        killed_at = out.read_bytes().count(b"\n")
        assert 8 <= killed_at < len(articles), killed_at
        second = Served(env, jobs, "--job-workers", "2", port=first.port).start()
        try:
            for _ in range(600):
                status = httpx.get(f"{second.url}/v1/jobs/{job_id}", headers=AUTH).json()
                if status["status"] == "done":
                    break
                time.sleep(0.05)
            assert status["status"] == "done" and status["done"] == len(articles), status
            records = _results(second, job_id)
        finally:
            second.stop()
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) == len(articles)  # none lost, none twice
    assert sorted(ids) == sorted(a.id for a in articles)
    assert out.read_bytes().count(b"\n") == len(articles)  # the journal itself holds each once
    for record in records:
        assert_correct(record, speakers[record["id"]])
        assert record["report"]["article"]["site_name"] == "Town Crier"
    assert "resuming 1 unfinished job" in second.log
