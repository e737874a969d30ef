"""The app's wiring: the OpenAPI document and every page rendering as HTML."""

from __future__ import annotations

from .conftest import article_id_by_title, one


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
