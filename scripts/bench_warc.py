#!/usr/bin/env python3
"""Web-archive input measured: time and peak memory to collect and read every HTML capture of a
large generated WARC, beside reading the same file whole (the baseline), in one run.

    .venv/bin/python scripts/bench_warc.py [--pages 2000] [--videos 100] [--video-mb 10] [--gzip]

The archive (in a temporary folder, removed after) holds ``--pages`` generated news pages (the
project's own words, a few kilobytes each) with ``--videos`` binary responses of ``--video-mb``
between them. Each measurement runs in a fresh child process; peak memory is its ``ru_maxrss``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PAGE = """<!doctype html><html lang="en"><head><title>Story {n}</title>
<meta property="og:site_name" content="The Harbour Gazette"></head><body>
<nav><a href="/">Home</a> <a href="/local">Local</a></nav>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<article><h1>Council story number {n}</h1>
<p>The council met on day {n} to discuss the river bridge, which has been closed since the spring
floods damaged its east span, and heard from engineers about the repairs.</p>
<p>"We expect the crossing to be ready within six weeks," said Mayor Lena Okafor, speaking after
the meeting, which lasted {n} minutes longer than planned.</p>
<p>Residents of the east bank said trade on Quay Street had fallen since the bridge closed, and
several shopkeepers asked the council for help with their rents.</p>
</article><footer>All rights reserved</footer></body></html>"""


def build(path: Path, pages: int, videos: int, video_mb: int, gzip: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    video = os.urandom(video_mb * 1024 * 1024)
    every = max(1, pages // max(1, videos))
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        written = 0
        for n in range(pages):
            kinds = [("text/html; charset=utf-8", PAGE.format(n=n).encode(), f"story/{n}")]
            if n % every == 0 and written < videos:
                kinds.append(("video/mp4", video, f"video/{n}.mp4"))
                written += 1
            for ctype, body, where in kinds:
                http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    f"https://news.example.org/{where}",
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=http,
                )
                writer.write_record(record)


CHILD = {
    "stream": """
from quotecheck.batch import collect
got = collect([ARCHIVE])
t_scan = time.perf_counter() - t0
chars = sum(len(a.load_page().text) for a in got.articles)
result = {"articles": len(got.articles), "scan_s": t_scan, "chars": chars}
""",
    "whole": """
data = Path(ARCHIVE).read_bytes()
result = {"bytes": len(data)}
""",
}


def child(kind: str, archive: Path) -> dict:
    code = (
        "import json, resource, sys, time\nfrom pathlib import Path\n"
        f"sys.path.insert(0, {str(ROOT / 'src')!r})\nARCHIVE = {str(archive)!r}\n"
        "t0 = time.perf_counter(); c0 = time.process_time()\n"
        + CHILD[kind]
        + "result['seconds'] = time.perf_counter() - t0\n"
        "result['cpu_s'] = time.process_time() - c0\n"
        "result['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps(result))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--videos", type=int, default=100)
    ap.add_argument("--video-mb", type=int, default=10)
    ap.add_argument("--gzip", action="store_true", help="gzip every record (as crawlers do)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / ("bench.warc.gz" if args.gzip else "bench.warc")
        t0 = time.perf_counter()
        build(archive, args.pages, args.videos, args.video_mb, args.gzip)
        size_mb = archive.stat().st_size / 1024 / 1024
        print(f"archive: {size_mb:,.0f} MB, built in {time.perf_counter() - t0:.0f} s")
        results = {"archive_mb": size_mb, "stream": child("stream", archive)}
        results["whole"] = child("whole", archive)
        results["python_only"] = child("whole", Path(__file__))  # the interpreter alone
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), "utf-8")
    s, w = results["stream"], results["whole"]
    print(f"streamed: {s['articles']} articles, scan {s['scan_s']:.1f} s, all read "
          f"{s['seconds']:.1f} s ({1000 * s['cpu_s'] / s['articles']:.1f} ms CPU/article), "
          f"peak RSS {s['peak_rss_mb']:.0f} MB")  # fmt: skip
    print(f"baseline, file read whole: {w['seconds']:.1f} s, peak RSS {w['peak_rss_mb']:.0f} MB")
    print(f"interpreter alone: peak RSS {results['python_only']['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
