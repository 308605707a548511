"""Deterministic text work, never a model: input checks, spans and sentences, the lexicon, terms.

Other packages import from this face only.
"""

from quotecheck.text import lexicon
from quotecheck.text.html import article_text
from quotecheck.text.inputs import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    MAX_INPUT,
    TEXT_SUFFIXES,
    JsonlLine,
    check_text,
    decode,
    jsonl_lines,
    looks_like_html,
    plain_text,
    prepare_article,
    read_article,
    read_file,
    text_sha256,
)
from quotecheck.text.spans import (
    Paragraph,
    QuoteSpan,
    Sentence,
    find_quote_spans,
    locate,
    paragraphs,
    sentence_at,
    sentences,
    word_count,
)
from quotecheck.text.terms import content_words, key_terms, missing_terms

__all__ = [
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "MAX_INPUT",
    "TEXT_SUFFIXES",
    "JsonlLine",
    "Paragraph",
    "QuoteSpan",
    "Sentence",
    "article_text",
    "check_text",
    "content_words",
    "decode",
    "find_quote_spans",
    "jsonl_lines",
    "key_terms",
    "lexicon",
    "locate",
    "looks_like_html",
    "missing_terms",
    "paragraphs",
    "plain_text",
    "prepare_article",
    "read_article",
    "read_file",
    "sentence_at",
    "sentences",
    "text_sha256",
    "word_count",
]
