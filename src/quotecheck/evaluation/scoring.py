"""Scoring predicted quotes against PolNeAR gold, with the conventions the field uses.

Conventions (see the PolNeAR README): predictions are matched to gold one-to-one by the
character-overlap F1 of their content (the union of fragments), a match needing >= 0.5.
Speaker, cue and type are judged on matched pairs only; end-to-end counts a pair only when the
speaker is right as well. Pronoun sources are not resolved in the gold, so a resolved name is
credited when it matches the *antecedent*, approximated as the nearest named gold source that
starts before the pronoun in the same article.
Imports ``schema`` and the rest of ``evaluation``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, fields

from quotecheck.evaluation.matching import max_weight_matching
from quotecheck.schema import Quote, QuoteReport
from quotecheck.text import GoldAttribution, GoldDoc, GoldSpan

MATCH_THRESHOLD = 0.5
QUOTE_TYPES = frozenset({"direct", "mixed"})
VIEWS = ("quotes", "all")
# the naive baseline marks unusable answers with these warning prefixes
CAP_WARNING = "output token cap reached"
INVALID_WARNING = "invalid model output"

_EDGE = set(" \t\r\n\u00a0\u2009\u202f") | {
    c for c in map(chr, range(0x2000, 0x2070)) if unicodedata.category(c).startswith("P")
}
_EDGE |= set("\"'`.,;:!?()[]{}-\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f")
_WORD = re.compile(r"\w+")


def chars(spans: Iterable[GoldSpan]) -> frozenset[int]:
    """The character positions a multi-fragment content covers (its union)."""
    return frozenset(i for start, end in spans for i in range(start, end))


def trimmed_chars(text: str, spans: Iterable[GoldSpan]) -> frozenset[int]:
    """Like ``chars`` after dropping edge punctuation, quote marks and whitespace of each span."""
    out: set[int] = set()
    for start, end in spans:
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        out.update(range(start, end))
    return frozenset(out)


def overlap_f1(a: frozenset[int], b: frozenset[int]) -> float:
    inter = len(a & b)
    return 0.0 if not inter else 2 * inter / (len(a) + len(b))


def _overlaps(span: GoldSpan | None, others: Iterable[GoldSpan]) -> bool:
    return span is not None and any(span[0] < e and s < span[1] for s, e in others)


def name_words(name: str | None) -> tuple[str, ...]:
    """Lower-cased words of a name without a possessive: "Trump's" -> ("trump",)."""
    if not name:
        return ()
    folded = re.sub(r"['\u2019]s\b", "", name.casefold())
    return tuple(_WORD.findall(folded))


def names_match(a: str | None, b: str | None) -> bool:
    """True when one name's words occur as whole consecutive words of the other's.

    "Trump" matches "Donald Trump"; "he" does not match "the president".
    """
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return False
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1))


@dataclass(frozen=True)
class PredQuote:
    """What the scorer needs from a predicted ``Quote``."""

    content: tuple[GoldSpan, ...]
    type: str
    speaker_span: GoldSpan | None
    speaker_texts: tuple[str, ...]
    cue: GoldSpan | None
    verbatim: bool

    @classmethod
    def from_quote(cls, quote: Quote, text: str) -> PredQuote:
        mention = quote.speaker_mention
        names = tuple(n for n in (quote.speaker_name, mention.text if mention else None) if n)
        return cls(
            content=tuple((f.start, f.end) for f in quote.fragments),
            type=str(quote.type),
            speaker_span=(mention.start, mention.end) if mention else None,
            speaker_texts=names,
            cue=(quote.cue.start, quote.cue.end) if quote.cue else None,
            verbatim=all(text[f.start : f.end] == f.text for f in quote.fragments),
        )

    @property
    def has_speaker(self) -> bool:
        return self.speaker_span is not None or bool(self.speaker_texts)


@dataclass
class Counts:
    """Additive tallies; metrics are derived from the sums (micro-averages)."""

    articles: int = 0
    failed_articles: int = 0
    capped_articles: int = 0
    invalid_articles: int = 0
    gold: int = 0
    pred: int = 0
    matched: int = 0
    exact: int = 0
    gold_chars: int = 0
    pred_chars: int = 0
    overlap_chars: int = 0
    speaker_right: int = 0
    named: int = 0
    named_right: int = 0
    pronoun: int = 0
    pronoun_right: int = 0
    no_source: int = 0
    no_source_right: int = 0
    cue_pairs: int = 0
    cue_right: int = 0
    type_right: int = 0
    pred_other_gold: int = 0  # unmatched in this view, but matching gold of another type
    pred_direct: int = 0
    pred_direct_verbatim: int = 0
    articles_with_run: int = 0
    tokens: int = 0
    calls: int = 0
    seconds: float = 0.0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _f1(tp: int, n_pred: int, n_gold: int) -> float | None:
    return _ratio(2 * tp, n_pred + n_gold)


def metrics(c: Counts) -> dict[str, float | int | None]:
    """Rates from tallies; ``None`` where the denominator is zero (nothing to judge)."""
    return {
        "articles": c.articles,
        "failed_articles": c.failed_articles,
        "capped_articles": c.capped_articles,
        "invalid_articles": c.invalid_articles,
        "gold": c.gold,
        "pred": c.pred,
        "matched": c.matched,
        "precision": _ratio(c.matched, c.pred),
        "recall": _ratio(c.matched, c.gold),
        "f1": _f1(c.matched, c.pred, c.gold),
        "exact_f1": _f1(c.exact, c.pred, c.gold),
        "char_precision": _ratio(c.overlap_chars, c.pred_chars),
        "char_recall": _ratio(c.overlap_chars, c.gold_chars),
        "speaker_accuracy": _ratio(c.speaker_right, c.matched),
        "speaker_named": _ratio(c.named_right, c.named),
        "speaker_pronoun": _ratio(c.pronoun_right, c.pronoun),
        "speaker_no_source": _ratio(c.no_source_right, c.no_source),
        "end_to_end_f1": _f1(c.speaker_right, c.pred, c.gold),
        # PolNeAR's quote_type is a quotation-mark heuristic: a real quote it typed "indirect"
        # (e.g. '' marks) is not a false positive; these two leave such predictions out
        "pred_matching_other_gold": c.pred_other_gold,
        "f1_ignoring_other_gold": _f1(c.matched, c.pred - c.pred_other_gold, c.gold),
        "end_to_end_f1_ignoring_other_gold": _f1(
            c.speaker_right, c.pred - c.pred_other_gold, c.gold
        ),
        "cue_accuracy": _ratio(c.cue_right, c.cue_pairs),
        "type_accuracy": _ratio(c.type_right, c.matched),
        "direct_verbatim_share": _ratio(c.pred_direct_verbatim, c.pred_direct),
        "tokens_per_article": _ratio(c.tokens, c.articles_with_run),
        "calls_per_article": _ratio(c.calls, c.articles_with_run),
        "seconds_per_article": _ratio(c.seconds, c.articles_with_run),
    }


def _antecedent(doc: GoldDoc, att: GoldAttribution) -> str | None:
    """Nearest named gold source that starts before this pronoun source (an approximation)."""
    if not att.source:
        return None
    at = att.source[0][0]
    best: tuple[int, str] | None = None
    for other in doc.attributions:
        if other.source_is_pronoun or not other.has_source or not other.source:
            continue
        start = other.source[0][0]
        if start < at and (best is None or start > best[0]):
            best = (start, other.source_text)
    return best[1] if best else None


def speaker_right(doc: GoldDoc, gold: GoldAttribution, pred: PredQuote) -> bool:
    """The speaker rule for one matched pair (see the module docstring)."""
    if not gold.has_source:
        return not pred.has_speaker
    if _overlaps(pred.speaker_span, gold.source):
        return True
    target = _antecedent(doc, gold) if gold.source_is_pronoun else gold.source_text
    return any(names_match(name, target) for name in pred.speaker_texts)


def in_view(view: str, quote_type: str) -> bool:
    return view == "all" or quote_type in QUOTE_TYPES


def score_document(
    doc: GoldDoc, report: QuoteReport | None, view: str, *, failed: bool = False
) -> Counts:
    """Tallies for one article; a missing report (a failed run) counts as no predictions."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: use one of {', '.join(VIEWS)}")
    golds = [g for g in doc.attributions if in_view(view, g.quote_type)]
    quotes = report.quotes if report else []
    preds = [PredQuote.from_quote(q, doc.text) for q in quotes if in_view(view, str(q.type))]
    c = Counts(articles=1, failed_articles=int(failed), gold=len(golds), pred=len(preds))
    if report is not None:
        c.capped_articles = int(any(w.startswith(CAP_WARNING) for w in report.warnings))
        c.invalid_articles = int(any(w.startswith(INVALID_WARNING) for w in report.warnings))
    if report is not None and report.run is not None:
        usage = report.run.usage
        c.articles_with_run = 1
        c.tokens = usage.prompt_tokens + usage.completion_tokens
        c.calls = usage.calls
        c.seconds = report.run.seconds

    gold_sets = [chars(g.content) for g in golds]
    pred_sets = [chars(p.content) for p in preds]
    all_gold, all_pred = frozenset().union(*gold_sets), frozenset().union(*pred_sets)
    c.gold_chars, c.pred_chars = len(all_gold), len(all_pred)
    c.overlap_chars = len(all_gold & all_pred)

    gold_trim = [trimmed_chars(doc.text, g.content) for g in golds]
    pred_trim = [trimmed_chars(doc.text, p.content) for p in preds]
    for key in set(gold_trim):  # exact matches are an equivalence: pair equal sets one-to-one
        if key:
            c.exact += min(gold_trim.count(key), pred_trim.count(key))

    for p in preds:
        if p.type == "direct":
            c.pred_direct += 1
            c.pred_direct_verbatim += int(p.verbatim)

    weights = [[overlap_f1(p, g) for p in pred_sets] for g in gold_sets]
    pairs = max_weight_matching(weights, MATCH_THRESHOLD)
    matched_preds = {pi for _, pi, _ in pairs}
    others = [chars(g.content) for g in doc.attributions if not in_view(view, g.quote_type)]
    c.pred_other_gold = sum(
        1
        for pi, ps in enumerate(pred_sets)
        if pi not in matched_preds and any(overlap_f1(ps, o) >= MATCH_THRESHOLD for o in others)
    )
    for gi, pi, _ in pairs:
        gold, pred = golds[gi], preds[pi]
        right = speaker_right(doc, gold, pred)
        c.matched += 1
        c.speaker_right += int(right)
        if not gold.has_source:
            c.no_source += 1
            c.no_source_right += int(right)
        elif gold.source_is_pronoun:
            c.pronoun += 1
            c.pronoun_right += int(right)
        else:
            c.named += 1
            c.named_right += int(right)
        if gold.cue:
            c.cue_pairs += 1
            c.cue_right += int(_overlaps(pred.cue, gold.cue))
        c.type_right += int(pred.type == gold.quote_type)
    return c


@dataclass
class Scores:
    """Tallies overall and per publisher for one view."""

    view: str
    overall: Counts
    by_publisher: dict[str, Counts]

    def to_dict(self) -> dict:
        return {
            "view": self.view,
            "overall": metrics(self.overall),
            "by_publisher": {k: metrics(v) for k, v in sorted(self.by_publisher.items())},
        }


def score_corpus(pairs: Iterable[tuple[GoldDoc, QuoteReport | None, bool]], view: str) -> Scores:
    """Score (gold, report, failed) triples; reports that are ``None`` count as empty."""
    overall = Counts()
    by_pub: dict[str, Counts] = {}
    for doc, report, failed in pairs:
        c = score_document(doc, report, view, failed=failed)
        overall.add(c)
        by_pub.setdefault(doc.publisher, Counts()).add(c)
    return Scores(view=view, overall=overall, by_publisher=by_pub)
