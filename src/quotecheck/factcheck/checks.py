"""Code checks between a claim and its evidence: each gives a value and the differing words.

Every check takes the claim and the evidence units (``windows.Unit``) and returns a ``Check``:
a number for the calibrated verdict, and the words that explain it as ``Span``s with offsets
into the claim (side "claim") or into a passage (side "evidence", with the passage index), so an
editor sees why. Checks: names and numbers the evidence never gives, negation and modality
flips, quantifiers, dates, numbers, quantities of the same thing (``quantities``), titles given
to another person (``titles``), antonyms ("rose"/"fell"), swapped roles ("Acme sued Smith"
against "Smith sued Acme"), and the share of the claim's content words the evidence lacks.
Imports ``text`` (its lexicon, stemmer and terms) and the tokens, quantities, titles and windows
of ``factcheck``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence

from quotecheck.factcheck.quantities import quantity_mismatch
from quotecheck.factcheck.titles import title_mismatch
from quotecheck.factcheck.tokens import Check, Evidence, Span, Tok, cspan, toks
from quotecheck.factcheck.windows import Unit
from quotecheck.text import lexicon, missing_terms, stem
from quotecheck.text.lexicon import STOPWORDS

ANTONYMS: dict[str, set[str]] = {}
for _pair in lexicon.ANTONYM_PAIRS.replace("\n", "").split("|"):
    _a, _b = _pair.split()
    ANTONYMS.setdefault(stem(_a), set()).add(stem(_b))
    ANTONYMS.setdefault(stem(_b), set()).add(stem(_a))
NEGATION = lexicon.NEGATIONS | lexicon.NEGATING_WORDS
MODAL = lexicon.MODAL_WORDS
QUANTIFIER = lexicon.QUANTIFIER_WORDS
MONTHS = {m: i for i, m in enumerate(lexicon.DATE_WORDS[:12], 1)}
MONTHS |= {m[:3]: i for m, i in list(MONTHS.items())} | {"sept": 9}
WEEKDAYS = set(lexicon.DATE_WORDS[12:19])
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)s?\b")
_NUM = re.compile(r"\d+(?:[.,]\d+)*")


# -- checks ----------------------------------------------------------------------------------
def missing_names_numbers(claim: str, ev: Evidence) -> Check:
    missing = missing_terms(claim, [u.text for u in ev.units])
    spans = []
    low = claim.lower()
    for term in missing:
        i = low.find(term)
        if i >= 0:
            spans.append(Span("claim", claim[i : i + len(term)], i, i + len(term)))
    return Check("missing_names_numbers", float(len(missing)), spans)


def _negated(ts: Sequence[Tok], i: int, before: int = 2) -> bool:
    return any(t.word in NEGATION for t in ts[max(0, i - before) : i])


def _content(t: Tok) -> bool:
    return (
        t.word not in STOPWORDS
        and t.word not in NEGATION
        and t.word not in MODAL
        and len(t.word) > 2
    )


def negation_flip(claim: str, ev: Evidence) -> Check:
    """A claim word that is negated on one side only: "did not provide" vs "provides"."""
    ct = toks(claim)
    spans: list[Span] = []
    flips = 0
    for i, t in enumerate(ct):
        if not _content(t) or t.stem not in ev.stems or claim[t.start].isupper():
            continue
        c_neg = _negated(ct, i)
        e_pos, e_neg = None, None
        for ts in ev.toks:
            for j, u in enumerate(ts):
                if u.stem == t.stem:
                    if _negated(ts, j):
                        e_neg = e_neg or u
                    else:
                        e_pos = e_pos or u
        if c_neg and e_pos is not None and e_neg is None:
            flips += 1
            cue = next(x for x in ct[max(0, i - 2) : i] if x.word in NEGATION)
            spans += [Span("claim", claim[cue.start : t.end], cue.start, t.end), ev.span(e_pos)]
        elif not c_neg and e_neg is not None and e_pos is None:
            flips += 1
            spans += [cspan(claim, t), ev.span(e_neg)]
    # a negation cue in the claim with no negation anywhere in the evidence
    cues = [t for t in ct if t.word in NEGATION]
    if cues and not (ev.words & NEGATION):
        flips += 1
        spans += [cspan(claim, c) for c in cues]
    return Check("negation_flip", float(flips), spans)


def modality_flip(claim: str, ev: Evidence) -> Check:
    """Hedges and plans on one side only: "plans to open" against "opened"."""
    ct = toks(claim)
    spans = [cspan(claim, t) for t in ct if t.word in MODAL and t.stem not in ev.stems]
    return Check("modality_flip", float(len(spans)), spans)


def quantifier_flip(claim: str, ev: Evidence) -> Check:
    """Quantifiers of the claim ("only", "all", "some") that the evidence never uses."""
    ct = toks(claim)
    spans = [cspan(claim, t) for t in ct if t.word in QUANTIFIER and t.word not in ev.words]
    return Check("quantifier_flip", float(len(spans)), spans)


def _dates(toks: Sequence[Tok], text: str) -> list[tuple[str, str, Tok]]:
    out = []
    for t in toks:
        if _YEAR.fullmatch(t.word):
            out.append(("year", t.word.rstrip("s"), t))
        elif t.word in MONTHS and (t.word != "may" or text[t.start : t.start + 1] == "M"):
            out.append(("month", str(MONTHS[t.word]), t))
        elif t.word in WEEKDAYS:
            out.append(("weekday", t.word, t))
    return out


def date_mismatch(claim: str, ev: Evidence) -> Check:
    """A claim date (year, month, weekday) absent from the evidence while it gives another one."""
    cd = _dates(toks(claim), claim)
    ed = [d for ts, u in zip(ev.toks, ev.units, strict=True) for d in _dates(ts, u.text)]
    spans: list[Span] = []
    n = 0
    for kind, value, t in cd:
        same = [d for d in ed if d[0] == kind]
        if same and all(d[1] != value for d in same):
            n += 1
            spans.append(cspan(claim, t))
            spans += [ev.span(d[2]) for d in same[:2]]
    return Check("date_mismatch", float(n), spans)


_SPELLED = {**lexicon.NUMBER_WORD, **lexicon.NUMBER_SCALE}
_SPELLED |= {"dozen": 12, "half": 0.5, "twice": 2, "double": 2, "triple": 3}


def _numbers(toks: Sequence[Tok]) -> list[tuple[float, Tok]]:
    out = []
    for t in toks:
        if _NUM.fullmatch(t.word) and not _YEAR.fullmatch(t.word):
            with contextlib.suppress(ValueError):
                out.append((float(t.word.replace(",", "")), t))
        elif t.word in _SPELLED and t.word not in ("one",):
            out.append((float(_SPELLED[t.word]), t))
    return out


def number_mismatch(claim: str, ev: Evidence) -> Check:
    """A claim number (not a year) that the evidence never gives while it gives other numbers."""
    cn = _numbers(toks(claim))
    en = [x for ts in ev.toks for x in _numbers(ts)]
    values = {v for v, _ in en}
    spans: list[Span] = []
    n = 0
    for v, t in cn:
        if en and v not in values:
            n += 1
            spans.append(cspan(claim, t))
            spans += [ev.span(x[1]) for x in en[:2]]
    return Check("number_mismatch", float(n), spans)


_NEG_PREFIX = ("un", "in", "im", "il", "ir", "dis", "non", "mis", "anti")


def _opposites(t: Tok) -> set[str]:
    """Lexicon antonyms, plus prefix negations: "connected"/"disconnected", "able"/"unable"."""
    out = set(ANTONYMS.get(t.stem, ()))
    w = t.word
    if len(w) >= 5:  # not "play"/"display"
        out |= {stem(p + w) for p in _NEG_PREFIX}
        for p in _NEG_PREFIX:
            if w.startswith(p) and len(w) - len(p) >= 4:
                out.add(stem(w[len(p) :]))
        if w.endswith("ful"):
            out.add(stem(w[:-3] + "less"))
        if w.endswith("less"):
            out.add(stem(w[:-4] + "ful"))
    return out - {t.stem}


_OPPOSABLE = lexicon.OPPOSABLE_WORDS
_NEAR = 3  # words either side that must be shared for an opposite to stand for the claim's word


def _context(ts: Sequence[Tok], i: int) -> set[str]:
    near = [*ts[max(0, i - _NEAR) : i], *ts[i + 1 : i + 1 + _NEAR]]
    return {t.stem for t in near if _content(t)}


def antonym(claim: str, ev: Evidence) -> Check:
    """A claim word whose opposite the evidence gives among more of the claim's words than it
    gives the word itself (rose/fell, won/lost): "profit rose" against "profit fell", not any
    "fell" of the evidence, and not when "profit rose" is there too."""
    spans: list[Span] = []
    n = 0
    ct = toks(claim)
    claim_stems = {t.stem for t in ct}
    for i, t in enumerate(ct):
        if not _content(t) and t.word not in _OPPOSABLE:
            continue
        opp = _opposites(t) - claim_stems  # "easy for some, hard for others" is no flip
        if not opp:
            continue
        context = _context(ct, i)
        # the evidence's words among which the claim's word or an opposite stands
        near = [
            (u, len(_context(ts, j) & context))
            for ts in ev.toks
            for j, u in enumerate(ts)
            if u.stem == t.stem or u.stem in opp
        ]
        same = max((k for u, k in near if u.stem == t.stem), default=0)
        hits = [
            (k, u)
            for u, k in near
            if u.stem in opp and u.word.endswith("ly") == t.word.endswith("ly")  # not "finally"
        ]
        best = max(hits, key=lambda h: h[0], default=(0, None))
        if best[1] is not None and best[0] > same:
            n += 1
            spans += [cspan(claim, t), ev.span(best[1])]
    return Check("antonym", float(n), spans)


_CAP = re.compile(r"\b[A-Z][\w'’-]+")


def _order_pairs(
    ts: Sequence[Tok], first: str, second: str, shared: set[str]
) -> list[tuple[Tok, Tok]]:
    """Occurrences first ... second in one unit with a shared word between them."""
    out = []
    for x in ts:
        if x.word != first:
            continue
        for y in ts:
            between = (t.stem in shared for t in ts if x.start < t.start < y.start)
            if y.word == second and y.start > x.start and any(between):
                out.append((x, y))
    return out


def role_swap(claim: str, ev: Evidence) -> Check:
    """Two names with a word between them in the claim ("Acme sued Smith") that an evidence
    unit gives only in the other order around that word ("Smith sued Acme")."""
    names = [(m.group().lower(), m.start(), m.end()) for m in _CAP.finditer(claim)]
    names = [n for n in names if n[0] not in STOPWORDS and n[0] not in lexicon.SENTENCE_OPENERS]
    ct = toks(claim)
    spans: list[Span] = []
    n = 0
    for (a, a0, a1), (b, b0, b1) in zip(names, names[1:], strict=False):
        if a == b:
            continue
        words = [t for t in ct if a1 <= t.start < b0]
        between = {t.stem for t in words if _content(t)}
        if not between or any(t.word in lexicon.COPULAS for t in words):
            continue  # "Lund is the chief executive of Halvard" has no roles to swap
        for ts in ev.toks:
            rev = _order_pairs(ts, b, a, between)
            if rev and not _order_pairs(ts, a, b, between):
                n += 1
                spans += [
                    Span("claim", claim[a0:a1], a0, a1),
                    Span("claim", claim[b0:b1], b0, b1),
                    ev.span(rev[0][0]),
                    ev.span(rev[0][1]),
                ]
                break
    return Check("role_swap", float(n), spans)


def novel_content(claim: str, ev: Evidence) -> Check:
    """Share of the claim's content words (stemmed) that the evidence never uses."""
    ct = [t for t in toks(claim) if _content(t)]
    novel = [t for t in ct if t.stem not in ev.stems]
    share = len(novel) / len(ct) if ct else 0.0
    return Check("novel_content", share, [cspan(claim, t) for t in novel])


CHECKS = (
    missing_names_numbers,
    negation_flip,
    modality_flip,
    quantifier_flip,
    date_mismatch,
    number_mismatch,
    quantity_mismatch,
    title_mismatch,
    antonym,
    role_swap,
    novel_content,
)


def run_checks(claim: str, evidence: Sequence[Unit] | Evidence) -> list[Check]:
    ev = evidence if isinstance(evidence, Evidence) else Evidence(evidence)
    return [check(claim, ev) for check in CHECKS]
