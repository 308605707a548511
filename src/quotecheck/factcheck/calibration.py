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
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def label(self, p: float, contradicted: bool) -> Label:
        if p >= self.t_hi:
            return Label.supported
        if p < self.t_lo:
            return Label.refuted if contradicted else Label.not_enough_evidence
        return Label.needs_review


# Everything between the markers is written by scripts/fit_verifier.py --write.
# fitted: begin
# python scripts/fit_verifier.py --l2 1.0 fit_averitec.jsonl fit_summedits-meeting.jsonl
#   fit_summedits-podcast.jsonl fit_wice.jsonl
# FULL: FIT 498 items, bacc 0.720 without a band, 0.704 with it, review 0.02, ECE 0.040
#   dropped, their weights came out with the wrong sign: novel_content@D,
#     novel_content_worst_part@D, modality_flip@E, quantifier_flip@E, antonym@E
#   averitec: n 68, bacc 0.673, review 0.04
#   summedits-meeting: n 107, bacc 0.600, review 0.04
#   summedits-podcast: n 160, bacc 0.692, review 0.01
#   wice: n 163, bacc 0.796, review 0.01
# MODEL_ONLY: FIT 498 items, bacc 0.620 without a band, 0.620 with it, review 0.00, ECE 0.023
#   averitec: n 68, bacc 0.640, review 0.00
#   summedits-meeting: n 107, bacc 0.533, review 0.00
#   summedits-podcast: n 160, bacc 0.630, review 0.00
#   wice: n 163, bacc 0.674, review 0.00
FULL = Calibration(
    weights={
        "m_sup": 0.2114,
        "m_null": -1.2856,
        "m_sup_clean": 0.6084,
        "missing_names_numbers@E": -0.1444,
        "missing_names_numbers@D": -1.0976,
        "novel_content@E": -0.1955,
        "negation_flip@E": -0.9940,
        "date_mismatch@E": -3.4509,
        "number_mismatch@E": -0.5864,
        "role_swap@E": -0.9999,
    },
    intercept=-4.6631,
    t_lo=0.3152,
    t_hi=0.3452,
)
MODEL_ONLY = Calibration(
    weights={
        "m_sup": 0.7577,
        "m_null": -1.4174,
    },
    intercept=-5.9484,
    t_lo=0.3344,
    t_hi=0.3344,
)
# fitted: end
