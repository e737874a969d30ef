"""JSONL: one article per line, bad lines reported as file#N, the rest still come out."""

from __future__ import annotations

import json

import pytest

from sourcetrace.ingest import read_path
from sourcetrace.ingest import text as text_mod
from sourcetrace.model.article import Article, article_id
from sourcetrace.model.errors import BadInputError

TEXT = (
    "Quarry expansion approved\n\nThe Dunmore planning board approved the quarry expansion "
    "on Thursday, board chair Petra Holm said."
)
HTML = (
    "<html><head><title>Quarry expansion approved</title></head><body><article>"
    "<p>The Dunmore planning board approved the quarry expansion on Thursday after a "
    "four-hour hearing, board chair Petra Holm said, ending a dispute that began in 2019.</p>"
    "</article></body></html>"
)


def _write(tmp_path, lines: list[str | bytes]):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        b"".join((ln if isinstance(ln, bytes) else ln.encode()) + b"\n" for ln in lines)
    )
    return str(path)


def test_jsonl_mixed_good_and_bad_lines(tmp_path):
    path = _write(
        tmp_path,
        [
            json.dumps(
                {"text": TEXT, "url": "https://dunmore.example/q", "outlet": "Dunmore Post"}
            ),
            "",
            "{not json",
            json.dumps(["a", "list"]),
            json.dumps({"url": "https://dunmore.example/empty"}),
            json.dumps({"html": HTML, "id": 42, "published": "2022-05-05"}),
            json.dumps({"text": "   ", "html": ""}),
            json.dumps({"text": 7}),
            b'{"text": "caf\xe9"}',
        ],
    )
    results = list(read_path(path))
    assert [r.path for r in results] == [f"{path}#{n}" for n in (1, 3, 4, 5, 6, 7, 8, 9)]

    first = results[0]
    assert isinstance(first, Article)
    assert first.text == TEXT
    assert first.id == article_id(TEXT, f"{path}#1")
    assert first.metadata["url"] == "https://dunmore.example/q"
    assert first.metadata["outlet"] == "Dunmore Post"
    assert first.metadata["title"] == "Quarry expansion approved"  # lifted from the text
    assert first.metadata["format"] == "jsonl"

    html_article = results[4]
    assert isinstance(html_article, Article)
    assert html_article.id == "42"
    assert html_article.metadata["published"] == "2022-05-05"
    assert html_article.text.startswith("Quarry expansion approved\n\nThe Dunmore planning board")

    reasons = [r.reason for r in results if isinstance(r, BadInputError)]
    with open(path, "rb") as f:
        bad_byte = f.read().index(b"\xe9")  # the offset is into the file
    assert reasons == [
        "not JSON (Expecting property name enclosed in double quotes at column 2)",
        "not a JSON object (got list)",
        'neither "text" nor "html"',
        'neither "text" nor "html"',
        '"text" is not a string',
        f"invalid UTF-8 at byte {bad_byte}",
    ]


def test_jsonl_title_field_is_metadata_only(tmp_path):
    body = "The board approved the quarry expansion on Thursday, chair Petra Holm said."
    path = _write(tmp_path, [json.dumps({"text": body, "title": "Quarry approved"})])
    (article,) = read_path(path)
    assert article.text == body
    assert article.metadata["title"] == "Quarry approved"


def test_jsonl_html_without_article_is_bad_line(tmp_path):
    path = _write(
        tmp_path,
        [
            json.dumps({"html": "<html><body><nav>Home</nav></body></html>"}),
            json.dumps({"text": TEXT}),
        ],
    )
    bad, good = read_path(path)
    assert isinstance(bad, BadInputError) and bad.path == f"{path}#1"
    assert bad.reason == "HTML has no article text"
    assert isinstance(good, Article) and good.path == f"{path}#2"


def test_jsonl_oversized_line_skipped_cheaply(tmp_path, monkeypatch):
    monkeypatch.setattr(text_mod, "MAX_FILE_BYTES", 1000)
    path = _write(tmp_path, [json.dumps({"text": "x " * 5000}), json.dumps({"text": TEXT})])
    bad, good = read_path(path)
    assert isinstance(bad, BadInputError) and bad.path == f"{path}#1"
    assert bad.reason == "line too large (> 1000 byte limit)"
    assert isinstance(good, Article) and good.path == f"{path}#2"


def test_jsonl_text_over_char_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(text_mod, "MAX_TEXT_CHARS", 50)
    path = _write(tmp_path, [json.dumps({"text": TEXT})])
    (bad,) = read_path(path)
    assert bad.reason == f"text too large ({len(TEXT)} chars > 50 limit)"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"\n\n  \n", "whitespace-only file"),
        (b'{"text": "a\x00b"}\x00\x00', "binary file, not text"),
    ],
)
def test_jsonl_whole_file_reasons(tmp_path, content, reason):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(content)
    (result,) = read_path(str(path))
    assert isinstance(result, BadInputError)
    assert result.path == str(path)
    assert result.reason == reason


def test_jsonl_crlf_line_endings(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        json.dumps({"text": TEXT}).encode() + b"\r\n\r\n" + json.dumps({"text": TEXT}).encode()
    )
    results = list(read_path(str(path)))
    assert [r.path for r in results] == [f"{path}#1", f"{path}#3"]
    assert all(isinstance(r, Article) and r.text == TEXT for r in results)
