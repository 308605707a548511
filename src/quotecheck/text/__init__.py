"""Deterministic text work, never a model: input checks, pages (HTML to article text and
metadata), spans and sentences, the lexicon, terms, annotated corpora.

Other packages import from this face only.
"""

from quotecheck.text import lexicon
from quotecheck.text.corpus import GoldAttribution, GoldDoc, GoldSpan, iter_gold, load_gold
from quotecheck.text.html import (
    Page,
    article_text,
    decode_page,
    merge_meta,
    read_page,
    tag_filter_text,
)
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
    read_bytes,
    read_file,
    text_sha256,
)
from quotecheck.text.names import Name, name_words, names, same_name
from quotecheck.text.pages import (
    load_file,
    page_of,
    plain_text,
    prepare_article,
    prepare_page,
    read_article,
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
from quotecheck.text.terms import (
    content_words,
    key_terms,
    missing_terms,
    spelled_numbers,
    stem,
    stems,
)

__all__ = [
    "GoldAttribution",
    "GoldDoc",
    "GoldSpan",
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "MAX_INPUT",
    "Name",
    "TEXT_SUFFIXES",
    "JsonlLine",
    "Page",
    "Paragraph",
    "QuoteSpan",
    "Sentence",
    "article_text",
    "check_text",
    "content_words",
    "decode",
    "decode_page",
    "find_quote_spans",
    "iter_gold",
    "jsonl_lines",
    "key_terms",
    "lexicon",
    "load_gold",
    "load_file",
    "locate",
    "looks_like_html",
    "merge_meta",
    "missing_terms",
    "name_words",
    "names",
    "page_of",
    "paragraphs",
    "plain_text",
    "prepare_article",
    "prepare_page",
    "read_article",
    "read_bytes",
    "read_file",
    "read_page",
    "same_name",
    "sentence_at",
    "sentences",
    "spelled_numbers",
    "stem",
    "stems",
    "tag_filter_text",
    "text_sha256",
    "word_count",
]
