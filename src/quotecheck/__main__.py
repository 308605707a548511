"""``python -m quotecheck``: the command line. Imports only ``cli``."""

from quotecheck.cli import main

main()
