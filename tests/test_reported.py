"""Reported speech, labels and plain attributions settled in code (no model): who, how, what.

Sentences are written for these tests. Each rule must give the speaker, the cue and the
reported clause as spans that slice the text.
"""

from __future__ import annotations

import pytest

from quotecheck.quotes.candidates import find_items
from quotecheck.quotes.decide import by_rule, item_window
from quotecheck.quotes.reported import reported_speech
from quotecheck.quotes.rules import labelled_quote, plain_attribution


def _only_s(text: str):
    items, sents = find_items(text)
    (item,) = [it for it in items if it.kind == "S"]
    return reported_speech(text, sents[item.sentence], item), text


@pytest.mark.parametrize(
    ("sentence", "speaker", "cue", "content"),
    [
        (
            "According to the transport ministry, exports rose 4 percent in June.",
            "the transport ministry",
            "According to",
            ["exports rose 4 percent in June"],
        ),
        (
            "Exports rose 4 percent in June, according to the transport ministry.",
            "the transport ministry",
            "according to",
            ["Exports rose 4 percent in June"],
        ),
        (
            "The bridge will open in May, the harbour authority said.",
            "the harbour authority",
            "said",
            ["The bridge will open in May"],
        ),
        (
            "The bridge will open in May, said Ana Ruiz, the harbour's director.",
            "Ana Ruiz",
            "said",
            ["The bridge will open in May"],
        ),
        (
            "The union said on Monday that the strike would last a week.",
            "The union",
            "said",
            ["that the strike would last a week"],
        ),
        (
            "Mayor Lina Hart promised more buses but warned that fares would rise.",
            "Mayor Lina Hart",
            "promised",
            ["more buses"],
        ),
        (
            "The harbour master told a room of reporters that the pier would reopen.",
            "The harbour master",
            "told",
            ["that the pier would reopen"],
        ),
        (
            "The delay was first reported by The Harbour Ledger.",
            "The Harbour Ledger",
            "was first reported by",
            ["The delay"],
        ),
    ],
)
def test_reported_speech_rules(sentence, speaker, cue, content) -> None:
    found, text = _only_s(sentence)
    assert found is not None
    assert found.speaker is not None and found.speaker.text == speaker
    assert found.cue.text == cue
    assert [f.text for f in found.content] == content
    for span in (found.speaker, found.cue, *found.content):
        assert text[span.start : span.end] == span.text


def test_agentless_attribution_has_no_speaker() -> None:
    found, _ = _only_s("The new ferry is expected to enter service in the spring of next year.")
    assert found is not None and found.speaker is None
    assert found.cue.text == "is expected"
    assert [f.text for f in found.content] == [
        "The new ferry",
        "to enter service in the spring of next year",
    ]


def test_rule_leaves_the_unclear_to_the_model() -> None:
    found, _ = _only_s("Commuter groups criticised the decision on the ferry fares.")
    assert found is None  # no pattern settles it: the model is asked


def test_a_report_that_alleges_is_left_to_the_model() -> None:
    found, _ = _only_s("A 2021 audit highlighted a shipment that allegedly broke the rules.")
    assert found is None  # the audit is the source, not nobody


def test_label_given_by_a_group() -> None:
    text = "The vote ends a dispute, which critics call a \u201cbridge to nowhere\u201d."
    items, _ = find_items(text)
    (q,) = [it for it in items if it.kind == "Q"]
    speaker, cue = labelled_quote(text, q)
    assert (speaker.text, cue.text) == ("critics", "call")


def test_plain_attribution_with_a_title_before_the_name() -> None:
    text = "\u201cWe held fares as long as we could,\u201d board chair Marta Olsen told reporters."
    items, _ = find_items(text)
    speaker, cue = plain_attribution(text, items[0])
    assert (speaker.text, cue.text) == ("board chair Marta Olsen", "told reporters")


def test_plain_attribution_names_do_not_run_over_a_line_break() -> None:
    text = "\u201cWe will not sign this year,\u201d Tom\nBerg said."
    items, _ = find_items(text)
    assert plain_attribution(text, items[0]) is None  # "Tom\nBerg" is no one's name


def test_a_scare_quote_is_not_shown_the_headline_before_it() -> None:
    text = "Council approves bridge\n\nThe vote ends a dispute over the \u201cmega project\u201d."
    items, sents = find_items(text)
    (q,) = [it for it in items if it.kind == "Q"]
    lo, _ = item_window(text, sents, q)
    assert lo >= text.index("The vote")  # the headline is another paragraph: not its speaker
    assert by_rule(text, sents, q) is None


