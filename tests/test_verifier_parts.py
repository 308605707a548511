"""The scored verifier's parts without a model: answer-token probabilities, evidence windows,
code checks with their spans, the calibrated decision and the explanation code writes."""

from __future__ import annotations

import math

import pytest

from quotecheck.factcheck import plain_passages
from quotecheck.factcheck.calibration import Calibration
from quotecheck.factcheck.checks import Evidence, run_checks
from quotecheck.factcheck.scoring import Scored, Signals, claim_parts
from quotecheck.factcheck.verify import UNSEEN_TERMS, decide
from quotecheck.factcheck.windows import rank, units, windows
from quotecheck.llm.choice import option_probs
from quotecheck.schema import Label


def _top(**lps: float) -> list[dict]:
    return [{"token": t, "logprob": v} for t, v in lps.items()]


def test_option_probs_reads_the_answer_tokens_distribution() -> None:
    got = option_probs(("yes", "no"), "yes", _top(yes=math.log(0.6), No=math.log(0.3)))
    assert got.from_logprobs and got.probs["yes"] == pytest.approx(2 / 3)
    # an option missing from the top list gets less than the least likely shown token
    got = option_probs(("yes", "no"), "yes", _top(yes=-0.1, maybe=-3.0))
    assert got.probs["no"] < 0.05 and got.probs["yes"] > 0.95


def test_an_endpoint_without_logprobs_still_answers_and_says_so() -> None:
    got = option_probs(("yes", "no"), " No", [])
    assert not got.from_logprobs and got.probs == {"yes": 0.0, "no": 1.0}


def _checks(claim: str, evidence: str) -> dict:
    return {c.name: c for c in run_checks(claim, units([evidence]))}


@pytest.mark.parametrize(
    ("check", "claim", "evidence", "claim_word", "evidence_word"),
    [
        (
            "number_mismatch",
            "The ferry sails every 20 minutes.",
            "The ferry sails every 60 minutes.",
            "20",
            "60",
        ),
        ("antonym", "Ticket sales rose in March.", "Ticket sales fell in March.", "rose", "fell"),
        (
            "negation_flip",
            "The council approved the budget.",
            "The council did not approve the budget.",
            None,
            "approve",
        ),
        (
            "date_mismatch",
            "The bridge opened in 2019.",
            "The bridge opened in 2021 after delays.",
            "2019",
            "2021",
        ),
        (
            "role_swap",
            "Acme sued Brightwater over the contract.",
            "Brightwater sued Acme over the contract.",
            None,
            None,
        ),
    ],
)
def test_each_check_fires_on_its_edit_and_names_the_words(
    check: str, claim: str, evidence: str, claim_word: str | None, evidence_word: str | None
) -> None:
    fired = _checks(claim, evidence)[check]
    assert fired.value > 0
    for s in fired.spans:  # every span is verbatim where it points
        assert (claim if s.side == "claim" else evidence)[s.start : s.end] == s.text
    if claim_word:
        assert claim_word in {s.text for s in fired.spans if s.side == "claim"}
    if evidence_word:
        assert evidence_word in {s.text.lower() for s in fired.spans if s.side == "evidence"}
    # and stays silent when the evidence says what the claim says
    assert _checks(claim, claim)[check].value == 0


def test_windows_are_ranked_by_the_claims_words_and_do_not_overlap() -> None:
    filler = " ".join(
        f"Boats number {i} and {i + 1} docked at the quay by noon." for i in range(12)
    )
    text = (
        f"The harbour opened a new ferry terminal on Monday. {filler} "
        "The terminal cost 40 million dollars, the council said. Parking remains scarce nearby. "
        f"{filler} A second terminal is planned for 2028."
    )
    us = units([text])
    assert len(us) == 16  # cut into sentences; the repeated filler counted once
    ranked = rank("The terminal cost 40 million dollars.", windows(us))
    assert len(ranked) == 2 and "40 million" in ranked[0][0].text
    assert not ranked[0][0].overlaps(ranked[1][0])


def test_a_compound_claim_is_split_into_its_clauses() -> None:
    parts = claim_parts("The mayor opened the bridge in May, and the council approved a new toll.")
    assert [p for _, p in parts] == [
        "The mayor opened the bridge in May",
        "the council approved a new toll.",
    ]


