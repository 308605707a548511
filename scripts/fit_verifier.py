"""Fit the verifier's calibration on the FIT halves of the fact-check dev sets.

Input: the ``--predictions-out`` files of ``quotecheck eval factcheck --split fit`` (one JSON line
per item: gold label and the measured features). Output: the coefficients and the review band of
``FULL`` (model scores and code checks) and ``MODEL_ONLY`` (model scores alone), printed and, with
``--write``, put into ``src/quotecheck/factcheck/calibration.py`` between its ``fitted`` markers,
with the FIT figures they were chosen from. Never give it REPORT files: the benchmarks are measured
there.

The model: L2-penalised logistic regression (Newton's method on standardised features, then turned
back into raw weights) for P(supported). The threshold is the middle of the best stretch of
the FIT balanced-accuracy curve, averaged over ``SMOOTH`` either side; the review band around
it is widened in steps of ``STEP`` while it costs at most ``REVIEW_BUDGET`` FIT balanced
accuracy (a review answer counts wrong), so an item lands in review only where the model is
close to a coin.

``--cv K`` also prints K-fold cross-validated balanced accuracy on FIT, folds grouped by evidence
document (claims that share a transcript stay in one fold; mean of 5 fold seeds): the figure to
compare two feature sets by before anything is measured on REPORT.

usage:
  python scripts/fit_verifier.py fit_summedits-podcast.jsonl fit_wice.jsonl ... [--write]
  python scripts/fit_verifier.py fit_*.jsonl --cv 5 [--data ../shared/data/factcheck]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import textwrap
from pathlib import Path

import numpy as np

from quotecheck.factcheck import with_derived

MODEL = ["m_sup", "m_null"]
#: the model's answer where no check names a differing word (``scoring.with_derived``)
JOINT = ["m_sup_clean"]
CODE = [
    "missing_names_numbers@E",
    "missing_names_numbers@D",
    "novel_content@E",
    "novel_content@D",
    "novel_content_worst_part@D",
    "negation_flip@E",
    "modality_flip@E",
    "quantifier_flip@E",
    "date_mismatch@E",
    "number_mismatch@E",
    "quantity_mismatch@D",
    "antonym@E",
    "role_swap@E",
]
#: the sign each weight must have (+1: raises P(supported), -1: lowers it); others are free
SIGN = {"m_sup": 1, "m_sup_clean": 1} | {c: -1 for c in CODE}
REVIEW_BUDGET = 0.02
#: P either side over which the balanced-accuracy curve is averaged to choose the threshold:
#: FIT 5-fold CV 0.679 (none), 0.680 (0.02), 0.679 (0.04), 0.683 (0.06), on 2026-12-08's records
SMOOTH = 0.06
STEP = 0.0025  # the band grows by this much on each side per step
CALIBRATION = Path(__file__).resolve().parent.parent / "src/quotecheck/factcheck/calibration.py"
BEGIN, END = "# fitted: begin", "# fitted: end"


def read(paths: list[Path]) -> tuple[list[dict], np.ndarray, list[str], list[str]]:
    """Features, gold (supported or not), set name and id of every record that has features."""
    feats, ys, sets, ids = [], [], [], []
    for path in paths:
        name = path.stem.removeprefix("fit_")
        for line in path.read_text("utf-8").splitlines():
            row = json.loads(line)
            if "features" not in row:  # the verifier failed on it: nothing to fit
                continue
            feats.append(with_derived(row["features"]))
            ys.append(row["gold"] == "supported")
            sets.append(name)
            ids.append(str(row["id"]))
    return feats, np.array(ys), sets, ids


def documents(sets: list[str], ids: list[str], data: Path) -> list[str]:
    """Each record's evidence document (a hash of its passages), for folds grouped by it."""
    from quotecheck.evaluation.factcheck_sets import load_set

    doc = {}
    for name in dict.fromkeys(sets):
        for item in load_set(name, data, split="fit"):
            doc[(name, item.id)] = hashlib.sha256("\n".join(item.passages).encode()).hexdigest()
    return [doc.get((s, i), f"{s}:{i}") for s, i in zip(sets, ids, strict=True)]


