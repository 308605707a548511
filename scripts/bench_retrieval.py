"""Benchmark evidence retrieval over a shared corpus of about 1,400 documents (no model).

Every WiCE dev claim's cited web page goes into one index together with the PolNeAR articles
(train and dev) as distractors, as if a newsroom had dropped all its source material into one
folder. For each WiCE claim that has gold supporting sentences we ask whether the passages
the verifier would see contain one of them:
- ``bm25``: ``EvidenceIndex.search`` over the whole corpus (what ``quotecheck check`` uses);
- ``gated``: ``EvidenceIndex.relevant``, the same after the lexical gate that keeps a claim
  with no relevant passage away from the model;
- ``first passages``: the baseline without retrieval, the first k passages of the claim's own
  page (the reporter reading from the top).
Also: index build time, peak memory, and query latency (wall and CPU: on a machine busy with
the model the wall figures stretch).

    python scripts/bench_retrieval.py --data ../shared/data --json retrieval.json
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from quotecheck.factcheck.evidence import EvidenceIndex, Source, split_passages


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def wice_pages(path: Path) -> list[tuple[str, Source, list[tuple[int, int]]]]:
    """(claim, page as a source, character spans of its gold supporting sentences)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        sentences = [str(s) for s in row["evidence"]]
        offsets, pos = [], 0
        for s in sentences:
            offsets.append((pos, pos + len(s)))
            pos += len(s) + 1
        gold_ids = {i for group in row.get("supporting_sentences") or [] for i in group}
        gold = [offsets[i] for i in sorted(gold_ids) if i < len(offsets)]
        out.append((row["claim"], Source(f"wice-{n}", "\n".join(sentences)), gold))
    return out


def polnear_sources(folder: Path) -> list[Source]:
    sources = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            sources.append(Source(f"polnear-{path.stem}-{row['doc_id']}", row["text"]))
    return sources


def hit(passages, source_id: str, gold: list[tuple[int, int]]) -> bool:
    return any(
        p.source_id == source_id and any(p.start < e and s < p.end for s, e in gold)
        for p in passages
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    wice_file = args.data / "factcheck/wice/entailment_retrieval_claim_dev.jsonl"
    if not wice_file.is_file():
        print(f"{wice_file} not found: point --data at the shared data folder", file=sys.stderr)
        return 2

    pages = wice_pages(wice_file)
    sources = [src for _, src, _ in pages] + polnear_sources(args.data / "polnear/jsonl")
    rss0 = _rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    index = EvidenceIndex.build(sources)
    build_s, build_cpu = time.perf_counter() - t0, time.process_time() - c0

    claims = [(c, src, gold) for c, src, gold in pages if gold]
    ks = (1, 3, 10)
    hits = {f"bm25@{k}": 0 for k in ks} | {f"first passages@{k}": 0 for k in ks}
    hits["gated@3"] = 0
    gated_empty = 0
    query_s = query_cpu = 0.0
    for claim, src, gold in claims:
        t1, c1 = time.perf_counter(), time.process_time()
        found = [sp.passage for sp in index.search(claim, k=max(ks))]
        gated = [sp.passage for sp in index.relevant(claim, k=3)]
        query_s += time.perf_counter() - t1
        query_cpu += time.process_time() - c1
        own = split_passages(src)
        for k in ks:
            hits[f"bm25@{k}"] += hit(found[:k], src.id, gold)
            hits[f"first passages@{k}"] += hit(own[:k], src.id, gold)
        hits["gated@3"] += hit(gated, src.id, gold)
        gated_empty += not gated
    n = len(claims)
    result = {
        "documents": len(sources),
        "passages": len(index.passages),
        "characters": sum(len(s.text) for s in sources),
        "claims_with_gold_evidence": n,
        "build_seconds": round(build_s, 2),
        "build_cpu_seconds": round(build_cpu, 2),
        "peak_rss_mb_added_by_index": round(_rss_mb() - rss0, 1),
        "ms_per_query": round(1000 * query_s / max(1, n), 2),
        "cpu_ms_per_query": round(1000 * query_cpu / max(1, n), 2),
        "recall": {name: round(v / max(1, n), 3) for name, v in hits.items()},
        "gated_no_passage_share": round(gated_empty / max(1, n), 3),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
