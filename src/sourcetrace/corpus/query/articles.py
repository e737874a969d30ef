"""Articles: the newest-first list, and one article's record with its links into the corpus."""

from __future__ import annotations

from typing import Any

import duckdb

from .rows import json_value, name_outlets, one, rows


def articles(
    con: duckdb.DuckDBPyConnection, *, outlet: str | None = None, limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """A page of articles, newest first (``outlet``: only that outlet's), with the total."""
    where, params = ("WHERE outlet = ?", [outlet]) if outlet else ("", [])
    found = rows(
        con,
        f"SELECT id, title, outlet, published, path, url FROM articles {where} "
        "ORDER BY published_ts DESC NULLS LAST, seq LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    total = one(con, f"SELECT count(*) AS n FROM articles {where}", params)
    return {"total": total["n"] if total else 0, "articles": name_outlets(found)}


def article(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """The analysis record and what links it to the rest of the corpus; None if absent.

    RETURNS: ``record`` (Analysis.to_dict()), ``actors`` (local actor id -> corpus
    actor {id, name}), ``claims`` (attribution id, or "u<i>" for the i-th unattributed
    assertion -> claim cluster id), ``copies`` (duplicates stored under this article).
    """
    row = one(con, "SELECT id, outlet, published, record FROM articles WHERE id = ?",
              [article_id])
    if row is None:
        return None
    record = json_value(row["record"])
    actors = {
        r["local_id"]: {"id": r["actor_id"], "name": r["name"]}
        for r in rows(
            con,
            """SELECT aa.local_id, aa.actor_id, coalesce(a.name, aa.name) AS name
               FROM article_actors aa LEFT JOIN actors a ON a.id = aa.actor_id
               WHERE aa.article_id = ? AND aa.actor_id IS NOT NULL""",
            [article_id],
        )
    }
    claims: dict[str, str] = {}
    starts = {
        u["spans"][0][0]: i
        for i, u in enumerate(record.get("unattributed") or ())
        if u.get("spans")
    }
    for r in rows(
        con,
        "SELECT kind, attribution_id, start_offset, cluster_id FROM claims "
        "WHERE article_id = ? AND cluster_id IS NOT NULL",
        [article_id],
    ):
        if r["attribution_id"]:
            claims[r["attribution_id"]] = r["cluster_id"]
        elif r["start_offset"] in starts:
            claims[f"u{starts[r['start_offset']]}"] = r["cluster_id"]
    copies = rows(
        con,
        "SELECT path, url, outlet, published, reason, similarity FROM duplicates "
        "WHERE article_id = ? ORDER BY published_ts NULLS LAST, path",
        [article_id],
    )
    return {"record": record, "actors": actors, "claims": claims, "copies": copies,
            "in_corpus": True}


def stored_id(con: duckdb.DuckDBPyConnection, record: dict[str, Any]) -> str | None:
    """The id an added record ended up under: its own, or the article it duplicates."""
    if one(con, "SELECT 1 AS x FROM articles WHERE id = ?", [record["id"]]):
        return str(record["id"])
    dup = one(
        con,
        "SELECT article_id FROM duplicates WHERE path = ? ORDER BY article_id LIMIT 1",
        [record.get("path")],
    )
    return None if dup is None else str(dup["article_id"])


__all__ = ["article", "articles", "stored_id"]
