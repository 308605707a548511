"""End to end on the seed article, replayed from a cassette recorded with the embedded model.

The evidence and transcript are built in ``tmp_path``: the notes are written for this test;
the transcript reuses the article's own quotes, read at test time (nothing of the article
is stored in the repository). Record with the model server at ``QUOTECHECK_E2E_BASE_URL``:
``flock /tmp/quotecheck-llm.lock pytest tests/test_factcheck_e2e.py --record-mode=once``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer import Typer
from typer.testing import CliRunner

from conftest import RECORD_BASE_URL, shared_file
from quotecheck.cli.check import check
from quotecheck.factcheck import check_article_async
from quotecheck.llm import LLM
from quotecheck.llm.config import EMBEDDED_MODEL_NAME, LLMConfig
from quotecheck.schema import Assertor, FidelityStatus, Label
from quotecheck.text.spans import find_quote_spans

UN_NOTE = (
    "Sanctions monitoring note\n\n"
    "A report by United Nations sanctions experts, released in 2021, described how luxury "
    "vehicles valued at over $1m were shipped from the United Arab Emirates towards North Korea "
    "by way of Ningbo, China. The experts said the shipment breached the ban on luxury goods.\n"
)
PROFILE = (
    "# Leader profile\n\n"
    "Kim Jong Un, the leader of North Korea, is 52 years old. "
    "He took power after the death of his father in December 2011.\n"
)
SPORT = (
    "<html><head><title>Results</title><script>var x = 1;</script></head><body>"
    "<p>The national football team beat Japan 3-1 on Tuesday in front of a home crowd.</p>"
    "</body></html>"
)


def _article() -> str:
    return shared_file("seed", "aurus-limo-aljazeera.txt").read_text("utf-8")


def _inputs(tmp_path: Path, article: str) -> tuple[Path, Path, list[str]]:
    """Evidence folder and a transcript with one exact, one altered and one missing quote.

    The altered quote is the article's with a negation the article left out: the transcript
    says "should not" where the article quotes "should".
    """
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    (evidence / "un_note.txt").write_text(UN_NOTE, "utf-8")
    (evidence / "profile.md").write_text(PROFILE, "utf-8")
    (evidence / "results.html").write_text(SPORT, "utf-8")
    long_quotes = [s.inner(article) for s in find_quote_spans(article)]
    long_quotes = [q for q in long_quotes if len(q.split()) >= 8]
    assert len(long_quotes) >= 3, "the seed article should have three long quotes"
    missing, exact, to_alter = long_quotes[:3]
    spoken = to_alter.replace(" should ", " should not ")
    assert spoken != to_alter
    transcript = tmp_path / "briefing.txt"
    transcript.write_text(
        f"MINISTRY OFFICIAL: {exact.rstrip(',')}.\n"
        "REPORTER: Thank you.\n"
        f"MINISTRY OFFICIAL: {spoken.rstrip(',')}.\n",
        "utf-8",
    )
    return evidence, transcript, [missing, exact, to_alter]


def _llm() -> LLM:
    """The recording endpoint; on replay nothing is contacted (bodies match the cassette)."""
    return LLM(LLMConfig(base_url=RECORD_BASE_URL, model=EMBEDDED_MODEL_NAME, api_key="local"))


@pytest.mark.vcr
async def test_seed_article_claims_and_quotes(tmp_path):
    article = _article()
    evidence, transcript, (missing, exact, altered) = _inputs(tmp_path, article)
    llm = _llm()
    report = await check_article_async(
        article, evidence=[evidence], transcripts=[transcript], article_id="seed", llm=llm
    )
    await llm.aclose()

    # grounding: every span slices back to its article / source / transcript text
    sources = {p.name: p.read_text("utf-8") for p in evidence.iterdir()}
    sources["results.html"] = (
        "The national football team beat Japan 3-1 on Tuesday in front of a home crowd."
    )
    assert report.claims
    for check_ in report.claims:
        s = check_.claim.sentence
        assert article[s.start : s.end] == s.text
        for c in check_.verdict.citations:
            assert sources[c.source_id][c.start : c.end] == c.text

    by_label = {label: [c for c in report.claims if c.verdict.label == label] for label in Label}
    settled = (Label.supported, Label.refuted, Label.not_enough_evidence)
    assert all(by_label[k] for k in settled), {k.value: len(v) for k, v in by_label.items()}

    # the UN shipment is backed by the note, the age is contradicted by the profile
    un = [c for c in report.claims if "2021" in c.claim.text and "$1m" in c.claim.text]
    assert un and un[0].verdict.label == Label.supported
    assert un[0].verdict.citations[0].source_id == "un_note.txt"
    age = [c for c in report.claims if "40" in c.claim.text and "Kim" in c.claim.text]
    assert age and age[0].verdict.label == Label.refuted
    assert age[0].verdict.citations[0].source_id == "profile.md"
    assert any(
        c.verdict.reason == "no relevant evidence" for c in by_label[Label.not_enough_evidence]
    )
    # the note never names Putin or Russia: never supported, and the editor is told which
    # names the evidence lacks, as words of the claim
    unseen = [c for c in report.claims if "Putin" in c.claim.text or "Russia and" in c.claim.text]
    assert unseen and all(c.verdict.label != Label.supported for c in unseen)
    assert any("never mentions" in (c.verdict.reason or "") for c in unseen)
    for c in (c for c in unseen if c.passages):  # the others had no relevant evidence at all
        lacks = [f for f in c.verdict.findings if f.check == "missing_names_numbers"]
        assert lacks and all(c.claim.text[w.start : w.end] == w.text for w in lacks[0].claim)
        assert {"Russia", "Putin"} & {w.text for w in lacks[0].claim}
    # explanations are built by code from the deciding sentence and the differing words
    assert age[0].verdict.citations[0].text in age[0].verdict.explanation
    assert any(f.check == "number_mismatch" for f in age[0].verdict.findings)
    assert all(0.0 <= c.verdict.probability <= 1.0 for c in report.claims if c.verdict.probability)

    # a claim inside a quote is linked to its speaker
    assert any(c.claim.asserted_by == Assertor.speaker and c.claim.quote_id for c in report.claims)

    # quote fidelity: exact, altered (with a word diff and a meaning judgement), missing
    def status_of(words: str) -> FidelityStatus:
        hits = [f for q in report.quotes for f in q.fragments if words[:40] in f.fragment.text]
        assert hits, f"quote not checked: {words[:30]}"
        return hits[0].status

    transcript_text = transcript.read_text("utf-8")
    assert status_of(exact) == FidelityStatus.exact
    assert status_of(missing) == FidelityStatus.not_found
    assert status_of(altered) == FidelityStatus.altered
    changed = [q for q in report.quotes if q.status == FidelityStatus.altered][0]
    frag = changed.fragments[0]
    assert ("delete", "not", "") in [(d.op, d.transcript, d.article) for d in frag.diff]
    ts = frag.transcript_span
    assert transcript_text[ts.start : ts.end] == ts.text
    assert changed.meaning_changed is not None and changed.meaning_reason
    assert report.run is not None and report.run.usage.calls > 0


def _cli() -> Typer:
    app = Typer()
    app.command()(check)
    app.command("noop")(lambda: None)  # two commands, so "check" is a sub-command as in cli.py
    return app


def test_cli_usage_errors_are_one_line(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Some article text about a bridge that cost $40m in 2021.", "utf-8")
    runner = CliRunner()
    res = runner.invoke(_cli(), ["check", str(article)])
    assert res.exit_code == 2 and "--evidence" in res.output
    res = runner.invoke(_cli(), ["check", str(tmp_path / "nope.txt"), "-e", str(tmp_path)])
    assert res.exit_code == 2 and "nope.txt" in res.output
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x00\x01\x02")
    res = runner.invoke(_cli(), ["check", str(binary), "-e", str(tmp_path)])
    assert res.exit_code == 2 and "binary" in res.output
    assert "Traceback" not in res.output
    res = runner.invoke(_cli(), ["check", str(article), "-t", str(article)])
    assert res.exit_code == 2 and "SPEAKER" in res.output


def test_cli_formats_are_offered():
    res = CliRunner().invoke(_cli(), ["check", "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    assert all(word in res.output for word in ("json", "markdown", "claimreview", "--transcript"))


def test_report_json_is_written_by_cli(tmp_path):
    """The CLI writes the chosen format to --out; this run needs no model (no claims)."""
    article = tmp_path / "a.txt"
    article.write_text("Lovely weather.\n\nWhat a day it was for all of us.", "utf-8")
    out = tmp_path / "out.json"
    res = CliRunner().invoke(
        _cli(),
        ["check", str(article), "-e", str(tmp_path), "--out", str(out)],
        env={"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "QUOTECHECK_MODEL": "none"},
    )
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text("utf-8"))
    assert data["claims"] == [] and data["text_length"] > 0
