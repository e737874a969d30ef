"""The overview page and /api/overview."""

from __future__ import annotations

import pytest

from ..conftest import one


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


def test_articles_with_no_outlet_share_one_unlinked_row(tmp_path):
    from sourcetrace.corpus import query
    from sourcetrace.corpus.build import build
    from sourcetrace.corpus.db import connect
    from sourcetrace.corpus.embed import HashingEmbedder
    from sourcetrace.web.render import share_bars

    texts = {"a1": "The ferry to Ulm leaves at nine on weekdays from the north pier.",
             "a2": "Bakers in Toska raised the price of rye bread for the second time.",
             "a3": "A storm closed the mountain road above Kessa for most of Sunday."}

    def record(rid: str, outlet: str | None) -> dict:
        text = texts[rid]
        meta = {"title": f"Ferry {rid}", **({"outlet": outlet} if outlet else {})}
        return {"schema_version": "1.1.0", "id": rid, "path": f"{rid}.txt", "text": text,
                "metadata": meta, "excluded": [], "attributions": [], "actors": [],
                "unattributed": [], "labels": [], "profile": {}}

    db = str(tmp_path / "c.duckdb")
    build(db, records=[record("a1", "Ridge Post"), record("a2", None), record("a3", None)],
          embedder=HashingEmbedder())
    con = connect(db)
    try:
        rows = {r["outlet"]: r for r in query.outlet_profiles(con)}
    finally:
        con.close()
    assert rows["Ridge Post"]["known"] and rows["Ridge Post"]["articles"] == 1
    assert not rows["(unknown outlet)"]["known"] and rows["(unknown outlet)"]["articles"] == 2
    chart = str(share_bars(rows.values(), label=lambda r: r["outlet"],
                           href=lambda r: f"/articles?outlet={r['outlet']}" if r["known"]
                           else None))
    assert 'href="/articles?outlet=Ridge Post"' in chart
    assert chart.count("<a ") == 1 and "(unknown outlet)" in chart