def _signals(claim: str, evidence: str, p_yes: float) -> tuple[Signals, list]:
    passages = plain_passages([evidence])
    us = units([p.text for p in passages])
    ws = windows(us)
    shown = {c.name: c for c in run_checks(claim, Evidence(us))}
    return Signals(us, [Scored(ws[0], 1.0, p_yes)], 0.5, shown, dict(shown)), passages


CAL = Calibration(
    weights={"m_sup": 1.0, "number_mismatch@E": -4.0}, intercept=0.0, t_lo=0.4, t_hi=0.6
)


def test_supported_cites_the_deciding_sentence_verbatim() -> None:
    claim = "The tunnel cost forty million dollars."
    evidence = "Work began in 2020. The tunnel cost forty million dollars, the council said."
    signals, passages = _signals(claim, evidence, 0.95)
    v = decide(claim, signals, passages, CAL)
    assert v.label is Label.supported and v.probability > 0.6
    c = v.citations[0]
    assert evidence[c.start : c.end] == c.text and "forty million" in c.text
    assert c.text in v.explanation and not v.findings


def test_refuted_names_the_differing_words_on_both_sides() -> None:
    claim = "The ferry sails every 20 minutes at night."
    evidence = "At night the ferry sails every 60 minutes, the operator said."
    signals, passages = _signals(claim, evidence, 0.9)
    v = decide(claim, signals, passages, CAL)
    assert v.label is Label.refuted
    f = next(f for f in v.findings if f.check == "number_mismatch")
    assert [w.text for w in f.claim] == ["20"] and [w.text for w in f.evidence] == ["60"]
    assert "“20”" in v.explanation and "“60”" in v.explanation


def test_the_middle_band_goes_to_an_editor() -> None:
    claim = "The museum reopened after the flood."
    evidence = "The museum reopened in spring after repairs."
    signals, passages = _signals(claim, evidence, 0.5)
    v = decide(claim, signals, passages, CAL)
    assert v.label is Label.needs_review and "review band" in v.explanation


def test_names_the_evidence_never_gives_keep_a_claim_from_support() -> None:
    claim = "Mayor Okafor opened the bridge."
    evidence = "The mayor opened the bridge on Friday before a crowd."
    cal = Calibration(
        weights={"m_sup": 1.0, "missing_names_numbers@E": -5.0}, intercept=0.0, t_lo=0.4, t_hi=0.6
    )
    signals, passages = _signals(claim, evidence, 0.9)
    v = decide(claim, signals, passages, cal)
    assert v.label is not Label.supported and v.partial
    assert v.reason.startswith(UNSEEN_TERMS) and "Okafor" in v.reason


@pytest.mark.parametrize(
    ("claim", "fires"),
    [
        ("Operating profit rose 11 percent.", True),  # "profit" beside both words
        ("Agency head Stefan Orlov rejected the plan.", True),
        ("Share prices rose in Oslo.", False),  # "fell" stands among other words
        ("Some staff found the repairs hard, others easy.", False),  # both words: no flip
        ("Staff found the repairs hard.", True),
        ("He liked to play the violin.", False),  # "display" is no opposite of "play"
    ],
)
def test_an_opposite_word_counts_only_among_the_same_words(claim: str, fires: bool) -> None:
    evidence = (
        "Operating profit fell 11 percent. Agency head Stefan Orlov accepted the plan. "
        "A storm fell on the coast; the museum will display a violin. Staff found the repairs "
        "easy."
    )
    assert (_checks(claim, evidence)["antonym"].value > 0) is fires


def test_a_copula_between_two_names_swaps_no_roles() -> None:
    evidence = (
        "Halvard Foods reported its results. Chief executive Mette Lund said plants would close."
    )
    assert (
        _checks("Mette Lund is the chief executive of Halvard Foods.", evidence)["role_swap"].value
        == 0
    )
    assert _checks("Brightwater sued Acme.", "Acme sued Brightwater.")["role_swap"].value > 0


def test_a_sentence_opening_nobody_or_everyone_names_no_one() -> None:
    evidence = "No one died; two residents of Brennock were treated in hospital."
    claim = "Nobody was killed, but two Brennock residents were treated in hospital."
    assert _checks(claim, evidence)["missing_names_numbers"].value == 0
    assert _checks("Everyone left Dunmore.", evidence)["missing_names_numbers"].value == 1
