"""Disputes: claims on one proposition that contradict each other (table ``disputes``).

A dispute joins two claims, each in its own cluster: "will close" / "will not close"
(kind ``polarity``) or "3,000 dead" / "300 dead" (kind ``figures``). The claim page shows
what disputes its cluster ("disputed by"), the claim list can keep only disputed clusters,
and the overview counts them. A corpus written before schema 1.2 has no ``disputes``
table: it reads as one without disputes.
"""

from __future__ import annotations

from typing import Any

import duckdb

from .rows import CLUSTER_COLS, dicts, one, paged, rows

# The other side's columns wherever a dispute is shown.
_OTHER_COLS = """o.id AS claim_id, o.cluster_id, o.text, o.kind AS claim_kind, o.article_id,
    o.source_text, o.source_type, ar.outlet, ar.title, ar.published"""


def has_disputes_table(con: duckdb.DuckDBPyConnection) -> bool:
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'disputes'"
    ).fetchone()
    return bool(found and found[0])


def disputes(
    con: duckdb.DuckDBPyConnection, claim_id: str, *, limit: int | None = None
) -> list[dict[str, Any]]:
    """The claims that dispute claim ``claim_id`` (a claim id, "article:t1"), each with
    the dispute's ``kind`` and ``similarity`` and the other claim's text, cluster,
    article, outlet and source; most similar first."""
    if not has_disputes_table(con):
        return []
    sql = f"""WITH d AS (
          SELECT claim_b AS other, kind, similarity FROM disputes WHERE claim_a = $id
          UNION ALL
          SELECT claim_a AS other, kind, similarity FROM disputes WHERE claim_b = $id)
        SELECT d.kind, d.similarity, {_OTHER_COLS}
        FROM d JOIN claims o ON o.id = d.other JOIN articles ar ON ar.id = o.article_id
        ORDER BY d.similarity DESC NULLS LAST, o.id"""
    params: dict[str, Any] = {"id": claim_id}
    if limit is not None:
        sql += " LIMIT $limit"
        params["limit"] = limit
    return dicts(con.execute(sql, params))


def cluster_disputes(
    con: duckdb.DuckDBPyConnection, cluster_id: str, *, limit: int | None = None
) -> list[dict[str, Any]]:
    """Disputes touching any claim of cluster ``cluster_id``: the cluster's own claim
    (``own_claim_id``, ``own_text``) and the other side (as ``disputes`` gives it);
    most similar first."""
    if not has_disputes_table(con):
        return []
    sql = f"""WITH own AS (SELECT id, text FROM claims WHERE cluster_id = ?),
        d AS (
          SELECT own.id AS own_claim_id, own.text AS own_text, x.claim_b AS other,
            x.kind, x.similarity
          FROM disputes x JOIN own ON own.id = x.claim_a
          UNION ALL
          SELECT own.id, own.text, x.claim_a, x.kind, x.similarity
          FROM disputes x JOIN own ON own.id = x.claim_b)
        SELECT d.own_claim_id, d.own_text, d.kind, d.similarity, {_OTHER_COLS}
        FROM d JOIN claims o ON o.id = d.other JOIN articles ar ON ar.id = o.article_id
        ORDER BY d.similarity DESC NULLS LAST, d.own_claim_id, o.id"""
    return rows(con, *paged(sql, [cluster_id], limit, None))


def count_disputes(con: duckdb.DuckDBPyConnection) -> int:
    """How many disputes the corpus holds (0 without the table)."""
    if not has_disputes_table(con):
        return 0
    found = one(con, "SELECT count(*) AS n FROM disputes")
    return int(found["n"]) if found else 0


def disputed_claims(
    con: duckdb.DuckDBPyConnection,
    limit: int | None = None,
    *,
    offset: int | None = None,
) -> list[dict[str, Any]]:
    """Claim clusters holding a disputed claim, with ``n_disputes`` (disputes touching
    the cluster); most disputed first, then most widespread."""
    if not has_disputes_table(con):
        return []
    sql = f"""WITH ends AS (
          SELECT claim_a AS claim FROM disputes UNION ALL SELECT claim_b FROM disputes),
        per AS (
          SELECT c.cluster_id, count(*) AS n_disputes
          FROM ends JOIN claims c ON c.id = ends.claim GROUP BY c.cluster_id)
        SELECT {", ".join("k." + c.strip() for c in CLUSTER_COLS.split(","))},
          per.n_disputes
        FROM per JOIN clusters k ON k.id = per.cluster_id
        ORDER BY per.n_disputes DESC, k.n_outlets DESC, k.n_articles DESC, k.id"""
    return rows(con, *paged(sql, [], limit, offset))


__all__ = ["cluster_disputes", "count_disputes", "disputed_claims", "disputes",
           "has_disputes_table"]
