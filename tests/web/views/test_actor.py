"""One actor's API: statements it made and relayed."""

from __future__ import annotations

from ..conftest import one


def test_actor_statements_and_relays(client, store):
    outlet = one(store, "SELECT id FROM actors WHERE name = 'Harbour Daily'")
    person = one(store, "SELECT id FROM actors WHERE name ILIKE '%Varga%' "
                        "ORDER BY n_articles DESC LIMIT 1")
    relays = client.get(f"/api/actors/{outlet['id']}").json()["relayed"]
    assert relays and all(any("Harbour Daily" in x for x in r["relayed_by"]) for r in relays)
    said = client.get(f"/api/actors/{person['id']}").json()["statements"]
    assert any("six weeks" in s["content_text"] for s in said)
