"""Loaders for the fact-checking sets in ``../shared/data/factcheck``, in one shape.

Each item becomes a claim, the passages a verifier may read, and a gold label in the verifier's
vocabulary ("supported", "refuted", "not_enough_evidence"), plus "conflicting" for the AVeriTeC
class a three-way verifier cannot express (kept, so label accuracy stays honest). Label maps:
- SummEdits: 1 -> supported, 0 -> refuted (the edits contradict the transcript).
- WiCE: supported -> supported; partially_supported and not_supported -> not_enough_evidence
  (the cited page does not back the whole claim; nothing says it is false).
- AVeriTeC: Supported / Refuted / Not Enough Evidence map directly;
  "Conflicting Evidence/Cherrypicking" -> conflicting.
Imports only ``errors``.
"""

from __future__ import annotations

import ast
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from quotecheck.errors import BadInput

SUPPORTED, REFUTED, NEI, CONFLICTING = "supported", "refuted", "not_enough_evidence", "conflicting"
SETS = ("summedits-podcast", "summedits-meeting", "wice", "averitec")
_FILES = {
    "summedits-podcast": "summedits/summedits_podcast.json",
    "summedits-meeting": "summedits/summedits_qmsumm.json",
    "wice": "wice/entailment_retrieval_claim_dev.jsonl",
    "averitec": "averitec/dev_even_ids_gold_evidence.jsonl",
}
_WICE = {"supported": SUPPORTED, "partially_supported": NEI, "not_supported": NEI}
_AVERITEC = {
    "supported": SUPPORTED,
    "refuted": REFUTED,
    "not enough evidence": NEI,
    "conflicting evidence/cherrypicking": CONFLICTING,
}
PASSAGE_CHARS = 1500


@dataclass(frozen=True)
class ClaimItem:
    id: str
    claim: str
    passages: tuple[str, ...]
    label: str  # gold, in the verifier's vocabulary
    raw_label: str


def chunk(text: str, size: int = PASSAGE_CHARS) -> tuple[str, ...]:
    """Split a long document at line or word boundaries into passages of about ``size``."""
    out, current = [], ""
    for line in text.splitlines(keepends=True):
        while len(line) > size:  # one huge line (podcast transcripts): cut at a space
            cut = line.rfind(" ", 0, size)
            cut = cut if cut > 0 else size
            if current:
                out.append(current)
                current = ""
            out.append(line[:cut])
            line = line[cut:].lstrip(" ")
        if current and len(current) + len(line) > size:
            out.append(current)
            current = ""
        current += line
    if current.strip():
        out.append(current)
    return tuple(p.strip() for p in out if p.strip())


def _listish(value: object) -> list:
    """Some fields arrive as Python-literal strings; read them without eval."""
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return [value]
    return list(value) if isinstance(value, list | tuple) else []


def _summedits(rows: list[dict]) -> list[ClaimItem]:
    items = []
    for row in rows:
        raw = str(row["label"]).strip()
        if raw not in ("0", "1"):
            raise BadInput(f"SummEdits item {row.get('id')} has label {raw!r}, expected 0 or 1")
        label = SUPPORTED if raw == "1" else REFUTED
        items.append(ClaimItem(str(row["id"]), row["summary"], chunk(row["doc"]), label, raw))
    return items


def _wice(rows: list[dict]) -> list[ClaimItem]:
    items = []
    for n, row in enumerate(rows):
        raw = str(row["label"])
        if raw not in _WICE:
            raise BadInput(f"WiCE item {n} has unknown label {raw!r}")
        meta = row.get("meta") if isinstance(row.get("meta"), dict) else {}
        passages = tuple(str(s) for s in _listish(row.get("evidence")))
        items.append(ClaimItem(str(meta.get("id", n)), row["claim"], passages, _WICE[raw], raw))
    return items


def _averitec(rows: list[dict]) -> list[ClaimItem]:
    items = []
    for row in rows:
        raw = str(row["label"])
        if raw.casefold() not in _AVERITEC:
            raise BadInput(f"AVeriTeC item {row.get('id')} has unknown label {raw!r}")
        passages = tuple(
            f"Q: {qa.get('question', '')}\nA: {qa.get('answer', '')}"
            for qa in _listish(row.get("evidence_qa"))
            if isinstance(qa, dict)
        )
        items.append(
            ClaimItem(str(row["id"]), row["claim"], passages, _AVERITEC[raw.casefold()], raw)
        )
    return items


def _read(path: Path) -> list[dict]:
    if not path.is_file():
        raise BadInput(f"{path} not found: is ../shared/data/factcheck present?")
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":
            return [json.loads(line) for line in text.split("\n") if line.strip()]
        data = json.loads(text)
    except UnicodeDecodeError as err:
        raise BadInput(f"{path} is not UTF-8 text: is the data folder intact?") from err
    except json.JSONDecodeError as err:
        raise BadInput(f"{path} is not valid JSON ({err.msg} at line {err.lineno})") from err
    if not isinstance(data, list):
        raise BadInput(f"{path} should hold a JSON list of items")
    return data


#: the salt of the FIT/REPORT split: the first of qc-split-0..7 whose REPORT halves of podcast,
#: meeting and WiCE all hold 150-250 items (chosen on item counts, before any model call)
SPLIT_SALT = "qc-split-3:"
SPLITS = ("fit", "report", "all")


def split_of(passages: tuple[str, ...]) -> str:
    """``"fit"`` or ``"report"``, from the item's evidence document only: claims that share a
    transcript (SummEdits) share a half, so FIT and REPORT never share a source."""
    digest = hashlib.sha256((SPLIT_SALT + "\n".join(passages)).encode("utf-8")).digest()
    return "report" if digest[0] % 2 == 0 else "fit"


def load_set(
    name: str, root: Path, *, limit: int | None = None, every: int = 1, split: str = "all"
) -> list[ClaimItem]:
    """Every ``every``-th item of one set (of one ``split`` half: calibration is fitted on FIT,
    figures are reported on REPORT) from the factcheck data folder ``root``, in file order.

    SummEdits lists several claims per transcript, so the first N items cover few documents;
    ``every`` spreads a small sample over the set.
    """
    if split not in SPLITS:
        raise BadInput(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    if name not in SETS:
        raise BadInput(f"unknown set {name!r}: use one of {', '.join(SETS)}")
    rows = _read(root / _FILES[name])
    try:
        if name.startswith("summedits"):
            items = _summedits(rows)
        elif name == "wice":
            items = _wice(rows)
        else:
            items = _averitec(rows)
    except (KeyError, TypeError) as err:
        raise BadInput(f"{root / _FILES[name]} lacks an expected field ({err})") from err
    if split != "all":
        items = [i for i in items if split_of(i.passages) == split]
    items = items[:: max(1, every)]
    return items[:limit] if limit is not None else items
