"""WARC: HTML 200 responses become articles (file#N); damage reported after the good records."""

from __future__ import annotations

import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sourcetrace.ingest import read_path
from sourcetrace.model.article import Article
from sourcetrace.model.errors import BadInputError


def _page(title: str, body: str, date: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    return (
        f"<html><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1>"
        f"<p>{body}</p></article></body></html>"
    ).encode()


PAGE_A = _page(
    "Tram line extended to the airport",
    "The Lindhaven tram line will reach the airport by next summer, the regional transport "
    "authority said on Wednesday, after the council released the last of the funding.",
    date="2023-03-01",
)
PAGE_B = _page(
    "Library reopens after flood",
    "The central library in Ostervik reopened on Saturday, eight months after a burst water "
    "main flooded its basement archive, head librarian Sunniva Dahl told visitors.",
)
PAGE_NAV = b"<html><body><nav><a href='/'>Home</a><a href='/sport'>Sport</a></nav></body></html>"
PAGE_D = _page(
    "Harbour cranes to be replaced",
    "All six container cranes at Port Valder will be replaced over the next four years, the "
    "port company said in a statement, in a project it expects to cost about 90 million.",
)


def _build(gzip: bool) -> tuple[bytes, list[int]]:
    """A small crawl; returns the bytes and the offset where each record starts."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    starts: list[int] = []

    def add(uri, rec_type, payload=b"", status="200 OK", ctype="text/html; charset=utf-8"):
        http = None
        if rec_type == "response":
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        starts.append(buf.tell())
        record = writer.create_warc_record(
            uri,
            rec_type,
            payload=io.BytesIO(payload),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2024-06-30T12:00:00Z"},
        )
        writer.write_record(record)

    starts.append(buf.tell())
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))
    add("https://news.example/tram", "request", b"GET /tram HTTP/1.1\r\n\r\n")  # 2
    add("https://news.example/tram", "response", PAGE_A)  # 3 -> article
    add("https://news.example/logo.png", "response", b"\x89PNG", ctype="image/png")  # 4
    add("https://news.example/gone", "response", PAGE_B, status="404 Not Found")  # 5
    add("https://news.example/library", "response", PAGE_B)  # 6 -> article
    add("https://news.example/", "response", PAGE_NAV)  # 7 -> no article
    add("https://news.example/cranes", "response", PAGE_D)  # 8 -> article
    return buf.getvalue(), starts


def _read(tmp_path, name: str, data: bytes) -> tuple[str, list[Article | BadInputError]]:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path), list(read_path(str(path)))


@pytest.mark.parametrize(("gzip", "name"), [(True, "crawl.warc.gz"), (False, "crawl.warc")])
def test_warc_html_responses_become_articles(tmp_path, gzip, name):
    data, _ = _build(gzip)
    path, results = _read(tmp_path, name, data)
    assert [r.path for r in results] == [f"{path}#3", f"{path}#6", f"{path}#7", f"{path}#8"]
    tram, library, nav, cranes = results
    assert isinstance(tram, Article)
    assert tram.metadata["url"] == "https://news.example/tram"
    assert tram.metadata["published"] == "2023-03-01"  # the page's own date wins
    assert tram.metadata["format"] == "warc"
    assert "regional transport authority said" in tram.text
    assert isinstance(library, Article)
    assert library.metadata["published"] == "2024-06-30"  # from WARC-Date
    assert library.text.startswith("Library reopens after flood\n")
    assert isinstance(nav, BadInputError)
    assert nav.reason == "HTML has no article text"
    assert isinstance(cranes, Article)
    assert len({r.path for r in results}) == len(results)


def test_warc_gz_truncated_keeps_records_before_damage(tmp_path):
    data, starts = _build(gzip=True)
    cut = starts[7] + (len(data) - starts[7]) // 2  # halfway into record 8
    path, results = _read(tmp_path, "crawl.warc.gz", data[:cut])
    assert [r.path for r in results] == [f"{path}#3", f"{path}#6", f"{path}#7", path]
    assert isinstance(results[0], Article) and isinstance(results[1], Article)
    last = results[-1]
    assert isinstance(last, BadInputError)
    assert last.reason == "truncated or corrupt WARC after record 7"


def test_warc_gz_missing_trailer_is_reported(tmp_path):
    data, _ = _build(gzip=True)
    path, results = _read(tmp_path, "crawl.warc.gz", data[:-4])
    assert isinstance(results[-1], BadInputError)
    assert results[-1].path == path
    assert results[-1].reason.startswith("truncated or corrupt WARC after record ")
    assert [r.path for r in results[:2]] == [f"{path}#3", f"{path}#6"]


def test_warc_gz_corrupt_member(tmp_path):
    data, starts = _build(gzip=True)
    damaged = bytearray(data)
    middle = (starts[5] + starts[6]) // 2  # inside record 6's compressed data
    damaged[middle : middle + 8] = b"\xde\xad\xbe\xef" * 2
    path, results = _read(tmp_path, "crawl.warc.gz", bytes(damaged))
    # The damaged record is skipped with an error; the file goes on after it.
    assert [r.path for r in results] == [f"{path}#3", f"{path}#6", f"{path}#7", f"{path}#8"]
    assert isinstance(results[1], BadInputError)
    assert results[1].reason.startswith("corrupt WARC record skipped (")
    assert isinstance(results[3], Article) and "Port Valder" in results[3].text


def test_warc_plain_truncated_inside_record(tmp_path):
    data, starts = _build(gzip=False)
    cut = starts[5] + (starts[6] - starts[5]) // 2  # halfway into record 6
    path, results = _read(tmp_path, "crawl.warc", data[:cut])
    assert [r.path for r in results] == [f"{path}#3", path]
    assert results[-1].reason == "truncated or corrupt WARC after record 5"


def test_warc_plain_truncated_inside_header(tmp_path):
    data, starts = _build(gzip=False)
    path, results = _read(tmp_path, "crawl.warc", data[: starts[5] + 40])
    assert [r.path for r in results] == [f"{path}#3", path]
    assert results[-1].reason == "truncated or corrupt WARC after record 5"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.warc.gz", b"", "empty file"),
        (
            "notes.warc",
            b"This is not a WARC file at all.\n",
            "truncated or corrupt WARC after record 0",
        ),
        ("junk.warc.gz", b"\x1f\x8b" + b"\x00" * 40, "truncated or corrupt WARC after record 0"),
    ],
)
def test_warc_bad_file_reasons(tmp_path, name, content, reason):
    path, results = _read(tmp_path, name, content)
    assert len(results) == 1
    assert isinstance(results[0], BadInputError)
    assert results[0].path == path
    assert results[0].reason == reason


def test_warc_missing_file(tmp_path):
    (result,) = read_path(str(tmp_path / "gone.warc.gz"))
    assert isinstance(result, BadInputError)
    assert result.reason == "no such file or directory"


def test_warc_unexpected_error_in_one_record_keeps_the_rest(tmp_path, monkeypatch):
    import sourcetrace.ingest.warc as warc_mod

    real = warc_mod.article_from_html

    def flaky(content, path, *args, **kwargs):
        if path.endswith("#6"):
            raise RuntimeError("odd page")
        return real(content, path, *args, **kwargs)

    monkeypatch.setattr(warc_mod, "article_from_html", flaky)
    data, _ = _build(gzip=True)
    path, results = _read(tmp_path, "crawl.warc.gz", data)
    assert [r.path for r in results] == [f"{path}#3", f"{path}#6", f"{path}#7", f"{path}#8"]
    assert results[1].reason == "unexpected error: RuntimeError: odd page"
    assert isinstance(results[3], Article)


def test_warc_plain_corrupt_records_are_skipped_and_reading_goes_on(tmp_path):
    data, starts = _build(gzip=False)
    damaged = bytearray(data)
    for rec in (5, 6):  # records 6 and 7 (0-based starts): their headers lose Content-Length
        at = damaged.find(b"Content-Length", starts[rec])
        damaged[at : at + 14] = b"Content-Lxngth"
    path, results = _read(tmp_path, "crawl.warc", bytes(damaged))
    assert [r.path for r in results] == [f"{path}#3", f"{path}#6", f"{path}#7", f"{path}#8"]
    assert [type(r).__name__ for r in results] == [
        "Article", "BadInputError", "BadInputError", "Article"
    ]
    assert results[1].reason.startswith("corrupt WARC record skipped (")
    assert "Port Valder" in results[3].text
