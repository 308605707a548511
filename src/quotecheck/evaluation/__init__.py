"""Measuring quotecheck against gold data: PolNeAR attribution and fact-checking sets.

Nothing here is imported by the library itself; the CLI's ``quotecheck eval`` uses it.
"""
