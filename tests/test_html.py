"""The HTML report without a browser: escaping, well-formed marks, fact-check parts, and the
page's own policy. (``test_browser.py`` checks what a reader sees in Chromium.)"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import one_quote_report
from quotecheck import to_html
from quotecheck.output import asset
from quotecheck.output.html import nest
from quotecheck.output.html_page import csp_hash
from quotecheck.schema import (
    Citation,
    Claim,
    ClaimCheck,
    FactCheckReport,
    Label,
    Quote,
    QuoteReport,
    Span,
    Speaker,
    Verdict,
)

VOID = {"meta", "br", "img", "input", "link"}


class Tree(HTMLParser):
    """Checks tags nest properly; collects the article's text and the marks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.article: list[str] = []
        self.marks: list[dict] = []
        self.errors: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "mark":
            self.marks.append(attrs)
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if any(a.get("class") == "article" for _, a in self.stack):
            self.article.append(data)


def parse(page: str) -> Tree:
    tree = Tree()
    tree.feed(page)
    tree.close()
    assert tree.errors == [] and tree.stack == []
    return tree


ARTICLE = (
    "Council news <script>alert('x')</script>\n\n"
    "“We will finish the pier by June,” said Ana Lima. “Then the market.”\n\n"
    "An official said, speaking on condition of anonymity, that “money is short”.\n"
)


def _report(text: str = ARTICLE) -> QuoteReport:
    def span(words: str, after: int = 0) -> Span:
        start = text.index(words, after)
        return Span(start=start, end=start + len(words), text=words)

    lima = Quote(
        id="Q1", type="direct", text="We will finish the pier by June, … Then the market.",
        confidence=0.9, verbatim=True,
        fragments=[span("We will finish the pier by June,"), span("Then the market.")],
        speaker_mention=span("Ana Lima"), speaker_id="S1", speaker_name="Ana Lima",
        speaker_kind="person", cue=span("said"), cue_kind="speech_verb",
    )  # fmt: skip
    official = Quote(
        id="Q2", type="mixed", text="that “money is short”", confidence=0.9, verbatim=True,
        fragments=[span("that “money is short”")], speaker_mention=span("An official"),
        speaker_id="S2", speaker_name="An official", speaker_kind="person", anonymous=True,
        anonymity_descriptor=span("An official"),
        anonymity_reason=span("speaking on condition of anonymity"),
    )  # fmt: skip
    speakers = [
        Speaker(id="S1", name="Ana Lima", kind="person", quote_ids=["Q1"]),
        Speaker(id="S2", name="An official", kind="person", anonymous=True,
                descriptor="An official", quote_ids=["Q2"]),
    ]  # fmt: skip
    return QuoteReport(
        article_id="news", text_sha256="x", text_length=len(text), quotes=[lima, official],
        speakers=speakers,
    )  # fmt: skip


def test_article_text_is_escaped_and_kept_exactly() -> None:
    page = to_html(_report(), ARTICLE)
    tree = parse(page)
    assert tree.scripts == 1  # only the page's own script; the article's is text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)" in page
    assert "".join(tree.article) == ARTICLE  # every character, in order, nothing added


def test_one_mark_per_fragment_with_speaker_and_anonymity() -> None:
    tree = parse(to_html(_report(), ARTICLE))
    frags = {m["data-frag"] for m in tree.marks}
    assert frags == {"0-0", "0-1", "1-0"}
    by_quote = {m["data-label"]: m for m in tree.marks}
    assert by_quote["Q1"]["data-speaker"] == "Ana Lima" and "anon" not in by_quote["Q1"]["class"]
    assert "anon" in by_quote["Q2"]["class"] and "noreason" not in by_quote["Q2"]["class"]
    assert all(m["tabindex"] == "0" and m["aria-describedby"].startswith("qd-") for m in tree.marks)


def test_details_flag_anonymity_reason_and_missing_reason() -> None:
    page = to_html(_report(), ARTICLE)
    details = re.search(r'<dl class="qd" id="qd-1">(.*?)</dl>', page).group(1)
    assert "anonymous" in details and "speaking on condition of anonymity" in details
    report = _report()
    report.quotes[1].anonymity_reason = None
    page = to_html(report, ARTICLE)
    assert "no reason given" in page and "1 anonymous without a stated reason" in page
    assert 'class="q sp1 s1 anon noreason"' in page


def test_hostile_report_values_are_escaped() -> None:
    report = _report()
    bad = '"><img src=x onerror=alert(1)>'
    report.quotes[0].id = bad
    report.quotes[0].speaker_name = bad
    report.speakers[0].name = bad
    report.article_id = "</title><script>alert(2)</script>"
    page = to_html(report, ARTICLE)
    tree = parse(page)
    assert tree.scripts == 1 and "<img" not in page and "</title><script>" not in page
    assert "".join(tree.article) == ARTICLE


def test_offsets_that_do_not_match_the_text_are_refused() -> None:
    with pytest.raises(ValueError, match="offsets do not match"):
        to_html(_report(), ARTICLE.replace("pier", "dock"))


def test_without_text_the_quotes_are_still_listed() -> None:
    page = to_html(_report())
    parse(page)
    assert "article text was not given" in page and "We will finish the pier" in page


@st.composite
def text_and_spans(draw):  # type: ignore[no-untyped-def]
    text = draw(st.text(alphabet="ab <>&\"'“”\n", min_size=1, max_size=60))
    n = len(text)
    spans = draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=8))
    return text, [(min(a, b), max(a, b)) for a, b in spans]


