"""Evidence: load the sources a reporter used, split them into passages, retrieve with BM25.

Sources are files (``.txt``, ``.md``, ``.html``/``.htm``), folders of them (recursive), or
JSONL files with one ``{"id": ..., "text": ...}`` object per line (``"html"`` instead of
``"text"`` is accepted; ``"url"``/``"title"`` are kept). Passage offsets index the source's
*text*: for HTML that is the article text ``text.read_page`` extracts (the same reader as for
articles; the page's title and canonical URL are kept), in ``Source.text``. Imports ``schema``
and ``text`` (every file is read and size-checked by ``text.read_file``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np

from quotecheck.errors import BadInput
from quotecheck.schema import Passage, ScoredPassage, Span
from quotecheck.text import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    TEXT_SUFFIXES,
    content_words,
    jsonl_lines,
    page_of,
    read_file,
    sentences,
)


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of ``text`` (the article splitter of ``quotecheck.text``)."""
    return [Span(start=s.start, end=s.end, text=text[s.start : s.end]) for s in sentences(text)]


@dataclass
class Source:
    """One evidence document; ``text`` is what passage offsets index."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None


def _jsonl_sources(path: Path, text: str, warnings: list[str]) -> Iterable[Source]:
    for line in jsonl_lines(text.splitlines(), str(path)):
        obj = line.record
        if obj is None:
            warnings.append(f"{line.problem}; skipped")
            continue
        body, html = obj.get("text"), None
        if not isinstance(body, str) and isinstance(obj.get("html"), str):
            body, html = obj["html"], True
        if not isinstance(body, str) or not body.strip():
            warnings.append(f"{line.where}: no 'text' (or 'html') string; line skipped")
            continue
        url = obj.get("url") if isinstance(obj.get("url"), str) else None
        try:
            page = page_of(body, url, html=html, source=line.where)
        except BadInput as err:
            warnings.append(f"{err}; skipped")
            continue
        meta = page.meta
        title = obj.get("title") or (meta.title if meta else None)
        sid = str(obj.get("id", line.lineno))
        yield Source(f"{path.name}#{sid}", page.text, url=url or (meta and meta.url), title=title)


def load_sources(paths: Sequence[str | Path], warnings: list[str] | None = None) -> list[Source]:
    """Read every supported file under ``paths``; unreadable files become warnings.

    A path that does not exist raises ``BadInput`` (it is a typo, not a bad document).
    """
    warnings = [] if warnings is None else warnings
    sources: list[Source] = []
    for raw in paths:
        root = Path(raw)
        if not root.exists():
            raise BadInput(f"{root}: no such file or folder; check the --evidence path")
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            suffix = path.suffix.lower()
            if root.is_dir() and suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES:
                continue
            sid = str(path.relative_to(root)) if root.is_dir() else path.name
            try:
                text = read_file(path)
            except BadInput as err:
                warnings.append(f"{err}; skipped")
                continue
            if suffix in JSONL_SUFFIXES:
                sources.extend(_jsonl_sources(path, text, warnings))
                continue
            try:
                page = page_of(text, html=True if suffix in HTML_SUFFIXES else None)
            except BadInput as err:
                warnings.append(f"{path}: {err}; skipped")
                continue
            if not page.text.strip():
                warnings.append(f"{path}: empty; skipped")
                continue
            meta = page.meta
            sources.append(Source(sid, page.text, url=meta and meta.url, title=meta and meta.title))
    return sources


def split_passages(source: Source, max_words: int = 80, overlap: int = 1) -> list[Passage]:
    """Group consecutive sentences into passages of at most ``max_words`` words.

    Neighbouring passages share ``overlap`` sentences so a fact split across a boundary
    is still retrievable; a single sentence longer than ``max_words`` is its own passage.
    """
    sents = split_sentences(source.text)
    passages: list[Passage] = []
    i = 0
    while i < len(sents):
        j, words = i, 0
        while j < len(sents):
            n = len(sents[j].text.split())
            if j > i and words + n > max_words:
                break
            words += n
            j += 1
        start, end = sents[i].start, sents[j - 1].end
        passages.append(
            Passage(source_id=source.id, start=start, end=end, text=source.text[start:end])
        )
        if j >= len(sents):
            break
        i = max(i + 1, j - overlap)
    return passages


def tokenize(texts: list[str]) -> list[list[str]]:
    """BM25 tokens (lower case, English stopwords out), shared by index and queries."""
    return bm25s.tokenize(texts, stopwords="en", return_ids=False, show_progress=False)


@dataclass
class EvidenceIndex:
    """A BM25 index over the passages of all sources."""

    sources: dict[str, Source]
    passages: list[Passage]
    warnings: list[str] = field(default_factory=list)
    _bm25: bm25s.BM25 | None = None

    @classmethod
    def build(cls, sources: Sequence[Source], max_words: int = 80) -> EvidenceIndex:
        passages = [p for s in sources for p in split_passages(s, max_words=max_words)]
        index = cls({s.id: s for s in sources}, passages)
        if passages:
            index._bm25 = bm25s.BM25()
            index._bm25.index(tokenize([p.text for p in passages]), show_progress=False)
        return index

    @classmethod
    def from_paths(cls, paths: Sequence[str | Path]) -> EvidenceIndex:
        warnings: list[str] = []
        index = cls.build(load_sources(paths, warnings))
        index.warnings.extend(warnings)
        return index

    def search(self, query: str, k: int = 3) -> list[ScoredPassage]:
        """The ``k`` best passages for ``query``, best first; passages scoring 0 are left out."""
        if self._bm25 is None or not query.strip():
            return []
        tokens = tokenize([query])
        if not tokens[0]:
            return []
        k = min(k, len(self.passages))
        ids, scores = self._bm25.retrieve(tokens, k=k, show_progress=False)
        return [
            ScoredPassage(passage=self.passages[int(i)], score=round(float(s), 4))
            for i, s in zip(np.asarray(ids)[0], np.asarray(scores)[0], strict=True)
            if s > 0
        ]

    def relevant(
        self,
        claim: str,
        k: int = 3,
        min_score: float = 0.0,
        min_overlap: int = 2,
        min_share: float = 0.3,
    ) -> list[ScoredPassage]:
        """Passages worth showing the verifier.

        BM25 scores are not comparable across corpus sizes (one source gives tiny scores),
        so the gate is mainly lexical: a passage must score above ``min_score`` and share at
        least ``min_overlap`` content words (capped by the claim's own count, so short claims
        qualify) making up at least ``min_share`` of the claim's content words: two common
        words ("North Korea") in a long claim are not evidence about it.
        """
        words = content_words(claim)
        need = min(min_overlap, len(words)) or 1
        out = []
        for sp in self.search(claim, k):
            shared = len(words & content_words(sp.passage.text))
            if sp.score > min_score and shared >= need and shared >= min_share * len(words):
                out.append(sp)
        return out
