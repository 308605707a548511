"""check_claims / check_quotes orchestration with a scripted model and a given QuoteReport."""

from __future__ import annotations

import pytest

from conftest import one_quote_report
from quotecheck.errors import BadInput
from quotecheck.factcheck import check_article_async, check_claims_async, check_quotes_async
from quotecheck.schema import FidelityStatus, Label, QuoteReport
from test_legacy_verifier import ScriptedLLM

ARTICLE = (
    "Harbour news\n\n"
    "The new harbour crane, which was bought in 2022, lifted 40 tonnes on Monday and "
    "another 30 tonnes on Tuesday.\n\n"
    "Mayor Ana Lima opened the fish market in Porto Velho last week.\n\n"
    "“We will finish the pier by June,” said Ana Lima.\n"
)
NOTE = "Port report. The harbour crane was bought in 2019. It can lift 40 tonnes."


def _quotes() -> QuoteReport:
    return one_quote_report(ARTICLE, "We will finish the pier by June,", "Ana Lima")


@pytest.fixture
def evidence(tmp_path):
    (tmp_path / "port.txt").write_text(NOTE, "utf-8")
    return tmp_path


async def test_claims_verdicts_citations_and_fallbacks(evidence):
    llm = ScriptedLLM(
        {
            "claims_select": [{"checkworthy": [1, 2, 3]}],
            "claims_split": [{"facts": ["The crane was bought in 2022.", "It lifted 40 tonnes."]}],
        },
        choices={"bought in 2022": 0.02},  # the model finds no support; code finds the year
    )
    report = await check_claims_async(ARTICLE, [evidence], quotes=_quotes(), llm=llm)
    by_text = {c.claim.text: c for c in report.claims}
    bought = by_text["The crane was bought in 2022."]
    assert bought.verdict.label == Label.refuted
    cite = bought.verdict.citations[0]
    assert NOTE[cite.start : cite.end] == cite.text == "The harbour crane was bought in 2019."
    finding = next(f for f in bought.verdict.findings if f.check == "date_mismatch")
    assert [w.text for w in finding.claim] == ["2022"]
    assert [w.text for w in finding.evidence] == ["2019"] and "2019" in bought.verdict.explanation
    # the model never answers for the second claim: that claim alone falls back
    lifted = by_text["It lifted 40 tonnes."]
    assert lifted.verdict.label == Label.not_enough_evidence and lifted.verdict.reason
    assert any(w.startswith(f"{lifted.claim.id}: ") for w in report.warnings)
    market = [c for c in report.claims if "fish market" in c.claim.text][0]
    assert market.verdict.reason == "no relevant evidence" and market.passages == []
    pier = [c for c in report.claims if "pier" in c.claim.text][0]
    assert pier.claim.quote_id == "q1" and pier.claim.speaker_name == "Ana Lima"
    assert report.sources == ["port.txt"]
    assert report.run.usage.calls >= 3
    assert set(report.run.prompts) >= {"claims_select", "verify_score"}


async def test_quotes_against_transcript(tmp_path):
    transcript = tmp_path / "t.txt"
    transcript.write_text("ANA LIMA: We will finish the pier by July.\n", "utf-8")
    llm = ScriptedLLM({"fidelity_meaning": [{"changed": True, "reason": "Month differs."}]})
    report = await check_quotes_async(ARTICLE, [transcript], quotes=_quotes(), llm=llm)
    (fid,) = report.quotes
    assert fid.status == FidelityStatus.altered and fid.speaker_match is True
    assert fid.meaning_changed is True and fid.meaning_reason == "Month differs."
    assert report.transcripts == ["t.txt"] and report.claims == []


@pytest.mark.parametrize("bad", ["", "   \n", "abc\x00def", b"caf\xe9 \xfa\xfb"])
async def test_bad_article_is_bad_input(bad, evidence):
    with pytest.raises(BadInput):
        await check_article_async(bad, evidence=[evidence], llm=ScriptedLLM({}))


async def test_html_article_is_reduced_to_text(evidence):
    html = "<html><body><p>Lovely weather.</p><p>What a day it was for all.</p></body></html>"
    report = await check_article_async(
        html, evidence=[evidence], quotes=_quotes(), llm=ScriptedLLM({})
    )
    assert report.claims == [] and any("HTML" in w for w in report.warnings)
