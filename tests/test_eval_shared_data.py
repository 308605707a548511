"""The scorer and loaders on the real shared data (skipped when ../shared/data is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotecheck.evaluation.baselines import regex_quotes
from quotecheck.evaluation.factcheck_sets import SETS, load_set
from quotecheck.evaluation.scoring import metrics, score_corpus
from quotecheck.schema import Quote, QuoteReport, Span
from quotecheck.text import GoldDoc, load_gold

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEV = DATA / "polnear" / "jsonl" / "dev.jsonl"
needs_polnear = pytest.mark.skipif(not DEV.is_file(), reason=f"PolNeAR dev split not at {DEV}")
needs_factcheck = pytest.mark.skipif(
    not (DATA / "factcheck").is_dir(), reason=f"fact-check sets not at {DATA / 'factcheck'}"
)


def _oracle(doc: GoldDoc) -> QuoteReport:
    """The gold itself written as a report, the way a perfect system would answer."""
    quotes = []
    for n, g in enumerate(doc.attributions):
        frags = [Span(start=s, end=e, text=doc.text[s:e]) for s, e in g.content]
        src = g.source[0] if g.source else None
        cue = g.cue[0] if g.cue else None
        quotes.append(
            Quote(
                id=f"q{n}",
                type=g.quote_type,
                fragments=frags,
                text=" … ".join(f.text for f in frags),
                speaker_mention=Span(start=src[0], end=src[1], text=doc.text[src[0] : src[1]])
                if src
                else None,
                cue=Span(start=cue[0], end=cue[1], text=doc.text[cue[0] : cue[1]]) if cue else None,
                confidence=1.0,
                verbatim=True,
            )
        )
    return QuoteReport(text_sha256="0" * 64, text_length=len(doc.text), quotes=quotes)


@pytest.fixture(scope="module")
def dev() -> list[GoldDoc]:
    return load_gold(DEV)


@needs_polnear
def test_dev_split_has_84_primary_articles(dev: list[GoldDoc]) -> None:
    assert len(dev) == 84 and len({d.publisher for d in dev}) == 7
    assert sum(len(d.attributions) for d in dev) > 2000


@needs_polnear
@pytest.mark.parametrize("view", ["quotes", "all"])
def test_gold_as_prediction_scores_one_on_dev(dev: list[GoldDoc], view: str) -> None:
    m = metrics(score_corpus(((d, _oracle(d), False) for d in dev), view).overall)
    for key in ("f1", "exact_f1", "char_precision", "char_recall", "end_to_end_f1"):
        assert m[key] == pytest.approx(1.0), key


@needs_polnear
def test_regex_baseline_reports_slice_back_on_dev(dev: list[GoldDoc]) -> None:
    for doc in dev:
        for q in regex_quotes(doc.text).quotes:
            assert all(doc.text[f.start : f.end] == f.text for f in q.fragments)
            m = q.speaker_mention
            assert m is None or doc.text[m.start : m.end] == m.text


@needs_factcheck
@pytest.mark.parametrize("name", SETS)
def test_factcheck_sets_load_in_full(name: str) -> None:
    expected = {"summedits-podcast": 500, "summedits-meeting": 431, "wice": 349, "averitec": 250}
    items = load_set(name, DATA / "factcheck")
    assert len(items) == expected[name]
    assert all(i.claim.strip() and i.passages for i in items[:50])
