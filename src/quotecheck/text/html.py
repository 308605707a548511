"""HTML pages reduced to their readable text; deterministic, imports nothing of the package.

Quote and claim offsets then refer to the text returned here.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
          "article", "header", "footer", "tr", "figcaption", "title"}  # fmt: skip
_SKIP = {"script", "style", "noscript", "nav", "aside", "footer", "form", "figure", "button",
         "svg", "iframe", "template", "head"}  # fmt: skip


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def article_text(markup: str) -> str:
    """The readable text of an HTML page: scripts, navigation, figures and footers dropped,
    one paragraph per block. Quote offsets then refer to this text."""
    body = markup
    m = re.search(r"<article\b.*?</article>", markup, re.S | re.I)
    if m:
        body = m.group(0)
    parser = _TextExtractor()
    parser.feed(body)
    parser.close()
    raw = html.unescape("".join(parser.parts))
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", raw)]
    return "\n\n".join(p for p in paras if p)