@settings(max_examples=200, deadline=None)
@given(text_and_spans())
def test_crossing_and_nested_marks_stay_well_formed(case) -> None:  # type: ignore[no-untyped-def]
    text, spans = case
    marks = [
        (s, e, f'<mark class="q" id="f{i}" tabindex="0" data-frag="{i}">', "</mark>")
        for i, (s, e) in enumerate(spans)
    ]
    body = nest(text, marks)
    tree = parse(f'<div class="article">{body}</div>')
    assert "".join(tree.article) == text
    ids = [m["id"] for m in tree.marks if "id" in m]
    assert len(ids) == len(set(ids))  # a mark split in pieces keeps one id and one tab stop
    assert {m["data-frag"] for m in tree.marks} == {
        str(i) for i, (s, e) in enumerate(spans) if s < e
    }


def _factcheck(text: str) -> FactCheckReport:
    sentence = "“We will finish the pier by June,” said Ana Lima."
    start = text.index(sentence)
    claim = Claim(
        id="C1", text="The pier will be finished by June.",
        sentence=Span(start=start, end=start + len(sentence), text=sentence),
        asserted_by="speaker", speaker_name="Ana Lima", quote_id="Q1",
    )  # fmt: skip
    cite = Citation(source_id="notes<b>.txt", start=0, end=20, text="Pier due in <August>")
    verdict = Verdict(label=Label.refuted, citations=[cite], rationale="August, not June.")
    return FactCheckReport(
        article_id="news", text_sha256="x", text_length=len(text),
        claims=[ClaimCheck(claim=claim, verdict=verdict)], sources=["notes<b>.txt"],
    )  # fmt: skip


def test_factcheck_page_has_verdict_badges_and_cited_evidence() -> None:
    page = to_html(_factcheck(ARTICLE), ARTICLE, quotes=_report())
    tree = parse(page)
    assert "".join(tree.article) == ARTICLE
    assert 'class="badge b-refuted">refuted<' in page
    assert "Pier due in &lt;August&gt;" in page and "notes&lt;b&gt;.txt" in page
    assert 'class="cs v-refuted" id="cs0"' in page and 'href="#cs0"' in page
    assert 'href="#f0-0">Q1</a>' in page  # the claim links to the quote it sits in
    assert len(tree.marks) == 3  # the quotes are marked too


def test_a_batch_record_renders_like_its_reports() -> None:
    record = {
        "id": "news",
        "report": _report().model_dump(mode="json"),
        "factcheck": _factcheck(ARTICLE).model_dump(mode="json"),
    }
    assert to_html(record, ARTICLE) == to_html(_factcheck(ARTICLE), ARTICLE, quotes=_report())


def test_page_is_self_contained_and_its_policy_pins_the_inline_assets() -> None:
    page = to_html(_report(), ARTICLE)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    policy = policy.replace("&#x27;", "'")
    assert "default-src 'none'" in policy
    assert csp_hash(asset("report.css")) in policy and csp_hash(asset("report.js")) in policy
    assert f"<style>{asset('report.css')}</style>" in page
    assert f"<script>{asset('report.js')}</script>" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing loaded from anywhere
    assert "@media print" in asset("report.css")


def test_one_quote_helper_report_renders() -> None:
    text = "“Hello there,” said Ana."
    page = to_html(one_quote_report(text, "Hello there,", "Ana"), text)
    assert parse(page).marks[0]["data-speaker"] == "Ana"


def test_cli_writes_the_page_and_says_so_when_it_cannot(fake_llm_env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from fakeserver import json_responder
    from quotecheck.cli import app
    from test_service import answer

    fake_llm_env.responder = json_responder(answer)
    article = tmp_path / "a.txt"
    article.write_text("“We will finish the pier by June,” said Mayor Ana Lima.\n", "utf-8")
    res = CliRunner().invoke(app, ["extract", str(article), "--format", "html"])
    assert res.exit_code == 0 and parse(res.stdout).marks[0]["data-speaker"] == "Mayor Ana Lima"
    page = tmp_path / "a.html"
    res = CliRunner().invoke(app, ["extract", str(article), "--html", str(page)])
    assert res.exit_code == 0 and "Mayor Ana Lima" in res.stdout  # the table, as usual
    assert "".join(parse(page.read_text("utf-8")).article) == article.read_text("utf-8")
    res = CliRunner().invoke(app, ["extract", str(article), "--html", str(tmp_path / "no/a.html")])
    assert res.exit_code == 2 and "error:" in res.output and "Traceback" not in res.output
    notes = tmp_path / "notes.txt"
    notes.write_text("Minutes. The pier will be finished by June, the mayor said.", "utf-8")
    res = CliRunner().invoke(
        app, ["check", str(article), "-e", str(notes), "--format", "html", "--no-meaning"]
    )
    assert res.exit_code == 0, res.output
    tree = parse(res.stdout)
    assert tree.marks and "Fact-check: a" in res.stdout


def test_the_wheel_ships_the_page_assets() -> None:
    from test_wheel import REPO

    wanted = ["report.css", "report.js", "dashboard.css"]
    assert all((REPO / "src/quotecheck/output/assets" / n).is_file() for n in wanted)
    service = ["editor.html", "editor.css", "editor.js"]
    assert all((REPO / "src/quotecheck/service/assets" / n).is_file() for n in service)


def test_article_metadata_titles_the_page_escaped() -> None:
    from quotecheck.schema import ArticleMeta

    report = _report()
    report.article = ArticleMeta(
        title="Pier <news>", site_name="Harbour Post", published="2024-05-02"
    )
    page = to_html(report, ARTICLE)
    parse(page)
    assert "<title>Quotes: Pier &lt;news&gt;</title>" in page
    assert "Harbour Post · 2024-05-02" in page
