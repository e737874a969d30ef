"""HTML: trafilatura body + metadata, baseline fallback, no-article pages refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura

from sourcetrace.ingest import read_path
from sourcetrace.ingest.html import article_from_html
from sourcetrace.model.article import Article, article_id
from sourcetrace.model.errors import BadInputError

DATA = Path(__file__).parent.parent / "data" / "ingest"
PAGE = DATA / "bridge_page.html"

NAV_ONLY = b"""<html><head><title>The Coastal Ledger</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/weather">Weather</a></li></ul></nav>
<footer>Contact us</footer></body></html>"""

NO_H1 = """<html><head><title>Ferry fares frozen for another year</title></head><body>
<article><p>Ferry fares across the Westhaven network will stay at their current level for
another year, the operator Brightwater Lines said on Friday, pointing to lower fuel prices and
strong summer ticket sales.</p>
<p>Passenger groups welcomed the freeze but said timetables still needed work.</p>
</article></body></html>"""


def test_html_file_body_and_metadata():
    (article,) = read_path(str(PAGE))
    assert isinstance(article, Article)
    assert article.path == str(PAGE)
    assert article.id == article_id(article.text, str(PAGE))
    # title first, then a blank line, then the body; navigation and footer dropped
    assert article.text.startswith("Harbour bridge to shut for six weeks of repairs\n\n")
    assert "Olu Baptiste told reporters" in article.text
    assert "Sport" not in article.text and "All rights reserved" not in article.text
    assert article.metadata["title"] == "Harbour bridge to shut for six weeks of repairs"
    assert article.metadata["published"] == "2021-04-12"
    assert article.metadata["author"] == "Mara Lindqvist"
    assert article.metadata["outlet"] == "The Coastal Ledger"
    assert article.metadata["format"] == "html"


def test_html_title_not_doubled_when_body_starts_with_it():
    html = NO_H1.replace("<article>", "<article><h1>Ferry fares frozen for another year</h1>")
    article = article_from_html(html, "ferry.html")
    assert article.text.startswith("Ferry fares frozen for another year\n")
    assert article.text.count("Ferry fares frozen for another year") == 1


def test_html_title_prepended_when_missing_from_body():
    article = article_from_html(NO_H1, "ferry.html")
    assert article.text.startswith("Ferry fares frozen for another year\n\nFerry fares across")


def test_html_given_metadata_wins_and_defaults_lose():
    article = article_from_html(
        NO_H1,
        "crawl.warc.gz#3",
        {"url": "https://ledger.example/ferry", "title": "Given title"},
        defaults={"published": "2001-01-01", "outlet": "Fallback outlet"},
    )
    assert article.metadata["url"] == "https://ledger.example/ferry"
    assert article.metadata["title"] == "Given title"
    assert article.metadata["published"] == "2001-01-01"  # the page has no date of its own
    assert article.text.startswith("Ferry fares frozen")  # the extracted title is the headline


def test_html_no_article_is_bad_input(tmp_path):
    path = tmp_path / "index.html"
    path.write_bytes(NAV_ONLY)
    (result,) = read_path(str(path))
    assert isinstance(result, BadInputError)
    assert result.reason == "HTML has no article text"
    assert str(result) == f"{path}: HTML has no article text"


def test_html_baseline_fallback_when_trafilatura_finds_nothing(monkeypatch):
    calls = []

    def nothing(*args, **kwargs):
        calls.append(1)
        return None

    monkeypatch.setattr(trafilatura, "bare_extraction", nothing)
    article = article_from_html(NO_H1, "ferry.html")
    assert calls == [1]
    assert "Brightwater Lines said on Friday" in article.text


def test_html_trafilatura_crash_falls_back(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(trafilatura, "bare_extraction", boom)
    article = article_from_html(NO_H1, "ferry.html")
    assert "Brightwater Lines" in article.text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n", "whitespace-only file"),
        (b"<html>\x00\x00\x00\x00binary</html>", "binary file, not text"),
    ],
)
def test_html_bad_file_reasons(tmp_path, content, reason):
    path = tmp_path / "page.htm"
    path.write_bytes(content)
    (result,) = read_path(str(path))
    assert isinstance(result, BadInputError)
    assert result.reason == reason


@pytest.mark.parametrize("encoding", ["cp1251", "utf-16"])
def test_html_other_encodings_are_decoded(tmp_path, encoding):
    body = (
        "Городской совет Вестхейвена в понедельник одобрил ремонт моста, сообщил представитель "
        "транспортного управления, добавив, что паромы будут ходить каждые двадцать минут."
    )
    page = (
        f'<html><head><meta charset="{encoding}"><title>Ремонт моста одобрен</title></head>'
        f"<body><article><p>{body}</p></article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(encoding))
    (article,) = read_path(str(path))
    assert isinstance(article, Article)
    assert body in article.text
