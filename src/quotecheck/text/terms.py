"""Words that matter when checking a claim: content words for relevance, and the claim's
names and numbers, which the evidence must mention before code lets a claim count as supported.

Kept apart from retrieval because both the retriever's gate and the verifier's last check
use it, and because the rules (spelled-out numbers, acronyms, plurals, other spellings of a
name) grow with experience. Deterministic; imports only the lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from quotecheck.text.lexicon import (
    NAME_ALIASES,
    NAME_TITLES,
    NUMBER,
    NUMBER_SCALE,
    NUMBER_WORD,
    SENTENCE_OPENERS,
    STOPWORDS,
)

_WORD = re.compile(r"\w+(?:[.'’]\w+)*", re.UNICODE)


_STEM_SUFFIXES = ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s")


def stem(word: str) -> str:
    """A light suffix stripper so 'rises'/'rise' and 'hosted'/'host' meet (not a real stemmer)."""
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s$", "", w)
    for suf in _STEM_SUFFIXES:
        if len(w) - len(suf) >= 3 and w.endswith(suf):
            w = w[: -len(suf)] + ("y" if suf in ("ies", "ied") else "")
            break
    if len(w) > 3 and w.endswith("e"):  # approve/approved, hire/hired meet
        w = w[:-1]
    return w


def stems(text: str) -> list[str]:
    """Stemmed content words of ``text``, in order (stopwords left out)."""
    return [stem(m.group()) for m in _TERM.finditer(text) if m.group().lower() not in STOPWORDS]


def content_words(text: str) -> set[str]:
    """Lower-cased words that carry meaning (no stopwords), for relevance checks."""
    return {w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in STOPWORDS}


_TERM = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*")
_SENTENCE_OPENER = (".", "!", "?", ":", '"', "“", "(")
_LIST_MARK = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+")


_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\.?")


def _term(word: str) -> str:
    """A word as the name checks compare it: lower case, no possessive, "U.S." as "us"."""
    word = re.sub(r"[’']s$", "", word.lower())
    return word.replace(".", "") if _DOTTED.fullmatch(word) else word


def key_terms(claim: str) -> set[str]:
    """The claim's numbers and names: capitalised words, except function words opening a
    sentence ("The", "During")."""
    claim = _LIST_MARK.sub("", claim)
    terms = {_number(n.group()) for n in NUMBER.finditer(claim)}
    for i, m in enumerate(_TERM.finditer(claim)):
        word = m.group()
        if not word[:1].isupper() or word == "I":
            continue
        opener = i == 0 or claim[: m.start()].rstrip().endswith(_SENTENCE_OPENER)
        if opener and (word.lower() in STOPWORDS or word.lower() in SENTENCE_OPENERS):
            continue
        terms.add(_term(word))
    return terms


def _number(digits: str) -> str:
    """ "3,500" and "3500" are one number, as are "12.50" and "12.5"."""
    n = digits.replace(",", "")
    return n.rstrip("0").rstrip(".") if "." in n else n


_NAME_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w'’-]*)+")


def _acronyms(text: str) -> set[str]:
    """ "United Arab Emirates" also counts as "uae", "United Nations" as "un"."""
    out: set[str] = set()
    for m in _NAME_RUN.finditer(text):
        initials = "".join(w[0] for w in m.group().split() if w[0].isupper()).lower()
        for i in range(len(initials)):  # "The United Nations": "tun", "un"
            out.update(initials[i:j] for j in range(i + 2, len(initials) + 1))
    return out


_NUMBER_WORDS = "|".join([*NUMBER_WORD, *NUMBER_SCALE])
_SPELLED = re.compile(rf"\b(?:{'|'.join(NUMBER_WORD)})(?:[\s-]+(?:{_NUMBER_WORDS}))*\b", re.I)
#: what joins the two parts of a spoken decimal or price: "twelve point five", "twelve dot
#: fifty", "twelve euro fifty", "twelve euros and fifty cents" (transcripts say prices so)
_JOIN = re.compile(r"\s*(?:point|dot|(?:euros?|dollars?|pounds?|quid|bucks?)(?:\s+and)?)\s+", re.I)
_MONEY = re.compile(r"\s*(?:euros?|dollars?|pounds?|quid|bucks?)", re.I)


def _spelled_value(words: str) -> int:
    total = current = 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word in NUMBER_WORD:
            current += NUMBER_WORD[word]
        elif word in NUMBER_SCALE:
            total += max(current, 1) * NUMBER_SCALE[word]
            current = 0
    return total + current


def spelled_numbers(text: str) -> set[str]:
    """Numbers written out, as ``_number`` writes digits: "twenty five" and "twenty-five" are
    "25", "three hundred" "300"; spoken decimals and prices ("twelve point five", "twelve
    euro fifty", "twelve dot fifty euros") are "12.5" too. Transcripts spell numbers so."""
    out = set()
    found = [(m.start(), m.end(), _spelled_value(m.group())) for m in _SPELLED.finditer(text)]
    for (_s0, e0, v0), (s1, _, v1) in zip(found, found[1:], strict=False):
        joint = _JOIN.match(text, e0, s1) if s1 - e0 <= 24 else None
        if joint and joint.end() == s1 and 0 < v1 < 100:
            decimals = f"{v1:02d}" if _MONEY.match(joint.group()) else str(v1)
            out.add(_number(f"{v0}.{decimals}"))
    return out | {str(v) for _, _, v in found}


def _aliases(named: set[str]) -> set[str]:
    """The words of every way of writing a name ``named`` holds in some form (``NAME_ALIASES``)."""
    out: set[str] = set()
    for group in NAME_ALIASES:
        if any(set(form.split()) <= named for form in group):
            out |= {w for form in group for w in form.split()}
    return out


def missing_terms(claim: str, evidence: Iterable[str]) -> list[str]:
    """Key terms of the claim that no evidence text contains, in claim order.

    A name is there in any of its usual forms: "U.S." as "US", "the United States" as "the
    U.S." or "America" (``NAME_ALIASES``), and a title before a name the evidence gives is not
    missing ("President Trump" against "Trump"; but "Jane Smith" against "Mary Smith" still
    lacks "Jane")."""
    found: set[str] = set()
    named: set[str] = set()  # capitalised words and acronyms: a pronoun "us" names nothing
    for text in evidence:
        for m in _TERM.finditer(text):
            found.add(_term(m.group()))
            if m.group()[:1].isupper():
                named.add(_term(m.group()))
        found |= {_number(n.group()) for n in NUMBER.finditer(text)}
        acronyms = _acronyms(text)
        found |= acronyms | spelled_numbers(text)
        named |= acronyms
    found |= _aliases(named)
    for run in _NAME_RUN.finditer(_LIST_MARK.sub("", claim)):
        words = [_term(w) for w in _TERM.findall(run.group())]
        if words and words[-1] in named:
            found |= {w for w in words if w in NAME_TITLES}
    # an acronym of the claim ("US", "WHO") is not found in a lower-case word ("us", "who")
    acronyms = {_term(w) for w in _TERM.findall(claim) if w.isupper() and len(w) > 1} - named
    keys = key_terms(claim)
    missing = {t for t in keys - found if not (t.endswith("s") and t[:-1] in found)}
    missing |= acronyms & keys
    return sorted(missing, key=lambda t: claim.lower().find(t))
