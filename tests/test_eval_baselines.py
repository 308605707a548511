"""The quotation-mark baseline and the naive baseline's grounding, with no model."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quotecheck.errors import InvalidOutput
from quotecheck.evaluation.baselines import quote_spans, regex_quotes
from quotecheck.evaluation.naive import (
    NaiveAnswer,
    NaiveQuote,
    find_in_text,
    ground,
    naive_quotes,
)
from quotecheck.evaluation.scoring import CAP_WARNING, INVALID_WARNING, score_document
from quotecheck.llm import Completion
from quotecheck.schema import Usage
from quotecheck.text import GoldDoc

ARTICLE = (
    "The harbour board met on Monday.\n\n"
    "\u201cWe cannot keep dredging forever,\u201d said Priya Raman, the board\u2019s chair. "
    "\u201cThe silt comes back every winter.\u201d\n\n"
    'Tom Ebert, a ferry captain, called the plan "a band-aid" and left early.\n\n'
    "\u201cThe first paragraph of a long statement\n\n"
    "\u201cand its second paragraph,\u201d he wrote."
)


def test_regex_baseline_finds_quotes_speakers_and_offsets() -> None:
    report = regex_quotes(ARTICLE, article_id="t1")
    assert report.text_length == len(ARTICLE) and report.article_id == "t1"
    for q in report.quotes:
        assert all(ARTICLE[f.start : f.end] == f.text for f in q.fragments)
    first, scare, long_ = report.quotes
    assert len(first.fragments) == 2  # interrupted by "said Priya Raman": one quote, two parts
    assert first.speaker_name == "Priya Raman" and first.cue.text == "said"
    assert str(first.type) == "direct"
    assert scare.text == '"a band-aid"' and str(scare.type) == "mixed"
    assert scare.speaker_name != "Priya Raman"
    assert len(long_.fragments) == 2 and long_.speaker_name == "he"
    assert {s.name for s in report.speakers} >= {"Priya Raman", "he"}


def test_quote_spans_tolerate_unbalanced_marks() -> None:
    text = 'He said "it never closes.\n\nNobody answered.'
    assert regex_quotes(text).quotes[0].fragments[0].text == '"it never closes.'
    assert quote_spans("") == [] and regex_quotes("").quotes == []


def test_find_in_text_exact_then_normalised() -> None:
    assert find_in_text(ARTICLE, "We cannot keep dredging forever,") is not None
    start, end = find_in_text(ARTICLE, '"The silt  comes back every winter."')
    assert ARTICLE[start:end] == "The silt comes back every winter."
    curly = "Priya Raman, the board's chair"  # straight apostrophe vs the article's curly one
    start, end = find_in_text(ARTICLE, curly)
    assert ARTICLE[start:end] == "Priya Raman, the board\u2019s chair"
    assert find_in_text(ARTICLE, "We can keep dredging") is None


def test_ground_keeps_invented_quotes_as_not_verbatim() -> None:
    answer = NaiveAnswer(
        quotes=[
            NaiveQuote(quote="The silt comes back every winter.", speaker="Priya Raman"),
            NaiveQuote(quote="We will stop dredging.", speaker="null"),
        ]
    )
    real, invented = ground(ARTICLE, answer)
    assert real.verbatim and ARTICLE[real.fragments[0].start : real.fragments[0].end] == (
        "The silt comes back every winter."
    )
    assert real.speaker_mention.text == "Priya Raman"
    assert not invented.verbatim and invented.speaker_name is None
    assert invented.fragments[0].start == invented.fragments[0].end


class _StubLLM:
    """Stands in for quotecheck.llm.LLM: returns a fixed answer or raises like a capped run."""

    def __init__(self, answer: NaiveAnswer | None, usage: Usage) -> None:
        self.answer, self.usage, self.calls = answer, usage, []

    async def acomplete(self, messages, schema, *, prompt_id, validate, max_tokens):
        self.calls.append((messages, schema, prompt_id, max_tokens))
        if self.answer is None:
            raise InvalidOutput(
                "truncated", attempts=1, last_completion='{"quotes": [', usage=self.usage
            )
        return Completion(self.answer, self.usage, 1, "")


async def test_naive_baseline_sends_article_last_and_caps_output() -> None:
    answer = NaiveAnswer(quotes=[NaiveQuote(quote="a band-aid", speaker="Tom Ebert")])
    llm = _StubLLM(answer, Usage(calls=1, prompt_tokens=300, completion_tokens=20))
    report = await naive_quotes(ARTICLE, llm, article_id="n1", max_tokens=64)
    (messages, schema, prompt_id, max_tokens) = llm.calls[0]
    assert messages.rstrip().endswith(ARTICLE.rstrip())  # one user turn
    assert schema is NaiveAnswer and prompt_id == "naive_extract" and max_tokens == 64
    assert report.quotes[0].speaker_mention.text == "Tom Ebert"
    assert report.run.usage.prompt_tokens == 300 and not report.warnings
    assert "naive_extract" in report.run.prompts


async def test_naive_baseline_counts_a_capped_answer() -> None:
    llm = _StubLLM(None, Usage(calls=1, prompt_tokens=300, completion_tokens=64))
    report = await naive_quotes(ARTICLE, llm, max_tokens=64)
    assert report.quotes == [] and report.warnings[0].startswith(CAP_WARNING)
    assert score_document(GoldDoc("n", "p", ARTICLE, ()), report, "all").capped_articles == 1
    short = _StubLLM(None, Usage(calls=1, prompt_tokens=300, completion_tokens=5))
    report = await naive_quotes(ARTICLE, short, max_tokens=64)
    assert report.warnings and report.warnings[0].startswith(INVALID_WARNING)
    gold = GoldDoc("n", "p", ARTICLE, ())
    assert score_document(gold, report, "all").invalid_articles == 1


def test_nested_quote_marks_give_one_quote() -> None:
    text = 'She wrote: \u201cHe answered "no" twice.\u201d'
    (only,) = regex_quotes(text).quotes
    assert only.text == '\u201cHe answered "no" twice.\u201d'


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab ."\u201c\u201d\n,said He')), max_size=80))
def test_regex_baseline_never_breaks_on_odd_text(text: str) -> None:
    report = regex_quotes(text)
    for q in report.quotes:
        assert all(text[f.start : f.end] == f.text for f in q.fragments)
