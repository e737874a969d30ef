"""WARC reading speed: warcio vs FastWARC on the same generated crawl (prints figures).

Measured in one run, on one gzip WARC of invented pages (HTML 200 responses mixed with
requests, 404s and images, as a crawl has them):

  (a) warcio: ArchiveIterator, keep HTML 200 responses, read their payload;
  (b) FastWARC: the same filter and payload read (only if ``fastwarc`` is installed);
  (c) sourcetrace's reader (``ingest.warc.read_warc_file``) without the HTML extraction,
      i.e. member framing + dedupe + the checks, with ``select`` refusing every record;
  (d) for scale: ``read_warc_file`` with trafilatura extraction on, and the rule-only
      analysis of the articles (``Pipeline(fast=True)``), per record.

Medians of ``--repeats`` runs. Run from the repository root:

    python benchmarks/warc_readers.py --records 3000
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

WORDS = ("harbour", "council", "ferry", "budget", "minister", "river", "school", "market")


def build_warc(path: Path, n: int) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = 0
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        for i in range(n):
            kind = i % 4
            url = f"https://news.example/{i}"
            if kind == 0:
                get = io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
                req = w.create_warc_record(url, "request", payload=get)
                w.write_record(req)
                continue
            status, ctype = ("404 Not Found", "text/html") if kind == 3 else ("200 OK", "text/html")
            if i % 10 == 9:
                ctype = "image/png"
            words = " ".join(WORDS[(i + j) % len(WORDS)] for j in range(300))
            body = (f"<html><head><title>Story {i}</title></head><body><article><h1>Story {i}"
                    f"</h1><p>The {words}, officials said on day {i}.</p></article></body></html>")
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = w.create_warc_record(url, "response", payload=io.BytesIO(body.encode()),
                                       http_headers=http)
            w.write_record(rec)
            pages += status.startswith("200") and ctype == "text/html"
    return pages


def with_warcio(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    with open(path, "rb") as f:
        for rec in ArchiveIterator(f):
            if rec.rec_type != "response" or rec.http_headers.get_statuscode() != "200":
                continue
            if not (rec.http_headers.get_header("Content-Type") or "").startswith("text/html"):
                continue
            n += bool(rec.content_stream().read())
    return n


def with_fastwarc(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    n = 0
    with open(path, "rb") as f:
        for rec in ArchiveIterator(f, record_types=WarcRecordType.response, parse_http=True):
            if rec.http_headers.status_code != 200:
                continue
            if not (rec.http_content_type or "").startswith("text/html"):
                continue
            n += bool(rec.reader.read())
    return n


def with_sourcetrace_framing(path: Path) -> int:
    from sourcetrace.ingest.warc import read_warc_file

    return sum(1 for _ in read_warc_file(str(path), select=lambda _n: False))


def with_extraction(path: Path) -> list:
    from sourcetrace.ingest.warc import read_warc_file

    return [a for a in read_warc_file(str(path)) if not isinstance(a, Exception)]


def timed(fn, *args, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn(*args)
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=3000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.warc.gz"
        pages = build_warc(path, args.records)
        print(f"input: {args.records} records, {pages} HTML 200 pages, "
              f"{path.stat().st_size / 1e6:.1f} MB gzip")
        t_wio, n_wio = timed(with_warcio, path, repeats=args.repeats)
        rate = args.records / t_wio
        print(f"(a) warcio     {t_wio:7.3f} s  {rate:9.0f} records/s  pages={n_wio}")
        try:
            t_fw, n_fw = timed(with_fastwarc, path, repeats=args.repeats)
            print(f"(b) FastWARC   {t_fw:7.3f} s  {args.records / t_fw:9.0f} records/s  "
                  f"pages={n_fw}  speed-up vs warcio {t_wio / t_fw:.1f}x")
        except ImportError:  # not a dependency: measured only where installed
            print("(b) FastWARC   not installed")
        t_st, _ = timed(with_sourcetrace_framing, path, repeats=args.repeats)
        print(f"(c) sourcetrace framing+dedupe {t_st:7.3f} s  {args.records / t_st:9.0f} records/s")
        sample = Path(tmp) / "sample.warc.gz"
        build_warc(sample, 200)
        t_ex, arts = timed(with_extraction, sample, repeats=1)
        from sourcetrace.pipeline import Pipeline

        pipe = Pipeline(fast=True)
        list(pipe.analyze_many(arts[:5]))  # load the model outside the timing
        t = time.perf_counter()
        list(pipe.analyze_many(arts))
        t_an = time.perf_counter() - t
        per_wio = t_wio / args.records * 1e3
        print(f"(d) per record: warcio {per_wio:.3f} ms, extraction {t_ex / 200 * 1e3:.2f} ms, "
              f"analysis --fast {t_an / max(1, len(arts)) * 1e3:.2f} ms per article")
    return 0


if __name__ == "__main__":
    sys.exit(main())
