"""Evidence loading, passage splitting and BM25 retrieval; no model involved."""

from __future__ import annotations

import json

import pytest

from quotecheck.errors import BadInput
from quotecheck.factcheck.evidence import (
    EvidenceIndex,
    Source,
    load_sources,
    split_passages,
    split_sentences,
)

NOTE = (
    "The panel met in Geneva on 3 March 2021. Its report described a shipment of 14 cars. "
    "The cars were worth more than $1m. They travelled by sea from Dubai.\n\n"
    "A second section covers banking. Transfers went through three shell companies."
)


def test_sentences_slice_back():
    spans = split_sentences(NOTE)
    assert len(spans) == 6
    assert spans[1].text == "Its report described a shipment of 14 cars."
    for s in spans:
        assert NOTE[s.start : s.end] == s.text


def test_passages_respect_word_budget_offsets_and_overlap():
    src = Source("note", NOTE)
    passages = split_passages(src, max_words=20, overlap=1)
    assert len(passages) > 1
    for p in passages:
        assert NOTE[p.start : p.end] == p.text
        assert p.source_id == "note"
    # every sentence lands in some passage; neighbours share one sentence
    for s in split_sentences(NOTE):
        assert any(p.start <= s.start and s.end <= p.end for p in passages)
    assert passages[1].start < passages[0].end


def test_overlong_sentence_is_its_own_passage():
    long = "word " * 150 + "end."
    passages = split_passages(Source("x", long.strip() + " Short one here."), max_words=80)
    assert passages[0].text.endswith("end.")
    assert passages[-1].text.endswith("Short one here.")


def test_load_sources_from_files_folders_and_jsonl(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Alpha fact one.", "utf-8")
    (tmp_path / "docs" / "sub").mkdir()
    (tmp_path / "docs" / "sub" / "b.md").write_text("# Beta\n\nBeta fact two.", "utf-8")
    (tmp_path / "docs" / "c.html").write_text(
        "<p>Gamma <b>fact</b> three.</p><script>x</script>", "utf-8"
    )
    (tmp_path / "docs" / "ignored.png").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / "docs" / "bin.txt").write_bytes(b"abc\x00def")
    (tmp_path / "docs" / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    lines = [
        json.dumps({"id": "d1", "text": "Delta fact four.", "url": "https://example.org/d1"}),
        "{not json",
        json.dumps({"id": "d2", "html": "<p>Epsilon fact five.</p>"}),
        json.dumps({"id": "d3"}),
    ]
    (tmp_path / "more.jsonl").write_text("\n".join(lines), "utf-8")
    warnings: list[str] = []
    sources = load_sources([tmp_path / "docs", tmp_path / "more.jsonl"], warnings)
    by_id = {s.id: s for s in sources}
    assert set(by_id) == {"a.txt", "c.html", "sub/b.md", "more.jsonl#d1", "more.jsonl#d2"}
    assert by_id["c.html"].text == "Gamma fact three."
    assert by_id["more.jsonl#d1"].url == "https://example.org/d1"
    assert by_id["more.jsonl#d2"].text == "Epsilon fact five."
    joined = "\n".join(warnings)
    assert "bin.txt" in joined and "latin.txt" in joined and "UTF-8" in joined
    assert "more.jsonl:2" in joined and "more.jsonl:4" in joined


def test_missing_path_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="no such file"):
        load_sources([tmp_path / "nope"])


def test_retrieval_ranks_the_passage_that_answers():
    sources = [
        Source("sanctions", NOTE),
        Source("sport", "The football team won the cup final on Sunday after extra time."),
        Source("weather", "Heavy rain is expected in the north of the country this week."),
    ]
    index = EvidenceIndex.build(sources)
    hits = index.search("How much were the cars in the shipment worth?", k=2)
    assert hits and hits[0].passage.source_id == "sanctions"
    assert hits == sorted(hits, key=lambda h: -h.score)
    assert (
        index.relevant("The cup final was decided after extra time.")[0].passage.source_id
        == "sport"
    )


def test_unrelated_claim_has_no_relevant_passage():
    index = EvidenceIndex.build([Source("sanctions", NOTE)])
    assert index.relevant("The president visited a hospital in Lagos.") == []
    assert index.search("") == []


def test_empty_index_returns_nothing():
    index = EvidenceIndex.build([])
    assert index.passages == [] and index.search("cars worth $1m") == []


def test_thousands_of_documents():
    """Retrieval stays correct when the answer is one document among thousands."""
    topics = ["harbour", "railway", "budget", "school", "hospital", "bridge", "airport", "museum"]
    sources = [
        Source(f"doc{i}", f"The {topics[i % 8]} committee met {i} times in district {i % 97}.")
        for i in range(3000)
    ]
    sources.append(Source("needle", "The Aurus limousine arrived in Pyongyang in February."))
    index = EvidenceIndex.build(sources)
    assert len(index.passages) == 3001
    top = index.relevant("An Aurus limousine arrived in Pyongyang.", k=3)
    assert top[0].passage.source_id == "needle"


def test_two_shared_common_words_do_not_make_a_long_claim_relevant():
    index = EvidenceIndex.build([Source("sanctions", NOTE)])
    claim = "The cars and the panel have become increasingly close to banks over the past decade."
    assert index.search(claim)  # BM25 finds something ...
    assert index.relevant(claim) == []  # ... but too little of the claim is in it
    assert index.relevant("The shipment had 14 cars.")[0].passage.source_id == "sanctions"
