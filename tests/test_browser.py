"""What an editor sees, in a real headless Chromium (Debian's ``chromium``, driven by
playwright): the static ``--html`` file of the CLI and the editor page of ``quotecheck serve``.

The model answers are the embedded model's, recorded in ``cassettes/test_quotes_e2e`` and
served over real HTTP by the cassette-replaying fake server (``cassette_replay``), so the CLI
and the server run as users run them. Screenshots go to the test's tmp folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import vcr
from typer.testing import CliRunner

from cassette_replay import EXAMPLE_CASSETTE, FACTCHECK_CASSETTE, CassetteResponder
from conftest import _FILTERED_HEADERS, RECORD_BASE_URL, REPO, _hash_body, _strip_response
from conftest_fakeserver import FAKE_KEY
from fakeserver import FakeOpenAIServer, json_responder
from quotecheck import LLM, LLMConfig, QuoteReport, extract_quotes_async, to_html
from quotecheck.llm import EMBEDDED_MODEL_NAME, run_sync
from serve_process import Served, model_env
from test_service import answer

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("QUOTECHECK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
EXAMPLE = REPO / "examples" / "harbour-bridge.txt"
HOSTILE = (
    "Harbour vote <script>window.__pwned = 1</script>\n\n"
    '<img src=x onerror="window.__pwned = 2"> “We will build it,” said Mayor Ana Lima.\n'
)


def _replay() -> vcr.VCR:
    return vcr.VCR(
        filter_headers=_FILTERED_HEADERS,
        before_record_request=_hash_body,
        before_record_response=_strip_response,
        decode_compressed_response=True,
        match_on=["method", "path", "body"],
        record_mode="none",
    )


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        reason = f"no Chromium at {CHROMIUM}: apt-get install -y chromium (.ci/run installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)  # CI must run the browser tests, never skip them
        pytest.skip(reason)
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda r: tab.requests.append(r.url))
    tab.errors = []
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


@pytest.fixture(scope="module")
def example_report() -> QuoteReport:
    """The example article's report from the recorded model answers (as test_quotes_e2e)."""

    async def run() -> QuoteReport:
        llm = LLM(LLMConfig(base_url=RECORD_BASE_URL, model=EMBEDDED_MODEL_NAME, api_key="local"))
        try:
            text = EXAMPLE.read_text("utf-8")
            return await extract_quotes_async(text, article_id="example", llm=llm, strategy="item")
        finally:
            await llm.aclose()

    with _replay().use_cassette(str(EXAMPLE_CASSETTE)):
        return run_sync(run())  # playwright's sync API keeps a loop running here


@pytest.fixture
def replay_server():  # type: ignore[no-untyped-def]
    server = FakeOpenAIServer(models=(EMBEDDED_MODEL_NAME,), api_key=FAKE_KEY).start()
    # the example's questions get the recorded answers; others (the hostile article, the
    # claim prompts of a check) a responder that computes them from the request
    server.raw_responder = CassetteResponder(EXAMPLE_CASSETTE, fallback=json_responder(answer))
    try:
        yield server
    finally:
        server.stop()


def assert_example_view(view, report: QuoteReport) -> None:  # type: ignore[no-untyped-def]
    """``view`` (a page or a frame) shows ``report``: one mark per fragment with its exact
    words, Q1's speaker on hover, the anonymous official flagged with the reason."""
    marks = view.locator("mark.q")
    fragments = [(q, f) for q in report.quotes for f in q.fragments]
    seen = {}
    for i in range(marks.count()):
        mark = marks.nth(i)
        seen.setdefault(mark.get_attribute("data-frag"), []).append(mark.inner_text())
    assert len(seen) == len(fragments), seen.keys()
    for qi, q in enumerate(report.quotes):
        for fi, f in enumerate(q.fragments):
            assert "".join(seen[f"{qi}-{fi}"]) == f.text
    q1 = report.quotes[0]
    assert q1.id == "Q1" and q1.speaker_name
    view.locator('mark.q[data-frag="0-0"]').hover()
    tip = view.locator("#qc-tip")
    tip.wait_for(state="visible")
    assert q1.speaker_name in tip.inner_text() and "Q1" in tip.inner_text()
    anon = [(qi, q) for qi, q in enumerate(report.quotes) if q.anonymous]
    assert anon, "the example article has an anonymous official"
    qi, official = anon[0]
    mark = view.locator(f'mark.q[data-frag="{qi}-0"]')
    assert "anon" in (mark.get_attribute("class") or "")
    mark.hover()
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "anonymous" in text and official.anonymity_descriptor is not None
    assert official.anonymity_descriptor.text in text
    assert official.anonymity_reason is not None and official.anonymity_reason.text in text
    panel = view.locator("aside").inner_text()
    assert "Anonymous sources" in panel and "official at the national transport ministry" in panel


