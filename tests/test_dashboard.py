"""The archive dashboard: figures from batch output records, the CSV of the same figures, the
page, and ``quotecheck report`` on a real batch run (against the fake server)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from typer.testing import CliRunner

from fakeserver import attribution_responder
from quotecheck.cli import app
from quotecheck.output import figure_rows, figures, to_dashboard, write_figures_csv
from quotecheck.schema import Quote, QuoteReport, Span
from test_fault_batch import llm_for, make_articles, run_batch
from test_html import parse


def _quote(qid: str, **kw) -> dict:  # type: ignore[no-untyped-def]
    words = kw.pop("words", "We will finish the pier")
    span = Span(start=0, end=len(words), text=words)
    quote = Quote(id=qid, type=kw.pop("type", "direct"), fragments=[span], text=words,
                  confidence=0.9, verbatim=True, **kw)  # fmt: skip
    return quote.model_dump(mode="json")


def _span(words: str) -> dict:
    return {"start": 0, "end": len(words), "text": words}


def _record(rid: str, quotes: list[dict], **extra) -> dict:  # type: ignore[no-untyped-def]
    report = QuoteReport(article_id=rid, text_sha256="x", text_length=100).model_dump(mode="json")
    report["quotes"] = quotes
    return {"id": rid, "report": report, **extra}


RECORDS = [
    _record(
        "a1",
        [
            _quote("Q1", speaker_id="S1", speaker_name="Ana Lima", speaker_kind="person"),
            _quote("Q2", speaker_id="S1", speaker_name="Ana Lima", speaker_kind="person"),
            _quote(
                "Q3",
                speaker_id="S2",
                speaker_name="an official",
                speaker_kind="person",
                anonymous=True,
                anonymity_descriptor=_span("an official"),
                anonymity_reason=_span("speaking on condition of anonymity"),
            ),
            _quote(
                "Q4",
                speaker_id="S3",
                speaker_name="a source",
                speaker_kind="person",
                anonymous=True,
                anonymity_descriptor=_span("a source"),
                cue=_span("said"),
                words="The budget is <gone>",
            ),
            _quote(
                "Q5",
                speaker_id="S4",
                speaker_name="City Council",
                speaker_kind="organisation",
                type="indirect",
            ),
        ],
        article={"site_name": "Harbour Post", "date": "2024-05-02"},
    ),
    _record(
        "a2",
        [
            _quote("Q1"),  # nobody found
            _quote("Q2", speaker_id="S1", speaker_name="ana  lima", speaker_kind="person"),
            _quote("Q3", speaker_id="S2", speaker_name='=HYPERLINK("x")', speaker_kind="media"),
        ],
        publisher="Bay <News>",
        date="2024-06-10T08:00:00Z",
    ),
    _record(
        "a3",
        [],
        factcheck={
            "claims": [
                {"verdict": {"label": "supported"}},
                {"verdict": {"label": "not_enough_evidence", "partial": True}},
                {"verdict": {"label": "refuted"}},
            ]
        },
    ),  # fmt: skip
    {"id": "a4", "error": "BadInput", "message": "binary"},
]


def test_figures_count_every_quote_once() -> None:
    fig = figures(RECORDS)
    o = fig.overall
    assert (fig.records, fig.failed, o.articles, o.quotes) == (4, 1, 3, 8)
    assert dict(o.sources) == {"named": 5, "anonymous": 2, "unattributed": 1}
    assert round(o.share("anonymous"), 3) == 0.25
    assert fig.kinds["person"] == 5 and fig.kinds["organisation"] == 1 and fig.kinds["media"] == 1
    top = fig.top_speakers()
    assert (
        top[0]["name"] == "Ana Lima"
        and top[0]["quotes"] == 3
        and top[0]["articles"] == {"a1", "a2"}
    )
    assert fig.anonymous_with_reason == 1
    (missing,) = fig.anonymous_without_reason
    assert (missing["article_id"], missing["quote_id"], missing["descriptor"]) == (
        "a1",
        "Q4",
        "a source",
    )
    assert list(fig.by_publication) == ["Harbour Post", "Bay <News>"]
    assert fig.by_publication["Bay <News>"].sources["unattributed"] == 1
    assert list(fig.by_month) == ["2024-05", "2024-06"]
    assert dict(fig.verdicts) == {"supported": 1, "partly supported": 1, "refuted": 1}


def test_csv_has_the_same_figures_with_formulas_defused(tmp_path: Path) -> None:
    fig = figures(RECORDS)
    path = tmp_path / "figures.csv"
    assert write_figures_csv(fig, path) == len(figure_rows(fig))
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    get = {(r["table"], r["group"], r["measure"]): r["value"] for r in rows}
    assert get[("overall", "all", "anonymous_share")] == "0.25"
    assert get[("publication", "Harbour Post", "anonymous_quotes")] == "2"
    assert get[("month", "2024-06", "quotes")] == "3"
    assert get[("top_speakers", "Ana Lima", "quotes")] == "3"
    assert get[("anonymity", "all", "without_stated_reason")] == "1"
    assert ("top_speakers", '\'=HYPERLINK("x")', "quotes") in get  # not a live formula


def test_dashboard_page_is_escaped_self_contained_and_charted() -> None:
    page = to_dashboard(RECORDS, title="Spring <archive>")
    parse(page)
    assert "<script" not in page and "Bay &lt;News&gt;" in page and "Spring &lt;archive&gt;" in page
    assert "The budget is &lt;gone&gt;" in page and ">a1<" in page and ">Q4<" in page
    assert page.count("<svg") >= 6 and 'role="img"' in page
    assert "default-src 'none'" in page.replace("&#x27;", "'")
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_the_reports_own_article_block_counts_too() -> None:
    record = _record("p", [_quote("Q1", speaker_name="Ana", speaker_id="S1")])
    record["report"]["article"] = {"site_name": "Harbour Post", "published": "2024-07-01"}
    fig = figures([record])
    assert list(fig.by_publication) == ["Harbour Post"] and list(fig.by_month) == ["2024-07"]


def test_dashboard_without_metadata_says_what_is_missing() -> None:
    page = to_dashboard([_record("x", [_quote("Q1", speaker_name="Ana", speaker_id="S1")])])
    assert "name no publication" in page and "carry no date" in page


async def test_report_command_on_a_real_batch_output(fake_server, tmp_path: Path) -> None:
    fake_server.responder = attribution_responder()
    articles, _ = make_articles(8)
    articles.append(type(articles[0])(id="broken", source="test", problem="not text"))
    out = tmp_path / "out.jsonl"
    summary = await run_batch(articles, out, llm_for(fake_server), jobs=2)
    assert summary.ok == 8 and summary.failed == 1
    with out.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    html, figs = tmp_path / "dash.html", tmp_path / "figures.csv"
    res = CliRunner().invoke(app, ["report", str(out), "--html", str(html), "--csv", str(figs)])
    assert res.exit_code == 0, res.output
    assert "articles: 8 (1 failed, not counted)" in res.output
    assert "quotes: 8: named 8 (100.0 %)" in res.output and "skipped" in res.output
    assert "<svg" in html.read_text("utf-8") and figs.read_text("utf-8").startswith("table,group")
    res = CliRunner().invoke(app, ["report", str(out), "--format", "json"])
    data = json.loads(res.stdout[res.stdout.index("{") :])
    assert {"table": "overall", "group": "all", "measure": "quotes", "value": 8} in data["figures"]
    res = CliRunner().invoke(app, ["report", str(tmp_path / "nope.jsonl")])
    assert res.exit_code == 2 and "no such file" in res.output
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    res = CliRunner().invoke(app, ["report", str(empty)])
    assert res.exit_code == 2 and "no records" in res.output
