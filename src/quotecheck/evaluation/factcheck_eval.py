"""Scoring claim verification on the fact-check sets, every system on the same items in one run.

Systems: the scored verifier (``factcheck.verify``, calibration ``FULL``), the same model scores
without the code checks (calibration ``MODEL_ONLY``, no extra model call), optionally the
generative verifier the project had before (``legacy_verifier``, about 3x slower), and the
majority class. Balanced accuracy is over "supported" vs everything else, the field's binary
convention; a ``needs_review`` answer (or a failure) counts as wrong whatever the gold label,
so sending hard items to review cannot raise a score. Each balanced accuracy comes with a 95 %
bootstrap interval; probabilistic systems also get the expected calibration error.
Imports ``errors``, the ``factcheck``, ``llm`` and ``schema`` faces, and the set loaders.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quotecheck.errors import FATAL_ERRORS, QuotecheckError
from quotecheck.evaluation.factcheck_sets import SUPPORTED, ClaimItem

if TYPE_CHECKING:
    from quotecheck.llm import LLMConfig
    from quotecheck.schema import Usage

FAILED = "error"  # a verifier failure: a label that is always wrong
REVIEW = "needs_review"
LEGACY = "today's verifier"
SYSTEMS = ("verifier", "verifier, no code checks")


def _counts_right(gold: str, pred: str) -> bool:
    """Binary correctness: supported vs not; review and failures are never right."""
    return pred not in (REVIEW, FAILED) and (gold == SUPPORTED) == (pred == SUPPORTED)


def label_accuracy(gold: Sequence[str], pred: Sequence[str]) -> float | None:
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else None


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float | None:
    """Mean F1 over every gold class (a class never predicted scores 0)."""
    if not gold:
        return None
    scores = []
    for cls in sorted(set(gold)):
        tp = sum(g == p == cls for g, p in zip(gold, pred, strict=True))
        n_pred, n_gold = sum(p == cls for p in pred), sum(g == cls for g in gold)
        scores.append(2 * tp / (n_pred + n_gold))
    return sum(scores) / len(scores)


def balanced_accuracy(gold: Sequence[str], pred: Sequence[str]) -> float | None:
    """Mean of the recalls of "supported" and "not supported"; None if one class is absent."""
    recalls = []
    for positive in (True, False):
        idx = [i for i, g in enumerate(gold) if (g == SUPPORTED) == positive]
        if not idx:
            return None
        recalls.append(sum(_counts_right(gold[i], pred[i]) for i in idx) / len(idx))
    return sum(recalls) / 2


def bootstrap_interval(
    gold: Sequence[str], pred: Sequence[str], draws: int = 1000, seed: int = 7
) -> tuple[float, float] | None:
    """95 % percentile interval of balanced accuracy over resampled items."""
    rng, n, values = random.Random(seed), len(gold), []
    for _ in range(draws):
        idx = [rng.randrange(n) for _ in range(n)]
        b = balanced_accuracy([gold[i] for i in idx], [pred[i] for i in idx])
        if b is not None:
            values.append(b)
    if not values:
        return None
    values.sort()
    return values[int(0.025 * len(values))], values[int(0.975 * len(values)) - 1]


def expected_calibration_error(
    gold: Sequence[str], probs: Sequence[float], bins: int = 10
) -> float:
    """Mean |P(supported) - share supported| over ten equal-width bins, weighted by size."""
    total, n = 0.0, len(gold)
    for b in range(bins):
        idx = [
            i
            for i, p in enumerate(probs)
            if b / bins <= p < (b + 1) / bins or (b == bins - 1 and p == 1)
        ]
        if idx:
            conf = sum(probs[i] for i in idx) / len(idx)
            acc = sum(gold[i] == SUPPORTED for i in idx) / len(idx)
            total += len(idx) / n * abs(conf - acc)
    return total


def _precision(gold: Sequence[str], pred: Sequence[str], label: str) -> float | None:
    hits = [g for g, p in zip(gold, pred, strict=True) if p == label]
    return sum(g == label for g in hits) / len(hits) if hits else None


def summary(
    gold: Sequence[str], pred: Sequence[str], probs: Sequence[float] | None = None
) -> dict[str, object]:
    out: dict[str, object] = {
        "items": len(gold),
        "label_accuracy": label_accuracy(gold, pred),
        "macro_f1": macro_f1(gold, pred),
        "balanced_accuracy": balanced_accuracy(gold, pred),
        "balanced_accuracy_95ci": bootstrap_interval(gold, pred),
        "precision_supported": _precision(gold, pred, SUPPORTED),
        "precision_refuted": _precision(gold, pred, "refuted"),
        "review_share": sum(p == REVIEW for p in pred) / len(pred) if pred else None,
    }
    if probs is not None:
        out["ece"] = expected_calibration_error(gold, probs)
    return out


def majority_labels(items: Sequence[ClaimItem]) -> list[str]:
    """The majority-class baseline: always the set's most frequent gold label."""
    if not items:
        return []
    top = Counter(i.label for i in items).most_common(1)[0][0]
    return [top] * len(items)


