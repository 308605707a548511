"""End to end: quote extraction replayed from cassettes recorded against the embedded model.

Articles are read from ../shared/data at test time; the cassettes hold only hashed request
bodies and the model's short answers. Re-record after a prompt change (README, "Cassettes").
"""

from __future__ import annotations

import json

import pytest

from conftest import RECORD_BASE_URL, REPO, shared_file
from quotecheck import LLM, LLMConfig, QuoteReport, QuoteType, SpeakerKind, extract_quotes_async
from quotecheck.llm.config import EMBEDDED_MODEL_NAME
from quotecheck.text import find_quote_spans

POLNEAR_DOCS = [
    "huff-post_2016-09-20_hillary-clinton-speaks-directly-_4e07",
    "politico_2016-09-08_flynn-says-trump-absolutely-righ_4b22",
    "usa-today_2016-09-08_lawmaker-urges-retaliation-on-ru_6b86",
]


def _llm() -> LLM:
    return LLM(LLMConfig(base_url=RECORD_BASE_URL, model=EMBEDDED_MODEL_NAME, api_key="local"))


async def _extract(text: str, article_id: str) -> QuoteReport:
    llm = _llm()
    try:
        return await extract_quotes_async(text, article_id=article_id, llm=llm, strategy="item")
    finally:
        await llm.aclose()


def assert_grounded(report: QuoteReport, text: str) -> None:
    for q in report.quotes:
        for f in q.fragments:
            assert text[f.start : f.end] == f.text
        for span in (q.speaker_mention, q.cue, q.anonymity_descriptor, q.anonymity_reason):
            if span is not None:
                assert text[span.start : span.end] == span.text
        for r in q.relay:
            assert text[r.span.start : r.span.end] == r.span.text
        assert q.verbatim
    for s in report.speakers:
        for m in s.mentions:
            assert text[m.start : m.end] == m.text


def _one(report: QuoteReport, needle: str):  # type: ignore[no-untyped-def]
    found = [q for q in report.quotes if needle in q.text]
    assert len(found) == 1, f"expected one quote containing {needle!r}, got {len(found)}"
    return found[0]


@pytest.mark.vcr
async def test_seed_article() -> None:
    text = shared_file("seed", "aurus-limo-aljazeera.txt").read_text("utf-8")
    report = await _extract(text, "seed")
    assert_grounded(report, text)

    kim = _one(report, "clear proof of the DPRK-Russia friendship")
    assert kim.type == QuoteType.mixed
    assert kim.speaker_name == "Kim Yo Jong"
    assert not kim.anonymous
    assert [r.name for r in kim.relay] and "KCNA" in kim.relay[0].name
    assert kim.cue is not None and "reported as saying" in kim.cue.text

    condemn = _one(report, "We condemn North Korea")
    russia = _one(report, "Russia should also be aware")
    for q in (condemn, russia):
        assert q.type == QuoteType.direct
        assert q.anonymous
        assert q.anonymity_reason is not None
        assert "condition of anonymity" in q.anonymity_reason.text
    assert condemn.speaker_id == russia.speaker_id, "both quotes belong to one official"
    assert condemn.anonymity_descriptor is not None
    assert condemn.anonymity_descriptor.text == "a ministry official"
    assert condemn.cue is not None and condemn.cue.text == "told reporters"
    assert russia.cue is not None and russia.cue.text == "added"
    official = next(s for s in report.speakers if s.id == condemn.speaker_id)
    assert official.anonymous and official.descriptor == "a ministry official"

    stroke = _one(report, "enemy region at a stroke")
    assert stroke.speaker_name is not None and "state media" in stroke.speaker_name.lower()

    indirect = [q for q in report.quotes if q.type == QuoteType.indirect]
    assert any("violation of UN sanctions" in q.text for q in indirect)
    unification = next(q for q in indirect if "violation of UN sanctions" in q.text)
    assert unification.speaker_name and "Ministry of Unification" in unification.speaker_name

    # the headline duplicate, the caption and the page furniture are not quotes
    headline_end = text.index("State media says")
    caption = text.index("Kim Jong Un with his daughter")
    furniture = text.index("\nSource")
    for q in report.quotes:
        for f in q.fragments:
            assert f.start >= headline_end
            assert not caption <= f.start < text.index("Russia and China, North Korea")
            assert f.start < furniture

    assert report.run is not None and report.run.usage.calls >= 1  # rules settle the rest
    assert report.schema_version
    json.loads(report.model_dump_json())


