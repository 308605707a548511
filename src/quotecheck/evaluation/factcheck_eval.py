"""Scoring claim verification: label accuracy, macro-F1 and binary balanced accuracy.

The verifier is any async callable ``(claim, passages) -> verdict`` whose result is a label or
has a ``.label``; the fact-checking module's ``verify_claim_async`` plugs in with its ``llm``
bound. Balanced accuracy is over "supported" vs everything else, the field's binary convention.
Imports ``errors``, the ``factcheck`` and ``llm`` faces, and the set loaders.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quotecheck.errors import FATAL_ERRORS, QuotecheckError
from quotecheck.evaluation.factcheck_sets import SUPPORTED, ClaimItem

if TYPE_CHECKING:
    from quotecheck.llm import LLMConfig

Verifier = Callable[[str, list[str]], Awaitable[object]]
FAILED = "error"  # a verifier failure: a label that is always wrong


def _label(verdict: object) -> str:
    label = getattr(verdict, "label", verdict)
    return str(getattr(label, "value", label))


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
    g = [x == SUPPORTED for x in gold]
    p = [x == SUPPORTED for x in pred]
    recalls = []
    for cls in (True, False):
        n = sum(x == cls for x in g)
        if not n:
            return None
        recalls.append(sum(gx == px == cls for gx, px in zip(g, p, strict=True)) / n)
    return sum(recalls) / 2


def summary(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float | int | None]:
    return {
        "items": len(gold),
        "label_accuracy": label_accuracy(gold, pred),
        "macro_f1": macro_f1(gold, pred),
        "balanced_accuracy": balanced_accuracy(gold, pred),
    }


def majority_labels(items: Sequence[ClaimItem]) -> list[str]:
    """The majority-class baseline: always the set's most frequent gold label."""
    if not items:
        return []
    top = Counter(i.label for i in items).most_common(1)[0][0]
    return [top] * len(items)


@dataclass
class VerifierRun:
    labels: list[str]
    errors: list[str]  # one line per failed item: "id: Error: message"
    seconds: float
    verdicts: list[object] = field(default_factory=list)  # None where the item failed

    def extend(self, other: VerifierRun) -> None:
        self.labels += other.labels
        self.errors += other.errors
        self.seconds += other.seconds
        self.verdicts += other.verdicts

    @property
    def failures(self) -> int:
        return len(self.errors)


async def run_verifier(items: Iterable[ClaimItem], verifier: Verifier) -> VerifierRun:
    """Each claim through the verifier in turn; a failed item counts as a wrong answer."""
    labels: list[str] = []
    errors: list[str] = []
    began = time.perf_counter()
    verdicts: list[object] = []
    for item in items:
        try:
            verdict = await verifier(item.claim, list(item.passages))
            labels.append(_label(verdict))
            verdicts.append(verdict)
        except FATAL_ERRORS:
            raise
        except QuotecheckError as err:
            labels.append(FAILED)
            verdicts.append(None)
            errors.append(f"{item.id}: {type(err).__name__}: {err}")
    return VerifierRun(labels, errors, time.perf_counter() - began, verdicts)


NO_RETRIEVAL = "verifier, no retrieval"


async def run_llm_verifier(
    items: Sequence[ClaimItem], config: LLMConfig, *, baseline: bool = False
) -> dict[str, VerifierRun]:
    """The project's verifier (``quotecheck.verify``) on one model; with ``baseline``, also
    the same verifier shown the first sentences instead of the retrieved ones.

    The two are asked item by item so they share the machine's state; where retrieval
    changes nothing (few sentences) the baseline's prompt would be identical, so its verdict
    is reused rather than asked again, and ``retrieval_applies`` counts the other items.
    """
    from quotecheck.factcheck import retrieval_applies, verify_claim_async
    from quotecheck.llm import LLM

    llm = LLM(config)
    last: dict[str, object] = {}

    async def verify(claim: str, passages: list[str]) -> object:
        last["verdict"] = await verify_claim_async(claim, passages, llm)
        return last["verdict"]

    async def without(claim: str, passages: list[str]) -> object:
        if not retrieval_applies(claim, passages) and "verdict" in last:
            return last["verdict"]
        return await verify_claim_async(claim, passages, llm, retrieval=False)

    systems = {"verifier": verify} | ({NO_RETRIEVAL: without} if baseline else {})
    runs = {name: VerifierRun([], [], 0.0) for name in systems}
    try:
        for item in items:
            last.clear()
            for name, fn in systems.items():
                runs[name].extend(await run_verifier([item], fn))
        return runs
    finally:
        await llm.aclose()


def count_retrieval_applies(items: Sequence[ClaimItem]) -> int:
    """How many items have more sentences than the verifier shows, so retrieval matters."""
    from quotecheck.factcheck import retrieval_applies

    return sum(retrieval_applies(i.claim, list(i.passages)) for i in items)


def prediction_lines(items: Sequence[ClaimItem], runs: dict[str, VerifierRun]) -> list[str]:
    """One JSON line per item: gold and each system's verdict, to study errors without a model."""
    lines = []
    for n, item in enumerate(items):
        row: dict[str, object] = {"id": item.id, "gold": item.label, "claim": item.claim}
        for name, run in runs.items():
            verdict = run.verdicts[n] if n < len(run.verdicts) else None
            dump = getattr(verdict, "model_dump", None)
            row[name] = dump(mode="json") if dump else (None if verdict is None else str(verdict))
        lines.append(json.dumps(row, ensure_ascii=False))
    return lines
