"""The quote pipeline: candidates -> rules or one small question each -> grounding -> assembly.

Other packages import from this face only.
"""

from quotecheck.quotes.pipeline import STRATEGIES, extract_quotes, extract_quotes_async

__all__ = ["STRATEGIES", "extract_quotes", "extract_quotes_async"]
