"""Grounding the model's words in the article, and building the report from grounded items.

The "model answers" here are written by hand: these tests check what code does with an answer,
not what a model would answer.
"""

from __future__ import annotations

from quotecheck.quotes.assemble import build_report
from quotecheck.quotes.candidates import find_items
from quotecheck.quotes.grounding import Attribution, Grounded, ground
from quotecheck.schema import Quote, QuoteType


def grounded(text: str, answers: dict[str, tuple[str | None, str | None]]) -> list[Grounded]:
    items, sents = find_items(text)
    by_id = {it.id: it for it in items}
    assert set(answers) <= set(by_id), f"unknown ids {set(answers) - set(by_id)}"
    return [
        ground(text, sents, by_id[i], Attribution(speaker=s, cue=c, name=None))
        for i, (s, c) in answers.items()
    ]


def report(text: str, answers: dict[str, tuple[str | None, str | None]]) -> list[Quote]:
    _, sents = find_items(text)
    quotes, _ = build_report(text, sents, grounded(text, answers))
    assert_slices(text, quotes)
    return quotes


def assert_slices(text: str, quotes: list[Quote]) -> None:
    for q in quotes:
        spans = [*q.fragments, q.speaker_mention, q.cue, q.anonymity_descriptor]
        spans += [q.anonymity_reason, *(r.span for r in q.relay)]
        for s in spans:
            if s is not None:
                assert text[s.start : s.end] == s.text


QUOTE = "“The talks have failed and nobody knows why,” the mayor said on Monday."


def test_exact_match_grounds_speaker_and_cue() -> None:
    (g,) = grounded(QUOTE, {"Q1": ("the mayor", "said")})
    assert g.problems == []
    assert g.speaker is not None and QUOTE[g.speaker.start : g.speaker.end] == "the mayor"
    assert g.cue is not None and g.cue.text == "said"


def test_quote_normalised_and_case_insensitive_match() -> None:
    text = "“We’re done here for the day,” said Anne O’Neill, the ministry’s spokeswoman."
    (g,) = grounded(text, {"Q1": ("anne o'neill, the ministry's spokeswoman", "said")})
    assert g.problems == []
    assert g.speaker is not None
    assert g.speaker.text == "Anne O’Neill, the ministry’s spokeswoman"


def test_speaker_far_from_the_quote_rejected() -> None:
    filler = "The weather was cold all week and the harbour froze over twice.\n" * 25
    text = "Ana Ruiz opened the meeting.\n" + filler + QUOTE
    (g,) = grounded(text, {"Q1": ("Ana Ruiz", "said")})
    assert g.speaker is None  # in the article, but far from the quote
    assert any("speaker 'Ana Ruiz' is not in the text" in p for p in g.problems)


def test_speaker_introduced_shortly_before_is_accepted() -> None:
    text = (
        "Ana Ruiz opened the meeting.\nThe weather was cold all week.\n"
        "The harbour froze over twice.\n" + QUOTE
    )
    (g,) = grounded(text, {"Q1": ("Ana Ruiz", "said")})
    assert g.speaker is not None and text[g.speaker.start : g.speaker.end] == "Ana Ruiz"
    assert g.problems == []


def test_invented_speaker_rejected() -> None:
    (g,) = grounded(QUOTE, {"Q1": ("Professor Imaginary Nobody", "said")})
    assert g.speaker is None
    assert len(g.problems) == 1


def test_words_that_name_no_one_are_sent_back_not_kept() -> None:
    from quotecheck.quotes.speakers import could_be_speaker

    (g,) = grounded(QUOTE, {"Q1": ("Monday", "said")})  # in the text, but no one
    assert g.speaker is None and len(g.problems) == 1 and "names no one" in g.problems[0]
    (g,) = grounded(QUOTE, {"Q1": ("said", "said")})
    assert g.speaker is None and g.problems
    for no_one in ("Tuesday", "Said", "their check by", "words for the", "on Monday"):
        assert not could_be_speaker(no_one), no_one
    for someone in ("May", "Theresa May", "he", "who", "Mr. Said", "Mulgrew.", "the data"):
        assert could_be_speaker(someone), someone


def test_speaker_inside_the_quote_is_not_grounded() -> None:
    text = "“Nobody asked the mayor about the new taxes,” a resident said."
    (g,) = grounded(text, {"Q1": ("the mayor", "said")})
    assert g.speaker is None and g.problems


def test_non_reporting_cue_dropped_without_a_retry() -> None:
    (g,) = grounded(QUOTE, {"Q1": ("the mayor", "on Monday")})
    assert g.cue is None
    assert g.speaker is not None
    assert g.problems == []  # asking again at temperature 0 rarely helps: dropped, not retried


def test_cue_not_in_sentence_rejected() -> None:
    (g,) = grounded(QUOTE, {"Q1": ("the mayor", "proclaimed")})
    assert g.cue is None
    assert any("cue 'proclaimed' is not in the sentence" in p for p in g.problems)


def test_null_words_are_not_problems() -> None:
    (g,) = grounded(QUOTE, {"Q1": ("null", None)})
    assert g.speaker is None and g.cue is None and g.problems == []


def test_pronoun_not_grounded_inside_another_word() -> None:
    text = "“We will rebuild the old bridge this year,” she said."
    (g,) = grounded(text, {"Q1": ("he", "said")})
    assert g.speaker is None


