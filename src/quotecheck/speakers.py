"""Who a speaker is, decided in code: kind, anonymity, relay, and which mentions are one entity.

The small model is good at pointing at the words that name a source and poor at judging
anonymity, so these judgements are made here from the grounded words it pointed at.
"""

from __future__ import annotations

import re

from quotecheck.models import CueKind, Span, SpeakerKind

PRONOUNS = {
    "he", "she", "they", "him", "her", "them", "his", "its", "it", "we", "i", "you", "who",
    "himself", "herself", "themselves",
}  # fmt: skip
_DETERMINERS = {"a", "an", "the", "one", "two", "three", "several", "some", "another", "other"}
_ROLE_NOUNS = (
    r"official|officials|source|sources|spokesperson|spokesman|spokeswoman|diplomat|diplomats|"
    r"aide|aides|adviser|advisers|advisor|advisors|person|people|officer|officers|member|members|"
    r"staffer|staffers|insider|insiders|employee|employees|executive|executives|lawmaker|"
    r"lawmakers|analyst|analysts|resident|residents|witness|witnesses|minister|representative|"
    r"strategist|operative|investigator|investigators|worker|workers|individual"
)
_ROLE = re.compile(rf"\b(?:{_ROLE_NOUNS})\b", re.I)
ANONYMITY_REASON = re.compile(
    r"(?:speaking |who spoke |talking )?on (?:the )?condition of anonymity"
    r"(?: (?:because|to|as)[^.;,”\"]*)?"
    r"|(?:who )?(?:asked|requested|declined) (?:not )?to be (?:named|identified)"
    r"(?: (?:because|as)[^.;,”\"]*)?"
    r"|(?:who |because (?:he|she|they) )?(?:was|were|is|are) not authori[sz]ed to "
    r"(?:speak|talk|comment|discuss)[^.;,”\"]*"
    r"|requested anonymity[^.;,”\"]*|speaking anonymously",
    re.I,
)
_MEDIA = re.compile(
    r"\b(?:media|news agency|agency|newspaper|news|times|post|journal|tribune|herald|guardian|"
    r"reuters|associated press|ap|afp|bbc|cnn|fox|msnbc|nbc|cbs|abc|npr|politico|breitbart|"
    r"huffpost|kcna|xinhua|tass|ria|yonhap|kyodo|al jazeera|bloomberg|axios|magazine|tv|"
    r"television|radio|broadcaster|outlet|daily|gazette|wire)\b",
    re.I,
)
_ORG = re.compile(
    r"\b(?:ministry|department|party|committee|campaign|office|council|government|agency|"
    r"administration|commission|court|congress|senate|house|parliament|company|corporation|"
    r"inc|corp|university|institute|foundation|association|union|bank|board|police|army|"
    r"military|white house|pentagon|kremlin|organization|organisation|group|coalition|"
    r"center|centre|bureau|authority|service|fund|nations|federation|team|club|state)\b",
    re.I,
)
_GROUP = re.compile(
    r"\b(?:officials|sources|protesters|critics|supporters|voters|residents|experts|analysts|"
    r"lawmakers|democrats|republicans|activists|witnesses|leaders|people|members|aides|"
    r"scientists|researchers|economists|observers|diplomats|both|others|many|some)\b",
    re.I,
)
RELAY = re.compile(
    r"\b(?:was|were|is|are|being)\s+(?:reported|quoted|cited)\s+(?:as\s+saying\s+)?by\s+"
    r"(?P<a>[^,.;:“”\"]+)"
    r"|\b(?:in\s+(?:remarks|comments|a\s+statement|an\s+interview)\s+"
    r"(?:carried|published|broadcast|released|reported)\s+by)\s+(?P<b>[^,.;:“”\"]+)"
    r"|\b(?:told|said\s+to|speaking\s+to)\s+(?P<c>(?:state|state-run|state-owned)\s+[^,.;:“”\"]+)"
    r"|\b(?:according\s+to|via|in\s+remarks\s+to)\s+(?P<d>[^,.;:“”\"]+)",
    re.I,
)


def is_pronoun(mention: str) -> bool:
    return mention.strip().lower() in PRONOUNS


def _capitalised_words(mention: str) -> list[str]:
    words = re.findall(r"[\w'’.-]+", mention)
    return [
        w
        for i, w in enumerate(words)
        if w[:1].isupper() and (i > 0 or w.lower() not in _DETERMINERS)
    ]


def has_proper_name(mention: str) -> bool:
    words = re.findall(r"[\w'’.-]+", mention)
    for i, w in enumerate(words):
        if not w[:1].isupper():
            continue
        if i == 0 and w.lower() in _DETERMINERS | PRONOUNS:
            continue
        return True
    return False


def is_anonymous(mention: str, name: str | None) -> bool:
    """A person described by role only ("a ministry official"), never named in the article."""
    if name or is_pronoun(mention):
        return False
    if not _ROLE.search(mention):
        return False
    # "a ministry official" names no person even if the ministry is capitalised;
    # "Ministry official Lee" does: a capitalised word after the role noun is a name
    tail = _ROLE.split(mention, maxsplit=1)[-1]
    if has_proper_name(tail):
        return False
    head = mention.strip().split()[0].lower() if mention.strip() else ""
    return head in _DETERMINERS or not has_proper_name(mention)


def speaker_kind(mention: str, name: str | None) -> SpeakerKind:
    label = name or mention
    if is_pronoun(mention) and not name:
        return SpeakerKind.person if mention.lower() in {"he", "she", "i"} else SpeakerKind.unknown
    if _MEDIA.search(label):
        return SpeakerKind.media
    if _ROLE.search(label) and not _GROUP.search(label):
        return SpeakerKind.person
    if _ORG.search(label):
        return SpeakerKind.organisation
    if _GROUP.search(label):
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
                if g == "d" and not _MEDIA.search(m.group(g)):
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
    words = [w for w in re.findall(r"[\w-]+", name.lower()) if w not in _DETERMINERS]
    return " ".join(words)


def role_head(mention: str) -> str | None:
    found = _ROLE.findall(mention)
    return found[-1].lower() if found else None
