"""Claim extraction: code finds candidate sentences, the model picks and splits, code grounds.

Output tokens are what a small CPU model pays most for, so the model never re-types the
article: it picks check-worthy sentences by number, and only long multi-clause sentences
get a second short call listing their atomic facts. Sentence spans come from code. A fact
not backed by its sentence (a new number, or most content words missing) is replaced by
the sentence itself, so a claim can never say more than the article does. Imports ``llm``,
``schema``, ``text`` and the sentence splitter of ``factcheck.evidence``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from quotecheck.errors import InvalidOutput
from quotecheck.factcheck.checks import ANTONYMS, NEGATION
from quotecheck.factcheck.evidence import split_sentences
from quotecheck.factcheck.tokens import WORD
from quotecheck.llm import LLM, render
from quotecheck.schema import Assertor, Claim, QuoteReport, Span, Usage
from quotecheck.text import content_words, stem
from quotecheck.text.lexicon import COPULAS, DATE_WORDS, FACT_VERBS, NUMBER

MIN_WORDS = 6
_CLOSERS = "\"'”’»)]"
MAX_CLAIM_CHARS = 240
MULTI_FACT_WORDS = 18
MAX_SPLIT_TOKENS = 160
MAX_FACTS = 4


_COPULAS = COPULAS | {"has", "have", "had"}  # "is", "has": no event of their own


class _Selection(BaseModel):
    checkworthy: list[int]


class _Facts(BaseModel):
    # bounds the grammar-constrained output too: small models otherwise loop on one fact
    facts: list[Annotated[str, StringConstraints(max_length=MAX_CLAIM_CHARS)]] = Field(
        max_length=MAX_FACTS
    )


@dataclass
class ClaimExtraction:
    claims: list[Claim]
    usage: Usage = field(default_factory=Usage)
    prompts: dict[str, str] = field(default_factory=dict)
    replaced_rewrites: int = 0
    failed_splits: int = 0


def is_candidate(sentence: str) -> bool:
    """Cheap test for "might state a checkable fact".

    A number or date, or a name together with a factual verb. Lines without final
    punctuation (headlines, captions, bylines) and questions are left out.
    """
    words = sentence.split()
    end = sentence.rstrip().rstrip(_CLOSERS)
    if len(words) < MIN_WORDS or not end.endswith((".", "!")):
        return False
    lower = sentence.lower()
    if NUMBER.search(sentence) or any(re.search(rf"\b{m}\b", lower) for m in DATE_WORDS):
        return True
    named = any(w[:1].isupper() for w in words[1:])
    verbs = {v.lower() for v in FACT_VERBS.findall(sentence)}
    # "The council also rejected a proposal": an event needs no name to be checkable
    return bool(verbs - _COPULAS) or named and bool(verbs)


def candidate_sentences(text: str) -> list[Span]:
    """Sentences worth showing the model; repeated sentences (headline twice) once."""
    seen: set[str] = set()
    out: list[Span] = []
    for span in split_sentences(text):
        key = " ".join(span.text.lower().split())
        if key in seen:
            continue
        seen.add(key)
        if is_candidate(span.text):
            out.append(span)
    return out


def _stems(text: str) -> set[str]:
    return {w[:5] for w in content_words(text)}


def grounded_rewrite(claim: str, sentence: str, min_share: float = 0.7) -> bool:
    """Whether a rewrite stays inside its sentence: all numbers and most content words."""
    if not claim.strip() or len(claim) > MAX_CLAIM_CHARS:
        return False
    sent_numbers = set(NUMBER.findall(sentence))
    if any(n not in sent_numbers for n in NUMBER.findall(claim)):
        return False
    words = _stems(claim)
    return not words or len(words & _stems(sentence)) / len(words) >= min_share


def attribute(claim: Claim, quotes: QuoteReport | None) -> Claim:
    """Mark the claim as a quoted speaker's when its sentence overlaps a quote."""
    if quotes is None:
        return claim
    s = claim.sentence
    best, best_overlap = None, 0
    for q in quotes.quotes:
        overlap = sum(max(0, min(f.end, s.end) - max(f.start, s.start)) for f in q.fragments)
        if overlap > best_overlap:
            best, best_overlap = q, overlap
    if best is None:
        return claim
    return claim.model_copy(
        update={
            "asserted_by": Assertor.speaker,
            "speaker_name": best.speaker_label(),
            "quote_id": best.id,
        }
    )


