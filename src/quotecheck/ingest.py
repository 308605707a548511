"""Turning what a user hands us (bytes, files, HTML pages) into article text, or a clear error."""

from __future__ import annotations

import codecs
import html
import re
from html.parser import HTMLParser
from pathlib import Path

from quotecheck.errors import BadInput

MAX_BYTES = 8_000_000
_HTML_HINT = re.compile(r"<(?:!doctype|html|body|article|p|div|head)\b", re.I)
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
          "article", "header", "footer", "tr", "figcaption", "title"}  # fmt: skip
_SKIP = {"script", "style", "noscript", "nav", "aside", "footer", "form", "figure", "button",
         "svg", "iframe", "template", "head"}  # fmt: skip


def decode(data: bytes, source: str = "input") -> str:
    """UTF-8 (with or without BOM) or BOM-marked UTF-16; anything else is refused, not guessed."""
    if len(data) > MAX_BYTES:
        raise BadInput(
            f"{source} is {len(data):,} bytes, over the {MAX_BYTES:,}-byte limit; split it"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BadInput(f"{source} starts like UTF-16 but is not valid UTF-16 text") from exc
    if b"\x00" in data[:4096]:
        raise BadInput(f"{source} looks binary (contains NUL bytes), not article text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"{source} is not UTF-8 text (bad byte at offset {exc.start}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from None


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text[:5000]))


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


def read_article(path: str | Path) -> str:
    """Read a file (or ``-`` for stdin) and return article text, reducing HTML to its text."""
    import sys

    if str(path) == "-":
        data = sys.stdin.buffer.read()
        name = "standard input"
    else:
        p = Path(path)
        if not p.exists():
            raise BadInput(f"{p} does not exist")
        if p.is_dir():
            raise BadInput(f"{p} is a folder; give a file (quotecheck batch takes folders)")
        if p.stat().st_size > MAX_BYTES:
            raise BadInput(f"{p} is {p.stat().st_size:,} bytes, over the {MAX_BYTES:,}-byte limit")
        data = p.read_bytes()
        name = str(p)
    text = decode(data, name)
    if looks_like_html(text):
        text = article_text(text)
    return text
