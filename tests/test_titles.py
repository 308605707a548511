"""Titles and the altered-news examples: code checks that fire on a fact changed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotecheck.factcheck.calibration import FULL, NAME_SWAP_P
from quotecheck.factcheck.checks import run_checks
from quotecheck.factcheck.scoring import contradicted
from quotecheck.factcheck.titles import mentions
from quotecheck.factcheck.windows import units

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "altered-news"
MINUTES = (
    "The council voted 7 to 2. Councillors Priya Nandakumar and Hugo Berret voted against. "
    "Transport director Elena Sobczak said work would begin in September. Councillor "
    "Nandakumar said the budget was short. Mayor Anton Vries replied."
)


def _fired(claim: str, evidence: str, check: str) -> list[str]:
    got = {c.name: c for c in run_checks(claim, units([evidence]))}[check]
    return [s.text for s in got.spans] if got.value else []


def test_a_mention_reads_the_title_before_or_opening_the_name() -> None:
    got = {(m.person, tuple(sorted(m.titles))) for m in mentions(MINUTES) if m.titles}
    assert got == {
        ("nandakumar", ("councillor",)),
        ("sobczak", ("director",)),
        ("vries", ("mayor",)),
    }


@pytest.mark.parametrize(
    ("claim", "words"),
    [
        (
            "Councillor Elena Sobczak voted against the plan.",
            ["Councillor Elena Sobczak", "director Elena Sobczak", "Councillors Priya Nandakumar"],
        ),
        (
            "Transport director Priya Nandakumar said work would begin.",
            ["director Priya Nandakumar", "Councillors Priya Nandakumar", "director Elena Sobczak"],
        ),
    ],
)
def test_a_title_the_evidence_gives_another_person_fires(claim: str, words: list[str]) -> None:
    assert _fired(claim, MINUTES, "title_mismatch") == words


@pytest.mark.parametrize(
    "claim",
    [
        "Councillor Priya Nandakumar voted against the plan.",  # her title
        "Mayor Anton Vries replied.",
        "Chief engineer Elena Sobczak spoke.",  # a title the evidence gives no one
        "Hugo Berret voted against.",  # no title
    ],
)
def test_a_title_of_the_person_or_of_no_one_else_does_not_fire(claim: str) -> None:
    assert _fired(claim, MINUTES, "title_mismatch") == []


def test_a_title_given_to_another_person_refutes_like_a_swapped_name() -> None:
    features = {"m_sup": 4.0, "m_sup_clean": 4.0, "title_mismatch@D": 1.0}
    assert contradicted(features)
    assert FULL.probability(features) <= NAME_SWAP_P


def _story(name: str) -> tuple[str, str, list[dict]]:
    folder = EXAMPLES / name
    return (
        (folder / "source.txt").read_text("utf-8"),
        (folder / "altered.txt").read_text("utf-8"),
        json.loads((folder / "alterations.json").read_text("utf-8")),
    )


@pytest.mark.parametrize(
    ("story", "altered", "check"),
    [
        ("dunmore-tram", "118 billion euros", "quantity_mismatch"),
        ("dunmore-tram", "14,000 passengers a week", "quantity_mismatch"),
        ("dunmore-tram", "nine new stops", "quantity_mismatch"),
        ("dunmore-tram", "Councillor Elena Sobczak", "title_mismatch"),
        ("dunmore-tram", "transport director Priya Nandakumar", "title_mismatch"),
        ("halvard-results", "operating profit rose", "antonym"),
        ("alder-flood", "rejected most of them", "antonym"),
    ],
)
def test_the_altered_examples_fire_the_check_meant_for_them(
    story: str, altered: str, check: str
) -> None:
    source, text, alterations = _story(story)
    assert altered in {a["text"] for a in alterations}
    at = text.index(altered)
    start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at)) + 1
    sentence = text[start : text.index(".", at + len(altered)) + 1].strip()
    assert _fired(sentence, source, check)
    article = (EXAMPLES / story / "article.txt").read_text("utf-8")
    for sentence in article.replace("\n", " ").split(". "):  # the article as written: nothing
        assert _fired(sentence, source, check) == [], sentence


def test_an_opposite_word_among_the_same_words_refutes_like_a_swapped_name() -> None:
    features = {"m_sup": 4.0, "m_sup_clean": 0.0, "antonym@E": 1.0}
    assert contradicted(features)
    assert FULL.probability(features) <= NAME_SWAP_P
