"""Who a speaker is, decided in code: kind, anonymity, relay, and which mentions are one entity.

The small model is good at pointing at the words that name a source and poor at judging
anonymity, so these judgements are made here from the grounded words it pointed at.
Deterministic: imports ``schema`` and the lexicon of ``text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quotecheck.schema import CueKind, Span, SpeakerKind
from quotecheck.text.lexicon import (
    ANONYMITY_REASON,
    DATE_WORDS,
    DETERMINERS,
    GROUP,
    HONORIFIC_PREFIX,
    MEDIA,
    NOT_SPEAKER_END,
    ORG,
    PRONOUNS,
    RELAY,
    REPORTING_VERBS,
    ROLE,
)

_REPORTING_WORD = re.compile(rf"(?:{REPORTING_VERBS})", re.I)
#: date words that are never a name ("May", "June", "April" and "August" can be)
_DATE_ONLY = frozenset(DATE_WORDS) - {"may", "june", "april", "august"}


def is_pronoun(mention: str) -> bool:
    return mention.strip().lower() in PRONOUNS


def could_be_speaker(mention: str) -> bool:
    """False for words that name no one, whoever proposed them: a run ending in a preposition
    or article ("their check by"), or nothing but date and reporting words ("Tuesday",
    "Said")."""
    words = [w.strip(".") for w in re.findall(r"[\w'’.-]+", mention.lower())]
    words = [w for w in words if w]
    if not words or words[-1] in NOT_SPEAKER_END:
        return False
    content = [w for w in words if w not in NOT_SPEAKER_END]  # "on Monday": still a date
    return not all(w in _DATE_ONLY or _REPORTING_WORD.fullmatch(w) for w in content)


def has_proper_name(mention: str) -> bool:
    words = re.findall(r"[\w'’.-]+", mention)
    for i, w in enumerate(words):
        if not w[:1].isupper():
            continue
        if i == 0 and w.lower() in DETERMINERS | PRONOUNS:
            continue
        return True
    return False


def is_anonymous(mention: str, name: str | None) -> bool:
    """A person described by role only ("a ministry official"), never named in the article."""
    if name or is_pronoun(mention):
        return False
    if not ROLE.search(mention):
        return False
    # "a ministry official" names no person even if the ministry is capitalised;
    # "Ministry official Lee" does: a capitalised word after the role noun is a name
    tail = ROLE.split(mention, maxsplit=1)[-1]
    if has_proper_name(tail):
        return False
    head = mention.strip().split()[0].lower() if mention.strip() else ""
    return head in DETERMINERS or not has_proper_name(mention)


def speaker_kind(mention: str, name: str | None) -> SpeakerKind:
    label = name or mention
    if is_pronoun(mention) and not name:
        return SpeakerKind.person if mention.lower() in {"he", "she", "i"} else SpeakerKind.unknown
    if MEDIA.search(label):
        return SpeakerKind.media
    if ROLE.search(label) and not GROUP.search(label):
        return SpeakerKind.person
    if ORG.search(label):
        return SpeakerKind.organisation
    if GROUP.search(label):
        return SpeakerKind.group
    if has_proper_name(label) or mention.lower() in {"he", "she"}:
        return SpeakerKind.person
    return SpeakerKind.unknown


def cue_kind(cue: str) -> CueKind:
    c = cue.lower()
    if "according to" in c:
        return CueKind.according_to
    if "statement" in c or "announce" in c:
        return CueKind.statement
    if "interview" in c:
        return CueKind.interview
    if re.search(r"\b(?:wrote|writes|written|tweet|posted|post|letter|email|memo|op-ed)", c):
        return CueKind.written
    if re.search(
        r"\b(?:said|says|say|saying|told|tell|added|adds|stated|argued|claimed|noted|warned|"
        r"insisted|explained|asked|replied|responded|declared|reported|quoted|testified|urged)\b",
        c,
    ):
        return CueKind.speech_verb
    return CueKind.other


def find_relays(text: str, lo: int, hi: int) -> list[Span]:
    """Intermediaries named in ``text[lo:hi]`` ("was reported as saying by state-run KCNA")."""
    out = []
    for m in RELAY.finditer(text, lo, hi):
        for g in ("a", "b", "c", "d"):
            if m.group(g):
                if g == "d" and not MEDIA.search(m.group(g)):
                    continue  # "according to the ministry" names a source, not a relay
                s, e = m.span(g)
                while e > s and text[e - 1].isspace():
                    e -= 1
                out.append(Span(start=s, end=e, text=text[s:e]))
    return out


def find_anonymity_reason(text: str, lo: int, hi: int) -> Span | None:
    m = ANONYMITY_REASON.search(text, lo, hi)
    if not m:
        return None
    s, e = m.span()
    while e > s and text[e - 1] in " ,":
        e -= 1
    return Span(start=s, end=e, text=text[s:e])


def normalise_name(name: str) -> str:
    name = re.sub(r"[’']s\b", "", name)
    words = [w for w in re.findall(r"[\w-]+", name.lower()) if w not in DETERMINERS]
    return " ".join(words)


def role_head(mention: str) -> str | None:
    found = ROLE.findall(mention)
    return found[-1].lower() if found else None


@dataclass
class _Entity:
    id: str
    name: str
    key: str
    anonymous: bool
    descriptor: str | None
    kind: SpeakerKind
    mentions: list[Span] = field(default_factory=list)
    quote_ids: list[str] = field(default_factory=list)
    reason: Span | None = None


def _surname_match(label_a: str, key_a: str, label_b: str, key_b: str) -> bool:
    """ "Varga" or "Ms. Varga" is Mayor Elena Varga; "state media" is not "Russian state media"."""
    short_label, short, long_label, long = (
        (label_a, key_a, label_b, key_b)
        if len(key_a) <= len(key_b)
        else (label_b, key_b, label_a, key_a)
    )
    surname = HONORIFIC_PREFIX.sub("", short)
    if not surname or " " in surname or short == long:
        return False
    bare = HONORIFIC_PREFIX.sub("", short_label.strip())
    return bare[:1].isupper() and has_proper_name(long_label) and long.endswith(" " + surname)


class Entities:
    """Cluster mentions: same normalised name, surname of a known name, pronoun to the last
    named person, "the official" to the last anonymous official."""

    def __init__(self) -> None:
        self.items: list[_Entity] = []
        self.last_person: _Entity | None = None

    def resolve(self, mention: Span, name: str | None, text: str) -> _Entity:
        m = mention.text
        if is_pronoun(m) and not name:
            if self.last_person is not None and m.lower() in {"he", "she", "him", "her"}:
                return self.last_person
            return self._new(m, m, anonymous=False, kind=speaker_kind(m, None))
        label = name or m
        key = normalise_name(label)
        for ent in self.items:
            if ent.key == key or _surname_match(label, key, ent.name, ent.key):
                if len(key) > len(ent.key):  # keep the fullest form of the name
                    ent.name, ent.key = label, key
                return ent
        if not has_proper_name(m) and not name:
            head = role_head(m)
            if head and m.split()[0].lower() in {"the", "that", "this"}:
                for ent in reversed(self.items):
                    if ent.anonymous and role_head(ent.descriptor or "") == head:
                        return ent
        anonymous = is_anonymous(m, name)
        return self._new(
            label,
            key,
            anonymous=anonymous,
            kind=speaker_kind(m, name),
            descriptor=m if anonymous else None,
        )

    def _new(
        self,
        name: str,
        key: str,
        *,
        anonymous: bool,
        kind: SpeakerKind,
        descriptor: str | None = None,
    ) -> _Entity:
        ent = _Entity(f"S{len(self.items) + 1}", name, key, anonymous, descriptor, kind)
        self.items.append(ent)
        return ent
