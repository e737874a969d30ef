"""The JSON API and the pages over a small corpus built from the examples."""

from __future__ import annotations

import pytest

from .conftest import article_id_by_title, one


def test_api_overview_counts_and_outlet_shares(client, store):
    data = client.get("/api/overview").json()
    n_articles = one(store, "SELECT count(*) AS n FROM articles")["n"]
    assert data["counts"]["articles"] == n_articles > 0
    outlets = {o["outlet"]: o for o in data["outlets"]}
    assert "Harbour Daily" in outlets and "Coast Post" in outlets
    for o in data["outlets"]:
        shares = [o["named"], o["anonymous"], o["vague"], o["unattributed"]]
        if o["statements"]:
            assert sum(shares) == pytest.approx(1.0, abs=1e-3)
    by_articles = [c["n_articles"] for c in data["top_claims"]]
    assert by_articles == sorted(by_articles, reverse=True)
    assert all(c["n_articles"] > 1 for c in data["fewest_origins"])


def test_api_article_record_and_links(client, store):
    aid = article_id_by_title(store, "night closures")
    data = client.get(f"/api/articles/{aid}").json()
    record = data["record"]
    assert record["id"] == aid and record["text"].startswith("Harbour Daily")
    # every local actor that the corpus linked maps to a corpus actor that exists
    for local, actor in data["actors"].items():
        assert any(a["id"] == local for a in record["actors"])
        assert client.get(f"/api/actors/{actor['id']}").status_code == 200
    assert data["claims"], "attributions should link to claim clusters"
    for cluster in set(data["claims"].values()):
        assert client.get(f"/api/claims/{cluster}").status_code == 200


def test_api_unknown_ids_are_404_json(client):
    for url in ("/api/articles/nope", "/api/actors/nope", "/api/claims/nope"):
        r = client.get(url)
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/json")
        assert "nope" in r.json()["detail"]


def test_api_claim_graph_is_consistent(client, store):
    cluster = one(store, "SELECT id FROM clusters ORDER BY n_articles DESC, id LIMIT 1")["id"]
    claim = client.get(f"/api/claims/{cluster}").json()
    ids = {n["id"] for n in claim["graph"]["nodes"]}
    for e in claim["graph"]["edges"]:
        assert e["source"] in ids and e["target"] in ids
    for n in claim["graph"]["nodes"]:
        assert n["kind"] in {"outlet", "article", "relay", "origin"}
        if "parent" in n:
            assert n["parent"] in ids
    assert claim["claims"] and claim["independent_origins"] >= 0


def test_api_search_finds_articles_claims_and_actors(client):
    data = client.get("/api/search", params={"q": "eastern quay"}).json()
    assert {a["title"] for a in data["articles"]} >= {
        "Port authority plans night closures at eastern quay"
    }
    assert data["claims"]
    actors = client.get("/api/search", params={"q": "varga"}).json()["actors"]
    assert any("Varga" in a["name"] for a in actors)


def test_api_search_treats_wildcards_literally(client):
    assert client.get("/api/search", params={"q": "%"}).json()["articles"] == []
    assert client.get("/api/search", params={"q": "_"}).json()["articles"] == []


def test_api_openapi_document_lists_endpoints(client):
    doc = client.get("/openapi.json").json()
    for path in ("/api/overview", "/api/articles/{article_id}", "/api/claims/{claim_id}",
                 "/api/actors/{actor_id}", "/api/search", "/api/analyze"):
        assert path in doc["paths"]


def test_pages_render(client, store):
    aid = article_id_by_title(store, "night closures")
    actor = one(store, "SELECT id FROM actors ORDER BY n_articles DESC, id LIMIT 1")["id"]
    cluster = one(store, "SELECT id FROM clusters ORDER BY n_articles DESC, id LIMIT 1")["id"]
    for url in ("/", f"/articles/{aid}", f"/actors/{actor}", f"/claims/{cluster}",
                "/search?q=quay", "/analyze", "/api"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"].startswith("text/html")


def test_article_page_links_quote_to_card_actor_and_claim(client, store):
    aid = article_id_by_title(store, "night closures")
    html = client.get(f"/articles/{aid}").text
    assert 'href="#att-t' in html and 'id="att-t' in html
    assert 'class="actor-link source-actor" href="/actors/' in html
    assert 'class="claim-link" href="/claims/' in html
    assert 'class="excluded"' in html  # the dateline is furniture


def test_claim_page_without_graph_asset_shows_table(corpus_db, pipeline, monkeypatch, store):
    from fastapi.testclient import TestClient

    from sourcetrace.web import app as app_module

    monkeypatch.setattr(app_module, "GRAPH_ASSET", "vendor/missing.js")
    cluster = one(store, "SELECT id FROM clusters ORDER BY n_articles DESC, id LIMIT 1")["id"]
    with TestClient(app_module.create_app(corpus_db)) as c:
        html = c.get(f"/claims/{cluster}").text
    assert 'id="graph-missing"' in html and "cytoscape.min.js" not in html
    assert '<details id="graph-table-wrap" open>' in html
    assert "<td>cites</td>" in html or "<td>relays</td>" in html


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


def test_actor_statements_and_relays(client, store):
    outlet = one(store, "SELECT id FROM actors WHERE name = 'Harbour Daily'")
    person = one(store, "SELECT id FROM actors WHERE name ILIKE '%Varga%' "
                        "ORDER BY n_articles DESC LIMIT 1")
    relays = client.get(f"/api/actors/{outlet['id']}").json()["relayed"]
    assert relays and all(any("Harbour Daily" in x for x in r["relayed_by"]) for r in relays)
    said = client.get(f"/api/actors/{person['id']}").json()["statements"]
    assert any("six weeks" in s["content_text"] for s in said)
