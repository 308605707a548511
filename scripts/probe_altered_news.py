"""Altered news: does the fact-checker pass an article's facts and catch the ones changed?

Each folder of ``examples/altered-news`` holds a source (a reporter's notes, minutes or a press
release), a news article written from it, the same article with facts altered by hand
(``altered.txt``) and the list of alterations (``alterations.json``: the altered words, their
kind, what the article said). All of it was written for the project. Both articles are checked
against the source (``check_claims``, one model for the whole run) and scored by sentence:

- an article sentence is *passed* when every claim taken from it is ``supported``;
- an altered sentence is *caught* when a claim taken from it is not ``supported`` (refuted,
  not backed or sent to review); one that yields no claim is missed. It is caught *fairly*
  when the same sentence as written passed: otherwise something else in it was flagged.

usage: python scripts/probe_altered_news.py [--dir examples/altered-news] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

from quotecheck import check_claims_async
from quotecheck.factcheck.evidence import split_sentences
from quotecheck.llm import LLM
from quotecheck.schema import FactCheckReport, Label

ROOT = Path(__file__).resolve().parent.parent


def by_sentence(report: FactCheckReport) -> dict[tuple[int, int], list[str]]:
    out: dict[tuple[int, int], list[str]] = {}
    for c in report.claims:
        s = c.claim.sentence
        out.setdefault((s.start, s.end), []).append(c.verdict.label.value)
    return out


async def story(folder: Path, llm: LLM) -> dict:
    source = [str(folder / "source.txt")]
    row: dict = {"story": folder.name, "claims": 0, "seconds": 0.0}
    written: list[list[str]] = []  # labels of each sentence of the article as written
    for name in ("article", "altered"):
        text = (folder / f"{name}.txt").read_text("utf-8")
        t0 = time.perf_counter()
        report = await check_claims_async(text, source, llm=llm)
        row["seconds"] += time.perf_counter() - t0
        row["claims"] += len(report.claims)
        sentences = by_sentence(report)
        spans = [(x.start, x.end) for x in split_sentences(text)]
        if name == "article":
            written = [sentences.get(x, []) for x in spans]
            row["sentences"] = len(sentences)
            row["passed"] = sum(
                all(v == Label.supported.value for v in vs) for vs in sentences.values()
            )
            row["article"] = [
                {"sentence": text[a:b], "labels": vs} for (a, b), vs in sorted(sentences.items())
            ]
            continue
        alterations = json.loads((folder / "alterations.json").read_text("utf-8"))
        row["altered"] = []
        for alt in alterations:
            at = text.index(alt["text"])
            k = next(i for i, (a, b) in enumerate(spans) if a <= at < b)
            labels = sentences.get(spans[k], [])
            caught = any(v != Label.supported.value for v in labels)
            # the same sentence as written passed: the alteration is what was caught
            fair = caught and bool(written[k]) and all(v == "supported" for v in written[k])
            row["altered"].append({**alt, "labels": labels, "caught": caught, "fair": fair})
        row["alterations"] = len(alterations)
        row["caught"] = sum(a["caught"] for a in row["altered"])
        row["fair"] = sum(a["fair"] for a in row["altered"])
    return row


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", type=Path, default=ROOT / "examples" / "altered-news")
    ap.add_argument("--json", type=Path, help="write every verdict here")
    args = ap.parse_args()
    llm = LLM()
    rows = [await story(f, llm) for f in sorted(p for p in args.dir.iterdir() if p.is_dir())]
    for r in rows:
        print(
            f"{r['story']}: article sentences passed {r['passed']}/{r['sentences']}, "
            f"alterations caught {r['caught']}/{r['alterations']} "
            f"({r['fair']} where the sentence as written passed), "
            f"{r['seconds'] / max(1, r['claims']):.1f} s a claim"
        )
        for a in r["altered"]:
            mark = ("caught" if a["fair"] else "caught*") if a["caught"] else "MISSED"
            print(f"   {mark} {a['kind']}: {a['text']!r} {a['labels']}")
    keys = ("passed", "sentences", "caught", "fair", "alterations")
    total = {k: sum(r[k] for r in rows) for k in keys}
    seconds = sum(r["seconds"] for r in rows) / max(1, sum(r["claims"] for r in rows))
    print(
        f"all: article sentences passed {total['passed']}/{total['sentences']}, "
        f"alterations caught {total['caught']}/{total['alterations']} ({total['fair']} where the "
        f"sentence as written passed; * marks the others), {seconds:.1f} s a claim"
    )
    if args.json:
        args.json.write_text(json.dumps({"total": total, "stories": rows}, indent=1), "utf-8")


if __name__ == "__main__":
    asyncio.run(main())
