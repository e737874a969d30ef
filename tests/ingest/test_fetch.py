"""Fetching URLs, URL lists and RSS/Atom feeds from a local server (127.0.0.1 only)."""

from __future__ import annotations

import pytest
from webserver import Page, article_html, serve

from sourcetrace.ingest import FetchOptions, iter_articles
from sourcetrace.model.article import Article
from sourcetrace.model.errors import BadInputError

BODY = (
    "The river authority said on Tuesday that the flood barrier at Lindqvist Bay would "
    "close for repairs after engineers found cracks in two of its gates.\n"
    "Residents were told the closure would last three weeks, according to a notice "
    "posted at the town hall, and that pumps would be on standby."
)
SMALL = FetchOptions(timeout=0.5, max_bytes=50_000, max_redirects=3)


def _read(*paths, options=SMALL):
    return list(iter_articles(list(paths), fetch=options))


def test_a_page_becomes_an_article_with_its_metadata():
    pages = {"/story": Page(article_html("Barrier to close", BODY, "Bay Courier"))}
    with serve(pages) as site:
        (article,) = _read(site.url("/story"))
    assert isinstance(article, Article)
    assert article.path == site.url("/story")
    assert "cracks in two of its gates" in article.text
    assert article.metadata["url"] == site.url("/story")
    assert article.metadata["outlet"] == "Bay Courier"
    assert article.metadata["published"].startswith("2025-03-04")
    assert site.agents[0].startswith("sourcetrace/") and "news attribution" in site.agents[0]


def test_outlet_falls_back_to_the_domain():
    pages = {"/s": Page(article_html("Barrier to close", BODY))}
    with serve(pages) as site:
        (article,) = _read(site.url("/s"))
    assert article.metadata["outlet"].startswith("127.0.0.1")  # the host, no site name


@pytest.mark.parametrize(
    "page, reason",
    [
        (Page(b"", status=302, location="/loop"), "more than 3 redirects"),
        (Page(b"x" * 200_000), "response too large"),
        (Page(b"gone", "text/plain", 404), "HTTP 404"),
        (Page(article_html("Late", BODY), delay=2.0), "timed out after 0.5 s"),
        (Page(b"", status=301, location="ftp://127.0.0.1/x"), "redirected off http(s)"),
        (Page(b"\x89PNG\r\n\x1a\n", "image/png"), "unsupported content type image/png"),
    ],
)
def test_each_failed_url_is_one_error_and_the_batch_goes_on(page, reason):
    pages = {"/loop": page, "/good": Page(article_html("Barrier", BODY))}
    with serve(pages) as site:
        bad, good = _read(site.url("/loop"), site.url("/good"))
    assert isinstance(bad, BadInputError) and bad.path == site.url("/loop")
    assert reason in bad.reason
    assert isinstance(good, Article)


def test_connection_refused_is_one_error():
    with serve({}) as site:
        url = site.url("/x")
    (error,) = _read(url)
    assert isinstance(error, BadInputError) and "cannot fetch" in error.reason


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Bay Courier</title><link>{base}/</link>
<item><title>Barrier to close</title><link>{base}/a</link>
<pubDate>Tue, 04 Mar 2025 09:30:00 GMT</pubDate></item>
<item><title>Missing</title><link>{base}/missing</link></item>
<item><title>Relative</title><link>/b</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Wire</title>
<entry><title>Gates cracked</title><link href="{base}/a"/>
<updated>2025-02-01T08:00:00Z</updated><id>urn:1</id></entry></feed>"""


def _plain_page(title):  # no date and no site name: the feed's are used
    return f"<html><body><article><h1>{title}</h1><p>{BODY}</p></article></body></html>".encode()


def test_an_rss_feed_expands_to_its_items():
    pages = {"/a": Page(_plain_page("Barrier to close")), "/b": Page(_plain_page("Pumps"))}
    with serve(pages) as site:
        site.pages["/feed.xml"] = Page(RSS.format(base=site.base).encode(), "application/rss+xml")
        items = _read(site.url("/feed.xml"))
    first, missing, relative = items
    assert isinstance(first, Article) and first.path == site.url("/a")
    assert first.metadata["published"] == "2025-03-04T09:30:00Z"
    assert first.metadata["outlet"] == "Bay Courier"
    assert isinstance(missing, BadInputError) and missing.path == site.url("/missing")
    assert "HTTP 404" in missing.reason
    assert isinstance(relative, Article) and relative.path == site.url("/b")


def test_an_atom_feed_served_as_xml_is_recognised():
    pages = {"/a": Page(_plain_page("Gates cracked"))}
    with serve(pages) as site:
        site.pages["/atom"] = Page(ATOM.format(base=site.base).encode(), "text/xml")
        (article,) = _read(site.url("/atom"))
    assert article.metadata["outlet"] == "Harbour Wire"
    assert article.metadata["published"] == "2025-02-01T08:00:00Z"


def test_a_feed_declaring_entities_is_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b"<rss><channel><title>&b;</title></channel></rss>")
    with serve({"/feed": Page(bomb, "application/rss+xml")}) as site:
        (error,) = _read(site.url("/feed"))
    assert isinstance(error, BadInputError) and "entities" in error.reason


@pytest.mark.parametrize("name", ["list.urls", "list.txt"])
def test_a_url_list_file_reads_each_url(tmp_path, name):
    pages = {"/a": Page(article_html("Barrier", BODY))}
    with serve(pages) as site:
        listing = tmp_path / name
        listing.write_text(f"# morning links\n{site.url('/a')}\n\n{site.url('/nope')}\n")
        good, bad = _read(str(listing))
    assert isinstance(good, Article) and good.path == site.url("/a")
    assert isinstance(bad, BadInputError) and "HTTP 404" in bad.reason


def test_a_txt_with_prose_is_an_article_not_a_url_list(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("See https://example.org/a for the story.\nThe mayor said so.\n")
    (article,) = _read(str(path))
    assert isinstance(article, Article) and article.text.startswith("See https")
