"""Read API over a corpus: plain functions taking a DuckDB connection, returning dicts.

Used by ``sourcetrace corpus`` commands and by the web app. Open a corpus with
``sourcetrace.corpus.db.connect(path)``.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb
from rapidfuzz import fuzz, process

from .actors import key_of


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description or ()]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def stats(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    out = {}
    for table in ("articles", "duplicates", "claims", "clusters", "actors"):
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        out[table] = int(row[0]) if row else 0
    return out


def article(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """One article: metadata, text, claims (with cluster ids), actors, copies."""
    rows = _dicts(
        con.execute(
            "SELECT id, path, url, outlet, title, published, text, metadata "
            "FROM articles WHERE id = ?",
            [article_id],
        )
    )
    if not rows:
        return None
    art = rows[0]
    art["metadata"] = json.loads(art["metadata"] or "{}")
    art["claims"] = _dicts(
        con.execute(
            "SELECT id, kind, text, start_offset, end_offset, spans, source_text, "
            "source_type, cluster_id FROM claims WHERE article_id = ? ORDER BY start_offset",
            [article_id],
        )
    )
    for c in art["claims"]:
        c["spans"] = json.loads(c["spans"] or "[]")
    art["actors"] = _dicts(
        con.execute(
            "SELECT aa.local_id, aa.name, aa.type, aa.actor_id, a.name AS corpus_name "
            "FROM article_actors aa LEFT JOIN actors a ON a.id = aa.actor_id "
            "WHERE aa.article_id = ? ORDER BY aa.local_id",
            [article_id],
        )
    )
    art["copies"] = _dicts(
        con.execute(
            "SELECT path, url, outlet, published, reason, similarity FROM duplicates "
            "WHERE article_id = ?",
            [article_id],
        )
    )
    return art


def claims(
    con: duckdb.DuckDBPyConnection, min_articles: int = 2, limit: int | None = None
) -> list[dict[str, Any]]:
    """Claim clusters carried by at least ``min_articles`` articles, most widespread first."""
    sql = (
        "SELECT id, text, n_claims, n_articles, n_outlets, independent_origins, circular, "
        "circular_reason, first_seen, first_article_id, last_seen FROM clusters "
        "WHERE n_articles >= ? ORDER BY n_outlets DESC, n_articles DESC, "
        "CAST(substr(id, 2) AS INTEGER)"
    )
    params: list[Any] = [min_articles]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return _dicts(con.execute(sql, params))


def claim(con: duckdb.DuckDBPyConnection, cluster_id: str) -> dict[str, Any] | None:
    """One cluster with its claims, provenance graph, origins and timeline.

    ``tree``: for each claim, nested dicts following the provenance edges down to the
    origins ({"node", "label", "kind", "via", "children"}); cycles are cut where a node
    repeats on the path (``"cycle": True``).
    """
    rows = _dicts(con.execute("SELECT * FROM clusters WHERE id = ?", [cluster_id]))
    if not rows:
        return None
    out = rows[0]
    out["claims"] = _dicts(
        con.execute(
            "SELECT c.id, c.article_id, c.kind, c.text, c.start_offset, c.end_offset, "
            "c.source_text, c.source_type, c.relayed_by, a.outlet, a.published, a.title "
            "FROM claims c JOIN articles a ON a.id = c.article_id WHERE c.cluster_id = ? "
            "ORDER BY a.published_ts NULLS LAST, a.seq, c.start_offset",
            [cluster_id],
        )
    )
    for c in out["claims"]:
        c["relayed_by"] = [r.get("text") for r in json.loads(c["relayed_by"] or "[]")]
    nodes = {
        n["node_id"]: n
        for n in _dicts(
            con.execute("SELECT * FROM provenance_nodes WHERE cluster_id = ?", [cluster_id])
        )
    }
    edges = _dicts(
        con.execute(
            "SELECT src, dst, kind, via FROM provenance_edges WHERE cluster_id = ?", [cluster_id]
        )
    )
    for e in edges:
        e["via"] = json.loads(e["via"] or "[]")
    out["nodes"] = list(nodes.values())
    out["edges"] = edges
    out["origins"] = _dicts(
        con.execute("SELECT origin, label, n_claims FROM origins WHERE cluster_id = ?",
                    [cluster_id])
    )
    out["timeline"] = _dicts(
        con.execute(
            "SELECT seq, article_id, outlet, published, kind FROM timeline "
            "WHERE cluster_id = ? ORDER BY seq",
            [cluster_id],
        )
    )
    succ: dict[str, list[dict[str, Any]]] = {}
    for e in edges:
        succ.setdefault(e["src"], []).append(e)

    def grow(node: str, kind: str, via: list[str], path: frozenset[str]) -> dict[str, Any]:
        info = nodes.get(node, {})
        item: dict[str, Any] = {
            "node": node, "label": info.get("label"), "kind": kind, "via": via,
            "node_kind": info.get("kind"), "children": [],
        }
        if node in path:
            item["cycle"] = True
            return item
        for e in succ.get(node, ()):
            item["children"].append(grow(e["dst"], e["kind"], e["via"], path | {node}))
        return item

    out["tree"] = [grow(f"claim:{c['id']}", "claim", [], frozenset()) for c in out["claims"]]
    return out


def find_actors(con: duckdb.DuckDBPyConnection, name: str, limit: int = 5) -> list[dict]:
    """Actors whose name or an alias matches ``name`` (exact key first, then near)."""
    key = key_of(name)
    exact = _dicts(
        con.execute(
            "SELECT DISTINCT a.id, a.name, a.type, a.n_articles FROM actors a "
            "JOIN actor_aliases al ON al.actor_id = a.id "
            "WHERE lower(al.alias) = lower(?) OR lower(a.name) = lower(?) "
            "ORDER BY a.n_articles DESC",
            [name, name],
        )
    )
    if exact:
        return exact
    aliases = con.execute("SELECT actor_id, alias FROM actor_aliases").fetchall()
    by_key: dict[str, set[str]] = {}
    for aid, alias in aliases:
        by_key.setdefault(key_of(alias), set()).add(aid)
    ids: list[str] = sorted(by_key.get(key, set()))
    if not ids and by_key:
        keys = list(by_key)
        for _k, score, i in process.extract(key, keys, scorer=fuzz.ratio, limit=limit):
            if score >= 85:
                ids.extend(sorted(by_key[keys[i]]))
    if not ids:
        return []
    return _dicts(
        con.execute(
            "SELECT id, name, type, n_articles FROM actors WHERE list_contains(?, id) "
            "ORDER BY n_articles DESC",
            [ids[:limit]],
        )
    )


def actor(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any] | None:
    """The best-matching actor: aliases with evidence, what it says, what is said of it.

    RETURNS None when nothing matches (see ``find_actors`` for candidates).
    """
    found = find_actors(con, name, limit=1)
    if not found:
        return None
    out = found[0]
    aid = out["id"]
    out["aliases"] = _dicts(
        con.execute(
            "SELECT alias, n_articles FROM actor_aliases WHERE actor_id = ? "
            "ORDER BY n_articles DESC, alias",
            [aid],
        )
    )
    out["evidence"] = _dicts(
        con.execute(
            "SELECT alias, other, article_id, kind, detail FROM actor_evidence "
            "WHERE actor_id = ? ORDER BY kind, alias",
            [aid],
        )
    )
    out["says"] = _dicts(
        con.execute(
            "SELECT t.article_id, t.id AS attribution_id, t.content_text AS text, "
            "t.content_spans AS spans, t.kind, t.source_text, c.cluster_id, a.outlet "
            "FROM attributions t JOIN article_actors aa ON aa.article_id = t.article_id "
            "AND aa.local_id = t.source_actor JOIN articles a ON a.id = t.article_id "
            "LEFT JOIN claims c ON c.article_id = t.article_id AND c.attribution_id = t.id "
            "WHERE aa.actor_id = ? ORDER BY a.seq, t.id",
            [aid],
        )
    )
    local = con.execute(
        "SELECT article_id, local_id, mentions FROM article_actors WHERE actor_id = ?", [aid]
    ).fetchall()
    about = []
    for art, _lid, mentions in local:
        spans = [tuple(s) for m in json.loads(mentions or "[]") for s in m.get("spans", [])]
        for row in _dicts(
            con.execute(
                "SELECT c.id, c.kind, c.text, c.spans, c.source_text, c.cluster_id "
                "FROM claims c WHERE c.article_id = ?",
                [art],
            )
        ):
            cspans = json.loads(row.pop("spans") or "[]")
            if any(s < ce and cs < e for s, e in spans for cs, ce in cspans):
                row["article_id"] = art
                about.append(row)
    out["said_about"] = about
    out["labels"] = _dicts(
        con.execute(
            "SELECT l.label, l.voice, l.text, l.article_id, a.outlet FROM labels l "
            "JOIN article_actors aa ON aa.article_id = l.article_id "
            "AND aa.local_id = l.local_actor JOIN articles a ON a.id = l.article_id "
            "WHERE aa.actor_id = ? ORDER BY l.label",
            [aid],
        )
    )
    return out


def search(con: duckdb.DuckDBPyConnection, q: str, limit: int = 50) -> list[dict[str, Any]]:
    """Claims whose text contains ``q`` (case-insensitive), with their cluster."""
    return _dicts(
        con.execute(
            "SELECT c.id, c.article_id, c.cluster_id, c.kind, c.text, a.outlet, a.title "
            "FROM claims c JOIN articles a ON a.id = c.article_id "
            "WHERE c.text ILIKE '%' || ? || '%' ORDER BY a.seq, c.start_offset LIMIT ?",
            [q, limit],
        )
    )
