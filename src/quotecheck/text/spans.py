"""Deterministic text work: paragraphs, sentences and quotation-mark spans, all with offsets.

Nothing here calls a model; imports only the lexicon. Every offset refers to the text passed in,
so callers can slice the original article with what these functions return.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from quotecheck.text.lexicon import ABBREVIATION_END

OPEN_DOUBLE = "“„«‟"
OPEN_SINGLE = "‘‹"
_PAIRS = {"“": "”", "„": "“”", "«": "»", "‟": "”", "‘": "’", "‹": "›", '"': '"', "'": "'"}
_OPENER_BEFORE = set(" \t\n([{—–-/:;,") | set(OPEN_DOUBLE) | set(OPEN_SINGLE) | {'"', "'"}
_WORD = re.compile(r"\w", re.U)


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


@dataclass
class QuoteSpan:
    """A quotation-mark span: ``start``/``end`` cover the marks, ``inner_*`` the words."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool  # False when the closing mark was missing (ended at the paragraph)
    continues: bool = False  # reopened in the next paragraph (multi-paragraph quote)
    nested: list[tuple[int, int]] = field(default_factory=list)

    def inner(self, text: str) -> str:
        return text[self.inner_start : self.inner_end]


def paragraphs(text: str) -> list[Paragraph]:
    """Non-blank lines (or blank-line separated blocks) as paragraphs."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Paragraph(s, e))
    return out


_CLOSERS = set("\"'”’»)]›")


def sentences(text: str) -> list[Sentence]:
    """Sentence split inside each paragraph; quotes stay with the sentence that closes them."""
    out: list[Sentence] = []
    for pi, para in enumerate(paragraphs(text)):
        start = para.start
        i = para.start
        depth = 0
        while i < para.end:
            ch = text[i]
            if ch in "“«‟„":
                depth += 1
            elif ch in "”»" and depth:
                depth -= 1
            if ch in ".?!" and depth == 0:
                j = i + 1
                while j < para.end and text[j] in _CLOSERS:
                    j += 1
                if j >= para.end or text[j].isspace():
                    k = j
                    while k < para.end and text[k].isspace():
                        k += 1
                    nxt = text[k] if k < para.end else ""
                    if not ABBREVIATION_END.search(text[start : i + 1]) and (
                        not nxt or nxt.isupper() or nxt.isdigit() or nxt in "“\"‘'(«"
                    ):
                        out.append(Sentence(start, j, pi))
                        start = k
                        i = k
                        continue
            i += 1
        if start < para.end:
            out.append(Sentence(start, para.end, pi))
    return out


def _is_opener(text: str, i: int, lo: int) -> bool:
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < len(text) else ""
    return (prev in _OPENER_BEFORE or i == lo) and nxt != "" and not nxt.isspace()


def _is_single_closer(text: str, i: int, hi: int) -> bool:
    """A closing single mark, not an apostrophe: not followed by a letter or digit."""
    nxt = text[i + 1] if i + 1 < hi else ""
    return not (nxt and (nxt.isalnum()))


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Top-level quotation spans in ``text``; nested quotes are recorded inside their parent.

    Tolerates unbalanced marks: an unclosed quote ends at its paragraph, and when the next
    paragraph reopens with a quotation mark the span is flagged as continuing (the newspaper
    convention for a quote running over several paragraphs).
    """
    spans: list[QuoteSpan] = []
    paras = paragraphs(text)
    for pi, para in enumerate(paras):
        i = para.start
        while i < para.end:
            ch = text[i]
            single = ch in "‘‹'"
            if text.startswith("''", i) and _is_opener(text, i, para.start):
                # two apostrophes as a double quotation mark (some wire and archive styles)
                close = text.find("''", i + 2, para.end)
                if close != -1:
                    spans.append(_make(text, i, close + 2, True, [], width=2))
                    i = close + 2
                    continue
            # a closing mark typed at a paragraph start ("”Fear. I am ...") opens a quote too
            misturned = ch == "”" and i == para.start and i + 1 < para.end and text[i + 1].isalnum()
            if ch in OPEN_DOUBLE or ch == '"' or ch in "‘‹" or ch == "'" or misturned:
                if ch in "\"'‘" and not _is_opener(text, i, para.start):
                    i += 1
                    continue
                if ch == "'" and i > para.start and text[i - 1].isalnum():
                    i += 1
                    continue
                span = _scan_quote(text, i, para.end, single)
                if span is None:
                    i += 1
                    continue
                if not span.closed:
                    nxt = paras[pi + 1] if pi + 1 < len(paras) else None
                    if nxt is not None and text[nxt.start] in OPEN_DOUBLE + '"”':
                        span.continues = True
                    elif single:
                        i += 1  # an unmatched single mark is far likelier an apostrophe
                        continue
                if span.inner_end > span.inner_start:
                    spans.append(span)
                i = span.end
                continue
            i += 1
    return spans


