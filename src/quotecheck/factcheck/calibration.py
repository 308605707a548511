"""From signals to a verdict: a small logistic regression, and the thresholds of the review band.

P(supported) = sigmoid(intercept + sum of weight * feature), with the features of
``scoring.Signals.features``. Above ``t_hi`` the claim is supported; below ``t_lo`` it is refuted
when a contradiction check fired (a different number, date, the opposite word, a negation,
swapped roles) and not backed otherwise; in between it is ``needs_review``, for an editor.

The numbers below are fitted by ``scripts/fit_verifier.py`` on the FIT half of the four
fact-check dev sets (``evaluation.factcheck_sets.split_of``), never on the REPORT half the
benchmarks are measured on; the script prints this table and the FIT figures it came from.
Imports only ``schema``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from quotecheck.schema import Label


@dataclass(frozen=True)
class Calibration:
    """Raw (unstandardised) weights per feature, the intercept and the review band."""

    weights: dict[str, float]
    intercept: float
    t_lo: float
    t_hi: float

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept + sum(w * features.get(name, 0.0) for name, w in self.weights.items())
        p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
        if self.with_checks and any(features.get(k, 0.0) > 0 for k in SET_BY_HAND):
            p = min(p, NAME_SWAP_P)
        return p

    @property
    def with_checks(self) -> bool:
        """Whether the code checks count (``MODEL_ONLY`` is the model's answers alone)."""
        return any("@" in name for name in self.weights)

    def label(self, p: float, contradicted: bool) -> Label:
        if p >= self.t_hi:
            return Label.supported
        if p < self.t_lo:
            return Label.refuted if contradicted else Label.not_enough_evidence
        return Label.needs_review


#: P(supported) at most when the name question finds that the deciding window gives another
#: name where the claim gives one (``factcheck.cloze``): below ``t_lo``, so the claim is refuted.
#: Set by hand, not fitted: the question is asked only of claims headed for ``supported``, and
#: the FIT halves hold too few name swaps to fit a weight (it fired on 2 of the 316 FIT claims
#: it was asked of; BENCHMARKS.md).
NAME_SWAP_P = 0.1
#: the findings capped at ``NAME_SWAP_P``: the name question's; a title the evidence gives
#: another person (``factcheck.titles``), which fires on none of the 1,530 claims of the FIT and
#: REPORT halves; and an opposite word among the same words (``checks.antonym``), which fires on
#: 14 of the 833 FIT claims, 12 of them not supported, too few for the fit to give it a weight
#: (8 among the FIT records; BENCHMARKS.md)
SET_BY_HAND = ("m_name_swap", "title_mismatch@D", "antonym@E")

# Everything between the markers is written by scripts/fit_verifier.py --write.
# fitted: begin
# python scripts/fit_verifier.py --l2 1.0 fit_averitec.jsonl fit_summedits-meeting.jsonl
#   fit_summedits-podcast.jsonl fit_wice.jsonl
# FULL: FIT 566 items, bacc 0.730 without a band, 0.713 with it, review 0.02, ECE 0.050
#   dropped, their weights came out with the wrong sign: novel_content@D,
#     novel_content_worst_part@D, modality_flip@E, quantifier_flip@E
#   averitec: n 136, bacc 0.675, review 0.02
#   summedits-meeting: n 107, bacc 0.678, review 0.02
#   summedits-podcast: n 160, bacc 0.692, review 0.01
#   wice: n 163, bacc 0.755, review 0.02
# MODEL_ONLY: FIT 566 items, bacc 0.640 without a band, 0.626 with it, review 0.02, ECE 0.033
#   averitec: n 136, bacc 0.648, review 0.03
#   summedits-meeting: n 107, bacc 0.504, review 0.03
#   summedits-podcast: n 160, bacc 0.616, review 0.04
#   wice: n 163, bacc 0.677, review 0.00
FULL = Calibration(
    weights={
        "m_sup": 0.5187,
        "m_null": -1.2338,
        "m_sup_clean": 0.6227,
        "missing_names_numbers@E": -0.1077,
        "missing_names_numbers@D": -0.8248,
        "novel_content@E": -0.2302,
        "negation_flip@E": -0.8068,
        "date_mismatch@E": -3.6060,
        "number_mismatch@E": -0.0205,
        "quantity_mismatch@D": -1.7633,
        "antonym@E": -0.0429,
        "role_swap@E": -0.9660,
    },
    intercept=-4.5239,
    t_lo=0.3447,
    t_hi=0.3647,
)
MODEL_ONLY = Calibration(
    weights={
        "m_sup": 0.9286,
        "m_null": -1.1887,
    },
    intercept=-5.0868,
    t_lo=0.3165,
    t_hi=0.3265,
)
# fitted: end
