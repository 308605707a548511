"""The PolNeAR scorer on hand-made articles: each rule of the convention, one case each."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotecheck.evaluation.matching import max_weight_matching
from quotecheck.evaluation.scoring import (
    metrics,
    names_match,
    overlap_f1,
    score_corpus,
    score_document,
    trimmed_chars,
)
from quotecheck.schema import Quote, QuoteReport, Span
from quotecheck.text import GoldAttribution, GoldDoc

TEXT = (
    'Ms. Alvarez said the bridge would reopen in May. "We are on schedule," she added. '
    'The mayor told reporters that costs had "roughly doubled" since spring. '
    "Residents were told the detour would stay."
)


def at(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def gold(
    content: list[tuple[int, int]],
    source: tuple[int, int] | None,
    cue: tuple[int, int] | None,
    quote_type: str,
    *,
    pronoun: bool = False,
    text: str = TEXT,
) -> GoldAttribution:
    return GoldAttribution(
        id="g",
        content=tuple(content),
        source=(source,) if source else (),
        cue=(cue,) if cue else (),
        source_text=text[source[0] : source[1]] if source else "",
        quote_type=quote_type,
        has_source=source is not None,
        source_is_pronoun=pronoun,
    )


def span(text: str, bounds: tuple[int, int] | None) -> Span | None:
    return (
        Span(start=bounds[0], end=bounds[1], text=text[bounds[0] : bounds[1]]) if bounds else None
    )


def quote(
    content: list[tuple[int, int]],
    *,
    speaker: tuple[int, int] | None = None,
    name: str | None = None,
    cue: tuple[int, int] | None = None,
    qtype: str = "direct",
    text: str = TEXT,
) -> Quote:
    frags = [span(text, c) for c in content]
    return Quote(
        id="p",
        type=qtype,
        fragments=frags,
        text=" … ".join(f.text for f in frags),
        speaker_mention=span(text, speaker),
        speaker_name=name or (text[speaker[0] : speaker[1]] if speaker else None),
        cue=span(text, cue),
        confidence=1.0,
        verbatim=True,
    )


def report(quotes: list[Quote], text: str = TEXT) -> QuoteReport:
    return QuoteReport(text_sha256="0" * 64, text_length=len(text), quotes=quotes)


G_ALVAREZ = gold(
    [at(TEXT, "the bridge would reopen in May")],
    at(TEXT, "Ms. Alvarez"),
    at(TEXT, "said"),
    "indirect",
)
G_SHE = gold(
    [at(TEXT, '"We are on schedule,"')], at(TEXT, "she"), at(TEXT, "added"), "direct", pronoun=True
)
G_MAYOR = gold(
    [at(TEXT, 'that costs had "roughly doubled" since spring')],
    at(TEXT, "The mayor"),
    at(TEXT, "told reporters"),
    "mixed",
)
G_NOSRC = gold([at(TEXT, "the detour would stay")], None, at(TEXT, "were told"), "indirect")
DOC = GoldDoc("d1", "pub", TEXT, (G_ALVAREZ, G_SHE, G_MAYOR, G_NOSRC))


def as_prediction(g: GoldAttribution) -> Quote:
    return quote(
        list(g.content),
        speaker=g.source[0] if g.source else None,
        cue=g.cue[0] if g.cue else None,
        qtype=g.quote_type,
    )


@pytest.mark.parametrize("view", ["quotes", "all"])
def test_gold_as_prediction_scores_one_everywhere(view: str) -> None:
    m = metrics(score_document(DOC, report([as_prediction(g) for g in DOC.attributions]), view))
    for key in (
        "precision", "recall", "f1", "exact_f1", "char_precision", "char_recall",
        "speaker_accuracy", "end_to_end_f1", "cue_accuracy", "type_accuracy",
        "direct_verbatim_share",
    ):  # fmt: skip
        assert m[key] == 1.0, key
    assert m["speaker_pronoun"] == 1.0
    if view == "all":
        assert m["speaker_named"] == 1.0 and m["speaker_no_source"] == 1.0
    else:
        assert m["gold"] == 2 and m["speaker_no_source"] is None


def test_empty_prediction_scores_zero_and_undefined_rates_are_none() -> None:
    m = metrics(score_document(DOC, report([]), "all"))
    assert m["recall"] == 0.0 and m["f1"] == 0.0 and m["end_to_end_f1"] == 0.0
    assert m["precision"] is None and m["speaker_accuracy"] is None


def test_missing_report_counts_as_failed_and_empty() -> None:
    c = score_document(DOC, None, "all", failed=True)
    assert c.failed_articles == 1 and c.pred == 0 and c.gold == 4


def _overlap_case(pred_len: int) -> float | None:
    """Gold is 20 characters; the prediction is its first ``pred_len`` characters."""
    text = "x" * 10 + "abcdefghijklmnopqrst" + "y" * 30
    g = gold([(10, 30)], None, None, "direct", text=text)
    p = quote([(10, 10 + pred_len)], text=text)
    c = score_document(GoldDoc("d", "p", text, (g,)), report([p], text), "all")
    return metrics(c)["f1"]


def test_overlap_just_above_and_below_half() -> None:
    # overlap F1 = 2*len / (len + 20): 7 chars -> 0.519 (match), 6 chars -> 0.4615 (no match)
    assert overlap_f1(frozenset(range(7)), frozenset(range(20))) > 0.5
    assert _overlap_case(7) == 1.0
    assert overlap_f1(frozenset(range(6)), frozenset(range(20))) < 0.5
    assert _overlap_case(6) == 0.0


def test_two_predictions_on_one_gold_count_once() -> None:
    g = G_SHE
    twice = [as_prediction(g), as_prediction(g)]
    m = metrics(score_document(GoldDoc("d", "p", TEXT, (g,)), report(twice), "all"))
    assert m["matched"] == 1 and m["precision"] == 0.5 and m["recall"] == 1.0


def test_exact_match_ignores_edge_punctuation_and_quote_marks() -> None:
    inner = at(TEXT, "We are on schedule")
    p = quote([inner], speaker=at(TEXT, "she"))
    m = metrics(score_document(GoldDoc("d", "p", TEXT, (G_SHE,)), report([p]), "all"))
    assert m["exact_f1"] == 1.0
    shorter = quote([(inner[0], inner[1] - 3)], speaker=at(TEXT, "she"))
    m = metrics(score_document(GoldDoc("d", "p", TEXT, (G_SHE,)), report([shorter]), "all"))
    assert m["f1"] == 1.0 and m["exact_f1"] == 0.0


def test_trimmed_chars_strips_curly_marks_and_space() -> None:
    text = " \u201cYes.\u201d "
    assert trimmed_chars(text, [(0, len(text))]) == frozenset(range(2, 5))


def test_multi_fragment_gold_is_the_union_of_its_fragments() -> None:
    text = '"First part," she said. "Second part."'
    f1, f2 = at(text, '"First part,"'), at(text, '"Second part."')
    g = gold([f1, f2], at(text, "she"), at(text, "said"), "direct", pronoun=True, text=text)
    doc = GoldDoc("d", "p", text, (g,))
    both = metrics(score_document(doc, report([quote([f1, f2], text=text)], text), "all"))
    assert both["f1"] == 1.0 and both["exact_f1"] == 1.0
    one = metrics(score_document(doc, report([quote([f2], text=text)], text), "all"))
    assert one["f1"] == 1.0 and one["exact_f1"] == 0.0  # 15 of 28 chars: overlap 0.69


def test_speaker_whole_word_rule() -> None:
    assert names_match("Alvarez", "Ms. Alvarez")
    assert names_match("Maria Alvarez's", "Alvarez")
    assert not names_match("he", "the mayor")
    assert not names_match("Al", "Alvarez")
    assert not names_match(None, "Alvarez")


def test_named_source_right_by_span_or_by_name_not_inside_a_word() -> None:
    doc = GoldDoc("d", "p", TEXT, (G_MAYOR,))
    content = list(G_MAYOR.content)
    by_span = quote(content, speaker=at(TEXT, "mayor"), qtype="mixed")
    by_name = quote(content, name="the Mayor", qtype="mixed")
    wrong = quote(content, name="Alvarez", qtype="mixed")
    for q, right in ((by_span, 1.0), (by_name, 1.0), (wrong, 0.0)):
        m = metrics(score_document(doc, report([q]), "quotes"))
        assert m["speaker_named"] == right and m["matched"] == 1
        assert m["end_to_end_f1"] == right


def test_pronoun_bucket_credits_span_or_the_antecedent_name() -> None:
    doc = DOC
    content = list(G_SHE.content)
    cases = {
        "span": (quote(content, speaker=at(TEXT, "she")), 1.0),
        "antecedent": (quote(content, name="Alvarez"), 1.0),
        "other name": (quote(content, name="the mayor"), 0.0),
        "pronoun text elsewhere": (quote(content, name="she"), 0.0),
        "no speaker": (quote(content), 0.0),
    }
    for label, (q, right) in cases.items():
        m = metrics(score_document(doc, report([q]), "quotes"))
        assert m["speaker_pronoun"] == right, label


def test_no_source_bucket_is_right_only_without_a_speaker() -> None:
    doc = GoldDoc("d", "p", TEXT, (G_NOSRC,))
    content = list(G_NOSRC.content)
    silent = metrics(score_document(doc, report([quote(content, qtype="indirect")]), "all"))
    named = quote(content, name="Alvarez", qtype="indirect")
    wrong = metrics(score_document(doc, report([named]), "all"))
    assert silent["speaker_no_source"] == 1.0 and wrong["speaker_no_source"] == 0.0


def test_quote_view_drops_indirect_gold_and_predictions() -> None:
    preds = [as_prediction(G_ALVAREZ), as_prediction(G_SHE)]
    m = metrics(score_document(DOC, report(preds), "quotes"))
    assert m["gold"] == 2 and m["pred"] == 1 and m["matched"] == 1


def test_cue_and_type_accuracy_on_matched_pairs() -> None:
    right = quote(list(G_MAYOR.content), cue=at(TEXT, "told"), qtype="mixed")
    wrong = quote(list(G_MAYOR.content), cue=at(TEXT, "said"), qtype="direct")
    doc = GoldDoc("d", "p", TEXT, (G_MAYOR,))
    assert metrics(score_document(doc, report([right]), "all"))["cue_accuracy"] == 1.0
    m = metrics(score_document(doc, report([wrong]), "all"))
    assert m["cue_accuracy"] == 0.0 and m["type_accuracy"] == 0.0


def test_direct_quotes_that_do_not_slice_back_are_not_verbatim() -> None:
    bad = Quote(
        id="x",
        type="direct",
        fragments=[Span(start=0, end=0, text="We are way behind schedule")],
        text="We are way behind schedule",
        confidence=0.5,
        verbatim=False,
    )
    m = metrics(score_document(DOC, report([as_prediction(G_SHE), bad]), "quotes"))
    assert m["direct_verbatim_share"] == 0.5 and m["matched"] == 1


def test_corpus_sums_counts_and_splits_by_publisher() -> None:
    other = GoldDoc("d2", "other", TEXT, (G_SHE,))
    scores = score_corpus(
        [(DOC, report([as_prediction(G_SHE)]), False), (other, None, True)], "all"
    )
    assert scores.overall.gold == 5 and scores.overall.failed_articles == 1
    by = scores.to_dict()["by_publisher"]
    assert by["pub"]["matched"] == 1 and by["other"]["recall"] == 0.0


def _brute_force(weights: list[list[float]], threshold: float) -> float:
    n, m = len(weights), len(weights[0])
    best = 0.0
    small, large = (n, m) if n <= m else (m, n)
    for perm in itertools.permutations(range(large), small):
        pairs = zip(range(small), perm, strict=True)
        w = (weights[i][j] if n <= m else weights[j][i] for i, j in pairs)
        best = max(best, sum(x for x in w if x >= threshold))
    return best


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.lists(
            st.lists(st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.75, 0.9, 1.0]), min_size=n, max_size=n),
            min_size=1,
            max_size=5,
        )
    )
)
def test_matching_is_one_to_one_and_maximal(weights: list[list[float]]) -> None:
    pairs = max_weight_matching(weights, 0.5)
    assert len({i for i, _, _ in pairs}) == len(pairs) == len({j for _, j, _ in pairs})
    assert all(w >= 0.5 for _, _, w in pairs)
    assert sum(w for _, _, w in pairs) == pytest.approx(_brute_force(weights, 0.5))


def test_prediction_matching_gold_of_another_type_is_reported_apart() -> None:
    """A real quote that PolNeAR's mark heuristic typed "indirect" stays a false positive in
    the strict quote-view F1 but is left out of the *_ignoring_other_gold figures."""
    from quotecheck.evaluation.scoring import metrics, score_document
    from quotecheck.schema import Quote, QuoteReport, QuoteType, Span
    from quotecheck.text import GoldAttribution, GoldDoc

    text = "He said, ''We will build it,'' and left. “It is done,” she said."
    a = text.index("We will")
    b = text.index("It is done")
    gold = GoldDoc(
        doc_id="d",
        publisher="p",
        text=text,
        attributions=(
            GoldAttribution("1", ((a, a + 15),), (), (), "", "indirect", False, False),
            GoldAttribution("2", ((b, b + 10),), (), (), "", "direct", False, False),
        ),
    )

    def q(i: str, s: int, e: int) -> Quote:
        f = Span(start=s, end=e, text=text[s:e])
        return Quote(id=i, type=QuoteType.direct, fragments=[f], text=f.text, confidence=1,
                     verbatim=True)  # fmt: skip

    report = QuoteReport(text_sha256="x", text_length=len(text), quotes=[q("Q1", a, a + 15),
                         q("Q2", b, b + 10)])  # fmt: skip
    m = metrics(score_document(gold, report, "quotes"))
    assert m["f1"] == 2 / 3
    assert m["pred_matching_other_gold"] == 1
    assert m["f1_ignoring_other_gold"] == 1.0
