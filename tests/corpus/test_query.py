"""The read API: one function per question, the CLI's and the web's shapes side by side."""

from __future__ import annotations

import pytest

from sourcetrace.corpus import query
from sourcetrace.corpus.build import build
from sourcetrace.corpus.db import connect
from sourcetrace.corpus.embed import HashingEmbedder


@pytest.fixture()
def con(tmp_path, records):
    db = str(tmp_path / "c.duckdb")
    build(db, records=[dict(r) for r in records], embedder=HashingEmbedder())
    c = connect(db, read_only=True)
    yield c
    c.close()


def test_claims_order_and_paging(con):
    by_outlets = query.claims(con, 1, order="outlets")
    by_articles = query.claims(con, 1, order="articles")
    assert by_outlets and {c["id"] for c in by_outlets} == {c["id"] for c in by_articles}
    assert len(by_articles) == query.count_claims(con, 1)
    keys = [(-c["n_outlets"], -c["n_articles"], int(c["id"][1:])) for c in by_outlets]
    assert keys == sorted(keys)
    keys = [(-c["n_articles"], c["independent_origins"], c["id"]) for c in by_articles]
    assert keys == sorted(keys)
    assert query.claims(con, 1, 2, order="articles", offset=1) == by_articles[1:3]
    assert all(c["n_articles"] >= 2 for c in query.claims(con))


def test_claim_as_tree_and_as_page(con):
    cid = query.claims(con, 1, order="articles")[0]["id"]
    tree = query.claim(con, cid)
    page = query.claim(con, cid, view="page")
    assert tree is not None and page is not None
    assert len(tree["tree"]) == len(tree["claims"]) and "nodes" in tree
    assert {c["id"] for c in page["claims"]} <= {c["id"] for c in tree["claims"]}
    assert page["graph"]["edges_shown"] <= page["graph"]["edges_total"]
    assert len(query.graph_rows(page["graph"])) == len(page["graph"]["edges"])
    assert query.claim(con, "nope") is None and query.claim(con, "nope", view="page") is None


def test_actor_by_name_and_by_id(con):
    card = query.actor(con, "Lena Osk")
    assert card is not None and "says" in card and "said_about" in card
    page = query.actor(con, card["id"], by="id")
    assert page is not None and page["id"] == card["id"] and "statements" in page
    assert query.find_actors(con, "Lena Osk")[0]["id"] == card["id"]
    assert query.actor(con, "Nobody Atall Here") is None
    assert query.actor(con, "nope", by="id") is None


def test_article_overview_and_search(con, records):
    listed = query.articles(con, limit=10)
    assert listed["total"] == query.stats(con)["articles"] == len(listed["articles"]) == 3
    aid = listed["articles"][0]["id"]
    art = query.article(con, aid)
    assert art is not None and art["record"]["id"] == aid and art["in_corpus"]
    assert query.article(con, "nope") is None
    assert query.stored_id(con, {"id": aid}) == aid
    assert query.stored_id(con, {"id": "nope", "path": "nowhere"}) is None
    overview = query.overview(con, limit=5)
    assert overview["counts"]["articles"] == 3 and len(overview["outlets"]) == 3
    found = query.search(con, "bridge")
    assert found["articles"] and found["claims"]
    assert query.search(con, "%")["articles"] == []
    assert query.search_claims(con, "bridge")
