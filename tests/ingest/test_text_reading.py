"""Plain-text files: exact text, and one clear BadInputError per bad file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sourcetrace.ingest import article_from_text, read_path
from sourcetrace.ingest import text as text_mod
from sourcetrace.model.article import Article, article_id
from sourcetrace.model.errors import BadInputError

DATA = Path(__file__).parent.parent / "data" / "ingest"

ARTICLE = (
    "Bridge to close for repairs\r\n"
    "\r\n"
    "The Westhaven harbour bridge will close for six weeks, the transport office said.\r\n"
    "Tabs\tand\x0cform feeds and \u2028line separators stay as they are.\n"
    "Shop owners said the timing could hardly be worse.\r"
    "Northwind Wire - 3 March 2015\n"
)


def _one(path: Path | str) -> Article | BadInputError:
    results = list(read_path(str(path)))
    assert len(results) == 1
    return results[0]


def _reason(path: Path | str) -> str:
    result = _one(path)
    assert isinstance(result, BadInputError), result
    assert result.path == str(path)
    return result.reason


def test_text_file_is_decoded_bytes_exactly(tmp_path):
    raw = ("\ufeff" + ARTICLE).encode("utf-8")
    path = tmp_path / "bridge.txt"
    path.write_bytes(raw)
    article = _one(path)
    assert isinstance(article, Article)
    assert article.text == raw.decode("utf-8")  # CRLF, CR, BOM, \x0c, \u2028 all kept
    assert article.path == str(path)
    assert article.id == article_id(article.text, str(path))
    assert article.metadata["bom"] is True
    assert article.metadata["title"] == "Bridge to close for repairs"
    assert article.metadata["published"] == "2015-03-03"
    assert article.metadata["outlet"] == "Northwind Wire"
    (dateline,) = article.excluded
    assert article.text[dateline.start : dateline.end] == "Northwind Wire - 3 March 2015"


def test_text_non_excluded_text_is_untouched():
    raw = (DATA / "harbour_bridge.txt").read_bytes()
    article = _one(DATA / "harbour_bridge.txt")
    assert article.text == raw.decode("utf-8")
    kept = []
    pos = 0
    for e in article.excluded:
        kept.append(article.text[pos : e.start])
        pos = e.end
    kept.append(article.text[pos:])
    joined = "".join(kept)
    assert "Olu Baptiste told reporters" in joined
    assert "Related posts" not in joined and "Leave a Reply" not in joined
    # every body paragraph survives whole, at its original offset
    for para in raw.decode("utf-8").split("\n"):
        if len(para.split()) > 20:
            start = article.text.index(para)
            assert not any(e.start < start + len(para) and start < e.end for e in article.excluded)


def test_text_article_from_text_given_metadata_wins():
    article = article_from_text(
        "Northwind Wire - 3 March 2015\n\nBridge to close\n\nThe bridge will close.",
        path="x",
        metadata={"published": "2015-03-04", "id": "abc"},
    )
    assert article.id == "abc"
    assert article.path == "x"
    assert article.metadata == {
        "published": "2015-03-04",
        "outlet": "Northwind Wire",
        "title": "Bridge to close",
    }


def test_text_article_from_text_default_path_and_id():
    article = article_from_text("The bridge will close for six weeks, the office said.")
    assert article.path == "<text>"
    assert article.id == article_id(article.text, "<text>")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n  \n", "whitespace-only file"),
        ("\ufeff\n\n".encode(), "whitespace-only file"),
        (b"Bridge\x00closes\x00" * 10, "binary file, not text"),
        (bytes(range(1, 32)) * 50, "binary file, not text"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256)) * 20, "binary file, not text"),
        ("Bridge to close".encode("utf-16"), "UTF-16 text, not UTF-8"),
        (b"The caf\xe9 on Quay Street will close.", "invalid UTF-8 at byte 7"),
        (b"Bridge closes.\n" * 3 + b"\xc3", "invalid UTF-8 at byte 45"),
    ],
)
def test_text_bad_file_reasons(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert _reason(path) == reason


def test_text_too_large_single_line(tmp_path):
    path = tmp_path / "one_line.txt"
    n = text_mod.MAX_TEXT_CHARS + 1
    path.write_bytes(b"a" * n)
    assert _reason(path) == f"text too large ({n} chars > 2000000 limit)"


def test_text_too_large_refused_from_size_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    assert _reason(path) == "file too large (52428800 bytes > 8000000 byte limit)"
    assert opened == []


def test_text_missing_file(tmp_path):
    assert _reason(tmp_path / "nope.txt") == "no such file or directory"


def test_text_broken_symlink(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "target.txt")
    assert _reason(link) == "no such file or directory"


def test_text_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("Bridge to close.\n")
    path.chmod(0)
    if os.access(path, os.R_OK):  # running as root: permissions do not bite, simulate
        real_open = open

        def deny(file, *args, **kwargs):
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr("builtins.open", deny)
    try:
        assert _reason(path) == "permission denied"
    finally:
        path.chmod(0o644)


def test_text_unknown_extension_read_as_text(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("The bridge will close for six weeks, the office said.\n")
    article = _one(path)
    assert isinstance(article, Article)
    assert article.metadata["format"] == "text"
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200))
    # Named explicitly with a type sourcetrace does not read: the reason lists what it reads.
    assert _reason(binary).startswith("binary file, not text; sourcetrace reads .txt")
    assert ".pdf" in _reason(binary)
