"""One claim's page and API: the provenance graph and its table fallback."""

from __future__ import annotations

from ..conftest import one


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
