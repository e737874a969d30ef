"""What every view shares: an unknown id is a 404 (JSON under /api)."""

from __future__ import annotations


def test_api_unknown_ids_are_404_json(client):
    for url in ("/api/articles/nope", "/api/actors/nope", "/api/claims/nope"):
        r = client.get(url)
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/json")
        assert "nope" in r.json()["detail"]
