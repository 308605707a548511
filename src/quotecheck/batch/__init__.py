"""Batch runs over many articles: inputs, the resumable runner and its crash-safe journal,
progress and cost. Uses the public faces of the stages below it.
Imports nothing but its own modules; see each for what it may touch.
"""

from quotecheck.batch.inputs import Article, Collected, collect, iter_inputs, iter_jsonl
from quotecheck.batch.journal import JsonlLog, OutputLock
from quotecheck.batch.pricing import PriceTable
from quotecheck.batch.processor import build_llm, close_llm, load_evidence, make_processor
from quotecheck.batch.runner import (
    BatchOptions,
    BatchSummary,
    Outcome,
    Processor,
    errors_path,
    run_batch,
)

__all__ = [
    "Article",
    "BatchOptions",
    "BatchSummary",
    "Collected",
    "JsonlLog",
    "Outcome",
    "OutputLock",
    "PriceTable",
    "Processor",
    "build_llm",
    "close_llm",
    "collect",
    "errors_path",
    "iter_inputs",
    "iter_jsonl",
    "load_evidence",
    "make_processor",
    "run_batch",
]
