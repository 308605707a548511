"""Content spans that code sets for mixed quotations and reported speech (``content_span``):
the exact edges on sentences of the project's own, speaker and cue given as a rule or the model
would ground them."""

from __future__ import annotations

from quotecheck.quotes.assemble import content_span
from quotecheck.quotes.candidates import find_items
from quotecheck.quotes.grounding import Grounded
from quotecheck.schema import Span


def _span(text: str, words: str) -> Span:
    s = text.index(words)
    return Span(start=s, end=s + len(words), text=words)


def _mixed(text: str, speaker: str, cue: str) -> str:
    items, sents = find_items(text)
    (item,) = [it for it in items if it.kind == "Q"]
    assert item.quote is not None
    g = Grounded(item, speaker=_span(text, speaker), cue=_span(text, cue))
    span = content_span(text, sents[item.sentence], g, item.quote.start, item.quote.end)
    assert text[span.start : span.end] == span.text
    return span.text


def test_a_quotation_that_ends_its_sentence_ends_the_content() -> None:
    """The sentence splitter keeps ``.”`` and a capital together; the content stops at the
    quotation's full stop all the same."""
    text = "Ines Dahl said the night ferry was “late again.” Then the harbour closed early."
    assert _mixed(text, "Ines Dahl", "said") == "the night ferry was “late again.”"


def test_a_quotation_mid_clause_still_runs_to_the_clause_end() -> None:
    text = "Ines Dahl said the night ferry was “always late” on Sundays."
    assert _mixed(text, "Ines Dahl", "said") == "the night ferry was “always late” on Sundays"


def test_whom_it_was_told_to_is_not_content() -> None:
    text = "Olek Varn told a room of reporters that the pier was “safe for now.”"
    assert _mixed(text, "Olek Varn", "told") == "that the pier was “safe for now.”"
    comma = "Olek Varn told the harbour workers, “The pier is safe for now.”"
    assert _mixed(comma, "Olek Varn", "told") == "“The pier is safe for now.”"
