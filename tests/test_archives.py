"""Feeds and web archives as batch inputs: a WARC written here (HTML, non-HTML and 404
responses) gives exactly its HTML capture, read by streaming; a three-entry feed batches three
articles, from its pages (fetched from a local server) or, offline, from its own content."""

from __future__ import annotations

import io
import json
import os
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fakeserver import FakeOpenAIServer, attribution_responder
from pageserver import PageServer, Route
from quotecheck.batch import collect
from quotecheck.cli import app
from quotecheck.errors import BadInput
from quotecheck.ingest import FROM_FEED_WARNING
from test_pages import FIXTURE, PARAGRAPHS

WARC_DATE = "2025-06-03T09:00:00Z"


def _warc(path: Path, responses: list[tuple[str, str, str, bytes]]) -> None:
    """Write a gzipped WARC: a warcinfo, then per response a request and the response."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for uri, status, ctype, body in responses:
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.org")],
                                       is_http_request=True)  # fmt: skip
            writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": WARC_DATE},
            )
            writer.write_record(record)


PAGE_URI = "https://news.example.org/local/2025/06/03/river-bridge-reopen"


def test_warc_yields_only_its_html_capture(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    _warc(
        archive,
        [
            (PAGE_URI, "200 OK", "text/html; charset=utf-8", FIXTURE.read_bytes()),
            ("https://news.example.org/img/bridge.png", "200 OK", "image/png", b"\x89PNG" * 50),
            (
                "https://news.example.org/old-story",
                "404 Not Found",
                "text/html",
                b"<html><body><p>Page not found</p></body></html>",
            ),
        ],  # fmt: skip
    )
    got = collect([str(archive)])
    assert [a.id for a in got.articles] == [f"{PAGE_URI}@2025-06-03T09:00:00+00:00"]
    assert "1 HTML captures" in got.notes[0]
    assert "1 not HTML" in got.notes[0] and "1 status 404" in got.notes[0]
    page = got.articles[0].load_page()
    assert page.text.split("\n\n") == PARAGRAPHS
    assert page.meta.source_url == PAGE_URI and page.meta.origin == "warc"
    assert page.meta.retrieved == "2025-06-03T09:00:00+00:00"
    assert page.meta.site_name == "The Harbour Gazette"


def test_warc_is_streamed_not_read_whole(tmp_path: Path) -> None:
    """A 40 MB archive (a large video response between two pages) is collected and read with a
    peak of Python memory far below its size: payloads are skipped, one record is read."""
    archive = tmp_path / "big.warc"
    video = os.urandom(40 * 1024 * 1024)
    second = PAGE_URI + "?page=2"
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with archive.open("wb") as fh:  # uncompressed: skipping must read through, not load
        writer = WARCWriter(fh, gzip=False)
        for uri, ctype, body in [(PAGE_URI, "text/html", FIXTURE.read_bytes()),
                                 ("https://video.example.org/clip.mp4", "video/mp4", video),
                                 (second, "text/html", FIXTURE.read_bytes())]:  # fmt: skip
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=http))  # fmt: skip
    del video
    assert archive.stat().st_size > 40 * 1024 * 1024
    tracemalloc.start()
    try:
        got = collect([str(archive)])
        texts = [a.load_page().text for a in got.articles]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [a.id.split("@")[0] for a in got.articles] == [PAGE_URI, second]
    assert texts[1].split("\n\n") == PARAGRAPHS
    assert peak < 8 * 1024 * 1024, f"peak {peak:,} bytes"


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
def test_damaged_warc_keeps_what_came_before(tmp_path: Path, gzip: bool) -> None:
    """A cut in the middle of the second record: the first capture is read, the damage is one
    problem item; a cut inside the last payload is caught by the record's digest."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    archive = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    with archive.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        for n in range(2):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"{PAGE_URI}?n={n}", "response", payload=io.BytesIO(FIXTURE.read_bytes()),
                http_headers=http))  # fmt: skip
    data = archive.read_bytes()
    second = collect([str(archive)]).articles[1].source.rsplit("@", 1)[1]
    archive.write_bytes(data[: int(second) + 120])
    ok, damaged = collect([str(archive)]).articles
    assert ok.load_page().text.split("\n\n") == PARAGRAPHS
    with pytest.raises(BadInput, match="damaged web archive after 1 captures"):
        damaged.load_page()
    if not gzip:  # a gzip member cut short is a read error instead, tested above
        archive.write_bytes(data[:-100])
        first, last = collect([str(archive)]).articles
        assert first.load_page().text.split("\n\n") == PARAGRAPHS
        with pytest.raises(BadInput, match="digest does not match"):
            last.load_page()


def _rss(base: str) -> bytes:
    items = []
    for n in range(1, 4):
        body = f"<p>Story {n}: “The crossing will reopen,” said Mayor Lena Okafor on day {n}.</p>"
        items.append(
            f"<item><title>Story {n}</title><link>{base}/story/{n}</link>"
            f"<guid>gazette-{n}</guid><pubDate>Tue, 0{n} Jun 2025 08:00:00 GMT</pubDate>"
            f"<dc:creator>Priya Natarajan</dc:creator>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>The Harbour Gazette</title>'
        f"<link>{base}/</link><language>en-gb</language>{''.join(items)}</channel></rss>"
    ).encode()