def _keyboard_reaches_a_quote(page, frame=None) -> None:  # type: ignore[no-untyped-def]
    view = frame or page
    for _ in range(40):
        page.keyboard.press("Tab")
        if view.evaluate("document.activeElement && document.activeElement.matches('mark.q')"):
            break
    else:
        raise AssertionError("Tab never reached a quote")
    tip = view.locator("#qc-tip")
    tip.wait_for(state="visible")
    label = view.evaluate("document.activeElement.getAttribute('data-label')")
    assert label in tip.inner_text()
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")


def test_static_html_file_from_the_cli(page, replay_server, example_report, tmp_path):  # type: ignore[no-untyped-def]
    out = tmp_path / "harbour.html"
    env = {**os.environ, **model_env(replay_server, EMBEDDED_MODEL_NAME)}
    done = subprocess.run(
        [sys.executable, "-m", "quotecheck", "extract", str(EXAMPLE), "--html", str(out),
         "--format", "json"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert replay_server.raw_responder.missed == []  # every answer was the recorded one
    assert QuoteReport.model_validate_json(done.stdout).quotes == example_report.quotes
    page.goto(out.as_uri())
    assert_example_view(page, example_report)
    page.screenshot(path=str(tmp_path / "static.png"), full_page=True)
    _keyboard_reaches_a_quote(page)
    assert page.errors == [] and all(u.startswith("file://") for u in page.requests)
    page.emulate_media(media="print")
    page.screenshot(path=str(tmp_path / "static-print.png"), full_page=True)
    assert page.locator("#qc-tip").is_hidden() and page.locator(".quotes li").count() == len(
        example_report.quotes
    )


def test_editor_page_of_the_server(page, replay_server, example_report, tmp_path):  # type: ignore[no-untyped-def]
    with Served(model_env(replay_server, EMBEDDED_MODEL_NAME), tmp_path / "jobs") as served:
        page.goto(served.url + "/")
        page.fill("#article", EXAMPLE.read_text("utf-8"))
        page.click("#find")
        page.locator("#report").wait_for(state="visible", timeout=60_000)
        frame = page.frame_locator("#report")
        frame.locator("mark.q").first.wait_for()
        assert replay_server.raw_responder.missed == []
        assert_example_view(frame, example_report)
        page.screenshot(path=str(tmp_path / "editor.png"), full_page=True)
        assert "Done in" in page.locator("#status").inner_text()
        # the report's own script runs in its sandboxed frame; keyboard reaches the quotes
        inner = next(f for f in page.frames if f != page.main_frame)
        page.locator("#report").focus()
        _keyboard_reaches_a_quote(page, inner)
        # a hostile article shows as text and runs nothing, in the page or in the frame
        page.fill("#article", HOSTILE)
        page.click("#find")
        frame.locator("text=window.__pwned = 1").wait_for(timeout=30_000)
        page.screenshot(path=str(tmp_path / "editor-hostile.png"), full_page=True)
        assert frame.locator(".article").inner_text() == HOSTILE
        assert page.evaluate("window.__pwned") is None
        assert inner.evaluate("window.__pwned") is None
        assert frame.locator(".article img").count() == 0
        assert page.errors == []
        origin = served.url + "/"
        assert all(u.startswith(origin) or u.startswith(("about:", "blob:")) for u in page.requests)
        # with a source: the check, with verdict badges and the cited evidence sentence
        page.fill("#article", EXAMPLE.read_text("utf-8"))
        page.click("#add-source")
        note = (
            "Council minutes. The council of Port Aldwin voted 7-2 on Tuesday to build the bridge."
        )
        page.fill("textarea.evidence", note)
        page.click("#check")
        frame.locator(".claims li").first.wait_for(timeout=60_000)
        page.screenshot(path=str(tmp_path / "editor-check.png"), full_page=True)
        assert frame.locator(".claims .badge").count() >= 1
        cited = frame.locator(".claims blockquote.cite").all_inner_texts()
        assert any("voted 7-2" in c and "evidence-1" in c for c in cited), cited
        assert frame.locator("mark.q").count() > 0  # the quotes are marked in the check too
        # an error is shown as one line, not a page
        page.fill("#article", "   ")
        page.click("#find")
        assert "Paste the article first" in page.locator("#status").inner_text()


def test_script_in_an_article_renders_as_text(page, tmp_path):  # type: ignore[no-untyped-def]
    from conftest import one_quote_report

    path = tmp_path / "hostile.html"
    path.write_text(to_html(one_quote_report(HOSTILE, "We will build it,", "Ana Lima"), HOSTILE))
    page.goto(path.as_uri())
    assert page.locator(".article").inner_text() == HOSTILE
    assert page.evaluate("window.__pwned") is None and page.locator(".article img").count() == 0
    page.locator("mark.q").hover()
    assert "Ana Lima" in page.locator("#qc-tip").inner_text()


def test_check_html_from_the_cli_shows_verdicts_and_evidence(page, tmp_path):  # type: ignore[no-untyped-def]
    from test_factcheck_e2e import _article, _cli, _inputs

    text = _article()  # skips without the shared seed article
    article = tmp_path / "seed.txt"
    article.write_text(text, "utf-8")
    evidence, transcript, _ = _inputs(tmp_path, text)
    out, page_path = tmp_path / "report.json", tmp_path / "check.html"
    with _replay().use_cassette(str(FACTCHECK_CASSETTE)):
        res = CliRunner().invoke(
            _cli(),
            ["check", str(article), "-e", str(evidence), "-t", str(transcript), "--out", str(out),
             "--html", str(page_path), "--base-url", RECORD_BASE_URL, "--model",
             EMBEDDED_MODEL_NAME],
            env={"OPENAI_API_KEY": "local"},
        )  # fmt: skip
    assert res.exit_code == 0, res.output
    from quotecheck.schema import FactCheckReport

    report = FactCheckReport.model_validate_json(out.read_text("utf-8"))
    page.goto(page_path.as_uri())
    page.screenshot(path=str(tmp_path / "check.png"), full_page=True)
    claims = page.locator(".claims li")
    assert claims.count() == len(report.claims) > 0
    for i, check in enumerate(report.claims):
        badge = claims.nth(i).locator(".badge").first.inner_text()
        assert badge in (
            "supported",
            "refuted",
            "not enough evidence",
            "partly supported",
            "needs review",
        )
        assert (badge == "refuted") == (check.verdict.label.value == "refuted")
    cited = sum(len(c.verdict.citations) for c in report.claims)
    assert page.locator(".claims blockquote.cite").count() == cited > 0
    first = next(c for c in report.claims if c.verdict.citations).verdict.citations[0]
    assert first.text[:40] in page.locator(".claims").inner_text()
    assert page.locator(".article .cs").count() >= 1 and page.locator("mark.q").count() > 0
    assert page.locator(".fidelity li").count() == len(report.quotes)
    altered = page.locator(".fidelity del")
    assert altered.count() >= 1 and "not" in altered.all_inner_texts()
    assert page.errors == []


def test_dashboard_charts_render(page, tmp_path):  # type: ignore[no-untyped-def]
    from quotecheck import to_dashboard
    from test_dashboard import RECORDS

    path = tmp_path / "dashboard.html"
    path.write_text(to_dashboard(RECORDS, title="Spring archive"), "utf-8")
    page.goto(path.as_uri())
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 6
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 20
    assert page.locator("svg rect").count() > 10
    assert "Anonymous quotes without a stated reason" in page.inner_text("body")
    assert page.errors == [] and all(u.startswith("file://") for u in page.requests)


def test_editor_page_with_a_token(page, tmp_path):  # type: ignore[no-untyped-def]
    from serve_process import TOKEN

    with FakeOpenAIServer(json_responder(answer), api_key=FAKE_KEY) as fake:
        env = {**model_env(fake, "fake-model"), "QUOTECHECK_API_TOKENS": TOKEN}
        with Served(env, tmp_path / "jobs") as served:
            page.goto(served.url + "/")
            page.fill("#article", "“We will finish the pier by June,” said Mayor Ana Lima.")
            page.click("#find")
            status = page.locator("#status")
            status.filter(has_text="Error 401").wait_for()
            assert "Authorization: Bearer" in status.inner_text()
            page.fill("#token", TOKEN)
            page.click("#find")
            page.frame_locator("#report").locator("mark.q").first.wait_for()
            assert "Done in" in status.inner_text()
            page.screenshot(path=str(tmp_path / "editor-token.png"), full_page=True)
            assert TOKEN not in served.log