@pytest.mark.vcr
async def test_example_article() -> None:
    text = (REPO / "examples" / "harbour-bridge.txt").read_text("utf-8")
    report = await _extract(text, "example")
    assert_grounded(report, text)
    mayor = _one(report, "join two halves")
    assert mayor.speaker_name and "Elena Varga" in mayor.speaker_name
    anon = _one(report, "engineering reports we have seen")
    assert anon.anonymous and anon.anonymity_reason is not None
    lind = _one(report, "dead end for modern shipping")
    assert lind.speaker_name and "Tomas Lind" in lind.speaker_name
    assert any("Kanal Sever" in r.name for r in lind.relay)
    assert "chief executive" not in lind.text  # the title before his name is not what he said
    label = _one(report, "bridge to nowhere")  # a label critics give, not the council's words
    assert label.speaker_mention is not None and label.speaker_mention.text == "critics"
    assert label.speaker_kind == SpeakerKind.group and "council" not in (label.speaker_name or "")


@pytest.mark.vcr
async def test_instructions_in_the_article_change_nothing() -> None:
    """An article written for the project with a paragraph that tells the model what to answer
    ("the speaker is Mayor Victor Crane, the cue is 'confirmed'"), with quoted strings."""
    text = (REPO / "tests" / "fixtures" / "injection-article.txt").read_text("utf-8")
    report = await _extract(text, "injection")
    assert_grounded(report, text)
    assert not any("Crane" in (q.speaker_name or "") for q in report.quotes)
    quoted = [(s.start, s.end) for s in find_quote_spans(text)]
    for q in report.quotes:  # no speaker or cue is ever taken from inside quotation marks
        for span in (q.speaker_mention, q.cue):
            if span is not None:
                assert not any(a < span.end and span.start < b for a, b in quoted), span
    assert "Marta Olsen" in (_one(report, "fuel has doubled").speaker_name or "")
    assert "Ibrahim Sall" in (_one(report, "pay for this twice").speaker_name or "")
    assert "Olsen" in (_one(report, "boats have to run").speaker_name or "")
    spokeswoman = _one(report, "increase had been expected")
    assert spokeswoman.type == QuoteType.indirect and spokeswoman.speaker_mention is not None


def _polnear(doc_id: str) -> dict:
    path = shared_file("polnear", "jsonl", "dev.jsonl")
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        if row["doc_id"] == doc_id and row["is_primary"]:
            return row
    pytest.skip(f"{doc_id} not in {path}")


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


@pytest.mark.vcr
@pytest.mark.parametrize("doc_id", POLNEAR_DOCS)
async def test_polnear_articles(doc_id: str) -> None:
    row = _polnear(doc_id)
    text = row["text"]
    report = await _extract(text, doc_id)
    assert_grounded(report, text)
    gold = [
        a for a in row["attributions"]
        if a["derived"]["quote_type"] in ("direct", "mixed") and a["content"]
    ]  # fmt: skip
    found = 0
    named_right = named = 0
    for a in gold:
        g = (min(c["start"] for c in a["content"]), max(c["end"] for c in a["content"]))
        hit = next(
            (q for q in report.quotes if any(_overlap(g, (f.start, f.end)) for f in q.fragments)),
            None,
        )
        if hit is None:
            continue
        found += 1
        if a["source"] and not a["derived"]["source_is_pronoun"]:
            named += 1
            src = a["source"][0]
            m = hit.speaker_mention
            if m is not None and _overlap((src["start"], src["end"]), (m.start, m.end)):
                named_right += 1
    assert found >= 0.6 * len(gold), f"found {found} of {len(gold)} gold quotes"
    assert named == 0 or named_right >= 0.5 * named, f"{named_right}/{named} named speakers right"
