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
FULL = Calibration(weights={"m_sup": 1.0}, intercept=0.0, t_lo=0.5, t_hi=0.5)
MODEL_ONLY = Calibration(weights={"m_sup": 1.0}, intercept=0.0, t_lo=0.5, t_hi=0.5)
# fitted: end