@dataclass
class Run:
    """One system's answers on the items, in item order, and what they cost."""

    labels: list[str] = field(default_factory=list)
    index: list[int] = field(default_factory=list)  # which items, by position, were answered
    probs: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    completion_tokens: int = 0
    prompt_tokens: int = 0
    calls: int = 0

    def add(self, cost: dict[str, float]) -> None:
        self.seconds += cost.get("seconds", 0.0)
        self.prompt_tokens += int(cost.get("prompt_tokens", 0))
        self.completion_tokens += int(cost.get("completion_tokens", 0))
        self.calls += int(cost.get("calls", 0))

    def per_item(self) -> dict[str, float]:
        n = max(1, len(self.labels))
        return {
            "seconds_per_item": self.seconds / n,
            "output_tokens_per_item": self.completion_tokens / n,
            "prompt_tokens_per_item": self.prompt_tokens / n,
            "calls_per_item": self.calls / n,
        }


async def run_verifiers(
    items: Sequence[ClaimItem], config: LLMConfig, *, legacy_every: int = 0
) -> tuple[dict[str, Run], list[dict]]:
    """The scored verifier (with and without code checks) and, with ``legacy_every`` K > 0,
    today's generative verifier on every Kth item, item by item on one model; plus one record
    per item."""
    from quotecheck.factcheck import (
        FULL,
        MODEL_ONLY,
        ask_names,
        claim_signals,
        decide,
        plain_passages,
    )
    from quotecheck.llm import LLM

    llm = LLM(config)
    runs = {name: Run() for name in (*SYSTEMS, *((LEGACY,) if legacy_every else ()))}
    records = []
    try:
        for n, item in enumerate(items):
            for name in SYSTEMS:
                runs[name].index.append(n)
            passages = plain_passages(list(item.passages))
            record: dict = {"id": item.id, "gold": item.label, "claim": item.claim}
            t0 = time.perf_counter()
            try:
                signals = await claim_signals(llm, item.claim, [p.text for p in passages])
                await ask_names(llm, item.claim, signals, FULL)
            except FATAL_ERRORS:
                raise
            except QuotecheckError as err:
                for name in SYSTEMS:
                    runs[name].labels.append(FAILED)
                    runs[name].probs.append(0.0)
                    runs[name].errors.append(f"{item.id}: {type(err).__name__}: {err}")
                records.append(record | {"error": str(err)})
                continue
            spent = time.perf_counter() - t0
            record["features"] = signals.features()
            # the answer per window shown (units first..last), so that a check against the
            # window a verdict rests on can be measured again later without a model call
            record["windows"] = [
                {"first": s.window.first, "last": s.window.last, "p_yes": round(s.p_yes, 5)}
                for s in signals.scored
            ]
            record["cost"] = _cost(spent, signals.usage)
            for name, cal in zip(SYSTEMS, (FULL, MODEL_ONLY), strict=True):
                verdict = decide(item.claim, signals, passages, cal)
                run = runs[name]
                run.labels.append(verdict.label.value)
                run.probs.append(verdict.probability or 0.0)
                run.add(record["cost"])
                record[name] = verdict.model_dump(mode="json", exclude={"findings"})
            if legacy_every and n % legacy_every == 0:
                runs[LEGACY].index.append(n)
                record[LEGACY] = await _legacy(item, llm, runs[LEGACY])
            records.append(record)
        return runs, records
    finally:
        await llm.aclose()


