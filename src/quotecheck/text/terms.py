"""Words that matter when checking a claim: content words for relevance, and the claim's
names and numbers, which the evidence must mention before code lets a claim count as supported.

Kept apart from retrieval because both the retriever's gate and the verifier's last check
use it, and because the rules (spelled-out numbers, acronyms, plurals, other spellings of a
name) grow with experience. Deterministic; imports only the lexicon.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from quotecheck.text.lexicon import (
    DEMONYM_ENDINGS,
    NAME_ALIASES,
    NAME_TITLES,
    NUMBER,
    NUMBER_SCALE,
    NUMBER_WORD,
    ORG_SUFFIXES,
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
_YEAR = re.compile(r"1[6-9]\d\d|20\d\d")


def _term(word: str) -> str:
    """A word as the name checks compare it: lower case, no possessive, "U.S." as "us"."""
    word = re.sub(r"[’']s$", "", word.lower())
    return word.replace(".", "") if _DOTTED.fullmatch(word) else word


def key_terms(claim: str) -> set[str]:
    """The claim's numbers and names: capitalised words, except function words and titles opening
    a sentence ("The", "During", "Vice"); in a Title Case headline, only acronyms."""
    claim = _LIST_MARK.sub("", claim)
    terms = {_number(n.group()) for n in NUMBER.finditer(_full_years(claim))}
    headline = _title_case(claim)
    for i, m in enumerate(_TERM.finditer(claim)):
        word = m.group()
        if not word[:1].isupper() or word == "I" or (headline and not word.isupper()):
            continue
        opener = i == 0 or claim[: m.start()].rstrip().endswith(_SENTENCE_OPENER)
        low = word.lower()
        if opener and (low in STOPWORDS or low in SENTENCE_OPENERS or low in NAME_TITLES):
            continue
        terms.add(_term(word))
    return terms


def _title_case(text: str) -> bool:
    """A headline's Title Case ("Police: Activists Didn't Cause Oregon's Wildfires"), where a
    capital says nothing of a name: nearly all the longer words after the first are capitalised,
    or most are and so is a function word inside the sentence ("Quit The French Team Over")."""
    found = list(_TERM.finditer(text))[1:]
    words = [m.group() for m in found if len(m.group()) > 3 and not m.group().isupper()]
    if len(words) < 3:
        return False
    share = sum(w[:1].isupper() for w in words) / len(words)
    small = any(
        m.group()[:1].isupper()
        and m.group().lower() in STOPWORDS
        and m.group() != "I"
        and not text[: m.start()].rstrip().endswith(_SENTENCE_OPENER)
        for m in found
    )
    return share >= 0.85 and len(words) >= 4 or share >= 0.6 and small


_YEAR_RANGE = re.compile(r"\b((?:1[6-9]|20)\d\d)(\s*[–—-]\s*)(\d\d)\b")


def _full_years(text: str) -> str:
    """ "2018–19" written out as "2018–2019", so its second year is a year, not 19."""
    return _YEAR_RANGE.sub(lambda m: m[1] + m[2] + m[1][:2] + m[3], text)


def _number(digits: str) -> str:
    """ "3,500" and "3500" are one number, as are "12.50" and "12.5"."""
    n = digits.replace(",", "")
    return n.rstrip("0").rstrip(".") if "." in n else n


_NAME_WORD = r"(?:(?:[A-Z]\.)+[A-Z]?\.?|[A-Z][\w'’-]*)"  # "U.S." and "S." stay in the name
_NAME_RUN = re.compile(rf"{_NAME_WORD}(?:\s+(?:of\s+|and\s+)?{_NAME_WORD})+")


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


def _same_place(term: str, found: set[str]) -> bool:
    """ "Nigerian" is found by "Nigeria", "India" by "Indian", "Chinese" by "China"."""
    for end in DEMONYM_ENDINGS:
        if term.endswith(end) and len(term) - len(end) >= 4:
            base = term[: -len(end)]
            if base in found or base + "a" in found:
                return True
        if term + end in found or (term.endswith("a") and term[:-1] + end in found):
            return True
    return False


#: how far a rounded figure may be from the exact one ("45 million" for 45.1 million)
ROUNDING = 0.03


def _value(number: str) -> float | None:
    try:
        return float(number)
    except ValueError:  # "1.2.3", a version or a section number
        return None


def _rounds_to(claim_number: str, values: Iterable[float]) -> bool:
    """A claim number that is one of ``values`` rounded to the claim's precision, and within
    ``ROUNDING`` of it: "45" for "45.1", "200" for "206" (not "30" for "25"; never a year)."""
    n = _value(claim_number)
    if n is None or _YEAR.fullmatch(claim_number):
        return False
    if "." in claim_number:
        places = len(claim_number.split(".")[1])
    else:
        places = -(len(claim_number) - len(claim_number.rstrip("0")))
    return any(
        v != n and abs(v - n) <= ROUNDING * abs(n) and abs(round(v, places) - n) < 1e-9
        for v in values
    )


def _name_runs(text: str) -> list[list[str]]:
    return [[_term(w) for w in _TERM.findall(r.group())] for r in _NAME_RUN.finditer(text)]


def _excused(run: list[str], named: Counter[str], evidence_runs: list[list[str]]) -> set[str]:
    """Words of a claim name that the evidence gives in a shorter form: a title ("President
    Trump" against "Trump"), a first name where the evidence names the person by surname alone
    and never with another first name ("Donald Trump" against "Mr Trump", but not "Jane Smith"
    against "Mary Smith", nor "Presidential Election Day" against "Election Day"), a company
    ending ("Two Sigma Investments" against "Two Sigma")."""
    if not run:
        return set()
    last = run[-1]
    if last in named:
        before = [r[: r.index(last)] for r in evidence_runs if last in r]
        inside = sum(r.count(last) for r in evidence_runs)
        alone = named[last] > inside or any(b and set(b) <= NAME_TITLES for b in before)
        simple = "of" not in run and "and" not in run
        others = {w for b in before for w in b}
        if simple and alone and others <= set(run) | NAME_TITLES:
            return set(run)
        return {w for w in run if w in NAME_TITLES}
    head = run[:-1]
    if last in ORG_SUFFIXES and head and all(w in named for w in head):
        return {last}
    return set()


def missing_terms(claim: str, evidence: Iterable[str]) -> list[str]:
    """Key terms of the claim that no evidence text contains, in claim order.

    A name is there in any of its usual forms: "U.S." as "US", "the United States" as "the
    U.S." or "America" (``NAME_ALIASES``), "Nigerian" as "Nigeria"; a title or a first name
    before a surname the evidence gives is not missing ("President Donald Trump" against
    "Trump"; but "Jane Smith" against "Mary Smith" still lacks "Jane"), nor is a company's
    ending ("Inc", "Investments"). A number is there rounded ("45 million" for 45.1 million)."""
    found: set[str] = set()
    named: Counter[str] = Counter()  # capitalised words, acronyms: a pronoun "us" names nothing
    values: set[float] = set()
    evidence_runs: list[list[str]] = []
    for text in evidence:
        for m in _TERM.finditer(text):
            found.add(_term(m.group()))
            if m.group()[:1].isupper():
                named[_term(m.group())] += 1
        numbers = {_number(n.group()) for n in NUMBER.finditer(_full_years(text))}
        numbers |= spelled_numbers(text)
        values |= {v for v in map(_value, numbers) if v is not None}
        acronyms = _acronyms(text)
        found |= acronyms | numbers
        named.update(acronyms)
        evidence_runs += _name_runs(text)
    names = set(named)
    found |= _aliases(names)
    excused = set()
    for run in _name_runs(_LIST_MARK.sub("", claim)):
        excused |= _excused(run, named, evidence_runs)
    found |= excused
    # an acronym of the claim ("US", "WHO") is not found in a lower-case word ("us", "who")
    acronyms = {_term(w) for w in _TERM.findall(claim) if w.isupper() and len(w) > 1} - names
    keys = key_terms(claim)
    missing = {
        t
        for t in keys - found
        if not (t.endswith("s") and t[:-1] in found)
        and not (t[:1].isdigit() and _rounds_to(t, values))
        and not (t[:1].isalpha() and _same_place(t, found))
    }
    missing |= (acronyms & keys) - excused
    return sorted(missing, key=lambda t: _place(claim, t))


def _place(claim: str, term: str) -> int:
    """Where ``term`` first stands in ``claim`` as a word of its own (else as part of one)."""
    m = re.search(rf"(?<![^\W_]){re.escape(term)}(?![^\W_])", claim, re.I)
    return m.start() if m else claim.lower().find(term)
