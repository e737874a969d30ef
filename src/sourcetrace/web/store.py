"""Read-only access to a corpus file for the web app: one method per page, plain dicts out.

Reads the tables documented in the README section "Corpus tables" (DDL in
``sourcetrace.corpus.schema``) with parameterised SQL. The file is opened read-only once;
each server thread gets its own cursor (DuckDB connections are not shared across threads).
Nothing a caller passes is ever used as a path: ids and search words are SQL parameters.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from ..model.errors import SourcetraceError
from ..model.types import NAMED_TYPES

# Source types that count as named in the sourcing-profile chart (as in profile.py).
# Articles read to find statements *about* an actor (mentions inside others' contents).
ABOUT_ARTICLE_LIMIT = 200
STATEMENT_LIMIT = 200  # rows per list on the actor page
# A claim page lists at most this many statements and timeline entries (the cluster
# row keeps the full counts) ...
MAX_CLAIM_ROWS = 100
# ... and draws at most this many provenance edges: past a few thousand elements the
# browser's graph layout takes seconds, and a big cluster's "repeats" edges grow as n^2.
MAX_GRAPH_EDGES = 400


_EARLIER_KINDS = "('repeats', 'earlier_report', 'earlier')"


class StoreError(SourcetraceError):
    """The corpus file cannot be opened; str() names the file and says why, in one line."""


class NotFound(SourcetraceError):
    """No article, actor or claim with that id."""


class _ReadWriteLock:
    """Many readers or one writer (the writer swaps the connection after an add)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._writing = True
            while self._readers:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class CorpusStore:
    """The corpus at ``path``, opened read-only.

    path (str | Path): a DuckDB file written by ``sourcetrace corpus build``.
    RAISES StoreError: missing, not DuckDB, or not a sourcetrace corpus.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._con = _connect(self.path)
        self._local = threading.local()
        self._lock = _ReadWriteLock()
        self._generation = 0
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._cursors_lock = threading.Lock()

    def close(self) -> None:
        with self._lock.write():
            self._close_all()

    def _close_all(self) -> None:
        with self._cursors_lock:
            for cur in self._cursors:
                cur.close()
            self._cursors.clear()
        self._con.close()

    def reopen(self) -> None:
        """Read the file again (after ``corpus build`` replaced it): waits for readers.

        Every cursor is closed first, since DuckDB hands a new connection the database
        instance still open for the same path.
        """
        with self._lock.write():
            self._close_all()
            self._con = _connect(self.path)
            self._generation += 1

    def _cur(self) -> duckdb.DuckDBPyConnection:
        local = self._local
        if getattr(local, "generation", None) != self._generation:
            local.cur = self._con.cursor()
            local.generation = self._generation
            with self._cursors_lock:
                self._cursors.append(local.cur)
        return local.cur

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock.read():
            cur = self._cur().execute(sql, list(params))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    # ---- overview --------------------------------------------------------------------
    def overview(self, *, limit: int = 20) -> dict[str, Any]:
        """Counts, per-outlet sourcing shares, and the claims worth a look first."""
        counts = self._one(
            """SELECT
                 (SELECT count(*) FROM articles) AS articles,
                 (SELECT count(*) FROM duplicates) AS duplicates,
                 (SELECT count(DISTINCT outlet) FROM articles WHERE outlet IS NOT NULL)
                   AS outlets,
                 (SELECT count(*) FROM actors) AS actors,
                 (SELECT count(*) FROM claims) AS claims,
                 (SELECT count(*) FROM clusters) AS clusters"""
        )
        return {
            "counts": counts,
            "outlets": self.outlet_profiles(),
            "top_claims": self._rows(
                f"SELECT {_CLUSTER_COLS} FROM clusters "
                "ORDER BY n_articles DESC, independent_origins ASC, id LIMIT ?",
                [limit],
            ),
            "fewest_origins": self._rows(
                f"SELECT {_CLUSTER_COLS} FROM clusters WHERE n_articles > 1 "
                "ORDER BY independent_origins ASC, n_articles DESC, id LIMIT ?",
                [limit],
            ),
            "articles": self.articles(limit=limit)["articles"],
            "actors": self._rows(
                "SELECT id, name, type, n_articles, n_mentions FROM actors "
                "ORDER BY n_articles DESC, n_mentions DESC, id LIMIT ?",
                [limit],
            ),
        }

    def outlet_profiles(self) -> list[dict[str, Any]]:
        """Per outlet: shares of named, anonymous, vague (or no source) and unattributed.

        The denominator is every attribution plus every unattributed assertion, so the
        four shares add up to 1.
        """
        rows = self._rows(
            f"""WITH a AS (
                  SELECT coalesce(ar.outlet, '(unknown outlet)') AS outlet,
                    count(*) FILTER (WHERE t.source_type IN {NAMED_TYPES}) AS named,
                    count(*) FILTER (WHERE t.source_type = 'anonymous') AS anonymous,
                    count(*) FILTER (WHERE t.source_type IS NULL
                      OR t.source_type NOT IN {NAMED_TYPES + ('anonymous',)}) AS vague
                  FROM attributions t JOIN articles ar ON ar.id = t.article_id
                  GROUP BY 1),
                u AS (
                  SELECT coalesce(ar.outlet, '(unknown outlet)') AS outlet,
                    count(*) AS unattributed
                  FROM claims c JOIN articles ar ON ar.id = c.article_id
                  WHERE c.kind = 'unattributed' GROUP BY 1),
                n AS (
                  SELECT coalesce(outlet, '(unknown outlet)') AS outlet, count(*) AS articles
                  FROM articles GROUP BY 1)
                SELECT n.outlet, n.articles,
                  coalesce(a.named, 0) AS named_n, coalesce(a.anonymous, 0) AS anonymous_n,
                  coalesce(a.vague, 0) AS vague_n, coalesce(u.unattributed, 0) AS unattributed_n
                FROM n LEFT JOIN a USING (outlet) LEFT JOIN u USING (outlet)
                ORDER BY n.articles DESC, n.outlet"""
        )
        for r in rows:
            total = r["named_n"] + r["anonymous_n"] + r["vague_n"] + r["unattributed_n"]
            for key in ("named", "anonymous", "vague", "unattributed"):
                r[key] = round(r[f"{key}_n"] / total, 4) if total else 0.0
            r["statements"] = total
        return rows

    # ---- articles --------------------------------------------------------------------
    def articles(
        self, *, outlet: str | None = None, limit: int = 50, offset: int = 0
    ) -> dict[str, Any]:
        where, params = ("WHERE outlet = ?", [outlet]) if outlet else ("", [])
        rows = self._rows(
            f"SELECT id, title, outlet, published, path FROM articles {where} "
            "ORDER BY published_ts DESC NULLS LAST, seq LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        total = self._one(f"SELECT count(*) AS n FROM articles {where}", params)
        return {"total": total["n"] if total else 0, "articles": rows}

    def article(self, article_id: str) -> dict[str, Any]:
        """The analysis record and what links it to the rest of the corpus.

        RETURNS: ``record`` (Analysis.to_dict()), ``actors`` (local actor id -> corpus
        actor {id, name}), ``claims`` (attribution id, or "u<i>" for the i-th unattributed
        assertion -> claim cluster id), ``copies`` (duplicates stored under this article).
        """
        row = self._one(
            "SELECT id, outlet, published, record FROM articles WHERE id = ?", [article_id]
        )
        if row is None:
            raise NotFound(f"no article with id {article_id!r}")
        record = _json(row["record"])
        actors = {
            r["local_id"]: {"id": r["actor_id"], "name": r["name"]}
            for r in self._rows(
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
        for r in self._rows(
            "SELECT kind, attribution_id, start_offset, cluster_id FROM claims "
            "WHERE article_id = ? AND cluster_id IS NOT NULL",
            [article_id],
        ):
            if r["attribution_id"]:
                claims[r["attribution_id"]] = r["cluster_id"]
            elif r["start_offset"] in starts:
                claims[f"u{starts[r['start_offset']]}"] = r["cluster_id"]
        copies = self._rows(
            "SELECT path, url, outlet, published, reason, similarity FROM duplicates "
            "WHERE article_id = ? ORDER BY published_ts NULLS LAST, path",
            [article_id],
        )
        return {"record": record, "actors": actors, "claims": claims, "copies": copies,
                "in_corpus": True}

    def stored_id(self, record: dict[str, Any]) -> str:
        """The id an added record ended up under: its own, or the article it duplicates."""
        if self._one("SELECT 1 AS x FROM articles WHERE id = ?", [record["id"]]):
            return str(record["id"])
        dup = self._one(
            "SELECT article_id FROM duplicates WHERE path = ? ORDER BY article_id LIMIT 1",
            [record.get("path")],
        )
        if dup is None:
            raise NotFound(f"article {record['id']!r} was not stored")
        return str(dup["article_id"])

    # ---- actors ----------------------------------------------------------------------
    def actor(self, actor_id: str) -> dict[str, Any]:
        """Names with merge evidence, statements by and about the actor, labels on it."""
        actor = self._one(
            "SELECT id, name, type, n_articles, n_mentions FROM actors WHERE id = ?", [actor_id]
        )
        if actor is None:
            raise NotFound(f"no actor with id {actor_id!r}")
        actor["aliases"] = self._rows(
            "SELECT alias, n_articles FROM actor_aliases WHERE actor_id = ? "
            "ORDER BY n_articles DESC, alias",
            [actor_id],
        )
        actor["evidence"] = self._rows(
            """SELECT e.alias, e.other, e.kind, e.detail, e.article_id, ar.title
               FROM actor_evidence e LEFT JOIN articles ar ON ar.id = e.article_id
               WHERE e.actor_id = ? ORDER BY e.kind, e.alias, e.other""",
            [actor_id],
        )
        actor["statements"] = self._statements(actor_id, "t.source_actor = aa.local_id")
        # Statements it passed on: its local id among the attribution's relays.
        actor["relayed"] = self._statements(
            actor_id,
            "list_contains(json_extract_string(t.relayed_by, '$[*].actor'), aa.local_id)",
        )
        actor["about"] = self._about(actor_id)
        labels = self._rows(
            f"""SELECT l.article_id, ar.title, ar.outlet, l.label, l.voice, l.text,
                  l.attribution, t.source_text AS said_by
               FROM article_actors aa
               JOIN labels l ON l.article_id = aa.article_id AND l.local_actor = aa.local_id
               JOIN articles ar ON ar.id = l.article_id
               LEFT JOIN attributions t ON t.article_id = l.article_id
                 AND t.id = l.attribution
               WHERE aa.actor_id = ?
               ORDER BY l.voice DESC, l.label, ar.seq LIMIT {STATEMENT_LIMIT}""",
            [actor_id],
        )
        actor["labels_by_writer"] = [lb for lb in labels if lb["voice"] == "writer"]
        actor["labels_by_sources"] = [lb for lb in labels if lb["voice"] != "writer"]
        return actor

    def _statements(self, actor_id: str, link: str) -> list[dict[str, Any]]:
        """Attributions joined to the actor's article-local ids by ``link`` (a constant)."""
        rows = self._rows(
            f"""SELECT t.article_id, ar.title, ar.outlet, ar.published, t.id AS attribution,
                  t.kind, t.source_text, t.cue_text, t.content_text, t.relayed_by,
                  c.cluster_id
               FROM article_actors aa
               JOIN attributions t ON t.article_id = aa.article_id AND {link}
               JOIN articles ar ON ar.id = t.article_id
               LEFT JOIN claims c ON c.article_id = t.article_id AND c.attribution_id = t.id
               WHERE aa.actor_id = ?
               ORDER BY ar.published_ts NULLS LAST, ar.seq, t.id LIMIT {STATEMENT_LIMIT}""",
            [actor_id],
        )
        for r in rows:
            r["relayed_by"] = [x.get("text") for x in _json(r["relayed_by"]) or ()]
        return rows

    def _about(self, actor_id: str) -> list[dict[str, Any]]:
        """Claims whose text mentions the actor, said by someone else (or by no one)."""
        mentions = self._rows(
            f"""SELECT article_id, local_id, mentions FROM article_actors
                WHERE actor_id = ? LIMIT {ABOUT_ARTICLE_LIMIT}""",
            [actor_id],
        )
        if not mentions:
            return []
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        local: dict[str, set[str]] = defaultdict(set)
        for m in mentions:
            local[m["article_id"]].add(m["local_id"])
            for mention in _json(m["mentions"]) or ():
                spans[m["article_id"]].extend((s, e) for s, e in mention.get("spans", ()))
        ids = list(spans)
        out = []
        for c in self._rows(
            """SELECT c.article_id, ar.title, ar.outlet, c.kind, c.attribution_id, c.text,
                 c.spans, c.source_text, c.source_local_actor, c.cluster_id
               FROM claims c JOIN articles ar ON ar.id = c.article_id
               WHERE c.article_id IN (SELECT unnest(?::VARCHAR[]))
               ORDER BY ar.seq, c.start_offset""",
            [ids],
        ):
            if c["source_local_actor"] in local[c["article_id"]]:
                continue  # its own statement, listed under "statements"
            claim_spans = [tuple(s) for s in _json(c["spans"]) or ()]
            if _overlaps(spans[c["article_id"]], claim_spans):
                c.pop("spans")
                c.pop("source_local_actor")
                out.append(c)
                if len(out) >= STATEMENT_LIMIT:
                    break
        return out

    # ---- claims ----------------------------------------------------------------------
    def claims(self, *, min_articles: int = 1, limit: int = 50, offset: int = 0
               ) -> dict[str, Any]:
        rows = self._rows(
            f"SELECT {_CLUSTER_COLS} FROM clusters WHERE n_articles >= ? "
            "ORDER BY n_articles DESC, independent_origins, id LIMIT ? OFFSET ?",
            [min_articles, limit, offset],
        )
        total = self._one("SELECT count(*) AS n FROM clusters WHERE n_articles >= ?",
                          [min_articles])
        return {"total": total["n"] if total else 0, "claims": rows}

    def claim(self, cluster_id: str) -> dict[str, Any]:
        """A claim cluster: its claims, provenance graph, origins and timeline."""
        cluster = self._one(f"SELECT {_CLUSTER_COLS} FROM clusters WHERE id = ?", [cluster_id])
        if cluster is None:
            raise NotFound(f"no claim with id {cluster_id!r}")
        cluster["claims"] = self._rows(
            """SELECT c.id, c.article_id, ar.title, ar.outlet, ar.published, c.kind,
                 c.attribution_id, c.text, c.source_text, c.source_type, c.relayed_by
               FROM claims c JOIN articles ar ON ar.id = c.article_id
               WHERE c.cluster_id = ?
               ORDER BY ar.published_ts NULLS LAST, ar.seq, c.start_offset LIMIT ?""",
            [cluster_id, MAX_CLAIM_ROWS],
        )
        for c in cluster["claims"]:
            c["relayed_by"] = [r.get("text") for r in _json(c["relayed_by"]) or ()]
        cluster["origins"] = self._rows(
            "SELECT origin, label, n_claims FROM origins WHERE cluster_id = ? "
            "ORDER BY n_claims DESC, label",
            [cluster_id],
        )
        cluster["timeline"] = self._rows(
            """SELECT t.seq, t.article_id, ar.title, t.outlet, t.published, t.kind
               FROM timeline t LEFT JOIN articles ar ON ar.id = t.article_id
               WHERE t.cluster_id = ? ORDER BY t.seq LIMIT ?""",
            [cluster_id, MAX_CLAIM_ROWS],
        )
        # Edges to sources first: they carry the origins. "Earlier reports" links (through
        # the chain of prefix nodes) fill what room MAX_GRAPH_EDGES leaves.
        edges = self._rows(
            f"""SELECT src, dst, kind, via FROM provenance_edges
               WHERE cluster_id = ? AND kind NOT IN {_EARLIER_KINDS}
               ORDER BY src, dst LIMIT ?""",
            [cluster_id, MAX_GRAPH_EDGES],
        )
        if len(edges) < MAX_GRAPH_EDGES:
            edges += self._rows(
                f"""SELECT src, dst, kind, via FROM provenance_edges
                   WHERE cluster_id = ? AND kind IN {_EARLIER_KINDS}
                   ORDER BY src, dst LIMIT ?""",
                [cluster_id, MAX_GRAPH_EDGES - len(edges)],
            )
        total = self._one(
            "SELECT count(*) AS n FROM provenance_edges WHERE cluster_id = ?", [cluster_id]
        )
        for e in edges:
            e["via"] = [v.get("text") if isinstance(v, dict) else str(v)
                        for v in _json(e["via"]) or ()]
        # Only the nodes the drawn edges touch, and every origin: a big cluster has
        # thousands of claim and prefix nodes.
        used = sorted({e["src"] for e in edges} | {e["dst"] for e in edges})
        nodes = self._rows(
            "SELECT node_id, kind, label, article_id, outlet, actor_id, source_type "
            "FROM provenance_nodes WHERE cluster_id = ? "
            "AND (kind NOT IN ('claim', 'earlier') OR list_contains(?, node_id)) "
            "ORDER BY node_id",
            [cluster_id, used],
        )
        titles = {c["article_id"]: c["title"] for c in cluster["claims"]}
        cluster["graph"] = provenance_graph(nodes, edges, titles)
        cluster["graph"]["edges_total"] = total["n"] if total else len(edges)
        cluster["graph"]["edges_shown"] = len(edges)
        return cluster

    # ---- search ----------------------------------------------------------------------
    def search(self, q: str, *, outlet: str | None = None, limit: int = 50) -> dict[str, Any]:
        """Case-insensitive substring search over articles, claims and actors."""
        q = q.strip()
        if not q and not outlet:
            return {"q": q, "outlet": outlet, "articles": [], "claims": [], "actors": []}
        pattern = "%" + _like_escape(q) + "%"
        art_where = ["(title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\')"]
        art_params: list[Any] = [pattern, pattern]
        if outlet:
            art_where.append("outlet = ?")
            art_params.append(outlet)
        articles = self._rows(
            f"SELECT id, title, outlet, published FROM articles WHERE {' AND '.join(art_where)} "
            "ORDER BY published_ts DESC NULLS LAST, seq LIMIT ?",
            [*art_params, limit],
        )
        claims = actors = []
        if q:
            claims = self._rows(
                f"""SELECT {_CLUSTER_COLS} FROM clusters WHERE id IN (
                      SELECT cluster_id FROM claims WHERE text ILIKE ? ESCAPE '\\')
                    ORDER BY n_articles DESC, id LIMIT ?""",
                [pattern, limit],
            )
            actors = self._rows(
                """SELECT id, name, type, n_articles FROM actors WHERE name ILIKE ? ESCAPE '\\'
                     OR id IN (SELECT actor_id FROM actor_aliases
                               WHERE alias ILIKE ? ESCAPE '\\')
                   ORDER BY n_articles DESC, id LIMIT ?""",
                [pattern, pattern, limit],
            )
        return {"q": q, "outlet": outlet, "articles": articles, "claims": claims,
                "actors": actors}


