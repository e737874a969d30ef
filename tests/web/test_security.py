"""Hostile input stays inert, nothing outside the corpus is readable, big bodies get 413."""

from __future__ import annotations

import asyncio
from html.parser import HTMLParser

import duckdb
import pytest

from sourcetrace.corpus import query
from sourcetrace.web.security import CONTENT_SECURITY_POLICY, inert_text

from .conftest import TEST_MAX_BODY, article_id_by_title, rows

BIDI = "\u202e"
OUR_SCRIPTS = {"/static/article.js"}


class _Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in {"img", "iframe", "object", "embed"}, (tag, attrs)
        if tag == "script":
            assert attrs.get("src") in OUR_SCRIPTS, attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, attrs)
            assert name != "data-pwn" and (name != "src" or tag == "script"), (tag, attrs)
            if name in {"href", "src", "action"}:
                assert not (value or "").strip().lower().startswith("javascript:"), (tag, attrs)
    assert BIDI not in html and "\u202c" not in html


def test_hostile_article_page_is_inert(client, store):
    aid = article_id_by_title(store, "Breaking")
    r = client.get(f"/articles/{aid}")
    assert r.status_code == 200
    assert_inert(r.text)
    # the hostile text is shown, as text
    assert "&lt;script&gt;alert(" in r.text
    assert "javascript:alert(2)" in r.text  # visible words, never an attribute
    assert "&lt;U+202E&gt;Reyes" in r.text


def test_hostile_article_everywhere_it_appears_is_inert(client, store):
    aid = article_id_by_title(store, "Breaking")
    pages = ["/", "/search?q=bridge", "/search?q=%3Cscript%3E", "/api"]
    for cluster in rows(store, 
        "SELECT DISTINCT cluster_id FROM claims WHERE article_id = ? AND cluster_id IS NOT NULL",
        [aid],
    ):
        pages.append(f"/claims/{cluster['cluster_id']}")
    for row in rows(store, 
        "SELECT DISTINCT actor_id FROM article_actors WHERE article_id = ? "
        "AND actor_id IS NOT NULL", [aid],
    ):
        pages.append(f"/actors/{row['actor_id']}")
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
        assert_inert(r.text)


def test_hostile_text_analysed_on_the_fly_is_inert(client):
    text = ('The minister said "<script>alert(1)</script>" and <img src=x onerror=alert(2)> '
            'that the <a href="javascript:alert(3)">plan</a> " onclick="alert(4)" data-pwn="x" '
            'works \u202eok.')
    r = client.post("/analyze", data={"text": text})
    assert r.status_code == 200
    assert_inert(r.text)
    r = client.post("/analyze", files={"file": ("<script>.html", text.encode(), "text/html")})
    assert_inert(r.text)


def test_error_pages_escape_the_request(client):
    r = client.get("/articles/%3Cscript%3Ealert(1)%3C!--")
    assert r.status_code == 404
    assert_inert(r.text)
    assert "&lt;script&gt;" in r.text


def test_every_response_carries_the_csp(client):
    for url in ("/", "/api/overview", "/static/app.css", "/articles/nope"):
        headers = client.get(url).headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert headers["x-content-type-options"] == "nosniff"
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY


def test_inert_text_keeps_newlines_and_marks_controls():
    assert inert_text("a\nb\tc") == "a\nb\tc"
    assert inert_text("x\u202ey\u2066z\x00") == "x<U+202E>y<U+2066>z<U+0000>"


# ---- paths ------------------------------------------------------------------------------

SECRETS = ("[build-system]", "root:x:0", "def serve(", "CREATE TABLE")


def _raw_get(app, raw_path: bytes) -> tuple[int, bytes]:
    """Send a path to the ASGI app exactly as given: no client-side dot-segment cleanup."""
    path = raw_path.split(b"?")[0]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path.decode("latin-1"), "raw_path": path,
        "query_string": raw_path.partition(b"?")[2], "root_path": "",
        "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    out: dict = {"status": 0, "body": b""}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return out["status"], out["body"]


@pytest.mark.parametrize(
    "raw_path",
    [
        b"/static/../../../../pyproject.toml",
        b"/static/../web/app.py",
        b"/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        b"/static/..%2f..%2f..%2f..%2fpyproject.toml",
        b"/static/vendor/..%2f..%2fcli.py",
        b"/static//etc/passwd",
        b"/static/%2fetc%2fpasswd",
        b"/articles/..%2f..%2f..%2fetc%2fpasswd",
        b"/api/articles/../../../../etc/passwd",
        b"/api/articles/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        b"/api/actors/..%2f..%2fpyproject.toml",
        b"/api/claims/%2Fetc%2Fpasswd",
        b"/api/search?q=../../../../etc/passwd",
        b"/search?q=/etc/passwd&outlet=../../pyproject.toml",
        b"/../../../../etc/passwd",
    ],
)
def test_no_path_outside_the_corpus_is_readable(app, raw_path):
    status, body = _raw_get(app, raw_path)
    assert status in {200, 400, 404, 422}, (raw_path, status)
    for secret in SECRETS:
        assert secret.encode() not in body, (raw_path, secret)


def test_uploaded_file_name_is_never_opened(client):
    r = client.post("/api/analyze/upload",
                    files={"file": ("../../../../etc/passwd", b"The mayor said it rained.", "x")})
    assert r.status_code == 200
    assert r.json()["text"] == "The mayor said it rained."


def test_corpus_is_opened_read_only(store):
    with pytest.raises(duckdb.Error), store.connection() as con:
        con.execute("CREATE TABLE sneaky (i INTEGER)")


# ---- size limits and debug -----------------------------------------------------------------

def test_oversized_json_body_gets_413(client):
    r = client.post("/api/analyze", json={"text": "word " * TEST_MAX_BODY})
    assert r.status_code == 413


def test_oversized_upload_gets_413(client):
    big = b"The mayor said so. " * (TEST_MAX_BODY // 10)
    assert client.post("/api/analyze/upload", files={"file": ("a.txt", big, "text/plain")}
                       ).status_code == 413
    assert client.post("/analyze", files={"file": ("a.txt", big, "text/plain")}
                       ).status_code == 413


def test_oversized_chunked_body_without_length_gets_413(client):
    def chunks():
        for _ in range(TEST_MAX_BODY // 1024 + 2):
            yield b"x" * 1024

    r = client.post("/api/analyze", content=chunks(),
                    headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_body_under_the_limit_is_accepted(client):
    r = client.post("/api/analyze", json={"text": "The mayor said it rained. " * 100})
    assert r.status_code == 200


def test_debug_is_off_and_errors_show_no_traceback(app, client, monkeypatch):
    assert app.debug is False
    assert app.docs_url is None and app.redoc_url is None  # no CDN-loaded docs pages

    def boom(*_args, **_kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(query, "overview", boom)
    for url in ("/api/overview", "/"):
        r = client.get(url)
        assert r.status_code == 500
        assert "secret internal detail" not in r.text and "Traceback" not in r.text