@pytest.fixture
def site() -> Iterator[PageServer]:
    srv = PageServer().start()
    html = {"Content-Type": "text/html; charset=utf-8"}
    srv.routes["/feed.xml"] = Route(
        200, {"Content-Type": "application/rss+xml"}, _rss(srv.base_url)
    )
    srv.routes["/story/1"] = Route(200, html, FIXTURE.read_bytes())
    srv.routes["/story/2"] = Route(200, html, FIXTURE.read_bytes().replace(b"June", b"July"))
    # /story/3 is missing (404): that entry falls back to the feed's content, with a warning
    try:
        yield srv
    finally:
        srv.stop()


def _batch(args: list[str], fake: FakeOpenAIServer, tmp_path: Path) -> list[dict]:
    fake.responder = attribution_responder()
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(
        app, ["batch", *args, "-o", str(out), "--csv", str(tmp_path / "q.csv")]
    )
    assert res.exit_code == 0, res.output
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_feed_file_offline_batches_three_articles(tmp_path, fake_llm_env, site) -> None:
    feed = tmp_path / "gazette.rss"
    feed.write_bytes(_rss(site.base_url))
    records = _batch([str(feed), "--offline"], fake_llm_env, tmp_path)
    assert sorted(r["id"] for r in records) == ["gazette-1", "gazette-2", "gazette-3"]
    assert site.requests == []  # offline: nothing fetched
    for record in records:
        report, n = record["report"], record["id"][-1]
        meta = report["article"]
        assert meta["title"] == f"Story {n}" and meta["site_name"] == "The Harbour Gazette"
        assert meta["published"] == f"2025-06-0{n}T08:00:00+00:00"
        assert meta["authors"] == ["Priya Natarajan"] and meta["origin"] == "feed"
        assert report["text_length"] == len(f"Story {n}: “The crossing will reopen,” said "
                                             f"Mayor Lena Okafor on day {n}.")  # fmt: skip
        assert FROM_FEED_WARNING in report["warnings"][0]
        assert report["quotes"]
    csv = (tmp_path / "q.csv").read_text()
    assert "url,title,site,published,authors" in csv.splitlines()[0]
    assert f"{site.base_url}/story/1,Story 1,The Harbour Gazette,2025-06-01" in csv


def test_feed_url_fetches_each_entry_page(tmp_path, fake_llm_env, site) -> None:
    records = {
        r["id"]: r["report"] for r in _batch([site.url("/feed.xml")], fake_llm_env, tmp_path)
    }
    assert sorted(records) == ["gazette-1", "gazette-2", "gazette-3"]
    one, two, three = (records[f"gazette-{n}"] for n in (1, 2, 3))
    assert one["text_length"] == len("\n\n".join(PARAGRAPHS)) and one["warnings"] == []
    assert one["article"]["title"] == "Story 1"  # the feed's metadata wins
    assert one["article"]["language"] == "en-gb"
    assert one["article"]["source_url"] == site.url("/story/1")
    assert one["source_sha256"] and two["source_sha256"] != one["source_sha256"]
    assert "HTTP 404" in three["warnings"][0]  # page missing: the feed's content, said so
    fetched = sorted(p for p, _ in site.requests)
    assert fetched == ["/feed.xml", "/story/1", "/story/2", "/story/3"]


def test_unreachable_url_is_one_error_record(tmp_path, fake_llm_env, site) -> None:
    fake_llm_env.responder = attribution_responder()
    out = tmp_path / "out.jsonl"
    story = site.url("/story/1")
    res = CliRunner().invoke(app, ["batch", story, site.url("/nothing"), "-o", str(out)])
    assert res.exit_code == 1  # one article failed, the other is done
    (done,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert done["id"] == story and done["report"]["article"]["origin"] == "url"
    errors = [json.loads(x) for x in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()]
    assert [e["id"] for e in errors] == [site.url("/nothing")]
    assert "HTTP 404" in errors[0]["message"]


def test_jsonl_records_with_html_and_metadata(tmp_path: Path) -> None:
    data = tmp_path / "cms.jsonl"
    rows = [
        {"id": "a", "html": FIXTURE.read_text("utf-8"), "published": "2025-06-03"},
        {"id": "b", "text": "Plain words, she said.", "url": "https://example.org/b",
         "title": "B", "author": "Jo"},
    ]  # fmt: skip
    data.write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
    a, b = collect([str(data)]).articles
    page = a.load_page()
    assert page.text.split("\n\n") == PARAGRAPHS and page.meta.published == "2025-06-03"
    assert page.meta.site_name == "The Harbour Gazette"
    plain = b.load_page()
    assert plain.text == "Plain words, she said."
    assert plain.meta.title == "B" and plain.meta.authors == ["Jo"]


def test_jsonl_url_records_are_fetched_when_processed(tmp_path: Path, site: PageServer) -> None:
    data = tmp_path / "links.jsonl"
    rows = [{"id": "s1", "url": site.url("/story/1"), "title": "From the CMS"}]
    data.write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
    (article,) = collect([str(data)]).articles
    assert site.requests == []  # nothing fetched while collecting
    page = article.load_page()
    assert page.text.split("\n\n") == PARAGRAPHS
    assert page.meta.title == "From the CMS" and page.meta.site_name == "The Harbour Gazette"
    (offline,) = collect([str(data)], offline=True).articles
    with pytest.raises(BadInput, match="offline"):
        offline.load_page()