_CLUSTER_COLS = (
    "id, text, n_claims, n_articles, n_outlets, independent_origins, circular, "
    "circular_reason, first_seen, first_article_id, last_seen"
)


def provenance_graph(
    nodes: Iterable[dict[str, Any]],
    edges: Iterable[dict[str, Any]],
    titles: dict[str, str | None] | None = None,
) -> dict[str, Any]:
    """The drawable graph: outlets hold their articles' claims; relays become nodes.

    RETURNS: ``{"nodes": [{id, label, kind, parent?}], "edges": [{id, source, target,
    kind}]}`` with kind one of outlet, article, relay, earlier, origin (nodes) and cites, relays,
    earlier_report, repeats (edges), ready for cytoscape.js or a plain table.
    """
    titles = titles or {}
    out_nodes: dict[str, dict[str, Any]] = {}
    out_edges: list[dict[str, Any]] = []
    for n in nodes:
        if n["kind"] == "claim":
            outlet = n.get("outlet") or "(unknown outlet)"
            parent = f"outlet:{outlet}"
            out_nodes.setdefault(parent, {"id": parent, "label": outlet, "kind": "outlet"})
            title = titles.get(n.get("article_id") or "") or n.get("label") or n["node_id"]
            out_nodes[n["node_id"]] = {
                "id": n["node_id"], "label": title, "kind": "article", "parent": parent,
                "article_id": n.get("article_id"),
            }
        elif n["kind"] == "earlier":  # "one of the earlier articles": a junction, not an origin
            out_nodes[n["node_id"]] = {
                "id": n["node_id"], "label": n.get("label") or "earlier articles",
                "kind": "earlier",
            }
        else:
            out_nodes[n["node_id"]] = {
                "id": n["node_id"], "label": n.get("label") or n["node_id"], "kind": "origin",
                "actor_id": n.get("actor_id"), "source_type": n.get("source_type"),
            }
    for i, e in enumerate(edges):
        hops = [e["src"]]
        for name in e.get("via") or ():
            relay = f"relay:{name}"
            out_nodes.setdefault(relay, {"id": relay, "label": name, "kind": "relay"})
            hops.append(relay)
        hops.append(e["dst"])
        for j, (a, b) in enumerate(zip(hops, hops[1:], strict=False)):
            for end in (a, b):
                out_nodes.setdefault(end, {"id": end, "label": end, "kind": "origin"})
            kind = "relays" if j < len(hops) - 2 else e["kind"]
            out_edges.append({"id": f"e{i}.{j}", "source": a, "target": b, "kind": kind})
    return {"nodes": list(out_nodes.values()), "edges": _dedupe_edges(out_edges)}


def graph_rows(graph: dict[str, Any]) -> list[dict[str, Any]]:
    """The graph's edges as table rows with node labels, kinds and the source's outlet."""
    nodes = {n["id"]: n for n in graph["nodes"]}
    rows = []
    for e in graph["edges"]:
        a, b = nodes.get(e["source"], {}), nodes.get(e["target"], {})
        parent = nodes.get(a.get("parent") or "", {})
        rows.append({
            "from": a.get("label", e["source"]), "from_kind": a.get("kind", ""),
            "from_outlet": parent.get("label", ""), "from_article": a.get("article_id"),
            "to": b.get("label", e["target"]), "to_kind": b.get("kind", ""),
            "kind": e["kind"],
        })
    return rows


def _dedupe_edges(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for e in edges:
        key = (e["source"], e["target"], e["kind"])
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _connect(path: str) -> duckdb.DuckDBPyConnection:
    from ..corpus.db import CorpusError, connect

    try:
        return connect(path, read_only=True)
    except CorpusError as exc:
        raise StoreError(str(exc)) from None


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _like_escape(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _overlaps(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


__all__ = ["CorpusStore", "NotFound", "StoreError", "graph_rows", "provenance_graph"]
