"""The deterministic quotation-span finder, sentence splitter and ``locate``: no model needed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quotecheck.text.spans import find_quote_spans, locate, paragraphs, sentences

MARKS = "\"'“”„«»‘’‹›‟"


def inners(text: str) -> list[str]:
    return [s.inner(text) for s in find_quote_spans(text)]


def test_straight_double_quotes() -> None:
    text = 'The mayor said "we will rebuild the bridge" on Monday.'
    (span,) = find_quote_spans(text)
    assert span.inner(text) == "we will rebuild the bridge"
    assert text[span.start] == '"' and text[span.end - 1] == '"'
    assert span.closed


def test_curly_quotes_keep_apostrophes_inside() -> None:
    text = "“Russia’s economy is not the cat’s toy,” he said."
    assert inners(text) == ["Russia’s economy is not the cat’s toy"]


def test_guillemets() -> None:
    text = "«Nous allons reconstruire le pont», a dit le maire."
    assert inners(text) == ["Nous allons reconstruire le pont"]


def test_single_quotes_vs_apostrophes() -> None:
    assert inners("She said 'we will win this' loudly.") == ["we will win this"]
    # apostrophes alone never open a quotation
    assert find_quote_spans("It's Russia's fault, isn't it? The ministers' plan failed.") == []
    assert find_quote_spans("Russia’s president and the ministers’ aides met.") == []


def test_nested_quote_recorded_inside_parent() -> None:
    text = "“He told me ‘never again’ before he left,” she said."
    (span,) = find_quote_spans(text)
    assert span.inner(text) == "He told me ‘never again’ before he left"
    (nested,) = span.nested
    assert text[nested[0] : nested[1]] == "‘never again’"
    assert span.start < nested[0] < nested[1] <= span.end


def test_multi_paragraph_quote_continues() -> None:
    text = "“The first part of the statement runs on.\n“And the second part ends it,” he said."
    first, second = find_quote_spans(text)
    assert not first.closed and first.continues
    assert first.inner(text) == "The first part of the statement runs on."
    assert second.closed and not second.continues
    assert second.inner(text) == "And the second part ends it"


def test_unbalanced_mark_ends_at_paragraph() -> None:
    text = "“This quote never closes and the paragraph ends\nA new paragraph with no marks."
    (span,) = find_quote_spans(text)
    assert not span.closed and not span.continues
    assert span.end == text.index("\n")


def test_two_quotes_in_one_sentence_pair() -> None:
    text = "“A first thing,” he said. “A second thing.”"
    assert inners(text) == ["A first thing", "A second thing."]


marked_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(MARKS) + [" ", "\n", ".", ",", "?", "!"]),
        st.characters(codec="utf-8"),
    ),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(marked_text)
def test_spans_always_slice_back(text: str) -> None:
    previous_end = 0
    for span in find_quote_spans(text):
        assert 0 <= span.start < span.end <= len(text)
        assert span.start <= span.inner_start <= span.inner_end <= span.end
        assert span.start >= previous_end  # top-level spans do not overlap
        previous_end = span.end
        assert text[span.start] in MARKS
        for a, b in span.nested:
            assert span.start < a < b <= span.end


@settings(max_examples=200, deadline=None)
@given(marked_text)
def test_lone_marks_do_not_crash(text: str) -> None:
    for mark in MARKS:
        find_quote_spans(mark + text)
        find_quote_spans(text + mark)


@settings(max_examples=300, deadline=None)
@given(marked_text)
def test_sentences_cover_their_paragraph(text: str) -> None:
    paras = paragraphs(text)
    sents = sentences(text)
    for pi, para in enumerate(paras):
        mine = [s for s in sents if s.paragraph == pi]
        assert mine, "every paragraph has at least one sentence"
        assert mine[0].start == para.start and mine[-1].end == para.end
        for a, b in zip(mine, mine[1:], strict=False):
            assert a.end <= b.start
            assert text[a.end : b.start].strip() == ""  # only whitespace between sentences


def test_sentence_split_respects_abbreviations_and_quotes() -> None:
    text = "Mr. Smith went home. He said “Stop. Now.” Then he left! Really?"
    got = [text[s.start : s.end] for s in sentences(text)]
    assert got == ["Mr. Smith went home.", "He said “Stop. Now.” Then he left!", "Really?"]


def test_locate_curly_vs_straight() -> None:
    text = "Later he said “we’ll win” and left."
    hit = locate(text, '"we\'ll win"', 0, len(text), 0)
    assert hit is not None
    assert text[hit[0] : hit[1]] == "“we’ll win”"


def test_locate_case_and_whitespace_and_nearest() -> None:
    text = "He said  it.\nLater HE SAID it again."
    hit = locate(text, "he said", 0, len(text), len(text))
    assert hit is not None and text[hit[0] : hit[1]] == "HE SAID"
    hit = locate(text, "he   said", 0, 12, 0)
    assert hit is not None and text[hit[0] : hit[1]] == "He said"
    assert locate(text, "she said", 0, len(text), 0) is None
    assert locate(text, "   ", 0, len(text), 0) is None


quote_chars = st.sampled_from(list("abc ’‘'\"“”"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=quote_chars, min_size=1, max_size=40), st.data())
def test_locate_offsets_slice_original(text: str, data: st.DataObject) -> None:
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    a = data.draw(st.integers(lo, hi))
    b = data.draw(st.integers(a, hi))
    original = text[a:b]
    # the model re-types curly marks as straight ones
    needle = original.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))
    hit = locate(text, needle, lo, hi, a)
    if not original.strip():
        assert hit is None
        return
    stripped_a = a + len(original) - len(original.lstrip())
    stripped_b = b - (len(original) - len(original.rstrip()))
    cuts_word = (
        stripped_a > 0 and text[stripped_a - 1].isalnum() and text[stripped_a].isalnum()
    ) or (stripped_b < len(text) and text[stripped_b].isalnum() and text[stripped_b - 1].isalnum())
    if cuts_word:
        return  # a piece of a word is never a mention: nothing to require here
    assert hit is not None
    s, e = hit
    assert not (s > 0 and text[s - 1].isalnum() and text[s].isalnum())
    assert lo <= s <= e <= hi
    found = text[s:e].translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))
    assert " ".join(found.lower().split()) == " ".join(needle.strip().lower().split())