def cross_validated(
    feats, y, sets, docs: list[str], cols: list[str], l2: float, k: int
) -> dict[str, float]:
    """Balanced accuracy per set (and their mean) of predictions made by fits that never saw
    the item's document: ``k`` folds grouped by document, averaged over 5 fold seeds."""
    X_all = matrix(feats, cols)
    names = list(dict.fromkeys(sets))
    out = {n: 0.0 for n in [*names, "mean"]}
    groups = sorted(set(docs))
    for seed in range(5):
        rng = np.random.default_rng(seed)
        fold_of = dict(zip(rng.permutation(groups), np.arange(len(groups)) % k, strict=True))
        fold = np.array([fold_of[d] for d in docs])
        pred = np.zeros(len(y), bool)
        for f in range(k):
            test = fold == f
            X, yy = X_all[~test], y[~test]
            keep = [i for i in range(len(cols)) if X[:, i].std() > 0]
            w, b = fit_signed(X[:, keep], yy, [cols[i] for i in keep], l2)
            p_train = 1 / (1 + np.exp(-(X[:, keep] @ w + b)))
            _, hi, _ = band(yy, p_train)
            pred[test] = 1 / (1 + np.exp(-(X_all[test][:, keep] @ w + b))) >= hi
        for n in names:
            m = np.array([s == n for s in sets])
            out[n] += bacc(y[m], pred[m]) / 5
    out["mean"] = sum(out[n] for n in names) / len(names)
    return out


def matrix(feats: list[dict], cols: list[str]) -> np.ndarray:
    return np.array([[f.get(c, 0.0) for c in cols] for f in feats], float)


