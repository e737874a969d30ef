"""Claim clusters: the list (by outlets or by articles), and one cluster as a provenance
tree (``corpus claim``, the report) or as a bounded page with a drawable graph (the web)."""

from __future__ import annotations

import json
from typing import Any, Literal

import duckdb

from .disputes import cluster_disputes
from .graph import provenance_graph
from .rows import CLUSTER_COLS, dicts, json_value, name_outlets, one, paged, rows

# A claim page lists at most this many statements and timeline entries (the cluster
# row keeps the full counts) ...
MAX_CLAIM_ROWS = 100
# ... and draws at most this many provenance edges: past a few thousand elements the
# browser's graph layout takes seconds, and a big cluster's "repeats" edges grow as n^2.
MAX_GRAPH_EDGES = 400

_EARLIER_KINDS = "('repeats', 'earlier_report', 'earlier')"
# Most widespread first: by outlets (``corpus claims``, the report) or by articles and
# then fewest independent origins (the web pages).
_CLAIM_ORDER = {
    "outlets": "n_outlets DESC, n_articles DESC, CAST(substr(id, 2) AS INTEGER)",
    "articles": "n_articles DESC, independent_origins, id",
}


def claims(
    con: duckdb.DuckDBPyConnection,
    min_articles: int = 2,
    limit: int | None = None,
    *,
    order: Literal["outlets", "articles"] = "outlets",
    offset: int | None = None,
) -> list[dict[str, Any]]:
    """Claim clusters carried by at least ``min_articles`` articles, most widespread first.

    order: "outlets" (most outlets, then articles, then cluster number) or "articles"
        (most articles, then fewest independent origins, then id).
    """
    sql = (
        f"SELECT {CLUSTER_COLS} FROM clusters "
        f"WHERE n_articles >= ? ORDER BY {_CLAIM_ORDER[order]}"
    )
    sql, params = paged(sql, [min_articles], limit, offset)
    return with_outlet_counts(con, dicts(con.execute(sql, params)))


