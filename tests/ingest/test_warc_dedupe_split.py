"""WARC: repeated payloads dropped, corrupt records skipped alone, records split by select."""

from __future__ import annotations

import gzip
import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sourcetrace.ingest import read_path
from sourcetrace.model.article import Article
from sourcetrace.model.errors import BadInputError


def _page(n: int) -> bytes:
    return (
        f"<html><head><title>Ferry timetable change {n}</title></head><body><article>"
        f"<h1>Ferry timetable change {n}</h1><p>The island ferry will run {n} extra crossings "
        f"each weekday from June, the harbour board of Kessel Sound said on Monday, after "
        f"complaints from commuters about crowded morning boats.</p></article></body></html>"
    ).encode()


def _warc(pages: list[tuple[str, bytes]], *, gz: bool) -> tuple[bytes, list[int]]:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    starts = []
    for url, body in pages:
        starts.append(buf.tell())
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                        http_headers=http)
        writer.write_record(rec)
    starts.append(buf.tell())
    return buf.getvalue(), starts


@pytest.mark.parametrize("gz", [True, False])
def test_duplicate_payload_digest_is_dropped(tmp_path, gz):
    data, _ = _warc(
        [("https://a.example/1", _page(1)), ("https://b.example/mirror", _page(1)),
         ("https://a.example/2", _page(2))],
        gz=gz,
    )
    path = tmp_path / ("c.warc.gz" if gz else "c.warc")
    path.write_bytes(data)
    results = list(read_path(str(path)))
    assert [r.path for r in results] == [f"{path}#1", f"{path}#3"]
    assert all(isinstance(r, Article) for r in results)


def test_member_with_unparseable_record_is_skipped_alone(tmp_path):
    data, starts = _warc([(f"https://a.example/{i}", _page(i)) for i in range(1, 4)], gz=True)
    junk = gzip.compress(b"WARC/1.0\r\nthis is not a header block\r\n\r\n")
    damaged = data[: starts[1]] + junk + data[starts[2] :]
    path = tmp_path / "j.warc.gz"
    path.write_bytes(damaged)
    results = list(read_path(str(path)))
    assert [r.path for r in results] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert isinstance(results[1], BadInputError)
    assert results[1].reason.startswith("corrupt WARC record skipped")
    assert isinstance(results[0], Article) and isinstance(results[2], Article)


@pytest.mark.parametrize("gz", [True, False])
def test_select_splits_records_without_overlap(tmp_path, gz):
    pages = [(f"https://a.example/{i}", _page(i)) for i in range(1, 8)]
    pages.insert(3, ("https://a.example/copy", _page(1)))  # a repeat: dropped in every share
    data, _ = _warc(pages, gz=gz)
    path = tmp_path / ("s.warc.gz" if gz else "s.warc")
    path.write_bytes(data)
    whole = [r.path for r in read_path(str(path))]
    shares = [
        [r.path for r in read_path(str(path), select=lambda n, k=k: (n - 1) % 3 == k)]
        for k in range(3)
    ]
    assert sorted(p for share in shares for p in share) == sorted(whole)
    assert f"{path}#4" not in whole
