"""Decompression bombs in .warc.gz: bounded time and memory, one error naming file#record,
and the good records around a bomb still come out."""

from __future__ import annotations

import io
import resource
import time
import zlib

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sourcetrace.ingest import read_path
from sourcetrace.ingest.warc import MAX_INFLATE_BYTES
from sourcetrace.model.article import Article
from sourcetrace.model.errors import BadInputError

BOMB_BYTES = MAX_INFLATE_BYTES + (64 << 20)  # inflates past the cap; ~70 KB compressed
PAGE = (
    b"<html><head><title>Ferry timetable changes</title></head><body><article>"
    b"<h1>Ferry timetable changes</h1><p>The island ferry will sail twice an hour from May, "
    b"the operator Brennholm Lines said on Friday, after a year of complaints from "
    b"commuters about crowded morning crossings.</p></article></body></html>"
)


def _member(prefix: bytes, zeros: int) -> bytes:
    """One gzip member: ``prefix`` then ``zeros`` zero bytes, compressed as they stream."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [z.compress(prefix)]
    block = b"\0" * (1 << 20)
    for _ in range(zeros >> 20):
        out.append(z.compress(block))
    out.append(z.flush())
    return b"".join(out)


def _good_record(uri: str, page: bytes = PAGE) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        uri, "response", payload=io.BytesIO(page), http_headers=http))
    return buf.getvalue()


def _bomb_record() -> bytes:
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:bomb>\r\n"
            b"Content-Type: application/http; msgtype=response\r\n"
            b"Content-Length: %d\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
            % BOMB_BYTES)
    return _member(head, BOMB_BYTES)


def _read(tmp_path, data: bytes) -> tuple[list[Article | BadInputError], float]:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data)
    started = time.perf_counter()
    items = list(read_path(str(path)))
    return items, time.perf_counter() - started


def test_warc_bomb_of_zeros_is_one_line_not_a_hang(tmp_path):
    items, seconds = _read(tmp_path, _member(b"", BOMB_BYTES))
    assert [type(i) for i in items] == [BadInputError]
    assert "not a WARC file" in str(items[0]) and "\n" not in str(items[0])
    assert seconds < 30  # before the cap this size took minutes (time grew with size squared)


def test_warc_bomb_record_between_good_ones_names_its_record(tmp_path):
    other = PAGE.replace(b"twice an hour", b"every twenty minutes")  # not a repeated payload
    data = _good_record("https://a.example/1") + _bomb_record() + _good_record(
        "https://a.example/3", other)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    items, seconds = _read(tmp_path, data)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, BadInputError)]
    assert [a.metadata.get("url") for a in articles] == ["https://a.example/1",
                                                        "https://a.example/3"]
    assert len(errors) == 1 and str(errors[0]).split(":")[0].endswith("crawl.warc.gz#2")
    assert "inflates past" in str(errors[0])
    assert seconds < 30 and grown_mb < 400  # the bomb never lands in memory whole


def test_warc_bomb_as_first_record_of_one_stream_stops_in_one_line(tmp_path):
    items, seconds = _read(tmp_path, _bomb_record())
    assert len(items) == 1 and isinstance(items[0], BadInputError)
    assert seconds < 30
