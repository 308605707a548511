"""Name swaps: does the verifier still call a claim supported when one of its names is swapped for
another name its evidence gives? (The error an altered-facts check on unseen news counts.) For
every supported claim of WiCE and AVeriTeC in one split half, the first name of the claim that
the evidence also gives (``text.names``, a key term of the claim) is swapped for another name
with as many words and no word in common with the claim's names, chosen at random (seed 5): with
``--pool evidence`` any such name of the evidence, with ``--pool shown`` one of the windows the
verifier shows the model for the claim (``windows.rank``, no model needed), so the names check
cannot see the swap. The original claim and the altered copy are each verified the way
``verify_passages_async`` does it, and the label is kept twice: before the name question
(``factcheck.cloze``) and after it, so one run gives both. One line per claim to ``--out``; the
summary (share of each labelled supported, seconds a claim) to stdout.

    python scripts/probe_name_swaps.py --split report --pool shown --out swaps_report.jsonl
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from collections import Counter
from pathlib import Path

from quotecheck.evaluation.factcheck_sets import load_set
from quotecheck.factcheck import FULL, ask_names, claim_signals, decide, plain_passages
from quotecheck.factcheck.windows import rank, units, windows
from quotecheck.llm import LLM
from quotecheck.text import key_terms, name_words, names

SETS = ("wice", "averitec")


def swapped(
    claim: str, passages: list[str], pool: str, rng: random.Random
) -> tuple[str, str, str] | None:
    """The claim with its first name the evidence gives swapped for another; both names."""
    found = names("\n".join(passages))
    given = set().union(*(name_words(n.text) for n in found)) if found else set()
    ours = [n for n in names(claim) if name_words(n.text) & key_terms(claim)]
    ours = [n for n in ours if name_words(n.text) <= given]
    if not ours:
        return None
    taken = set().union(*(name_words(n.text) for n in names(claim)))
    name = ours[0]
    width = len(name.text.split())
    if pool == "shown":
        found = [m for w, _ in rank(claim, windows(units(passages))) for m in names(w.text)]
    picks = sorted(
        {
            m.text
            for m in found
            if not m.opener and not name_words(m.text) & taken and len(m.text.split()) == width
        }
    )
    if not picks:
        return None
    other = rng.choice(picks)
    return claim[: name.start] + other + claim[name.end :], name.text, other


async def run(split: str, pool: str, data: Path, out: Path) -> Counter:
    rng, llm, counts = random.Random(5), LLM(), Counter()
    with out.open("w", encoding="utf-8") as f:
        for name in SETS:
            for item in load_set(name, data, split=split):
                if item.label != "supported":
                    continue
                claim = " ".join(item.claim.split())
                passages = plain_passages(list(item.passages))
                swap = swapped(claim, [p.text for p in passages], pool, rng)
                if swap is None:
                    continue
                for kind, text in (("original", claim), ("swap", swap[0])):
                    t0 = time.perf_counter()
                    signals = await claim_signals(llm, text, [p.text for p in passages])
                    before = decide(text, signals, passages, FULL)
                    t1 = time.perf_counter()
                    await ask_names(llm, text, signals, FULL)
                    after = decide(text, signals, passages, FULL)
                    t2 = time.perf_counter()
                    row = {
                        "set": name,
                        "id": item.id,
                        "kind": kind,
                        "claim": text,
                        "swapped": list(swap[1:]),
                        "before": before.label.value,
                        "after": after.label.value,
                        "seconds": round(t1 - t0, 2),
                        "name_seconds": round(t2 - t1, 2),
                        "findings": [f.model_dump(mode="json") for f in after.findings],
                    }
                    f.write(json.dumps(row) + "\n")
                    f.flush()
                    counts[(name, kind, "n")] += 1
                    counts[(name, kind, "before")] += before.label.value == "supported"
                    counts[(name, kind, "after")] += after.label.value == "supported"
                    counts[(name, kind, "seconds")] += t1 - t0
                    counts[(name, kind, "name_seconds")] += t2 - t1
    await llm.aclose()
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--split", choices=("fit", "report"), default="report")
    ap.add_argument("--pool", choices=("evidence", "shown"), default="shown")
    ap.add_argument("--data", type=Path, default=Path("../shared/data/factcheck"))
    ap.add_argument("--out", type=Path, default=Path("name_swaps.jsonl"))
    args = ap.parse_args()
    counts = asyncio.run(run(args.split, args.pool, args.data, args.out))
    print(
        f"{'set':9} {'claims':8} {'n':>4} {'supported before':>17} {'after':>6} {'s':>5} {'+s':>5}"
    )
    for name in (*SETS, "all"):
        for kind in ("original", "swap"):
            keys = SETS if name == "all" else (name,)
            n = sum(counts[(k, kind, "n")] for k in keys)
            if not n:
                continue
            b, a = (sum(counts[(k, kind, x)] for k in keys) / n for x in ("before", "after"))
            s, extra = (
                sum(counts[(k, kind, x)] for k in keys) / n for x in ("seconds", "name_seconds")
            )
            print(f"{name:9} {kind:8} {n:4} {b:17.2f} {a:6.2f} {s:5.1f} {extra:5.2f}")


if __name__ == "__main__":
    main()
