"""Claim candidates, grounding of rewrites and speaker links, with a scripted model."""

from __future__ import annotations

from conftest import one_quote_report
from quotecheck.factcheck.claims import (
    attribute,
    candidate_sentences,
    dropped_polarity,
    extract_claims_async,
    grounded_rewrite,
    is_candidate,
    is_multi_fact,
)
from quotecheck.schema import Assertor, Claim, QuoteReport
from test_legacy_verifier import ScriptedLLM

ARTICLE = (
    "Town gets new bridge\n\n"
    "The mayor, 52, opened the Elm Street bridge on Monday, which cost $40m.\n\n"
    "It is a lovely thing to see.\n\n"
    "“The bridge was finished in 2023,” said engineer Ana Lima.\n\n"
    "The mayor, 52, opened the Elm Street bridge on Monday, which cost $40m.\n"
)


def test_candidates_need_facts_and_skip_headlines_and_repeats():
    spans = candidate_sentences(ARTICLE)
    texts = [s.text for s in spans]
    assert texts == [
        "The mayor, 52, opened the Elm Street bridge on Monday, which cost $40m.",
        "“The bridge was finished in 2023,” said engineer Ana Lima.",
    ]
    for s in spans:
        assert ARTICLE[s.start : s.end] == s.text
    assert not is_candidate("Did the mayor open the bridge in 2021?")
    assert is_candidate("The Senate passed the bill by a wide margin.")
    assert not is_candidate("It is a lovely thing for everyone to see.")
    # an event needs no name: the council did something checkable
    assert is_candidate("The council also rejected a proposal to cut parking fees.")
    assert not is_candidate("The plan is bold and the mood is good.")


def test_a_split_that_loses_a_negation_number_or_opposite_is_caught():
    sentence = "The plant will close as falling prices cut profits, and 210 jobs will not return."
    kept = ["The plant will close.", "Prices cut profits.", "210 jobs will not return."]
    assert dropped_polarity(sentence, kept) == ["falling"]
    assert dropped_polarity(sentence, ["The plant will close.", "Falling prices cut profits."]) == [
        "210",
        "not",
    ]
    assert dropped_polarity(sentence, [sentence]) == []


def test_grounded_rewrite_rejects_new_numbers_and_words():
    sentence = "The mayor, 52, opened the Elm Street bridge on Monday, which cost $40m."
    assert grounded_rewrite("The bridge cost $40m.", sentence)
    assert grounded_rewrite("The mayor is 52.", sentence)
    assert not grounded_rewrite("The bridge cost $45m.", sentence)
    assert not grounded_rewrite("The governor closed the tunnel on Friday.", sentence)
    assert not grounded_rewrite("", sentence)


def _quote_report() -> QuoteReport:
    return one_quote_report(ARTICLE, "The bridge was finished in 2023,", "Ana Lima")


def test_attribute_links_overlapping_quote_only():
    spans = candidate_sentences(ARTICLE)
    own = Claim(id="c1", text="x", sentence=spans[0])
    quoted = Claim(id="c2", text="y", sentence=spans[1])
    report = _quote_report()
    assert attribute(own, report).asserted_by == Assertor.article
    linked = attribute(quoted, report)
    assert linked.asserted_by == Assertor.speaker
    assert (linked.speaker_name, linked.quote_id) == ("Ana Lima", "q1")


def test_multi_fact_sentences_are_the_long_joined_ones():
    assert is_multi_fact("The mayor, 52, opened the bridge.")
    assert is_multi_fact(
        "The council approved the plan in May and the works began in June "
        "after a long delay over costs."
    )
    assert not is_multi_fact("The council approved the plan in May.")


async def test_extract_claims_selects_by_number_and_grounds_facts():
    llm = ScriptedLLM(
        {
            "claims_select": [{"checkworthy": [7]}, {"checkworthy": [2, 1, 1]}],
            "claims_split": [
                {"facts": ["The mayor is 52.", "The bridge cost $400m.", "The mayor is 52."]}
            ],
        }
    )
    result = await extract_claims_async(ARTICLE, llm, quotes=_quote_report())
    assert "7" in llm.feedback[0]
    texts = [c.text for c in result.claims]
    # the ungrounded "$400m" fact falls back to the sentence itself; repeats are dropped
    assert texts == [
        "The mayor is 52.",
        "The mayor, 52, opened the Elm Street bridge on Monday, which cost $40m.",
        "“The bridge was finished in 2023,” said engineer Ana Lima.",
    ]
    assert result.replaced_rewrites == 1
    assert [c.rewritten for c in result.claims] == [True, False, False]
    assert result.claims[2].quote_id == "q1" and result.claims[0].quote_id is None
    for c in result.claims:
        assert ARTICLE[c.sentence.start : c.sentence.end] == c.sentence.text
    shown = llm.prompts["claims_select"][0]
    assert "[2] “The bridge was finished in 2023,” said engineer Ana Lima." in shown
    assert len(llm.prompts["claims_split"]) == 1  # the short quoted sentence is not split
    assert set(result.prompts) == {"claims_select", "claims_split"}


async def test_article_without_candidates_makes_no_call():
    llm = ScriptedLLM({})
    result = await extract_claims_async("Lovely weather.\n\nWhat a day it was for all.", llm)
    assert result.claims == [] and llm.prompts == {}