def fit(X: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Raw weights and intercept of an L2 logistic regression (Newton on standardised X)."""
    mean, scale = X.mean(0), X.std(0)
    scale[scale == 0] = 1.0
    A = np.hstack([(X - mean) / scale, np.ones((len(X), 1))])
    theta = np.zeros(A.shape[1])
    pen = np.full(A.shape[1], l2)
    pen[-1] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-(A @ theta)))
        grad = A.T @ (p - y) + pen * theta
        hess = (A * (p * (1 - p))[:, None]).T @ A + np.diag(pen)
        step = np.linalg.solve(hess, grad)
        theta -= step
        if np.abs(step).max() < 1e-9:
            break
    w = theta[:-1] / scale
    return w, float(theta[-1] - (mean / scale) @ theta[:-1])


def fit_signed(
    X: np.ndarray, y: np.ndarray, cols: list[str], l2: float
) -> tuple[np.ndarray, float]:
    """``fit`` with each weight's sign held to what the feature means (``SIGN``): a word the
    evidence lacks, a flipped negation or another number never makes support more likely. A
    feature whose weight comes out with the wrong sign is dropped (weight 0) and the rest
    re-fitted, until every sign holds: what SummEdits' edits happen to reward does not carry
    over to news."""
    active = list(range(len(cols)))
    while True:
        w_active, b = fit(X[:, active], y, l2)
        wrong = [i for i, wi in zip(active, w_active, strict=True) if SIGN.get(cols[i], 0) * wi < 0]
        if not wrong:
            w = np.zeros(len(cols))
            w[active] = w_active
            return w, b
        worst = max(wrong, key=lambda i: abs(w_active[active.index(i)]))
        active.remove(worst)


def bacc(y: np.ndarray, sup: np.ndarray, valid: np.ndarray | None = None) -> float:
    ok = sup == y
    if valid is not None:
        ok &= valid
    return float((ok[y].mean() + ok[~y].mean()) / 2)


def band(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float]:
    cand = np.unique(p)
    mids = np.concatenate([[cand[0] - 1e-9], (cand[1:] + cand[:-1]) / 2, [cand[-1] + 1e-9]])
    scores = np.array([bacc(y, p >= t) for t in mids])
    # the curve is flat near its top and its single highest point moves with every re-fit: take
    # the middle of the best stretch of the curve averaged over ``SMOOTH`` either side
    smooth = np.array([scores[np.abs(mids - m) <= SMOOTH].mean() for m in mids])
    t = float(np.median(mids[np.flatnonzero(smooth >= smooth.max() - 1e-12)]))
    lo = hi = t
    for step in range(1, 160):
        a, b = t - STEP * step, t + STEP * step
        if scores.max() - bacc(y, p >= b, (p < a) | (p >= b)) > REVIEW_BUDGET:
            break
        lo, hi = a, b
    return round(lo, 4), round(hi, 4), float(scores.max())


def ece(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    idx = np.clip((p * bins).astype(int), 0, bins - 1)
    return float(
        sum(
            (idx == b).mean() * abs(p[idx == b].mean() - y[idx == b].mean())
            for b in range(bins)
            if (idx == b).any()
        )
    )


def one(name: str, feats, y, sets, cols: list[str], l2: float) -> tuple[str, list[str]]:
    X = matrix(feats, cols)
    keep = [i for i in range(len(cols)) if X[:, i].std() > 0]
    cols, X = [cols[i] for i in keep], X[:, keep]
    w, b = fit_signed(X, y, cols, l2)
    kept = [i for i in range(len(cols)) if w[i] != 0]
    dropped = [c for i, c in enumerate(cols) if i not in kept]
    cols, X, w = [cols[i] for i in kept], X[:, kept], w[kept]
    p = 1 / (1 + np.exp(-(X @ w + b)))
    lo, hi, best = band(y, p)
    sup, valid = p >= hi, (p < lo) | (p >= hi)
    notes = [
        f"{name}: FIT {len(y)} items, bacc {best:.3f} without a band, "
        f"{bacc(y, sup, valid):.3f} with it, review {1 - valid.mean():.2f}, ECE {ece(y, p):.3f}"
    ]
    if dropped:
        notes.append(f"  dropped, their weights came out with the wrong sign: {', '.join(dropped)}")
    for s in dict.fromkeys(sets):
        m = np.array([x == s for x in sets])
        notes.append(
            f"  {s}: n {m.sum()}, bacc {bacc(y[m], sup[m], valid[m]):.3f}, "
            f"review {1 - valid[m].mean():.2f}"
        )
    weights = "".join(f'        "{c}": {v:.4f},\n' for c, v in zip(cols, w, strict=True))
    code = (
        f"{name} = Calibration(\n    weights={{\n{weights}    }},\n"
        f"    intercept={b:.4f},\n    t_lo={lo},\n    t_hi={hi},\n)"
    )
    return code, notes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", type=Path, help="FIT predictions (JSONL)")
    ap.add_argument("--l2", type=float, default=1.0, help="penalty on standardised weights")
    ap.add_argument("--write", action="store_true", help="put the result into calibration.py")
    ap.add_argument("--cv", type=int, default=0, help="K: grouped K-fold CV figures too")
    ap.add_argument("--data", type=Path, default=Path("../shared/data/factcheck"))
    args = ap.parse_args()
    feats, y, sets, ids = read(args.files)
    if args.cv:
        docs = documents(sets, ids, args.data)
        for name, cols in (("FULL", MODEL + JOINT + CODE), ("MODEL_ONLY", MODEL)):
            cv = cross_validated(feats, y, sets, docs, cols, args.l2, args.cv)
            print(
                f"# {name} {args.cv}-fold CV by document: "
                + ", ".join(f"{n} {v:.3f}" for n, v in cv.items())
            )
    blocks, notes = [], []
    for name, cols in (("FULL", MODEL + JOINT + CODE), ("MODEL_ONLY", MODEL)):
        code, why = one(name, feats, y, sets, cols, args.l2)
        blocks.append(code)
        notes += why
    wrapped = [
        "\n".join(
            line.rstrip()
            for line in textwrap.wrap(
                n, 96, initial_indent="# ", subsequent_indent="#     ", drop_whitespace=False
            )
        )
        for n in notes
    ]
    text = "\n".join(wrapped) + "\n" + "\n".join(blocks)
    print(text)
    if args.write:
        src = CALIBRATION.read_text("utf-8")
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
        cmd = f"python scripts/fit_verifier.py --l2 {args.l2} " + " ".join(
            p.name for p in args.files
        )
        head = "\n".join(
            textwrap.wrap(
                cmd, 96, initial_indent="# ", subsequent_indent="#   ", break_on_hyphens=False
            )
        )
        new = f"{BEGIN}\n{head}\n{text}\n{END}"
        CALIBRATION.write_text(pattern.sub(lambda _: new, src), "utf-8")
        print(f"wrote {CALIBRATION}")


if __name__ == "__main__":
    main()
