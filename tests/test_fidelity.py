"""Quote alignment classes, word diffs and speaker matching; no model needed."""

from __future__ import annotations

import pytest

from quotecheck.errors import BadInput
from quotecheck.factcheck.fidelity import (
    align_fragment,
    align_quotes,
    judge_meaning_async,
    names_match,
    quoted_pieces,
)
from quotecheck.factcheck.transcripts import load_transcripts, parse_transcript
from quotecheck.schema import FidelityStatus, Quote, QuoteReport, Span

TRANSCRIPT = """# press briefing, written for this test
[00:00:05] JANE ROE: The bridge will open in May, and it cost less than we feared.
MODERATOR: Any other questions?
[00:01:10] JOHN DOE: We have no plans to raise taxes this year.
We will review the budget in the autumn.
"""


def _span(text: str, offset: int = 0) -> Span:
    return Span(start=offset, end=offset + len(text), text=text)


@pytest.fixture
def transcript():
    return parse_transcript(TRANSCRIPT, "briefing.txt")


def test_turns_timestamps_comments_and_continuations(transcript):
    assert [t.speaker for t in transcript.turns] == ["JANE ROE", "MODERATOR", "JOHN DOE"]
    last = transcript.turns[-1]
    said = TRANSCRIPT[last.start : last.end]
    assert said.startswith("We have no plans") and said.endswith("in the autumn.")


def test_exact_ignores_edge_punctuation(transcript):
    a = align_fragment(_span("We have no plans to raise taxes this year,"), [transcript])
    assert a.status == FidelityStatus.exact
    assert a.transcript_speaker == "JOHN DOE"
    assert TRANSCRIPT[a.transcript_span.start : a.transcript_span.end] == a.transcript_span.text
    assert a.transcript_span.text == "We have no plans to raise taxes this year"


def test_trivial_differences_are_case_and_punctuation(transcript):
    a = align_fragment(
        _span("the bridge will open in May — and it cost less than we feared"), [transcript]
    )
    assert a.status == FidelityStatus.trivial
    assert a.transcript_speaker == "JANE ROE"
    assert a.diff == []


def test_altered_wording_gives_word_diff(transcript):
    a = align_fragment(_span("We have no plans to raise taxes this decade"), [transcript])
    assert a.status == FidelityStatus.altered
    changed = [(d.op, d.transcript, d.article) for d in a.diff if d.op != "equal"]
    assert changed == [("replace", "year", "decade")]
    assert a.transcript_span.text == "We have no plans to raise taxes this year"


def test_dropped_word_shows_as_delete(transcript):
    a = align_fragment(
        _span("The bridge will open in May, and it cost less than feared"), [transcript]
    )
    assert a.status == FidelityStatus.altered
    assert ("delete", "we", "") in [(d.op, d.transcript, d.article) for d in a.diff]


def test_unrelated_words_are_not_found(transcript):
    a = align_fragment(_span("Our army is ready to occupy the enemy region"), [transcript])
    assert a.status == FidelityStatus.not_found
    assert a.transcript_span is None and a.score < 75


def test_names_match():
    assert names_match("John Doe", "JOHN DOE")
    assert names_match("Doe", "John Doe")
    assert names_match("a ministry official", "MINISTRY OFFICIAL")
    assert not names_match("Jane Doe", "JOHN DOE")
    assert not names_match("", "JOHN DOE")


def test_quoted_pieces_of_a_mixed_quote():
    article = "The trip was “clear proof of friendship”, she said."
    frag = _span(article[:-10])
    quote = Quote(
        id="q1", type="mixed", fragments=[frag], text=frag.text, confidence=1, verbatim=True
    )
    pieces = quoted_pieces(article, quote)
    assert [p.text for p in pieces] == ["clear proof of friendship"]
    assert article[pieces[0].start : pieces[0].end] == pieces[0].text


def _report(article: str, specs: list[tuple[str, str, str]]) -> QuoteReport:
    quotes = []
    for i, (words, speaker, qtype) in enumerate(specs):
        start = article.index(words)
        quotes.append(
            Quote(
                id=f"q{i + 1}",
                type=qtype,
                fragments=[_span(words, start)],
                text=words,
                speaker_name=speaker,
                confidence=0.9,
                verbatim=True,
            )
        )
    return QuoteReport(text_sha256="x", text_length=len(article), quotes=quotes)


def test_align_quotes_statuses_and_speakers(transcript):
    article = (
        "“The bridge will open in May, and it cost less than we feared,” Roe said. "
        "“We have no plans to raise taxes this decade,” Roe added. "
        "“We will win the election,” Doe said. Doe said taxes would stay low."
    )
    report = _report(
        article,
        [
            ("The bridge will open in May, and it cost less than we feared,", "Jane Roe", "direct"),
            ("We have no plans to raise taxes this decade,", "Jane Roe", "direct"),
            ("We will win the election,", "John Doe", "direct"),
            ("taxes would stay low", "John Doe", "indirect"),
        ],
    )
    out = {f.quote_id: f for f in align_quotes(article, report, [transcript])}
    assert set(out) == {"q1", "q2", "q3"}  # indirect speech is not checked against wording
    assert out["q1"].status == FidelityStatus.exact and out["q1"].speaker_match is True
    assert out["q2"].status == FidelityStatus.altered and out["q2"].speaker_match is False
    assert out["q3"].status == FidelityStatus.not_found and out["q3"].speaker_match is None


async def test_meaning_judgement_gets_both_verbatim_strings(transcript):
    from test_legacy_verifier import ScriptedLLM

    article = "“We have no plans to raise taxes this decade,” Doe said."
    report = _report(
        article, [("We have no plans to raise taxes this decade,", "John Doe", "direct")]
    )
    fid = align_quotes(article, report, [transcript])[0]
    llm = ScriptedLLM({"fidelity_meaning": [{"changed": True, "reason": "Year became decade."}]})
    judged = await judge_meaning_async(fid, llm)
    assert judged.changed and judged.reason == "Year became decade."
    prompt = llm.prompts["fidelity_meaning"][0]
    assert "this year" in prompt and "this decade" in prompt


def test_load_transcripts_rejects_bad_files(tmp_path):
    (tmp_path / "ok.txt").write_text(TRANSCRIPT, "utf-8")
    (tmp_path / "prose.txt").write_text("no speaker labels at all here", "utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01")
    assert load_transcripts([tmp_path / "ok.txt"])[0].id == "ok.txt"
    for name, message in [("prose.txt", "SPEAKER"), ("bin.txt", "binary"), ("none.txt", "no such")]:
        with pytest.raises(BadInput, match=message):
            load_transcripts([tmp_path / name])


async def test_dropped_negation_changes_meaning_even_if_the_model_says_no(transcript):
    from test_legacy_verifier import ScriptedLLM

    article = "“We have plans to raise taxes this year,” Doe said."
    report = _report(article, [("We have plans to raise taxes this year,", "John Doe", "direct")])
    fid = align_quotes(article, report, [transcript])[0]
    assert fid.status == FidelityStatus.altered
    llm = ScriptedLLM({"fidelity_meaning": [{"changed": False, "reason": "Same words."}]})
    judged = await judge_meaning_async(fid, llm)
    assert judged.changed is True
    assert "negation" in judged.reason and "Same words." in judged.reason
    assert "dropped 'no'" in llm.prompts["fidelity_meaning"][0]