def _scan_quote(text: str, i: int, hi: int, single: bool) -> QuoteSpan | None:
    opener = text[i]
    closers = _PAIRS.get(opener, "”")
    j = i + 1
    nested: list[tuple[int, int]] = []
    while j < hi:
        c = text[j]
        if c in closers and (not single or _is_single_closer(text, j, hi)):
            if opener == "'" and j + 1 < hi and text[j + 1].isalnum():
                j += 1  # an apostrophe inside the quote (don't), not its closing mark
                continue
            return _make(text, i, j + 1, True, nested)
        if not single and (c in "‘'" and _is_opener(text, j, i + 1)):
            inner = _scan_quote(text, j, hi, True)
            if inner is not None and inner.closed:
                # a nested quote may share the outer closing position ("... ’”)
                nested.append((inner.start, inner.end))
                j = inner.end
                continue
        if c in OPEN_DOUBLE and opener in OPEN_DOUBLE and c != opener and c not in closers:
            # a new opening double mark before any close: the previous quote was unbalanced
            return _make(text, i, j, False, nested)
        j += 1
    if single:
        return None
    return _make(text, i, hi, False, nested)


def _make(
    text: str,
    start: int,
    end: int,
    closed: bool,
    nested: list[tuple[int, int]],
    width: int = 1,
) -> QuoteSpan:
    inner_start = start + width
    inner_end = end - width if closed else end
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    while inner_end > inner_start and (text[inner_end - 1].isspace() or text[inner_end - 1] == ","):
        inner_end -= 1
    return QuoteSpan(start, end, inner_start, inner_end, closed, nested=nested)


def word_count(s: str) -> int:
    return len(re.findall(r"\w+", s))


def find_all(haystack: str, needle: str) -> list[int]:
    """All start offsets of ``needle`` (exact), overlapping allowed."""
    out = []
    if not needle:
        return out
    i = haystack.find(needle)
    while i != -1:
        out.append(i)
        i = haystack.find(needle, i + 1)
    return out


_NORM_TABLE = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


def locate(
    text: str,
    needle: str,
    lo: int,
    hi: int,
    near: int,
    exclude: Sequence[tuple[int, int]] = (),
) -> tuple[int, int] | None:
    """Offsets of ``needle`` in ``text[lo:hi]``, closest to ``near`` and overlapping no range of
    ``exclude``; tolerant of curly quotes, case and whitespace runs, but the returned offsets
    always slice the original text."""
    needle = needle.strip()
    if not needle:
        return None
    lo, hi = max(0, lo), min(len(text), hi)
    window = text[lo:hi]
    hits = [(lo + s, lo + s + len(needle)) for s in find_all(window, needle)]
    hits = [h for h in hits if _whole_words(text, *h)]
    if not hits:
        pattern = r"\s+".join(re.escape(tok.translate(_NORM_TABLE)) for tok in needle.split())
        pattern = pattern.replace('"', '["“”„«»]').replace("'", "['‘’]")
        hits = [(lo + m.start(), lo + m.end()) for m in re.finditer(pattern, window, re.I)]
    hits = [
        h
        for h in hits
        if _whole_words(text, *h) and not any(h[0] < b and a < h[1] for a, b in exclude)
    ]
    if not hits:
        return None
    return min(hits, key=lambda h: min(abs(h[0] - near), abs(h[1] - near)))


def _whole_words(text: str, s: int, e: int) -> bool:
    """A hit must not start or end inside a word: "he" is not in "she" or "the"."""
    cut_left = s > 0 and text[s - 1].isalnum() and text[s].isalnum()
    cut_right = e < len(text) and text[e].isalnum() and text[e - 1].isalnum()
    return not (cut_left or cut_right)


def sentence_at(sents: list[Sentence], pos: int) -> int:
    """Index of the sentence containing ``pos`` (or the nearest before it)."""
    best = 0
    for k, s in enumerate(sents):
        if s.start <= pos:
            best = k
        else:
            break
    return best
