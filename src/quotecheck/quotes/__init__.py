"""The quote pipeline: candidates -> rules or one small question each -> grounding -> assembly.

Other packages import from this face only.
"""

from quotecheck.quotes.pipeline import STRATEGIES, extract_quotes, extract_quotes_async
from quotecheck.quotes.tagger import (
    TAGGER_CORPUS_ENV,
    Tagger,
    default_tagger,
    load_tagger,
    tagger_trained,
)
from quotecheck.quotes.tagger import model_path as tagger_model_path

__all__ = [
    "STRATEGIES",
    "TAGGER_CORPUS_ENV",
    "Tagger",
    "default_tagger",
    "extract_quotes",
    "extract_quotes_async",
    "load_tagger",
    "tagger_model_path",
    "tagger_trained",
]
