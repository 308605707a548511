"""Which spans and sentences become questions for the model, and how they are chunked."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quotecheck.quotes.candidates import chunk, find_items, mark


def test_headline_duplicate_skipped() -> None:
    head = "Mayor says “the bridge will reopen”"
    text = f"{head}\n{head}\nThe council met on Monday to discuss the repairs."
    items, _ = find_items(text)
    quotes = [it for it in items if it.kind == "Q"]
    assert len(quotes) == 1
    # the scraped repetition is skipped; the last copy is kept
    assert quotes[0].start > text.index("\n")


def test_scare_quotes_and_titles_filtered() -> None:
    text = (
        "The so-called “Green Mile” project began in 2019. "
        "Critics watched the film “Jaws” twice.\n"
        "“We will finish the Green Mile by June,” the mayor said."
    )
    items, _ = find_items(text, indirect=False)
    got = [text[it.start : it.end] for it in items]
    assert got == ["“We will finish the Green Mile by June,”"]


def test_short_quote_kept_when_sentence_has_cue() -> None:
    text = "The minister said the plan was “dead on arrival” yesterday."
    items, _ = find_items(text, indirect=False)
    assert [text[it.start : it.end] for it in items] == ["“dead on arrival”"]


def test_s_candidates_need_a_cue_word() -> None:
    text = (
        "Officials said the budget would be cut next year.\n"
        "The river rose three metres over the weekend after storms.\n"
        "According to the ministry, exports rose four percent in June."
    )
    items, _ = find_items(text)
    got = [(it.id, text[it.start : it.end]) for it in items]
    assert got == [
        ("S1", "Officials said the budget would be cut next year."),
        ("S2", "According to the ministry, exports rose four percent in June."),
    ]
    assert find_items(text, indirect=False)[0] == []


def test_sentence_with_a_quote_is_not_also_an_s_item() -> None:
    text = "“We will rebuild the bridge this summer,” the mayor said on Monday."
    items, _ = find_items(text)
    assert [it.kind for it in items] == ["Q"]


def test_ids_follow_text_order() -> None:
    text = (
        "Officials said the budget would be cut next year.\n"
        "“We will cut the budget by ten percent,” the mayor said.\n"
        "Union leaders warned that the strike could last weeks."
    )
    items, _ = find_items(text)
    assert [it.id for it in items] == ["S1", "Q1", "S2"]
    assert [it.start for it in items] == sorted(it.start for it in items)


def test_mark_inserts_markers_before_items() -> None:
    text = "Intro line.\n“We will win the vote tomorrow,” she said.\nOfficials said it was close."
    items, _ = find_items(text)
    marked = mark(text, items, 0, len(text))
    assert "[Q1]“We will win" in marked
    assert "[S1]Officials said" in marked
    assert marked.replace("[Q1]", "").replace("[S1]", "") == text


para = st.text(alphabet=st.sampled_from(list("abc said “”. ")), min_size=1, max_size=60).filter(
    lambda s: s.strip() != ""
)


@settings(max_examples=200, deadline=None)
@given(st.lists(para, min_size=1, max_size=25), st.integers(20, 400))
def test_chunking_puts_every_item_in_exactly_one_chunk(paras: list[str], max_chars: int) -> None:
    text = "\n".join(paras)
    items, _ = find_items(text)
    chunks = chunk(text, items, max_chars=max_chars, context_chars=50)
    placed = [id(it) for c in chunks for it in c.items]
    assert sorted(placed) == sorted(id(it) for it in items)
    for c in chunks:
        assert 0 <= c.context_start <= c.start < c.end <= len(text)
        for it in c.items:
            assert c.start <= it.start < c.end


def test_long_article_is_split_into_several_chunks() -> None:
    paras = [f"Official number {i} said the plan would cost more money." for i in range(40)]
    text = "\n".join(paras)
    items, _ = find_items(text)
    chunks = chunk(text, items, max_chars=500, context_chars=100)
    assert len(chunks) > 1
    assert all(c.end - c.start <= 500 for c in chunks)
    assert sum(len(c.items) for c in chunks) == len(items) == 40