def is_multi_fact(sentence: str) -> bool:
    """Long sentences joining clauses probably pack several facts: worth a split call."""
    if len(sentence.split()) < MULTI_FACT_WORDS:
        return bool(re.search(r"\w, \d{1,3}, \w", sentence))
    joins = (" and ", "; ", ", which ", ", who ", " while ", " since ", " after ")
    if re.search(r"\w, \d{1,3}, \w", sentence):  # an age in apposition: "Kim, 40, has"
        return True
    return any(j in sentence for j in joins) or len(NUMBER.findall(sentence)) >= 2


def dropped_polarity(sentence: str, facts: Sequence[str]) -> list[str]:
    """Words of ``sentence`` that turn it true or false and that no fact keeps: a negation, a
    number, a word with an opposite ("falling", "larger", "upstream"). A split that says "prices
    are affecting profits" for "falling prices cut into profits" would be checked without them."""
    kept = {stem(w.group()) for f in facts for w in WORD.finditer(f)}
    out = []
    for w in WORD.finditer(sentence):
        word = w.group().lower()
        if (word in NEGATION or word[0].isdigit() or stem(word) in ANTONYMS) and stem(
            word
        ) not in kept:
            out.append(w.group())
    return out


async def extract_claims_async(
    text: str,
    llm: LLM,
    *,
    quotes: QuoteReport | None = None,
    include_opinions: bool = False,
    split: bool = True,
    batch_size: int = 25,
) -> ClaimExtraction:
    """Check-worthy claims of ``text``, each grounded to its sentence span.

    One call per ``batch_size`` candidate sentences picks the check-worthy ones by number;
    with ``split``, each long multi-clause sentence gets one more short call that lists
    its atomic facts. Grounding and offsets are code's.
    """
    candidates = candidate_sentences(text)
    result = ClaimExtraction(claims=[])
    for offset in range(0, len(candidates), batch_size):
        batch = candidates[offset : offset + batch_size]
        for span in await _select(batch, llm, include_opinions, result):
            facts = [span.text]
            if split and is_multi_fact(span.text):
                facts = await _split(span, llm, result)
                if dropped_polarity(span.text, facts):
                    facts.append(span.text)  # the split lost what makes it true or false
            for fact in facts:
                _add_claim(result, fact, span, quotes)
    return result


def _add_claim(result: ClaimExtraction, fact: str, span: Span, quotes: QuoteReport | None) -> None:
    fact = " ".join(fact.split())
    rewritten = fact != span.text and grounded_rewrite(fact, span.text)
    if fact != span.text and not rewritten:
        result.replaced_rewrites += 1
    claim_text = fact if rewritten else span.text
    if any(c.text == claim_text and c.sentence == span for c in result.claims):
        return
    claim = Claim(
        id=f"c{len(result.claims) + 1}", text=claim_text, sentence=span, rewritten=rewritten
    )
    result.claims.append(attribute(claim, quotes))


async def _select(
    batch: Sequence[Span], llm: LLM, include_opinions: bool, result: ClaimExtraction
) -> list[Span]:
    shown = [{"id": i + 1, "text": " ".join(s.text.split())} for i, s in enumerate(batch)]
    prompt, sha = render("claims_select", sentences=shown, include_opinions=include_opinions)
    result.prompts["claims_select"] = sha

    def validate(answer: _Selection) -> None:
        bad = sorted({i for i in answer.checkworthy if not 1 <= i <= len(batch)})
        if bad:
            raise ValueError(
                f"sentence numbers {bad} do not exist; use only numbers 1 to {len(batch)}"
            )

    done = await llm.acomplete(
        prompt,
        _Selection,
        prompt_id="claims_select",
        validate=validate,
        max_tokens=20 + 4 * len(batch),
    )
    result.usage.add(done.usage)
    return [batch[i - 1] for i in sorted(set(done.value.checkworthy))]


async def _split(span: Span, llm: LLM, result: ClaimExtraction) -> list[str]:
    prompt, sha = render("claims_split", sentence=" ".join(span.text.split()))
    result.prompts["claims_split"] = sha

    def validate(answer: _Facts) -> None:
        if not answer.facts:
            raise ValueError("list at least one fact (the sentence itself if it states one)")

    try:
        done = await llm.acomplete(
            prompt,
            _Facts,
            prompt_id="claims_split",
            validate=validate,
            max_tokens=MAX_SPLIT_TOKENS,
        )
    except InvalidOutput as err:
        # splitting only refines: the whole sentence is still a grounded claim
        result.usage.add(err.usage)
        result.failed_splits += 1
        return [span.text]
    result.usage.add(done.usage)
    return done.value.facts
