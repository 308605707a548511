"""Quote fidelity: align each quoted fragment of the article with the supplied transcripts
(their format: ``factcheck.transcripts``). Offsets in results index the transcript's text.

Classes: ``exact`` (verbatim, ignoring the quote's edge punctuation), ``trivial`` (same
words, differing only in punctuation, case or whitespace), ``altered`` (best
rapidfuzz ``partial_ratio`` at least ``threshold``; a word diff says what changed),
``not_found``. Whether an altered quote changes the meaning is a yes/no question to the
model about the two verbatim strings code gives it. Imports ``llm``, ``schema``, ``text`` and
the transcripts of ``factcheck``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, StringConstraints
from rapidfuzz import fuzz

from quotecheck.factcheck.transcripts import Transcript, Turn
from quotecheck.llm import LLM, render
from quotecheck.schema import (
    DiffOp,
    FidelityStatus,
    FragmentAlignment,
    Quote,
    QuoteFidelity,
    QuoteReport,
    QuoteType,
    Span,
    Usage,
)
from quotecheck.text.lexicon import HONORIFICS, NEGATIONS

DEFAULT_THRESHOLD = 75.0
_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
_QUOTE_MARKS = "\"'“”‘’«»„‚‹›"
_TITLES = {*HONORIFICS, "the", "a", "an"}
_ORDER = [
    FidelityStatus.exact,
    FidelityStatus.trivial,
    FidelityStatus.altered,
    FidelityStatus.not_found,
]


@dataclass(frozen=True)
class _Tok:
    norm: str
    start: int
    end: int


def _tokens(text: str, offset: int = 0) -> list[_Tok]:
    return [
        _Tok(m.group().lower().replace("’", "'"), offset + m.start(), offset + m.end())
        for m in _TOKEN.finditer(text)
    ]


def _strip_edges(text: str) -> str:
    return text.strip().strip(_QUOTE_MARKS + " ,.;:…").strip()


def _find_sequence(needle: list[str], hay: list[str]) -> int:
    n = len(needle)
    for i in range(len(hay) - n + 1):
        if hay[i : i + n] == needle:
            return i
    return -1


def align_fragment(
    fragment: Span, transcripts: Sequence[Transcript], threshold: float = DEFAULT_THRESHOLD
) -> FragmentAlignment:
    """Best place of ``fragment`` in any transcript turn, classified (see module doc)."""
    core = _strip_edges(fragment.text)
    q = _tokens(core)
    if not q:
        return FragmentAlignment(fragment=fragment, status=FidelityStatus.not_found, score=0.0)
    qn = [t.norm for t in q]
    best: tuple[float, FidelityStatus, Transcript, Turn, int, int] | None = None
    for tr in transcripts:
        for turn in tr.turns:
            said = tr.text[turn.start : turn.end]
            toks = _tokens(said, turn.start)
            if not toks:
                continue
            if core in said:
                i = said.index(core) + turn.start
                span_toks = [t for t in toks if i <= t.start < i + len(core)]
                return _result(fragment, FidelityStatus.exact, 100.0, tr, turn, span_toks, q)
            tn = [t.norm for t in toks]
            at = _find_sequence(qn, tn)
            if at >= 0:
                found = toks[at : at + len(qn)]
                return _result(fragment, FidelityStatus.trivial, 100.0, tr, turn, found, q)
            hit = _fuzzy(qn, tn)
            if hit and (best is None or hit[0] > best[0]):
                best = (hit[0], FidelityStatus.altered, tr, turn, hit[1], hit[2])
    if best is None or best[0] < threshold or best[4] < 0:
        score = round(best[0], 1) if best else 0.0
        return FragmentAlignment(fragment=fragment, status=FidelityStatus.not_found, score=score)
    score, status, tr, turn, i, j = best
    toks = _tokens(tr.text[turn.start : turn.end], turn.start)[i:j]
    return _result(fragment, status, score, tr, turn, toks, q)


def _fuzzy(qn: list[str], tn: list[str]) -> tuple[float, int, int] | None:
    """partial_ratio over the joined words, then a word-level refinement of the window."""
    qs, ts = " ".join(qn), " ".join(tn)
    al = fuzz.partial_ratio_alignment(qs, ts)
    if al is None or al.score <= 0:
        return None
    starts, pos = [], 0
    for w in tn:
        starts.append(pos)
        pos += len(w) + 1
    first = max(0, sum(1 for s in starts if s <= al.dest_start) - 1)
    last = sum(1 for s in starts if s < al.dest_end)
    pad = max(2, len(qn) // 2)
    lo, hi = max(0, first - pad), min(len(tn), last + pad)
    blocks = [
        b
        for b in difflib.SequenceMatcher(None, tn[lo:hi], qn, autojunk=False).get_matching_blocks()
        if b.size
    ]
    if not blocks:
        return float(al.score), -1, -1
    i, j = lo + blocks[0].a, lo + blocks[-1].a + blocks[-1].size
    # article words unmatched at either edge were probably replaced: take as many
    # transcript words there, so the diff shows "year -> decade", not a bare insert
    i = max(0, i - blocks[0].b)
    j = min(len(tn), j + len(qn) - (blocks[-1].b + blocks[-1].size))
    return float(al.score), i, j


def _result(
    fragment: Span,
    status: FidelityStatus,
    score: float,
    tr: Transcript,
    turn: Turn,
    found: list[_Tok],
    q: list[_Tok],
) -> FragmentAlignment:
    start, end = found[0].start, found[-1].end
    diff: list[DiffOp] = []
    if status is FidelityStatus.altered:
        core = _strip_edges(fragment.text)
        sm = difflib.SequenceMatcher(
            None, [t.norm for t in found], [t.norm for t in q], autojunk=False
        )
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            diff.append(
                DiffOp(
                    op=op,
                    transcript=" ".join(tr.text[t.start : t.end] for t in found[i1:i2]),
                    article=" ".join(core[t.start : t.end] for t in q[j1:j2]),
                )
            )
    return FragmentAlignment(
        fragment=fragment,
        status=status,
        score=round(score, 1),
        transcript_id=tr.id,
        transcript_span=Span(start=start, end=end, text=tr.text[start:end]),
        transcript_speaker=turn.speaker,
        diff=diff,
    )


def _name_tokens(name: str) -> list[str]:
    return [t.norm for t in _tokens(name) if t.norm not in _TITLES]


def names_match(a: str, b: str) -> bool:
    """Same person: equal names, or one's words a contiguous run of the other's ("Putin")."""
    x, y = _name_tokens(a), _name_tokens(b)
    if not x or not y:
        return False
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return _find_sequence(short, long_) >= 0


def quoted_pieces(article: str, quote: Quote) -> list[Span]:
    """The verbatim-quoted parts of a quote: direct fragments, or the parts in marks."""
    pieces: list[Span] = []
    for frag in quote.fragments:
        inner = list(re.finditer(r"[\"“«„]([^\"“”«»„]+)[\"”»“]", frag.text))
        if inner:
            for m in inner:
                s, e = frag.start + m.start(1), frag.start + m.end(1)
                pieces.append(Span(start=s, end=e, text=article[s:e]))
        elif quote.type == QuoteType.direct:
            pieces.append(frag)
        else:
            before = article[max(0, frag.start - 1) : frag.start]
            after = article[frag.end : frag.end + 1]
            if before and after and before in _QUOTE_MARKS and after in _QUOTE_MARKS:
                pieces.append(frag)
    return pieces


def align_quotes(
    article: str,
    report: QuoteReport,
    transcripts: Sequence[Transcript],
    threshold: float = DEFAULT_THRESHOLD,
) -> list[QuoteFidelity]:
    """Fidelity of every direct (and the quoted part of every mixed) quote; no model."""
    out: list[QuoteFidelity] = []
    for quote in report.quotes:
        if quote.type == QuoteType.indirect:
            continue
        pieces = quoted_pieces(article, quote)
        if not pieces:
            continue
        aligned = [align_fragment(p, transcripts, threshold) for p in pieces]
        status = max((a.status for a in aligned), key=_ORDER.index)
        speaker = quote.speaker_label()
        said_by = {a.transcript_speaker for a in aligned if a.transcript_speaker}
        match = None
        if speaker and said_by:
            match = all(names_match(speaker, s) for s in said_by)
        out.append(
            QuoteFidelity(
                quote_id=quote.id,
                speaker_name=speaker,
                status=status,
                fragments=aligned,
                speaker_match=match,
            )
        )
    return out


class _MeaningAnswer(BaseModel):
    changed: bool
    reason: Annotated[str, StringConstraints(max_length=300)]


@dataclass
class MeaningResult:
    changed: bool
    reason: str
    usage: Usage
    prompt_sha: str


def meaning_markers(fidelity: QuoteFidelity) -> list[str]:
    """Changes that alter meaning whatever the model says: negations and numbers."""
    found = []
    for a in fidelity.fragments:
        for d in a.diff:
            if d.op == "equal":
                continue
            for side in (d.transcript, d.article):
                words = {w.lower() for w in _TOKEN.findall(side)}
                if words & NEGATIONS or any(w.endswith("n't") for w in words):
                    found.append(f"negation changed ({d.describe()})")
                    break
                if any(ch.isdigit() for ch in side):
                    found.append(f"number changed ({d.describe()})")
                    break
    return found


async def judge_meaning_async(fidelity: QuoteFidelity, llm: LLM) -> MeaningResult | None:
    """Ask whether the altered wording changes the meaning; None if nothing is altered.

    The model sees both verbatim strings and the word changes code found. A dropped or
    added negation, or a changed number, is a change of meaning by rule: the model is
    still asked for its reason, but cannot overrule that.
    """
    altered = [a for a in fidelity.fragments if a.status == FidelityStatus.altered]
    if not altered:
        return None
    article = " … ".join(_strip_edges(a.fragment.text) for a in altered)
    spoken = " … ".join(a.transcript_span.text for a in altered if a.transcript_span)
    changes = [d.describe() for a in altered for d in a.diff if d.op != "equal"]
    prompt, sha = render("fidelity_meaning", article=article, transcript=spoken, changes=changes)

    def validate(answer: _MeaningAnswer) -> None:
        if not answer.reason.strip():
            raise ValueError("give a short reason (one sentence) for your yes/no answer")

    done = await llm.acomplete(
        prompt,
        _MeaningAnswer,
        prompt_id="fidelity_meaning",
        validate=validate,
        max_tokens=80,
    )
    answer, usage = done.value, done.usage
    reason = " ".join(answer.reason.split())
    markers = meaning_markers(fidelity)
    if markers and not answer.changed:
        reason = f"{'; '.join(markers)}: a change of meaning by rule (model said: {reason})"
    return MeaningResult(answer.changed or bool(markers), reason, usage, sha)
