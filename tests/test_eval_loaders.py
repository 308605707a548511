"""Gold loaders, fact-check metrics and the saved-predictions round trip, on tiny files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotecheck.errors import BadInput
from quotecheck.evaluation import factcheck_eval as fe
from quotecheck.evaluation.factcheck_sets import (
    NEI,
    REFUTED,
    SUPPORTED,
    chunk,
    load_set,
)
from quotecheck.evaluation.runner import predict, read_predictions, score
from quotecheck.text import load_gold

TEXT = 'The council voted on Tuesday. "It passed easily," said Councillor Okafor.'


def _att(text: str, piece: str, source: str | None, quote_type: str) -> dict:
    c0 = text.index(piece)
    src = []
    if source:
        s0 = text.index(source)
        src = [{"start": s0, "end": s0 + len(source), "text": source}]
    return {
        "id": "E1",
        "source": src,
        "cue": [],
        "content": [{"start": c0, "end": c0 + len(piece), "text": piece}],
        "derived": {"quote_type": quote_type, "source_is_pronoun": False, "has_source": bool(src)},
    }


def _gold_file(tmp_path: Path) -> Path:
    rows = [
        {
            "doc_id": "a_1", "is_primary": True, "publisher": "gazette", "text": TEXT,
            "attributions": [
                _att(TEXT, '"It passed easily,"', "Councillor Okafor", "direct"),
                {"id": "E0", "source": [], "cue": [], "content": [], "derived": {}},
            ],
        },
        {"doc_id": "a_2", "is_primary": False, "publisher": "gazette", "text": TEXT,
         "attributions": []},
        {"doc_id": "b_1", "is_primary": True, "publisher": "herald", "text": "No quotes here.",
         "attributions": []},
    ]  # fmt: skip
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    return path


def test_polnear_loader_keeps_primary_rows_and_drops_contentless(tmp_path: Path) -> None:
    docs = load_gold(_gold_file(tmp_path))
    assert [d.doc_id for d in docs] == ["a_1", "b_1"]
    (att,) = docs[0].attributions
    assert TEXT[att.content[0][0] : att.content[0][1]] == '"It passed easily,"'
    assert att.source_text == "Councillor Okafor" and att.has_source
    assert [d.doc_id for d in load_gold(_gold_file(tmp_path), limit=1)] == ["a_1"]


def test_polnear_loader_rejects_bad_files(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not found"):
        load_gold(tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(BadInput, match="bad.jsonl:1"):
        load_gold(bad)
    other = tmp_path / "other.jsonl"
    other.write_text('{"claim": "x"}\n', encoding="utf-8")
    with pytest.raises(BadInput, match="PolNeAR"):
        load_gold(other)


async def test_regex_predictions_round_trip_and_rescore(tmp_path: Path) -> None:
    docs = load_gold(_gold_file(tmp_path))
    out = tmp_path / "pred.jsonl"
    preds = await predict(docs, "regex", out_path=out)
    assert len(preds) == 2 and all(p.report is not None for p in preds)
    saved = read_predictions(out)
    assert saved["a_1"].report == preds[0].report
    scores, warnings = score(docs, saved, ["quotes", "all"])
    m = scores["quotes"].to_dict()["overall"]
    assert m["f1"] == 1.0 and m["speaker_accuracy"] == 1.0 and not warnings
    partial, warnings = score(docs, {"a_1": saved["a_1"]}, ["all"])
    assert partial["all"].overall.articles == 1 and "1 gold articles" in warnings[0]


def test_rescore_rejects_foreign_predictions(tmp_path: Path) -> None:
    docs = load_gold(_gold_file(tmp_path))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "a_1", "report": {"quotes": 3}}\n', encoding="utf-8")
    with pytest.raises(BadInput, match="cannot read"):
        read_predictions(bad)
    with pytest.raises(BadInput, match="no prediction"):
        score(docs, {}, ["all"])


def _write(path: Path, data: object, jsonl: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if jsonl:
        path.write_text("\n".join(json.dumps(r) for r in data), encoding="utf-8")
    else:
        path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def factcheck_root(tmp_path: Path) -> Path:
    root = tmp_path / "factcheck"
    summ = [
        {"id": "s1", "doc": "Ana: The ferry leaves at nine.", "summary": "It leaves at nine.",
         "label": "1"},
        {"id": "s2", "doc": "Ana: The ferry leaves at nine.", "summary": "It leaves at ten.",
         "label": 0},
    ]  # fmt: skip
    _write(root / "summedits/summedits_qmsumm.json", summ, jsonl=False)
    wice = [
        {"label": "supported", "claim": "A", "evidence": ["s0", "s1"], "meta": {"id": "w1"}},
        {"label": "partially_supported", "claim": "B", "evidence": "['s2']", "meta": {}},
        {"label": "not_supported", "claim": "C", "evidence": [], "meta": {"id": "w3"}},
    ]
    _write(root / "wice/entailment_retrieval_claim_dev.jsonl", wice, jsonl=True)
    ave = [
        {"id": 0, "claim": "X", "label": "Refuted",
         "evidence_qa": [{"question": "Q1?", "answer": "A1."}]},
        {"id": 2, "claim": "Y", "label": "Conflicting Evidence/Cherrypicking", "evidence_qa": []},
    ]  # fmt: skip
    _write(root / "averitec/dev_even_ids_gold_evidence.jsonl", ave, jsonl=True)
    return root


def test_factcheck_loaders_map_labels(factcheck_root: Path) -> None:
    summ = load_set("summedits-meeting", factcheck_root)
    assert [i.label for i in summ] == [SUPPORTED, REFUTED]
    assert summ[0].passages == ("Ana: The ferry leaves at nine.",)
    wice = load_set("wice", factcheck_root)
    assert [i.label for i in wice] == [SUPPORTED, NEI, NEI]
    assert wice[1].passages == ("s2",) and wice[0].id == "w1"
    ave = load_set("averitec", factcheck_root, limit=1)
    assert len(ave) == 1 and ave[0].label == REFUTED and "Q: Q1?" in ave[0].passages[0]
    assert load_set("averitec", factcheck_root)[1].label == "conflicting"
    with pytest.raises(BadInput, match="not found"):
        load_set("summedits-podcast", factcheck_root)


def test_chunk_keeps_every_word_within_size() -> None:
    text = " ".join(f"w{i}" for i in range(500)) + "\nshort line\n"
    parts = chunk(text, size=100)
    assert all(len(p) <= 100 for p in parts)
    assert " ".join(parts).split() == text.split()


def test_classification_metrics_on_known_answers() -> None:
    gold = [SUPPORTED, SUPPORTED, REFUTED, NEI]
    pred = [SUPPORTED, REFUTED, REFUTED, REFUTED]
    assert fe.label_accuracy(gold, pred) == 0.5
    # F1: supported 2/3, refuted 2*1/(3+1)=0.5, nei 0
    assert fe.macro_f1(gold, pred) == pytest.approx((2 / 3 + 0.5 + 0) / 3)
    # supported recall 1/2, not-supported recall 2/2
    assert fe.balanced_accuracy(gold, pred) == pytest.approx(0.75)
    assert fe.balanced_accuracy([SUPPORTED], [SUPPORTED]) is None


def test_majority_baseline_has_half_balanced_accuracy(factcheck_root: Path) -> None:
    items = load_set("wice", factcheck_root)
    labels = fe.majority_labels(items)
    assert labels == [NEI] * 3
    assert fe.summary([i.label for i in items], labels)["balanced_accuracy"] == 0.5


def test_every_spreads_the_sample_over_the_set(factcheck_root: Path) -> None:
    all_items = load_set("averitec", factcheck_root)
    assert [i.id for i in load_set("averitec", factcheck_root, every=2)] == [
        i.id for i in all_items[::2]
    ]
    assert len(load_set("averitec", factcheck_root, every=2, limit=1)) == 1


def test_review_and_failures_always_count_wrong() -> None:
    gold = [SUPPORTED, REFUTED, REFUTED, SUPPORTED]
    assert fe.balanced_accuracy(gold, [SUPPORTED, REFUTED, "not_enough_evidence", SUPPORTED]) == 1
    # sending the hard items to review, or failing on them, cannot raise a score
    assert fe.balanced_accuracy(gold, [SUPPORTED, fe.REVIEW, fe.FAILED, SUPPORTED]) == 0.5
    low, high = fe.bootstrap_interval(gold, [SUPPORTED, REFUTED, SUPPORTED, REFUTED])
    assert 0 <= low <= 0.5 <= high <= 1
    assert fe.expected_calibration_error([SUPPORTED, REFUTED], [1.0, 0.0]) == 0.0
    assert abs(fe.expected_calibration_error([SUPPORTED, REFUTED], [0.55, 0.55]) - 0.05) < 1e-9


async def test_runner_records_article_errors_and_stops_on_fatal_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quotecheck.errors import EndpointUnavailable
    from quotecheck.evaluation import runner

    docs = load_gold(_gold_file(tmp_path))
    seen: list[str] = []

    async def pipeline(doc, llm, indirect=True):
        seen.append(doc.doc_id)
        if doc.doc_id == "a_1":
            raise BadInput("text is binary: pass UTF-8 text")
        raise EndpointUnavailable("no server at 127.0.0.1:9: start it")

    monkeypatch.setattr(runner, "_make_llm", lambda config: None)
    monkeypatch.setattr(runner, "_pipeline", pipeline)
    out = tmp_path / "pred.jsonl"
    with pytest.raises(EndpointUnavailable):
        await predict(docs, "pipeline", out_path=out)
    assert seen == ["a_1", "b_1"]
    saved = read_predictions(out)  # the article done before the fatal error is kept
    assert list(saved) == ["a_1"] and saved["a_1"].report is None
    assert saved["a_1"].error.startswith("BadInput: text is binary")
