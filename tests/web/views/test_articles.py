"""One article's page and API: record, links to actors and claims."""

from __future__ import annotations

from ..conftest import article_id_by_title


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


def test_article_page_links_quote_to_card_actor_and_claim(client, store):
    aid = article_id_by_title(store, "night closures")
    html = client.get(f"/articles/{aid}").text
    assert 'href="#att-t' in html and 'id="att-t' in html
    assert 'class="actor-link source-actor" href="/actors/' in html
    assert 'class="claim-link" href="/claims/' in html
    assert 'class="excluded"' in html  # the dateline is furniture
