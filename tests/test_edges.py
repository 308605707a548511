"""Content edges of the tagger's attributions (``quotes.edges``): each convention on a sentence
of the project's own, the tagger's runs given by hand, the exact content asserted."""

from __future__ import annotations

from quotecheck.quotes import edges
from quotecheck.schema import Span
from quotecheck.text import find_quote_spans, sentences


def _span(text: str, words: str, after: int = 0) -> Span:
    s = text.index(words, after)
    return Span(start=s, end=s + len(words), text=words)


def _settle(text: str, source: str | None, cue: str, *content: str) -> list[str]:
    quoted = [(q.start, q.end) for q in find_quote_spans(text)]
    out = edges.settle(
        text,
        sentences(text),
        quoted,
        _span(text, source) if source else None,
        _span(text, cue),
        tuple(_span(text, c) for c in content),
    )
    for c in out:
        assert text[c.start : c.end] == c.text
    return [c.text for c in out]


def test_a_parenthetical_attribution_reports_both_sides_of_it() -> None:
    text = "The old pier, Ines Dahl said, would reopen in May."
    got = _settle(text, "Ines Dahl", "said", "would reopen in May")
    assert got == ["The old pier", "would reopen in May"]


def test_the_lead_of_a_parenthetical_drops_its_conjunction_and_keeps_an_aside_out() -> None:
    text = "But the night ferry, the harbour master told us on Monday, was always late."
    got = _settle(text, "the harbour master", "told", "was always late")
    assert got == ["the night ferry", "was always late"]


def test_no_lead_where_the_words_after_are_a_quotation_or_follow_without_a_comma() -> None:
    quote = "Later that evening, Ines Dahl said, “We are ready for the storm.”"
    assert _settle(quote, "Ines Dahl", "said", "We are ready for the storm.") == [
        "We are ready for the storm."
    ]
    plain = "In a short statement, Ines Dahl said the pier was safe."
    assert _settle(plain, "Ines Dahl", "said", "the pier was safe") == ["the pier was safe"]


def test_unquoted_words_after_a_quotation_and_its_attribution_are_not_content() -> None:
    text = "“The pier is safe,” said Olek Varn, on his first day as harbour master."
    got = _settle(
        text, "Olek Varn", "said", "The pier is safe,", "on his first day as harbour master"
    )
    assert got == ["The pier is safe,"]


def test_a_second_quotation_after_the_attribution_stays_content() -> None:
    text = "“The pier is safe,” said Olek Varn, “and the boats can sail.”"
    got = _settle(text, "Olek Varn", "said", "The pier is safe,", "and the boats can sail.")
    assert got == ["The pier is safe,", "and the boats can sail."]


def test_a_scene_setting_lead_before_the_source_is_not_content() -> None:
    text = "Looking ahead to the winter, Mara Quist explained why the ferry would stop."
    got = _settle(
        text, "Mara Quist", "explained", "Looking ahead to the winter", "why the ferry would stop"
    )
    assert got == ["why the ferry would stop"]


def test_a_lead_stays_where_the_cue_ends_its_clause() -> None:
    """In "X, she said." X is reported: nothing follows the cue, so the lead is the content."""
    text = "The timetable would change next week, Mara Quist said."
    got = _settle(text, "Mara Quist", "said", "The timetable would change next week")
    assert got == ["The timetable would change next week"]
