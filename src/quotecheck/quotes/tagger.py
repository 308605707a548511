"""A learned attribution tagger: every word of a paragraph marked as source, cue, content or
none by a linear-chain CRF (python-crfsuite), then grouped into attributions by code.

No weights ship with the package: the tagger is trained at first use from an annotated corpus
the user points to (``train``), and the model file lives in the user's cache. What it marks is
grounded by construction: spans are token offsets into the article, never words from a model.

What it sees is in ``features``; where content starts and ends, past the runs it marks, in
``edges``. Imports ``errors``, ``schema``, ``text``, ``features`` and ``edges``;
``pycrfsuite`` (the ``tagger`` extra) only when a tagger is trained or opened.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from quotecheck.errors import BadInput
from quotecheck.quotes.edges import settle
from quotecheck.quotes.features import FEATURES_VERSION, SpanTriple, labels, sequences
from quotecheck.quotes.speakers import could_be_speaker
from quotecheck.schema import Span
from quotecheck.text import find_quote_spans, iter_gold, sentences

log = logging.getLogger(__name__)

#: the annotated corpus a tagger is trained from at first use (PolNeAR's JSONL form)
TAGGER_CORPUS_ENV = "QUOTECHECK_TAGGER_CORPUS"

#: a cue whose best path has no source takes a run of its sentence this likely to be one
SOURCE_P = 0.3
#: a sentence whose best path has no cue is re-read from the marginals when one of its tokens
#: is a cue this likely (tagger alone on dev, all attributions, F1 / end-to-end: none 0.720 /
#: 0.643; 0.1 0.731 / 0.637; 0.2 0.732 / 0.638; 0.25 0.732 / 0.641; 0.35 0.730 / 0.641)
CUE_P = 0.25
#: ``SOURCE_P`` for such a re-read sentence (same measure, 0.3 / 0.2 / 0.1 / 0.05: end-to-end
#: 0.640 / 0.643 / 0.646 / 0.648, no-source speakers 0.690 / 0.643 / 0.643 / 0.619)
UNSURE_SOURCE_P = 0.1
_KINDS = ("SRC", "CUE", "CON")


@dataclass(frozen=True)
class Tagged:
    """One attribution the tagger marked: who (may be absent), how, what, and how sure."""

    source: Span | None
    cue: Span
    content: tuple[Span, ...]
    confidence: float
    #: False where the best path marked no cue and the marginals did (``CUE_P``): a fallback
    #: that leaves the sentence to a rule or the model and fills in only where they find none
    sure: bool = True


def train(
    docs: Iterable[tuple[str, Sequence[SpanTriple]]],
    path: Path,
    *,
    c1: float = 1.0,
    c2: float = 0.01,
    max_iterations: int = 150,
) -> int:
    """Train a tagger on ``(text, [(source, cue, content), ...])`` documents and write it to
    ``path``; returns the number of paragraphs it learned from."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for text, atts in docs:
        for toks, _, feats in sequences(text):
            trainer.append(feats, labels(toks, atts))
            n += 1
    trainer.set_params(
        {"c1": c1, "c2": c2, "max_iterations": max_iterations, "feature.possible_transitions": True}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    trainer.train(str(tmp))
    tmp.replace(path)
    return n


def _segments(labels: list[str]) -> list[tuple[str, int, int]]:
    """(kind, first token, last token + 1) of each labelled run."""
    out: list[tuple[str, int, int]] = []
    for i, lab in enumerate(labels):
        if lab == "O":
            continue
        bio, kind = lab.split("-", 1)
        if out and bio == "I" and out[-1][0] == kind and out[-1][2] == i:
            out[-1] = (kind, out[-1][1], i + 1)
        else:
            out.append((kind, i, i + 1))
    return out


#: where a relative clause after a source starts: "Ibrahim Sall, who leads the association"
_APPOSITION = re.compile(r",\s+(?:who|which|whose)\b")


def _source(text: str, toks: list[tuple[int, int]], a: int, b: int) -> Span | None:
    """A source span without a relative clause after it: the name an editor reads; None where
    the run names no one (``speakers.could_be_speaker``)."""
    s, e = toks[a][0], toks[b - 1][1]
    m = _APPOSITION.search(text, s, e)
    span = _span(text, toks, a, b) if m is None or m.start() == s else _cut(text, s, m.start())
    return span if could_be_speaker(span.text) else None


def _span(text: str, toks: list[tuple[int, int]], a: int, b: int) -> Span:
    return _cut(text, toks[a][0], toks[b - 1][1])


def _cut(text: str, s: int, e: int) -> Span:
    while e > s and text[e - 1] in ",;:.":
        e -= 1
    return Span(start=s, end=e, text=text[s:e])


class Tagger:
    """A trained tagger opened from its model file."""

    def __init__(self, path: Path) -> None:
        import pycrfsuite

        self.path = path
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        # marginals read the sequence tagged last: one thread at a time (the default tagger
        # is shared by every call of a process, threads from ``run_sync`` included)
        self._lock = threading.Lock()

    def _likely_sources(
        self, toks: list[tuple[int, int]], sent_of: list[int], cue: int, bar: float = SOURCE_P
    ) -> list[tuple[int, int]]:
        """Runs of the cue's sentence that the tagger thought a source more than ``bar`` likely
        (``SOURCE_P``, or ``UNSURE_SOURCE_P`` in a re-read sentence), where its best path marked
        none."""
        runs: list[tuple[int, int]] = []
        for i in range(len(toks)):
            if sent_of[i] != sent_of[cue]:
                continue
            p = self._p("SRC", i)
            if p < bar:
                continue
            if runs and runs[-1][1] == i:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
        return runs

    def _unsure_cues(self, labels: list[str], sent_of: list[int]) -> tuple[list[str], set[int]]:
        """``labels`` with each sentence whose best path holds no cue, but some token of which
        the tagger thought a cue more than ``CUE_P`` likely, re-read token by token from the
        marginals: the likeliest kind where it passes its bar (a cue half ``CUE_P``, a source
        ``SOURCE_P``, content more likely than nothing), else nothing. Also the sentences
        re-read."""
        labels, reread = list(labels), set()
        by_sentence: dict[int, list[int]] = {}
        for i, k in enumerate(sent_of):
            by_sentence.setdefault(k, []).append(i)
        with_cue = {sent_of[i] for i, lab in enumerate(labels) if lab.endswith("CUE")}
        for k, idx in by_sentence.items():
            if k in with_cue:
                continue
            p = {i: {kind: self._p(kind, i) for kind in _KINDS} for i in idx}
            if max(p[i]["CUE"] for i in idx) < CUE_P:
                continue
            prev = None
            for i in idx:
                kind: str | None = max(_KINDS, key=lambda x: p[i][x])
                bar = {"CUE": CUE_P / 2, "SRC": SOURCE_P, "CON": 1 - sum(p[i].values())}
                if p[i][kind] < bar[kind]:
                    kind = None
                labels[i] = "O" if kind is None else ("I-" if prev == kind else "B-") + kind
                prev = kind
            reread.add(k)
        return labels, reread

    def _p(self, kind: str, i: int) -> float:
        return self._tagger.marginal(f"B-{kind}", i) + self._tagger.marginal(f"I-{kind}", i)

    def tag(self, text: str) -> list[Tagged]:
        """Every attribution marked in ``text`` (see ``_group``), content edges as PolNeAR
        sets them (``edges``)."""
        out: list[Tagged] = []
        for toks, sent_of, feats in sequences(text):
            with self._lock:
                out += self._paragraph(text, toks, sent_of, feats)
        if not out:
            return out
        sents, quoted = sentences(text), [(q.start, q.end) for q in find_quote_spans(text)]
        return [
            replace(t, content=settle(text, sents, quoted, t.source, t.cue, t.content)) for t in out
        ]

    def _paragraph(
        self, text: str, toks: list[tuple[int, int]], sent_of: list[int], feats: list[list[str]]
    ) -> list[Tagged]:
        """One sequence's attributions; the caller holds the lock."""
        labels, reread = self._unsure_cues(self._tagger.tag(feats), sent_of)
        out: list[Tagged] = []
        for (a, b), src, content in _group(labels, sent_of, text, toks):
            cue = _span(text, toks, a, b)
            if not cue.text:  # a colon ("Senator: ‘…’") or dash as the cue: keep the mark
                s, e = toks[a][0], toks[b - 1][1]
                cue = Span(start=s, end=e, text=text[s:e])
            if src is None:
                bar = SOURCE_P if sent_of[a] not in reread else UNSURE_SOURCE_P
                src = min(
                    self._likely_sources(toks, sent_of, a, bar),
                    key=lambda r: abs(r[0] - a),
                    default=None,
                )
            marg = [self._tagger.marginal(labels[i], i) for i in range(a, b)]
            out.append(
                Tagged(
                    source=_source(text, toks, *src) if src else None,
                    cue=cue,
                    content=tuple(_span(text, toks, x, y) for x, y in content),
                    confidence=sum(marg) / len(marg),
                    sure=sent_of[a] not in reread,
                )
            )
        return out


Run = tuple[int, int]


def _group(
    labels: list[str], sent_of: list[int], text: str, toks: list[tuple[int, int]]
) -> list[tuple[Run, Run | None, list[Run]]]:
    """(cue, source, content) token runs from one paragraph's labels.

    Each content run goes to its nearest cue, each source run to the nearest cue of its
    sentence. A cue that ends its sentence ("..., sources said.") reports everything before
    it, attributions nested in that clause included, as PolNeAR annotates it."""
    segs = _segments(labels)
    cues = [(a, b) for kind, a, b in segs if kind == "CUE"]
    parts: dict[Run, dict[str, list[Run]]] = {c: {"SRC": [], "CON": []} for c in cues}

    def nearest(a: int, b: int, same_sentence: bool) -> Run | None:
        best: tuple[int, Run] | None = None
        for c in cues:
            if same_sentence and sent_of[c[0]] != sent_of[a]:
                continue
            d = c[0] - b if c[0] >= b else a - c[1]
            if best is None or d < best[0]:
                best = (d, c)
        return best[1] if best else None

    for kind, a, b in segs:
        if kind != "CUE":
            owner = nearest(a, b, kind == "SRC")
            if owner is not None:
                parts[owner][kind].append((a, b))
    out = []
    for c in cues:
        srcs = parts[c]["SRC"]
        src = min(srcs, key=lambda r: abs(r[0] - c[0])) if srcs else None
        content = sorted(parts[c]["CON"])
        k = sent_of[c[0]]
        first = next(i for i in range(len(sent_of)) if sent_of[i] == k)
        after = [i for i in range(c[1], len(sent_of)) if sent_of[i] == k]
        tail = all(
            labels[i].endswith("SRC") or not text[toks[i][0] : toks[i][1]].isalnum() for i in after
        )
        lead = [i for i in range(first, src[0] if src and src[0] < c[0] else c[0])]
        if tail and lead and any(labels[i].endswith("CON") for i in lead):
            content = [(first, lead[-1] + 1)] + [r for r in content if r[0] > c[0]]
        if content:
            out.append((c, src, content))
    return out


def model_path(corpus_path: Path) -> Path:
    """Where the tagger trained from ``corpus_path`` is kept: the user's cache, named by the
    corpus's hash and the features' version, so a changed corpus or feature set retrains."""
    digest = hashlib.sha256()
    with corpus_path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    home = os.environ.get("QUOTECHECK_HOME")
    if home:
        base = Path(home).expanduser()
    else:
        import platformdirs

        base = Path(platformdirs.user_cache_dir("quotecheck"))
    return base / "tagger" / f"{digest.hexdigest()[:16]}-f{FEATURES_VERSION}.crfsuite"


_OPEN: dict[Path, Tagger] = {}


def default_tagger() -> Tagger | None:
    """The tagger of the corpus named by ``QUOTECHECK_TAGGER_CORPUS``, opened once a process
    (trained first if it never was); None when the variable is unset or empty."""
    raw = os.environ.get(TAGGER_CORPUS_ENV, "").strip()
    if not raw:
        return None
    path = Path(raw).expanduser().resolve()
    if path not in _OPEN:
        _OPEN[path] = load_tagger(path)
    return _OPEN[path]


def tagger_trained() -> bool:
    """False only when ``QUOTECHECK_TAGGER_CORPUS`` names a corpus whose tagger is not in the
    cache yet, so that opening it means training first."""
    raw = os.environ.get(TAGGER_CORPUS_ENV, "").strip()
    path = Path(raw).expanduser()
    return not raw or not path.is_file() or model_path(path).is_file()


def load_tagger(corpus_path: Path | str) -> Tagger:
    """The tagger learned from an annotated corpus, trained on first use (a few minutes for
    PolNeAR train on two cores) and then opened from the cache."""
    corpus_path = Path(corpus_path).expanduser()
    if not corpus_path.is_file():
        raise BadInput(f"tagger corpus {corpus_path} not found: pass a PolNeAR-format .jsonl file")
    try:
        import pycrfsuite  # noqa: F401
    except ImportError as err:
        raise BadInput(
            "the attribution tagger needs python-crfsuite: pip install 'quotecheck[tagger]'"
        ) from err
    path = model_path(corpus_path)
    if not path.is_file():
        docs = [
            (d.text, [(a.source, a.cue, a.content) for a in d.attributions])
            for d in iter_gold(corpus_path)
        ]
        if not any(atts for _, atts in docs):
            raise BadInput(f"{corpus_path} holds no attributions to learn from")
        log.info("training the attribution tagger from %s (once; kept in %s)", corpus_path, path)
        train(docs, path)
    return Tagger(path)
