"""What a newcomer tries first (issue 22): --version, refused output extensions, PDF and
folders of other files, --outlet/--published/--meta, URLs and feeds, ``fetch``, help."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import docx
import pytest
from fake_pipeline import error_lines, invoke, read_records

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))
from test_pdf_docx import LINES, make_pdf  # noqa: E402
from webserver import Page, article_html, serve  # noqa: E402

from sourcetrace.cli import app  # noqa: E402

BODY = (
    '"The tide gauges are broken," said Ilse Marr, who runs the harbour office at '
    "Lindqvist Bay and has asked the council twice for money to replace them this year."
)


def test_version(fake):
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.startswith("sourcetrace ")


def test_unknown_output_extension_is_refused_before_any_work(fake):
    result = invoke("analyze", "harbour.txt", "-o", "out.xlsx")
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert line.startswith("error: out.xlsx: unknown output extension")
    assert ".jsonl" in line and ".csv" in line and ".html" in line
    assert not Path("out.xlsx").exists() and fake.created == []
    # Named explicitly, any file name will do.
    assert invoke("analyze", "harbour.txt", "-o", "out.xlsx", "-f", "jsonl").exit_code == 0


def test_bad_date_is_refused_before_the_pipeline_is_built(fake):
    result = invoke("analyze", "harbour.txt", "--published", "last tuesday")
    assert result.exit_code == 2 and fake.created == []
    assert error_lines(result) == [
        "error: --published: 'last tuesday' is not a date (use YYYY-MM-DD)"]


def test_only_bad_inputs_never_load_the_models(fake, tmp_path):
    (tmp_path / "sheet.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    result = invoke("analyze", "sheet.xlsx", "missing.txt", "-o", "out.jsonl")
    assert result.exit_code == 3
    assert all(p.seen == [] for p in fake.created)  # nothing reached the pipeline
    assert "sourcetrace reads .txt" in error_lines(result)[0]


def test_a_folder_of_only_unsupported_files_exits_3(fake, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(b"PK")
    result = invoke("analyze", "inbox", "-o", "out.jsonl")
    assert result.exit_code == 3
    (line,) = error_lines(result)
    assert line.startswith("error: inbox: no article files in this folder (1 file of other")


def test_pdf_and_docx_are_analysed(fake, tmp_path):
    (tmp_path / "release.pdf").write_bytes(make_pdf([BODY[:60], BODY[60:]]))
    document = docx.Document()
    document.add_paragraph(BODY)
    document.save(str(tmp_path / "note.docx"))
    result = invoke("analyze", "release.pdf", "note.docx", "-o", "out.jsonl")
    assert result.exit_code == 0, result.stderr
    records = read_records()
    assert [r["metadata"]["format"] for r in records] == ["pdf", "docx"]
    assert records[1]["attributions"][0]["source"]["text"] == "Ilse Marr"
    assert LINES  # the PDF helper is shared with the ingest tests


def test_outlet_and_published_fill_only_what_is_missing(fake, tmp_path):
    (tmp_path / "dated.jsonl").write_text(json.dumps(
        {"text": BODY, "outlet": "Bay Courier", "published": "2024-01-02"}) + "\n")
    result = invoke("analyze", "harbour.txt", "dated.jsonl", "-o", "out.jsonl",
                    "--outlet", "Harbour Wire", "--published", "2025-05-06")
    assert result.exit_code == 0, result.stderr
    plain, dated = read_records()
    assert (plain["metadata"]["outlet"], plain["metadata"]["published"]) == (
        "Harbour Wire", "2025-05-06")
    assert (dated["metadata"]["outlet"], dated["metadata"]["published"]) == (
        "Bay Courier", "2024-01-02")


def test_meta_csv_gives_each_file_its_outlet_date_and_url(fake, tmp_path):
    (tmp_path / "meta").mkdir()
    (tmp_path / "meta" / "sources.csv").write_text(
        "path,outlet,published,url\n"
        "../harbour.txt,Harbour Wire,2025-05-06,https://harbour.example/gauges\n"
        "../orchard.txt,Orchard News,2025-04-01,\n")
    result = invoke("analyze", "harbour.txt", "orchard.txt", "library.txt", "-o", "out.jsonl",
                    "--meta", "meta/sources.csv")
    assert result.exit_code == 0, result.stderr
    harbour, orchard, library = (r["metadata"] for r in read_records())
    assert harbour["outlet"] == "Harbour Wire" and harbour["url"].endswith("/gauges")
    assert orchard["published"] == "2025-04-01" and "url" not in orchard
    assert "outlet" not in library


def test_meta_csv_with_a_bad_header_is_one_line(fake, tmp_path):
    (tmp_path / "m.csv").write_text("file,outlet\nharbour.txt,X\n")
    result = invoke("analyze", "harbour.txt", "--meta", "m.csv")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "error: m.csv: no 'path' column (header: path,outlet,published,url)"]


def test_a_url_and_a_failing_url_in_one_batch(fake):
    pages = {"/story": Page(article_html("Gauges broken", BODY, "Bay Courier")),
             "/slow": Page(article_html("Late", BODY), delay=2.0)}
    with serve(pages) as site:
        result = invoke("analyze", site.url("/slow"), site.url("/story"), site.url("/gone"),
                        "-o", "out.jsonl", "--timeout", "0.5")
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"error: {site.url('/slow')}: timed out after 0.5 s",
        f"error: {site.url('/gone')}: HTTP 404 Not Found",
    ]
    (record,) = read_records()
    assert record["path"] == site.url("/story")
    assert record["metadata"]["outlet"] == "Bay Courier"
    assert record["attributions"][0]["source"]["text"] == "Ilse Marr"


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Bay Courier</title>
<item><title>Gauges</title><link>{base}/a</link><pubDate>Tue, 04 Mar 2025 09:30:00 GMT</pubDate>
</item><item><title>Gone</title><link>{base}/gone</link></item></channel></rss>"""


