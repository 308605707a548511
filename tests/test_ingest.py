"""Turning bytes, files and HTML pages into article text, or into one clear ``BadInput``."""

from __future__ import annotations

import codecs
import io
import sys
from pathlib import Path

import pytest

from quotecheck.errors import BadInput
from quotecheck.text import article_text, check_text, decode, looks_like_html, read_article
from quotecheck.text import inputs as ingest

SAMPLE = "“Ça ira,” said Zoë Brontë — 10 €."

PAGE = """<!doctype html>
<html><head><title>Site title</title><style>p { color: red }</style></head>
<body>
<nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article>
  <h1>Council delays &amp; rethinks bridge</h1>
  <p>&ldquo;We need more time,&rdquo; said Mayor Ana Ruiz.</p>
  <script>var tracking = "do not show";</script>
  <figure><img src="x.jpg"><figcaption>Photo credit</figcaption></figure>
  <p>The vote   was
     postponed.</p>
  <footer>Share this story</footer>
</article>
<aside>Most read</aside>
</body></html>
"""


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        SAMPLE.encode("utf-16"),  # with its BOM
        codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16-be"],
)
def test_decode_unicode_encodings(data: bytes) -> None:
    assert decode(data) == SAMPLE


def test_decode_refuses_latin1_with_advice() -> None:
    with pytest.raises(BadInput, match="not UTF-8") as info:
        decode(SAMPLE.encode("latin-1", "replace"), "story.txt")
    assert "story.txt" in str(info.value) and "iconv" in str(info.value)


def test_decode_refuses_binary() -> None:
    with pytest.raises(BadInput, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_decode_refuses_huge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_INPUT", 100)
    with pytest.raises(BadInput, match="limit"):
        decode(b"a" * 101)


def test_html_reduced_to_article_text() -> None:
    assert looks_like_html(PAGE)
    text = article_text(PAGE)
    assert text.split("\n\n") == [
        "Council delays & rethinks bridge",
        "“We need more time,” said Mayor Ana Ruiz.",
        "The vote was postponed.",
    ]


def test_html_without_article_tag_drops_boilerplate() -> None:
    page = PAGE.replace("<article>", "<div>").replace("</article>", "</div>")
    text = article_text(page)
    for junk in ("Home", "tracking", "Photo credit", "Share this story", "color: red"):
        assert junk not in text
    assert "“We need more time,” said Mayor Ana Ruiz." in text


def test_plain_text_is_not_html() -> None:
    assert not looks_like_html("The mayor said x < y and a <b> tag is not a page.")


def test_read_article_files(tmp_path: Path) -> None:
    plain = tmp_path / "a.txt"
    plain.write_text(SAMPLE, encoding="utf-8")
    assert read_article(plain) == SAMPLE
    page = tmp_path / "a.html"
    page.write_text(PAGE, encoding="utf-8")
    assert read_article(page).startswith("Council delays & rethinks bridge\n\n")


def test_read_article_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(SAMPLE.encode("utf-8")))
    monkeypatch.setattr(sys, "stdin", fake)
    assert read_article("-") == SAMPLE


def test_read_article_errors(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        read_article(tmp_path / "missing.txt")
    with pytest.raises(BadInput, match="is a folder"):
        read_article(tmp_path)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("abc\x00def", "binary"),
        ("\x01\x02\x03\x04 text", "control characters"),
    ],
)
def test_check_text_refuses_non_text(text: str, match: str) -> None:
    with pytest.raises(BadInput, match=match):
        check_text(text)


def test_check_text_refuses_bytes_and_huge(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BadInput, match="expected text"):
        check_text(b"bytes")  # type: ignore[arg-type]
    monkeypatch.setattr(ingest, "MAX_INPUT", 10)
    with pytest.raises(BadInput, match="split it"):
        check_text("x" * 11)
    assert check_text("") == ""
