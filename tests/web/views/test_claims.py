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


def test_claim_page_draws_the_graph_as_svg(client, store):
    cluster = one(store, "SELECT id FROM clusters ORDER BY n_articles DESC, id LIMIT 1")["id"]
    html = client.get(f"/claims/{cluster}").text
    svg = html[html.index('<div class="graph-scroll" id="graph">'):]
    svg = svg[:svg.index("</svg>") + 6]
    assert f'role="img" aria-label="Provenance graph of claim {cluster}: ' in svg
    assert f"<title>Provenance graph of claim {cluster}: " in svg
    assert svg.count('class="pg-node"') >= 2 and 'class="pg-edge"' in svg
    # boxes link to their article pages; nothing to load or build for the drawing
    aid = one(store, "SELECT article_id FROM claims WHERE cluster_id = ? ORDER BY id LIMIT 1",
              [cluster])["article_id"]
    assert f'<a href="/articles/{aid}">' in svg
    assert "<script" not in html.split("<main", 1)[1] and "vendor/" not in html
    # the edges stay listed in a table beside the drawing
    assert '<details id="graph-table-wrap">' in html
    assert "<td>cites</td>" in html or "<td>relays</td>" in html


def test_claim_api_dates_the_graph_articles(client, store):
    cluster = one(store, "SELECT id FROM clusters ORDER BY n_articles DESC, id LIMIT 1")["id"]
    graph = client.get(f"/api/claims/{cluster}").json()["graph"]
    arts = [n for n in graph["nodes"] if n["kind"] == "article"]
    assert arts
    for n in arts:
        row = one(store, "SELECT title, published, seq FROM articles WHERE id = ?",
                  [n["article_id"]])
        assert (n["title"], n["published"], n["seq"]) == (row["title"], row["published"],
                                                           row["seq"])
