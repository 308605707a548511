"""Batch runs over many articles: inputs, the resumable runner and its crash-safe journal,
progress and cost, run here (``LocalEngine``) or on a Ray cluster (``RayEngine``, the
``[ray]`` extra; Ray itself is imported only when that engine starts). Uses the public faces
of the stages below it.
Imports nothing but its own modules; see each for what it may touch.
"""

from quotecheck.batch.inputs import Article, Collected, collect, iter_inputs, iter_jsonl
from quotecheck.batch.journal import JsonlLog, OutputLock
from quotecheck.batch.outcome import Failure, Outcome, Processor, attempt
from quotecheck.batch.pricing import PriceTable
from quotecheck.batch.processor import (
    batch_config,
    build_llm,
    close_llm,
    load_evidence,
    make_processor,
)
from quotecheck.batch.ray_connect import RAY_INSTALL_HINT, require_ray
from quotecheck.batch.ray_engine import RayEngine, RayOptions
from quotecheck.batch.runner import (
    BatchOptions,
    BatchSummary,
    Engine,
    Finished,
    LocalEngine,
    errors_path,
    run_batch,
    run_engine,
)

__all__ = [
    "Article",
    "BatchOptions",
    "BatchSummary",
    "Collected",
    "Engine",
    "Failure",
    "Finished",
    "LocalEngine",
    "RAY_INSTALL_HINT",
    "RayEngine",
    "RayOptions",
    "JsonlLog",
    "Outcome",
    "OutputLock",
    "PriceTable",
    "Processor",
    "attempt",
    "batch_config",
    "build_llm",
    "close_llm",
    "collect",
    "errors_path",
    "iter_inputs",
    "iter_jsonl",
    "load_evidence",
    "make_processor",
    "require_ray",
    "run_batch",
    "run_engine",
]
