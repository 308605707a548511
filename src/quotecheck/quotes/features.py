"""What the attribution tagger sees: a paragraph's tokens with their features, and, to learn
from, their BIO labels (source, cue, content).

Features are deterministic: the word and its shape, its neighbours, the quotation marks around
it, the project's lexicon (cue words, roles, media, organisations, groups), where it sits in its
sentence and paragraph. Imports ``text`` only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from quotecheck.text import find_quote_spans, lexicon, sentences

#: bump when features or labels change: a model trained on other features is not reused
FEATURES_VERSION = "2"
_TOKEN = re.compile(r"\w+(?:[’'.-]\w+)*|[^\w\s]")
_REPORTING = re.compile(rf"^(?:{lexicon.REPORTING_VERBS})$", re.I)
_QUOTE_MARKS = set('"“”„«»‟')

SpanTriple = tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]], Sequence[tuple[int, int]]]


def _shape(w: str) -> str:
    if w.isdigit():
        return "d"
    if not w[0].isalnum():
        return "p"
    if w.isupper() and len(w) > 1:
        return "XX"
    if w[0].isupper():
        return "Xx"
    return "x"


def tokens(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text, lo, hi)]


def _paragraph_features(
    text: str, toks: list[tuple[int, int]], sent_of: list[int], quoted: list[tuple[int, int]]
) -> list[list[str]]:
    words = [text[s:e] for s, e in toks]
    low = [w.lower() for w in words]
    inside = []
    q = 0
    for s, _ in toks:
        while q < len(quoted) and quoted[q][1] <= s:
            q += 1
        inside.append(q < len(quoted) and quoted[q][0] < s)
    cue = [bool(_REPORTING.match(w) or w in lexicon.LEARNED_CUES) for w in low]
    sent_has_cue: dict[int, list[int]] = {}
    sent_has_quote: set[int] = set()
    for i, k in enumerate(sent_of):
        if cue[i] and not inside[i]:
            sent_has_cue.setdefault(k, []).append(i)
        if words[i] in _QUOTE_MARKS:
            sent_has_quote.add(k)
    first_sent = sent_of[0] if sent_of else 0
    kinds = _lexicon_marks(text, toks)
    sent_cue = {k: low[c[0]] for k, c in sent_has_cue.items()}
    out = []
    n = len(toks)
    for i in range(n):
        w, lw, k = words[i], low[i], sent_of[i]
        f = [
            "b",
            f"w={lw}",
            f"s3={lw[-3:]}",
            f"sh={_shape(w)}",
            f"in={inside[i]}",
            f"cue={cue[i]}",
            f"sq={k in sent_has_quote}",
            f"sp={min(k - first_sent, 2)}",
        ]
        if w in _QUOTE_MARKS:
            f.append("qm")
        if lw in lexicon.PRONOUNS:
            f.append("pron")
        if kinds[i]:
            f.append(f"lex={kinds[i]}")
        if w[:1].isupper() and i > 0 and sent_of[i - 1] == k:
            f.append("cap_mid")
        if k in sent_cue:
            f.append(f"scue={sent_cue[k]}")
        if i > 0 and words[i - 1] in '”"' and inside[i - 1]:
            f.append("after_close")
        if i == 0 or sent_of[i - 1] != k:
            f.append("sent_start")
        if i == n - 1 or sent_of[i + 1] != k:
            f.append("sent_end")
        cues = sent_has_cue.get(k, [])
        if cues:
            f.append(f"cue_before={any(c < i for c in cues)}")
            f.append(f"cue_after={any(c > i for c in cues)}")
            d = min(abs(c - i) for c in cues)
            f.append(f"cue_d={min(d, 6)}")
        else:
            f.append("no_cue")
        for off in (-3, -2, -1, 1, 2, 3):
            j = i + off
            if 0 <= j < n:
                f.append(f"w{off}={low[j]}")
                if off in (-1, 1):
                    f.append(f"sh{off}={_shape(words[j])}")
                    f.append(f"cue{off}={cue[j]}")
                    f.append(f"in{off}={inside[j]}")
            else:
                f.append(f"w{off}=<none>")
        if i > 0:
            f.append(f"bi-={low[i - 1]}|{lw}")
        if i + 1 < n:
            f.append(f"bi+={lw}|{low[i + 1]}")
        out.append(f)
    return out


def _lexicon_marks(text: str, toks: list[tuple[int, int]]) -> list[str]:
    """Which lexicon class (role, media, organisation, group) each token lies in, if any."""
    marks = [""] * len(toks)
    if not toks:
        return marks
    lo, hi = toks[0][0], toks[-1][1]
    for name, rx in (
        ("org", lexicon.ORG),
        ("media", lexicon.MEDIA),
        ("group", lexicon.GROUP),
        ("role", lexicon.ROLE),
    ):
        for m in rx.finditer(text, lo, hi):
            for i, (s, e) in enumerate(toks):
                if s >= m.start() and e <= m.end():
                    marks[i] = name
    return marks


#: the longest sequence the tagger reads at once, in tokens: a longer paragraph is cut at
#: sentence ends (a sentence longer than this, at this length), so that memory stays bounded
MAX_SEQUENCE = 400


def sequences(text: str) -> Iterator[tuple[list[tuple[int, int]], list[int], list[list[str]]]]:
    """One sequence a paragraph (or a piece of at most ``MAX_SEQUENCE`` tokens of one): its
    tokens, each token's sentence (an index into ``sentences(text)``) and their features."""
    quoted = [(q.start, q.end) for q in find_quote_spans(text)]
    toks: list[tuple[int, int]] = []
    sent_of: list[int] = []
    para = -1
    for k, sent in enumerate(sentences(text)):
        if toks and (sent.paragraph != para or len(toks) >= MAX_SEQUENCE):
            yield toks, sent_of, _paragraph_features(text, toks, sent_of, quoted)
            toks, sent_of = [], []
        para = sent.paragraph
        words = tokens(text, sent.start, sent.end)
        for i in range(0, len(words), MAX_SEQUENCE):
            piece = words[i : i + MAX_SEQUENCE]
            if toks and len(toks) + len(piece) > MAX_SEQUENCE:
                yield toks, sent_of, _paragraph_features(text, toks, sent_of, quoted)
                toks, sent_of = [], []
            toks += piece
            sent_of += [k] * len(piece)
    if toks:
        yield toks, sent_of, _paragraph_features(text, toks, sent_of, quoted)


def labels(toks: list[tuple[int, int]], attributions: Iterable[SpanTriple]) -> list[str]:
    """BIO labels; where attributions nest, a cue outranks a source and both outrank content."""
    spans = []
    for triple in attributions:
        for rank, (name, group) in enumerate(zip(("SRC", "CUE", "CON"), triple, strict=True)):
            spans += [((1, 2, 0)[rank], name, s, e) for s, e in group]
    kind = ["O"] * len(toks)
    owner = [-1] * len(toks)
    for n, (_, name, s, e) in enumerate(sorted(spans, key=lambda x: x[0])):
        for i, (ts, te) in enumerate(toks):
            if ts >= s and te <= e:
                kind[i], owner[i] = name, n
    return [
        "O" if k == "O" else ("B-" if i == 0 or owner[i - 1] != owner[i] else "I-") + k
        for i, k in enumerate(kind)
    ]
