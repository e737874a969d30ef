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