async def _legacy(item: ClaimItem, llm: object, run: Run) -> str | dict:
    from quotecheck.evaluation.legacy_verifier import verify_passages_async
    from quotecheck.factcheck import plain_passages

    t0 = time.perf_counter()
    try:
        passages = plain_passages(list(item.passages))
        result = await verify_passages_async(item.claim, passages, llm)
    except FATAL_ERRORS:
        raise
    except QuotecheckError as err:
        run.labels.append(FAILED)
        run.errors.append(f"{item.id}: {type(err).__name__}: {err}")
        return FAILED
    cost = _cost(time.perf_counter() - t0, result.usage)
    run.add(cost)
    run.labels.append(result.verdict.label.value)
    return {"label": result.verdict.label.value, "cost": cost}


def _cost(seconds: float, usage: Usage) -> dict[str, float]:
    return {
        "seconds": round(seconds, 3),
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "calls": usage.calls,
    }


def rechecked(record: dict, item: ClaimItem) -> dict:
    """``record`` with its code-check features measured again by today's code; the model's
    saved answers (``m_*``) are kept, so changing a check needs no model call to measure."""
    from quotecheck.factcheck import code_features, plain_passages

    if "features" not in record:
        return record
    model = {k: v for k, v in record["features"].items() if k.startswith("m_")}
    passages = [p.text for p in plain_passages(list(item.passages))]
    return record | {"features": model | code_features(item.claim, passages)}


def rescore(records: Sequence[dict]) -> tuple[list[str], dict[str, Run]]:
    """The systems' answers again from saved records (``prediction_lines``) under the
    calibration in code now: after a re-fit, no model call is needed to see its figures."""
    from quotecheck.factcheck import FULL, MODEL_ONLY, contradicted, with_derived

    gold = [r["gold"] for r in records]
    runs = {name: Run() for name in SYSTEMS}
    for n, r in enumerate(records):
        for name, cal in zip(SYSTEMS, (FULL, MODEL_ONLY), strict=True):
            run = runs[name]
            run.index.append(n)
            if "features" not in r:  # the verifier failed on it
                run.labels.append(FAILED)
                run.probs.append(0.0)
                continue
            features = with_derived(r["features"])
            p = cal.probability(features)
            run.labels.append(cal.label(p, contradicted(features)).value)
            run.probs.append(p)
            run.add(r["cost"])
        if LEGACY in r:
            answer, legacy = r[LEGACY], runs.setdefault(LEGACY, Run())
            legacy.index.append(n)
            legacy.labels.append(answer["label"] if isinstance(answer, dict) else answer)
            legacy.add(answer.get("cost") or {} if isinstance(answer, dict) else {})
    return gold, runs


def relabelled(records: Sequence[dict], runs: dict[str, Run]) -> list[dict]:
    """``records`` with each scored system's label and probability as ``rescore`` gave them
    (marked ``rescored``); an explanation written for a label the claim no longer has is dropped."""
    out = [dict(r) for r in records]
    for name in SYSTEMS:
        run = runs[name]
        for n, label, p in zip(run.index, run.labels, run.probs, strict=True):
            saved = out[n].get(name)
            if not isinstance(saved, dict):
                continue
            kept = (
                saved
                if saved.get("label") == label
                else {k: v for k, v in saved.items() if k != "explanation"}
            )
            out[n][name] = kept | {"label": label, "probability": round(p, 4), "rescored": True}
    return out


def prediction_lines(records: Sequence[dict]) -> list[str]:
    """One JSON line per item: gold, features, the answer per window and each system's verdict
    (to re-fit or study)."""
    return [json.dumps(r, ensure_ascii=False) for r in records]
