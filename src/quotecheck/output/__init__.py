"""Renderers: reports as terminal tables, Markdown, ClaimReview JSON-LD and CSV.

They take records (the schema's reports), never runners: imports only ``schema``.
"""

from quotecheck.output.claimreview import claim_review, to_claimreview
from quotecheck.output.markdown import to_json, to_markdown
from quotecheck.output.quotes_csv import CSV_COLUMNS, quote_rows, write_quotes_csv
from quotecheck.output.terminal import print_report

__all__ = [
    "CSV_COLUMNS",
    "claim_review",
    "print_report",
    "quote_rows",
    "to_claimreview",
    "to_json",
    "to_markdown",
    "write_quotes_csv",
]
