"""Fetching pages by URL against a real HTTP server on 127.0.0.1 that the tests start: the
limits (size, type, redirects, status, reachability, offline), each one clear ``BadInput``,
and the CLI reading URLs (``text``, ``extract``)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from conftest_fakeserver import FAKE_KEY, FAKE_MODEL
from fakeserver import FakeOpenAIServer, attribution_responder
from pageserver import PageServer, Route
from quotecheck.cli import app
from quotecheck.errors import BadInput
from quotecheck.ingest import fetch, fetch_page, read_input
from quotecheck.ingest import web as fetch_module
from test_pages import FIXTURE, PARAGRAPHS

HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def server() -> Iterator[PageServer]:
    page = FIXTURE.read_bytes()
    routes = {
        "/story": Route(200, HTML, page),
        "/moved": Route(301, {"Location": "/story"}),
        "/pdf": Route(200, {"Content-Type": "application/pdf"}, b"%PDF-1.7 ..."),
        "/loop-a": Route(302, {"Location": "{base}/loop-b"}),
        "/loop-b": Route(302, {"Location": "/loop-a"}),
        "/gone": Route(404, HTML, b"<p>Not here</p>"),
        "/broken": Route(500, HTML, b"<p>Oops</p>"),
        "/huge-declared": Route(200, {**HTML, "Content-Length": "5000"}, b"x" * 5000),
        "/huge-chunked": Route(200, HTML, [b"<p>" + b"y" * 1000 + b"</p>"] * 5),
        "/slow": Route(200, HTML, page, delay=2.0),
    }
    routes.update({f"/hop/{i}": Route(302, {"Location": f"/hop/{i + 1}"}) for i in range(10)})
    srv = PageServer(routes).start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    """The size limit lowered so that 'oversized' needs kilobytes, not megabytes."""
    monkeypatch.setattr(fetch_module, "MAX_INPUT", 3000)
    return 3000


def test_fetches_a_page_with_a_polite_user_agent(server: PageServer) -> None:
    page = fetch_page(server.url("/moved"))
    assert page.text.split("\n\n") == PARAGRAPHS
    assert page.meta.source_url == server.url("/story")  # after the redirect
    assert page.meta.url == "https://news.example.org/local/2025/06/03/river-bridge-reopen"
    assert page.meta.origin == "url" and page.meta.retrieved  # the server's Date header
    assert [p for p, _ in server.requests] == ["/moved", "/story"]
    assert all(ua.startswith("quotecheck/") for _, ua in server.requests)


def test_oversized_declared_body_is_refused_before_reading(server, small_cap) -> None:
    with pytest.raises(BadInput, match=r"5,000 bytes, over the 3,000 limit; not read"):
        fetch(server.url("/huge-declared"))


def test_oversized_streamed_body_is_cut_off(server, small_cap) -> None:
    with pytest.raises(BadInput, match=r"over the 3,000-byte limit; stopped reading"):
        fetch(server.url("/huge-chunked"))


def test_non_html_type_is_refused(server: PageServer) -> None:
    with pytest.raises(BadInput, match=r"sent application/pdf, not an HTML page"):
        fetch(server.url("/pdf"))


def test_redirect_loop_is_named(server: PageServer) -> None:
    with pytest.raises(BadInput, match=r"redirect loop \(.*/loop-a -> .*/loop-b -> .*/loop-a\)"):
        fetch(server.url("/loop-a"))


def test_too_many_redirects(server: PageServer) -> None:
    with pytest.raises(BadInput, match=r"more than 5 redirects"):
        fetch(server.url("/hop/0"))
    assert len(server.requests) == 6


@pytest.mark.parametrize(("path", "status"), [("/gone", "HTTP 404 Not Found"),
                                              ("/broken", "HTTP 500")])  # fmt: skip
def test_http_error_status(server: PageServer, path: str, status: str) -> None:
    with pytest.raises(BadInput, match=status):
        fetch(server.url(path))


def test_unreachable_host() -> None:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(BadInput, match=r"cannot reach 127\.0\.0\.1"):
        fetch(f"http://127.0.0.1:{port}/story")


def test_timeout(server: PageServer) -> None:
    with pytest.raises(BadInput, match="timed out"):
        fetch(server.url("/slow"), timeout=0.3)


def test_offline_fetches_nothing(server: PageServer, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BadInput, match="offline"):
        read_input(server.url("/story"), offline=True)
    monkeypatch.setenv("QUOTECHECK_OFFLINE", "1")
    with pytest.raises(BadInput, match="offline"):
        fetch(server.url("/story"))
    assert server.requests == []


def test_only_http_urls() -> None:
    with pytest.raises(BadInput, match="not an http"):
        fetch("file:///etc/passwd")


def test_cli_text_prints_what_the_pipeline_reads(server: PageServer) -> None:
    res = CliRunner().invoke(app, ["text", server.url("/story"), "--format", "json"])
    assert res.exit_code == 0, res.output
    body = json.loads(res.stdout)
    assert body["text"].split("\n\n") == PARAGRAPHS
    assert body["metadata"]["site_name"] == "The Harbour Gazette"
    assert body["metadata"]["source_url"] == server.url("/story")
    res = CliRunner().invoke(app, ["text", server.url("/story")])
    assert res.stdout.rstrip("\n").split("\n\n") == PARAGRAPHS
    res = CliRunner().invoke(app, ["text", "--json", str(FIXTURE)])  # the old spelling
    assert json.loads(res.stdout)["text"] == body["text"]


def test_cli_errors_are_one_line(server: PageServer) -> None:
    for path, message in [("/gone", "HTTP 404"), ("/pdf", "application/pdf")]:
        res = CliRunner().invoke(app, ["text", server.url(path)])
        assert res.exit_code == 2
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]


def test_cli_extract_a_url(
    server: PageServer, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.responder = attribution_responder()
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("QUOTECHECK_MODEL", FAKE_MODEL)
    url = server.url("/story")
    res = CliRunner().invoke(
        app, ["extract", url, "--format", "json", "--base-url", fake_server.base_url]
    )
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    text = "\n\n".join(PARAGRAPHS)
    assert report["article_id"] == url and report["text_length"] == len(text)
    assert report["article"]["title"] == "River bridge to reopen in June, council says"
    assert report["source_sha256"] == report["article"]["source_sha256"]
    assert report["quotes"]
    for quote in report["quotes"]:
        for span in quote["fragments"]:
            assert text[span["start"] : span["end"]] == span["text"]
    sent = json.dumps(fake_server.requests)
    assert "Save 20%" not in sent and "cookies" not in sent


def test_one_request_at_a_time_per_host(server: PageServer) -> None:
    """Four threads fetching slow pages of one host: the server never sees two at once."""
    import threading

    active, peak = [0], [0]
    lock = threading.Lock()
    original = server.routes["/story"]

    class Counting(dict):
        def get(self, path, default=None):  # type: ignore[no-untyped-def]
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            import time

            time.sleep(0.05)
            with lock:
                active[0] -= 1
            return original if path.startswith("/story") else super().get(path, default)

    server.routes = Counting(server.routes)
    threads = [threading.Thread(target=fetch, args=(server.url(f"/story?{i}"),)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(server.requests) == 4 and peak[0] == 1
