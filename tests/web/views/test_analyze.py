"""Analysis on the fly: never added to the corpus, bad input is a 422."""

from __future__ import annotations

from ..conftest import one


def test_analyze_text_is_not_added_to_corpus(client, store):
    before = one(store, "SELECT count(*) AS n FROM articles")["n"]
    text = "The harbour master said the storm wall would be finished in June."
    r = client.post("/api/analyze", json={"text": text})
    assert r.status_code == 200
    record = r.json()
    assert record["text"] == text and record["attributions"]
    page = client.post("/analyze", data={"text": text})
    assert page.status_code == 200 and "not part of the corpus" in page.text
    assert one(store, "SELECT count(*) AS n FROM articles")["n"] == before


def test_analyze_upload_html_and_bad_input(client):
    html = (b"<html><head><title>Quay works</title></head><body><article><p>"
            + b"The port authority said the quay works would finish in May, weeks early. " * 3
            + b"</p></article></body></html>")
    r = client.post("/api/analyze/upload", files={"file": ("page.html", html, "text/html")})
    assert r.status_code == 200 and "quay works" in r.json()["text"]
    bad = client.post("/api/analyze/upload",
                      files={"file": ("x.txt", b"\xff\xfe\x00", "text/plain")})
    assert bad.status_code == 422
    assert client.post("/api/analyze", json={}).status_code == 422
    assert client.post("/analyze", data={"text": "  "}).status_code == 422