def test_anonymous_official_descriptor_reason_and_clustering() -> None:
    text = (
        "“The talks have failed,” a ministry official said, speaking on condition of anonymity "
        "because he was not authorized to speak publicly. “We will try again next week,” "
        "the official added."
    )
    q1, q2 = report(text, {"Q1": ("a ministry official", "said"), "Q2": ("the official", "added")})
    assert q1.anonymous and q2.anonymous
    assert q1.anonymity_descriptor is not None
    assert q1.anonymity_descriptor.text == "a ministry official"
    assert q1.anonymity_reason is not None
    assert q1.anonymity_reason.text.startswith("speaking on condition of anonymity because")
    assert q1.speaker_id == q2.speaker_id  # "the official" is the same ministry official
    assert q2.anonymity_reason == q1.anonymity_reason  # inherited from the entity


def test_named_speaker_is_not_anonymous() -> None:
    text = "“The talks have failed,” ministry spokesman Lee Kim said on Monday."
    (q,) = report(text, {"Q1": ("ministry spokesman Lee Kim", "said")})
    assert not q.anonymous and q.anonymity_descriptor is None


def test_relay_reported_by_state_media() -> None:
    text = (
        "The leader said the missile test was “a great success for the nation”, "
        "he was reported as saying by state-run KCNA."
    )
    (q,) = report(text, {"Q1": ("he", "was reported as saying")})
    assert [r.name for r in q.relay] == ["state-run KCNA"]
    assert q.type == QuoteType.mixed


def test_two_fragments_joined_and_own_cue_kept_separate() -> None:
    text = (
        "“The first thing is that we cannot wait any longer,” he said. "
        "“The second thing is that we will not go back.”\n"
        "“Nothing about this surprised the people of this town,” the mayor added."
    )
    quotes = report(
        text, {"Q1": ("he", "said"), "Q2": ("he", "said"), "Q3": ("the mayor", "added")}
    )
    assert len(quotes) == 2
    joined, separate = quotes
    assert [f.text for f in joined.fragments] == [
        "The first thing is that we cannot wait any longer",
        "The second thing is that we will not go back.",
    ]
    assert joined.type == QuoteType.direct
    assert separate.speaker_mention is not None and separate.speaker_mention.text == "the mayor"
    assert len(separate.fragments) == 1


def test_unattributed_short_quote_dropped_and_indirect_needs_both() -> None:
    text = (
        "The plan was called “a mess” by some.\n"
        "Officials said the budget would be cut next year by a lot."
    )
    items, sents = find_items(text)
    gs = [ground(text, sents, it, Attribution(speaker=None, cue=None, name=None)) for it in items]
    quotes, speakers = build_report(text, sents, gs)
    assert quotes == [] and speakers == []
    quotes = report(text, {"S1": ("Officials", "said")})
    (q,) = quotes
    assert q.type == QuoteType.indirect
    assert q.fragments[0].text == "the budget would be cut next year by a lot"


def test_plain_attributions_need_no_model() -> None:
    from quotecheck.quotes.candidates import find_items
    from quotecheck.quotes.rules import plain_attribution

    text = (
        "“We will open in May,” the mayor said on Tuesday.\n\n"
        "“Nobody asked us,” said Tom Berg, a resident.\n\n"
        "“It is late.” The mayor left.\n\n"
        "The plan was “a gift to developers”, she said."
    )
    items, _ = find_items(text, indirect=False)
    got = [plain_attribution(text, it) for it in items]
    assert [(s.text, c.text) for s, c in got[:2]] == [("the mayor", "said"), ("Tom Berg", "said")]
    for s, c in got[:2]:
        assert text[s.start : s.end] == s.text and text[c.start : c.end] == c.text
    assert got[2] is None  # ends with a full stop: a new sentence follows, ask the model
    assert got[3] is None  # a mixed quote: ask the model


def test_signed_quotes_take_the_name_after_the_dash() -> None:
    from quotecheck.quotes.rules import signed_quote

    text = (
        "Readers told us what the new ferry timetable means to them.\n"
        "“I get to work an hour earlier and my kids see me at dinner.” ― Marta Ilić\n"
        "“Nobody asked the night shift.”\u00a0— José de la Cruz, Harbour Road.\n"
        "“It is fine,” she said ― and then she left.\n"
        "“Late again.” — the bus, as usual"
    )
    items, _ = find_items(text, indirect=False)
    got = [signed_quote(text, it) for it in items]
    assert [s.text if s else None for s in got] == [
        "Marta Ilić",
        "José de la Cruz",
        None,  # the dash is not at the quote: an ordinary sentence
        None,  # no capitalised name after the dash
    ]
    quotes = report(text, {"Q1": ("Marta Ilić", None)})
    assert quotes[0].type == QuoteType.direct
    assert quotes[0].fragments[0].text.startswith("I get to work")


def test_whole_sentence_after_a_comma_is_direct_and_mixed_content_stops_at_the_clause() -> None:
    text = (
        "The councillor left the meeting early, tweeting, “Nobody listens here. I am done.”\n"
        "The mayor said the plan was “a gift to developers”, a charge her rivals deny.\n"
        "The mayor said the budget was “finally balanced” after two years of cuts."
    )
    tweet, gift, budget = report(
        text,
        {
            "Q1": ("The councillor", "tweeting"),
            "Q2": ("The mayor", "said"),
            "Q3": ("The mayor", "said"),
        },
    )
    assert tweet.type == QuoteType.direct
    assert tweet.fragments[0].text == "Nobody listens here. I am done."
    assert gift.type == QuoteType.mixed
    assert gift.fragments[0].text == "the plan was “a gift to developers”"
    assert budget.fragments[0].text == "the budget was “finally balanced” after two years of cuts"
