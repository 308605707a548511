"""Renderers: reports as terminal tables, Markdown, ClaimReview JSON-LD, CSV and HTML (the
editor's view of one report, and the dashboard of a batch).

They take records (the schema's reports), never runners: imports only ``schema``.
"""

from quotecheck.output.claimreview import claim_review, to_claimreview
from quotecheck.output.dashboard import to_dashboard
from quotecheck.output.figures import Figures, figure_rows, figures, write_figures_csv
from quotecheck.output.html import to_html
from quotecheck.output.html_page import asset, content_security_policy, document
from quotecheck.output.markdown import to_json, to_markdown
from quotecheck.output.quotes_csv import CSV_COLUMNS, quote_rows, write_csv, write_quotes_csv
from quotecheck.output.terminal import print_report

__all__ = [
    "CSV_COLUMNS",
    "Figures",
    "asset",
    "claim_review",
    "content_security_policy",
    "document",
    "figure_rows",
    "figures",
    "print_report",
    "quote_rows",
    "to_claimreview",
    "to_dashboard",
    "to_html",
    "to_json",
    "to_markdown",
    "write_csv",
    "write_figures_csv",
    "write_quotes_csv",
]
