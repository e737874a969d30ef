"""The search page and /api/search."""

from __future__ import annotations


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
