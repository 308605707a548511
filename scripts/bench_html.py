#!/usr/bin/env python3
"""Article-body extraction measured on pages with gold bodies, both extractors in one run.

    .venv/bin/python scripts/bench_html.py [--data ../shared/data/html-extraction] [--json out.json]

The data folder holds ``html/<id>.html.gz`` and ``ground-truth-dev.json`` (``{id: {"articleBody":
..., "url": ...}}``). The score is the article-extraction benchmark's: word tokens (``\\w+``),
4-token shingles counted with multiplicity, per page true/false positives and false negatives
normalised to sum to one, then precision averaged over the pages with any prediction, recall over
the pages with any gold text, and F1 from those two means. CPU milliseconds per page are
``time.process_time`` around each call, after one warm-up call (imports are not counted).

Rows: the older tag filter (``tag_filter_text``), trafilatura with its default options (as the
benchmark runs it), trafilatura alone with quotecheck's options (precision favoured), and
``read_page`` (what the pipeline reads: trafilatura, the filter when trafilatura finds no
body, plus metadata). A second table scores the same extractors on HTML fragments made from the
gold bodies (the first two paragraphs as ``<p>`` elements and nothing else, like a CMS body
export or a brief), where the filter's fallback earns its place.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quotecheck.text import read_page, tag_filter_text  # noqa: E402
from quotecheck.text.html import _OPTIONS, _paragraphs  # noqa: E402

_WORD = re.compile(r"\w+")
Counts = tuple[float, float, float]


def shingles(text: str, n: int = 4) -> Counter:
    words = _WORD.findall(text or "")
    return Counter(tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)) if words)


def page_counts(gold: str, predicted: str) -> Counts:
    """(tp, fp, fn) of one page's shingles, normalised so every page weighs the same."""
    g, p = shingles(gold), shingles(predicted)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _ratio(hit: float, miss: float, other_miss: float) -> float:
    if miss == other_miss == 0:
        return 1.0
    return 0.0 if hit == miss == 0 else hit / (hit + miss)


def scores(rows: list[Counts]) -> dict[str, float]:
    precision = statistics.mean(_ratio(tp, fp, fn) for tp, fp, fn in rows if tp + fp > 0)
    recall = statistics.mean(_ratio(tp, fn, fp) for tp, fp, fn in rows if tp + fn > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def trafilatura_alone(markup: str) -> str:
    import trafilatura

    doc = trafilatura.bare_extraction(markup, **_OPTIONS)
    return _paragraphs(doc.text if doc is not None else None)


def trafilatura_defaults(markup: str) -> str:
    import trafilatura

    return trafilatura.extract(markup, include_comments=False) or ""


EXTRACTORS: dict[str, Callable[[str], str]] = {
    "tag filter (html.parser, before)": tag_filter_text,
    "trafilatura defaults (extract, no comments)": trafilatura_defaults,
    "trafilatura alone (same options, no fallback)": trafilatura_alone,
    "read_page (trafilatura + filter fallback, with metadata)": lambda m: read_page(m).text,
}


def measure(pages: dict[str, str], gold: dict[str, str]) -> dict[str, dict[str, float]]:
    """Every extractor on every page, the order rotated page by page so that no extractor
    always runs on caches another one warmed."""
    names = list(EXTRACTORS)
    first = next(iter(pages.values()))
    for extract in EXTRACTORS.values():
        extract(first)  # warm-up: imports and caches are not a page's cost
    rows: dict[str, list[Counts]] = {n: [] for n in names}
    cpu = dict.fromkeys(names, 0.0)
    empty = dict.fromkeys(names, 0)
    for i, (key, markup) in enumerate(pages.items()):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            t0 = time.process_time()
            text = EXTRACTORS[name](markup)
            cpu[name] += time.process_time() - t0
            empty[name] += not text.strip()
            rows[name].append(page_counts(gold[key], text))
    return {
        n: {**scores(rows[n]), "cpu_ms": 1000 * cpu[n] / len(pages), "empty": empty[n]}
        for n in names
    }


def fragment(body: str) -> str:
    paras = [p.strip() for p in body.split("\n") if p.strip()][:2]
    return "".join(f"<p>{escape(p)}</p>" for p in paras)


def table(title: str, results: dict[str, dict[str, float]], n: int) -> str:
    lines = [
        f"{title} ({n} pages)",
        "| extractor | precision | recall | F1 | CPU ms/page | empty |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} "
            f"| {r['cpu_ms']:.1f} | {r['empty']} |"
        )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/html-extraction")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    truth_file = args.data / "ground-truth-dev.json"
    if not truth_file.exists():
        print(f"no {truth_file}: give --data", file=sys.stderr)
        return 2
    truth = json.loads(truth_file.read_text("utf-8"))
    gold = {k: v.get("articleBody", "") for k, v in sorted(truth.items())}
    pages = {
        k: gzip.decompress((args.data / "html" / f"{k}.html.gz").read_bytes()).decode("utf-8")
        for k in gold
    }
    t0 = time.perf_counter()
    out = {"pages": measure(pages, gold)}
    snippets = {k: fragment(body) for k, body in gold.items()}
    snippet_gold = {k: "\n".join(re.findall(r"<p>(.*?)</p>", s)) for k, s in snippets.items()}
    from html import unescape

    snippet_gold = {k: unescape(v) for k, v in snippet_gold.items()}
    out["fragments"] = measure(snippets, snippet_gold)
    out["seconds"] = time.perf_counter() - t0
    print(table("Full pages", out["pages"], len(pages)))
    print()
    print(table("Body fragments: first two gold paragraphs as <p>", out["fragments"], len(gold)))
    print(f"\n{out['seconds']:.1f} s wall for the whole run")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