def with_outlet_counts(
    con: duckdb.DuckDBPyConnection, clusters: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Set ``n_outlets`` (known outlets only) and ``n_no_outlet`` (articles with no
    known outlet) on each cluster row, from its timeline.

    An article with no outlet is not an outlet: "6 articles, 0 outlets, 6 with no known
    outlet", never "6 outlets". Counted here, for the rows shown, so every view (CLI,
    report, web) says the same, on corpora built before the build counted this way too.
    """
    ids = [c["id"] for c in clusters]
    if not ids:
        return clusters
    counts = {
        r["cluster_id"]: r
        for r in rows(
            con,
            """SELECT cluster_id, count(DISTINCT outlet) AS n_outlets,
                 count(*) FILTER (WHERE outlet IS NULL AND kind = 'article') AS n_no_outlet
               FROM timeline WHERE cluster_id IN (SELECT unnest(?::VARCHAR[]))
               GROUP BY cluster_id""",
            [ids],
        )
    }
    for c in clusters:
        found = counts.get(c["id"])
        if found is not None:
            c["n_outlets"] = found["n_outlets"]
            c["n_no_outlet"] = found["n_no_outlet"]
        else:
            c.setdefault("n_no_outlet", 0)
    return clusters


def count_claims(con: duckdb.DuckDBPyConnection, min_articles: int = 1) -> int:
    """How many clusters ``claims(con, min_articles)`` would list without a limit."""
    total = one(con, "SELECT count(*) AS n FROM clusters WHERE n_articles >= ?",
                [min_articles])
    return total["n"] if total else 0


def claim(
    con: duckdb.DuckDBPyConnection, cluster_id: str, *, view: Literal["tree", "page"] = "tree"
) -> dict[str, Any] | None:
    """One cluster with its claims, origins and timeline; None when there is no such id.

    view: "tree" (the whole cluster with a provenance tree per claim, for ``corpus claim``
        and the report) or "page" (at most MAX_CLAIM_ROWS claims and MAX_GRAPH_EDGES
        edges, drawn as ``graph``, for the web page). Both carry ``disputed_by``: at most
        MAX_CLAIM_ROWS disputes (``cluster_disputes``) of the cluster's claims.
    """
    out = _claim_tree(con, cluster_id) if view == "tree" else _claim_page(con, cluster_id)
    if out is not None:
        # The claims of other clusters that contradict this one's ("disputed by").
        out["disputed_by"] = cluster_disputes(con, cluster_id, limit=MAX_CLAIM_ROWS)
    return out


def _claim_tree(con: duckdb.DuckDBPyConnection, cluster_id: str) -> dict[str, Any] | None:
    """The whole cluster: every claim, node and edge, and ``tree``.

    ``tree``: for each claim, nested dicts following the provenance edges down to the
    origins ({"node", "label", "kind", "via", "children"}); cycles are cut where a node
    repeats on the path (``"cycle": True``).
    """
    found = dicts(con.execute("SELECT * FROM clusters WHERE id = ?", [cluster_id]))
    if not found:
        return None
    out = with_outlet_counts(con, found)[0]
    out["claims"] = name_outlets(dicts(
        con.execute(
            "SELECT c.id, c.article_id, c.kind, c.text, c.start_offset, c.end_offset, "
            "c.source_text, c.source_type, c.relayed_by, a.outlet, a.published, a.title, "
            "a.url, a.path "
            "FROM claims c JOIN articles a ON a.id = c.article_id WHERE c.cluster_id = ? "
            "ORDER BY a.published_ts NULLS LAST, a.seq, c.start_offset",
            [cluster_id],
        )
    ))
    for c in out["claims"]:
        c["relayed_by"] = [r.get("text") for r in json.loads(c["relayed_by"] or "[]")]
    nodes = {
        n["node_id"]: n
        for n in dicts(
            con.execute("SELECT * FROM provenance_nodes WHERE cluster_id = ?", [cluster_id])
        )
    }
    edges = dicts(
        con.execute(
            "SELECT src, dst, kind, via FROM provenance_edges WHERE cluster_id = ?", [cluster_id]
        )
    )
    for e in edges:
        e["via"] = json.loads(e["via"] or "[]")
    out["nodes"] = list(nodes.values())
    out["edges"] = edges
    out["origins"] = dicts(
        con.execute("SELECT origin, label, n_claims FROM origins WHERE cluster_id = ?",
                    [cluster_id])
    )
    out["timeline"] = name_outlets(dicts(
        con.execute(
            "SELECT t.seq, t.article_id, t.outlet, t.published, t.kind, a.title, a.url, "
            "a.path FROM timeline t LEFT JOIN articles a ON a.id = t.article_id "
            "WHERE t.cluster_id = ? ORDER BY t.seq",
            [cluster_id],
        )
    ))
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


def _claim_page(con: duckdb.DuckDBPyConnection, cluster_id: str) -> dict[str, Any] | None:
    """The cluster row, its first claims and timeline entries, and a drawable graph."""
    cluster = one(con, f"SELECT {CLUSTER_COLS} FROM clusters WHERE id = ?", [cluster_id])
    if cluster is None:
        return None
    with_outlet_counts(con, [cluster])
    cluster["claims"] = name_outlets(rows(
        con,
        """SELECT c.id, c.article_id, ar.title, ar.outlet, ar.published, c.kind,
             c.attribution_id, c.text, c.source_text, c.source_type, c.relayed_by,
             ar.url, ar.path
           FROM claims c JOIN articles ar ON ar.id = c.article_id
           WHERE c.cluster_id = ?
           ORDER BY ar.published_ts NULLS LAST, ar.seq, c.start_offset LIMIT ?""",
        [cluster_id, MAX_CLAIM_ROWS],
    ))
    for c in cluster["claims"]:
        c["relayed_by"] = [r.get("text") for r in json_value(c["relayed_by"]) or ()]
    cluster["origins"] = rows(
        con,
        "SELECT origin, label, n_claims FROM origins WHERE cluster_id = ? "
        "ORDER BY n_claims DESC, label",
        [cluster_id],
    )
    cluster["timeline"] = name_outlets(rows(
        con,
        """SELECT t.seq, t.article_id, ar.title, t.outlet, t.published, t.kind, ar.url,
             ar.path
           FROM timeline t LEFT JOIN articles ar ON ar.id = t.article_id
           WHERE t.cluster_id = ? ORDER BY t.seq LIMIT ?""",
        [cluster_id, MAX_CLAIM_ROWS],
    ))
    # Edges to sources first: they carry the origins. "Earlier reports" links (through
    # the chain of prefix nodes) fill what room MAX_GRAPH_EDGES leaves.
    edges = rows(
        con,
        f"""SELECT src, dst, kind, via FROM provenance_edges
           WHERE cluster_id = ? AND kind NOT IN {_EARLIER_KINDS}
           ORDER BY src, dst LIMIT ?""",
        [cluster_id, MAX_GRAPH_EDGES],
    )
    if len(edges) < MAX_GRAPH_EDGES:
        edges += rows(
            con,
            f"""SELECT src, dst, kind, via FROM provenance_edges
               WHERE cluster_id = ? AND kind IN {_EARLIER_KINDS}
               ORDER BY src, dst LIMIT ?""",
            [cluster_id, MAX_GRAPH_EDGES - len(edges)],
        )
    total = one(con, "SELECT count(*) AS n FROM provenance_edges WHERE cluster_id = ?",
                [cluster_id])
    for e in edges:
        e["via"] = [v.get("text") if isinstance(v, dict) else str(v)
                    for v in json_value(e["via"]) or ()]
    # Only the nodes the drawn edges touch, and every origin: a big cluster has
    # thousands of claim and prefix nodes.
    used = sorted({e["src"] for e in edges} | {e["dst"] for e in edges})
    nodes = rows(
        con,
        "SELECT node_id, kind, label, article_id, outlet, actor_id, source_type "
        "FROM provenance_nodes WHERE cluster_id = ? "
        "AND (kind NOT IN ('claim', 'earlier') OR list_contains(?, node_id)) "
        "ORDER BY node_id",
        [cluster_id, used],
    )
    titles = {c["article_id"]: c["title"] for c in cluster["claims"]}
    outlets = {c["article_id"]: c["outlet_label"] for c in cluster["claims"]}
    cluster["graph"] = provenance_graph(nodes, edges, titles, outlets)
    _date_articles(con, cluster["graph"])
    cluster["graph"]["edges_total"] = total["n"] if total else len(edges)
    cluster["graph"]["edges_shown"] = len(edges)
    return cluster


def _date_articles(con: duckdb.DuckDBPyConnection, graph: dict[str, Any]) -> None:
    """Give each article node its article's title, ``published`` (as stored),
    ``published_ts`` (ISO, or None) and ``seq``: the time order of the drawn graph."""
    ids = sorted({n["article_id"] for n in graph["nodes"] if n.get("article_id")})
    if not ids:
        return
    found = {
        r["id"]: r for r in rows(
            con,
            "SELECT id, title, published, CAST(published_ts AS VARCHAR) AS published_ts, seq "
            "FROM articles WHERE list_contains(?, id)",
            [ids],
        )
    }
    for n in graph["nodes"]:
        a = found.get(n.get("article_id") or "")
        if a is not None:
            n.update(title=a["title"], published=a["published"],
                     published_ts=a["published_ts"], seq=a["seq"])


def search_claims(
    con: duckdb.DuckDBPyConnection, q: str, limit: int = 50
) -> list[dict[str, Any]]:
    """Claims whose text contains ``q`` (case-insensitive), with their cluster."""
    return name_outlets(dicts(
        con.execute(
            "SELECT c.id, c.article_id, c.cluster_id, c.kind, c.text, a.outlet, a.title, "
            "a.url, a.path "
            "FROM claims c JOIN articles a ON a.id = c.article_id "
            "WHERE c.text ILIKE '%' || ? || '%' ORDER BY a.seq, c.start_offset LIMIT ?",
            [q, limit],
        )
    ))


__all__ = ["MAX_CLAIM_ROWS", "MAX_GRAPH_EDGES", "claim", "claims", "count_claims",
           "search_claims", "with_outlet_counts"]