def test_fetch_writes_article_jsonl_that_analyze_reads(fake):
    pages = {"/a": Page(f"<html><body><article><p>{BODY}</p></article></body></html>".encode())}
    with serve(pages) as site:
        site.pages["/feed"] = Page(RSS.format(base=site.base).encode(), "application/rss+xml")
        result = invoke("fetch", site.url("/feed"), "-o", "articles.jsonl")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {site.url('/gone')}: HTTP 404 Not Found"
    assert lines[-1].startswith("1 article, 1 failed, in ") and lines[-1].endswith(
        "-> articles.jsonl")
    (article,) = read_records("articles.jsonl")
    assert article["url"] == site.url("/a") and article["outlet"] == "Bay Courier"
    assert article["published"] == "2025-03-04T09:30:00Z" and BODY in article["text"]
    # The fetched file is an input like any other, offline.
    assert invoke("analyze", "articles.jsonl", "-o", "out.jsonl").exit_code == 0
    (record,) = read_records()
    assert record["metadata"]["url"] == site.url("/a")
    assert record["attributions"][0]["source"]["text"] == "Ilse Marr"


def test_fetch_refuses_a_non_jsonl_output(fake):
    result = invoke("fetch", "https://example.invalid/", "-o", "articles.csv")
    assert result.exit_code == 2
    assert error_lines(result) == ["error: articles.csv: fetch writes article JSONL (.jsonl)"]


def _commands(group, prefix=()):
    import typer.main

    cmd = typer.main.get_command(group)
    stack = [(prefix, cmd)]
    while stack:
        path, c = stack.pop()
        yield path
        for name, sub in getattr(c, "commands", {}).items():
            stack.append(((*path, name), sub))


@pytest.mark.parametrize("command", list(_commands(app)))
def test_help_shows_no_python_types(fake, command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "<list[" not in result.stdout and "<str>" not in result.stdout.split("Options:")[0]


def test_corpus_commands_say_a_jsonl_file_is_not_a_corpus(fake, tmp_path):
    Path("out.jsonl").write_text('{"id": "x"}\n')
    result = invoke("corpus", "claims", "--db", "out.jsonl")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "error: out.jsonl: not a readable DuckDB corpus: another kind of file, not what "
        "'sourcetrace corpus build' writes; make one from it: sourcetrace corpus build "
        "out.jsonl --db corpus.duckdb"]


def test_corpus_build_gives_outlet_and_date_to_articles_without(fake, tmp_path):
    import duckdb

    pages = {"/a": Page(f"<html><body><article><p>{BODY}</p></article></body></html>".encode())}
    with serve(pages) as site:
        site.pages["/feed"] = Page(RSS.format(base=site.base).encode(), "application/rss+xml")
        result = invoke("corpus", "build", "harbour.txt", "orchard.txt", site.url("/feed"),
                        "--db", "c.duckdb", "--embedder", "hashing", "--fast",
                        "--outlet", "Harbour Wire", "--published", "2025-05-06")
    assert result.exit_code == 1, result.output  # the feed's second item is a 404
    con = duckdb.connect("c.duckdb", read_only=True)
    try:
        rows = con.execute("SELECT path, outlet, published FROM articles ORDER BY seq").fetchall()
    finally:
        con.close()
    assert [(r[1], str(r[2])[:10]) for r in rows] == [
        ("Harbour Wire", "2025-05-06"), ("Harbour Wire", "2025-05-06"),
        ("Bay Courier", "2025-03-04")]  # the feed item keeps the feed's outlet and date
    assert rows[2][0] == site.url("/a")
