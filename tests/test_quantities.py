"""The quantity check: a number of the same thing, its scale and rate, claim against evidence."""

from __future__ import annotations

import pytest

from quotecheck.factcheck.checks import run_checks
from quotecheck.factcheck.quantities import quantities
from quotecheck.factcheck.scoring import DIFFERENCES, contradicted
from quotecheck.factcheck.windows import units

EVIDENCE = (
    "Operating profit fell 11 percent, on revenue up 6 percent from a year earlier. "
    "The extension adds 4.2 kilometres and six stops between Harlow Square and the depot. "
    "The estimated cost is 118 million euros. She said the line is expected to carry 14,000 "
    "passengers a day. The council voted 7 to 2 on 14 March. About 210 jobs will be lost."
)


def _fired(claim: str, evidence: str = EVIDENCE) -> list[str]:
    check = {c.name: c for c in run_checks(claim, units([evidence]))}["quantity_mismatch"]
    return [s.text for s in check.spans] if check.value else []


@pytest.mark.parametrize(
    ("claim", "words"),
    [
        ("It is expected to cost 118 billion euros.", ["118 billion euros", "118 million euros"]),
        ("The line will carry 14,000 passengers a week.", ["14,000 passengers a week"]),
        ("Nine new stops will be added.", ["Nine new stops", "six stops"]),
        ("The extension adds 5.2 kilometres of track.", ["5.2 kilometres"]),
        ("Operating profit rose 11 percent.", ["11 percent", "11 percent"]),
        ("Revenue was 6 percent less than a year before.", ["6 percent", "6 percent"]),
    ],
)
def test_a_quantity_of_the_same_thing_with_another_value_or_rate_fires(
    claim: str, words: list[str]
) -> None:
    got = _fired(claim)
    assert got[: len(words)] == words
    assert all(w in EVIDENCE for w in got[len(words) :])  # the evidence side is cited verbatim


@pytest.mark.parametrize(
    "claim",
    [
        "It is expected to cost 118 million euros.",  # the same
        "The line will carry 14,000 passengers daily.",  # the same rate, said otherwise
        "Profit was down 11 percent and revenue 6 percent higher.",  # the same directions
        "Six new stops will be added between the square and the depot.",
        "The council voted seven to two.",  # nothing counted: the bare number check's
        "Some 200 jobs will go.",  # hedged: rounds to the evidence's 210
        "The line opened in 2019 with 40 trams.",  # a year; trams the evidence never counts
        "It was a 2-1 loss after COVID-19 hit.",  # scores and names with numbers
    ],
)
def test_the_same_value_or_another_thing_does_not_fire(claim: str) -> None:
    assert _fired(claim) == []


def test_numbers_in_words_scales_and_signs_are_read() -> None:
    got = {
        (q.value, tuple(sorted(q.unit)), q.rate)
        for q in quantities(
            "twenty - five machines, $2.3bn, 6% more, 40 per cent and 3 million people annually"
        )
    }
    assert got == {
        (25.0, ("machin",), None),
        (2.3e9, ("$",), None),
        (6.0, ("percent",), None),
        (40.0, ("percent",), None),
        (3e6, ("peopl",), "year"),
    }


def test_a_quantity_mismatch_anywhere_in_the_evidence_is_a_contradiction() -> None:
    assert "quantity_mismatch@D" in DIFFERENCES
    assert contradicted({"quantity_mismatch@D": 1.0})
    assert not contradicted({"quantity_mismatch@E": 0.0})