def _reported(sentence: str, cue: str, subject: str | None = None, content: str | None = None):
    """The one quote ``build_report`` makes of a reported-speech sentence whose cue (and, when
    given, subject and content) a rule, the tagger or the model grounded."""
    from quotecheck.quotes.assemble import build_report
    from quotecheck.quotes.candidates import Item
    from quotecheck.quotes.grounding import Grounded
    from quotecheck.schema import Span
    from quotecheck.text import sentences

    def at(words: str) -> Span:
        i = sentence.index(words)
        return Span(start=i, end=i + len(words), text=words)

    g = Grounded(
        Item("S1", "S", 0, len(sentence), 0),
        speaker=at(subject) if subject else None,
        cue=at(cue),
        content=(at(content),) if content else (),
    )
    (quote,), _ = build_report(sentence, sentences(sentence), [g])
    return quote


@pytest.mark.parametrize(
    ("sentence", "speaker", "cue"),
    [
        (
            "He has been harshly criticized for his climate policies.",
            "He",
            "has been harshly criticized",
        ),
        ("Mr. Ames was accused of using the funds for himself.", "Mr. Ames", "was accused of"),
        (
            "They have often been criticized for moving slowly.",
            "They",
            "have often been criticized",
        ),
        ("Asked about the vote, Lena Dahl shrugged and left the hall.", "Lena Dahl", "Asked about"),
        ("The mayor seems unsure that the plan will pass.", "The mayor", "seems"),
    ],
)
def test_a_cue_that_names_no_source_leaves_the_subject_unattributed(sentence, speaker, cue):
    """Whoever gave the speaker (the model, the tagger), a passive cue with no agent, an
    evidential or an unattributed question names no source: PolNeAR's convention."""
    quote = _reported(sentence, cue, subject=speaker)
    assert quote.speaker_mention is None and quote.cue is not None and quote.cue.text == cue
    assert quote.fragments and all(sentence[f.start : f.end] == f.text for f in quote.fragments)


def test_was_quoted_as_saying_keeps_its_subject_as_the_speaker() -> None:
    from quotecheck.text.lexicon import SOURCELESS_CUE

    assert SOURCELESS_CUE.fullmatch("was quoted as saying") is None
    assert SOURCELESS_CUE.fullmatch("was reported by") is None
    assert SOURCELESS_CUE.fullmatch("said") is None


@pytest.mark.parametrize(
    ("sentence", "subject", "cue", "agent"),
    [
        (
            "“Harbour Lights” was written by Mara Quist after the storm of 1998.",
            "“Harbour Lights”",
            "was written",
            "Mara Quist",
        ),
        (
            "His doubts were echoed by a group of ferry captains in the port.",
            "His doubts",
            "were echoed",
            "a group of ferry captains",
        ),
    ],
)
def test_a_passive_cue_names_its_agent_as_the_source(sentence, subject, cue, agent) -> None:
    """The passive names no source, unless "by" gives its agent: then the agent is it."""
    quote = _reported(sentence, cue, subject=subject)
    assert quote.speaker_mention is not None and quote.speaker_mention.text == agent
    m = quote.speaker_mention
    assert sentence[m.start : m.end] == agent


@pytest.mark.parametrize(
    ("sentence", "subject", "cue"),
    [
        ("The captains were worried that the pier would close.", "The captains", "were worried"),
        ("Ines Dahl is convinced the ferry will run again.", "Ines Dahl", "is convinced"),
    ],
)
def test_a_state_of_mind_keeps_its_subject_as_the_source(sentence, subject, cue) -> None:
    """A state of mind ("were worried") looks like a passive, but its subject holds the stance:
    it is the source."""
    quote = _reported(sentence, cue, subject=subject)
    assert quote.speaker_mention is not None and quote.speaker_mention.text == subject


@pytest.mark.parametrize(
    ("sentence", "cue", "source"),
    [
        (
            "Ines Dahl defended the timetable on Tuesday, explaining that the pier was old.",
            "explaining",
            "Ines Dahl",
        ),
        (
            "On Monday night, Olek Varn spoke for an hour, warning of a long winter.",
            "warning of",
            "Olek Varn",
        ),
        ("The board met twice, saying little.", "saying", None),  # no name, no pronoun
    ],
)
def test_a_participle_cue_reports_its_sentence_subject(sentence, cue, source) -> None:
    """In "X did Y, explaining Z", a participle cue with no source of its own takes the
    sentence's subject, a name or a personal pronoun."""
    content = sentence[sentence.index(cue) + len(cue) :].strip(" .")
    quote = _reported(sentence, cue, content=content)
    got = quote.speaker_mention.text if quote.speaker_mention else None
    assert got == source
