"""Provenance of each claim cluster: where did it come from, and how many times?

For every claim of a cluster, a path is drawn from the article through the sources it
cites and their relays (outermost first) to where the claim starts:

- a named source (person, organisation, government, document) is an *origin*, unless it
  is a news outlet whose own articles in the corpus carry the claim: then the path goes
  on into those articles (``cites``);
- an anonymous source is known only through whoever relays it: the origin is "an
  anonymous source of <innermost named relay>" (or of the article's own outlet), so one
  unnamed source passed on by several outlets counts once; a relay that is a corpus
  outlet carrying the claim is followed instead;
- "media reports", "earlier reports" and sourceless reporting verbs, and assertions in
  the writer's voice, point to the *earlier* corpus articles carrying the claim
  (``earlier_report`` / ``repeats``); with none earlier, the outlet itself is the origin.

Syndicated copies never got claims of their own (``dedup``), and keys are per outlet,
so same-outlet repeats collapse. The graph's strongly connected components are
collapsed; the **independent-origin count** is the number of sink components reached.
A sink that is a cycle (outlets citing each other) is flagged circular, as is a
cluster spread over several outlets that all lead to one origin through each other.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from ..actors import normalise_name
from ..model.types import NAMED_TYPES
from ..reports.words import plural
from .actors import key_of
from .db import insert_rows, join_stepwise, read_sorted
from .outlets import outlet_label

logger = logging.getLogger(__name__)

# Rows read (claims) or buffered (output) at a time. Provenance alone on the 100k
# benchmark corpus: 20,000 peaks at 362 MB in 40 s, 5,000 at 303 MB in 45 s, 2,000 at
# 286 MB in 59 s.
STREAM_ROWS = 5_000
# Claim rows sorted at a time (read_sorted). 582k sorted on one thread under 64 MB;
# 1.16M (200k benchmark articles) ran out of it.
TRACE_SORT_ROWS = 250_000
EARLIER = "earlier:"  # id prefix of the prefix-chain nodes behind "earlier reports"

UNSOURCED_TYPES = ("vague", "article")
PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i", "you"})


@dataclass
class _Claim:
    id: str
    article_id: str
    outlet: str | None
    outlet_key: str
    order: tuple
    published: str | None
    kind: str
    text: str
    source: dict[str, Any] | None
    relays: list[dict[str, Any]]
    where: str = ""  # outlet_label: the outlet, or a readable stand-in (never an id)
    # Sum of its links' similarities inside the cluster: the most central claim gives
    # the cluster its text.
    centrality: float = 0.0


@dataclass
class ClusterGraph:
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[tuple[str, str, str, list[str]]] = field(default_factory=list)

    def node(self, node_id: str, **attrs: Any) -> str:
        self.nodes.setdefault(node_id, {"node_id": node_id, **attrs})
        return node_id


def _sccs(nodes: Iterable[str], succ: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on.add(v)
            children = succ.get(v, [])
            recurse = False
            while i < len(children):
                w = children[i]
                i += 1
                if w not in index:
                    work.append((v, i))
                    work.append((w, 0))
                    recurse = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return out


class _Resolver:
    """Corpus actors -> their names and name keys. Which corpus actor an article's
    source is comes with each claim (``corpus_actor``, resolved in DuckDB), so nothing
    here grows with the number of articles."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.names: dict[str, str] = dict(con.execute("SELECT id, name FROM actors").fetchall())
        self.keys: dict[str, set[str]] = defaultdict(set)
        for cid, alias in con.execute("SELECT actor_id, alias FROM actor_aliases").fetchall():
            self.keys[cid].add(key_of(alias))

    def source_keys(self, src: dict[str, Any]) -> tuple[str | None, set[str]]:
        cid = src.get("corpus_actor")
        keys = {key_of(src.get("text") or "")}
        if cid:
            keys |= self.keys.get(cid, set())
        keys.discard("")
        return cid, keys


def build_graph(claims: list[_Claim], res: _Resolver) -> ClusterGraph:
    g = ClusterGraph()
    by_outlet: dict[str, list[_Claim]] = defaultdict(list)
    for c in claims:
        by_outlet[c.outlet_key].append(c)
        g.node(
            f"claim:{c.id}", kind="claim", label=c.where,
            article_id=c.article_id, outlet=c.outlet, actor_id=None,
            source_type=(c.source or {}).get("type"),
        )

    outlet_tokens = {
        c.outlet_key: frozenset(normalise_name(c.outlet).split()) for c in claims if c.outlet
    }

    def outlet_claims(keys: set[str], me: _Claim, text: str | None = None) -> list[_Claim]:
        # An outlet naming itself ("told the Harbour Gazette" in the Gazette) is its own
        # reporting, not a citation of its other articles: following it makes a loop.
        out = []
        for k in keys:
            if k != me.outlet_key:
                out.extend(by_outlet.get(k, ()))
        if not out and text:
            # "the Gazette" for "Harbour Gazette": a short form naming one outlet only
            toks = frozenset(normalise_name(text).split())
            hits = [k for k, ts in outlet_tokens.items() if toks and toks < ts]
            if len(hits) == 1 and hits[0] != me.outlet_key:
                out = list(by_outlet[hits[0]])
        return out

    # "Earlier reports" may mean any earlier article carrying the claim. Linking each such
    # claim to every earlier one grows with the square of the cluster; instead a chain of
    # prefix nodes (EARLIER + i: "one of claims[0..i]") reaches the same claims with a
    # linear number of edges, and reachability (hence the origin count) is unchanged.
    # ``claims`` is in order, and one article's claims are adjacent in it.
    first_of: dict[str, int] = {}
    for i, c in enumerate(claims):
        first_of.setdefault(c.article_id, i)
    built = [-1]

    def earlier(me: _Claim) -> str | None:
        last = first_of[me.article_id] - 1
        if last < 0:
            return None
        for i in range(built[0] + 1, last + 1):
            g.node(f"{EARLIER}{i}", kind="earlier",
                   label=f"earlier articles ({plural(i + 1, 'claim')})",
                   article_id=None, outlet=None, actor_id=None, source_type=None)
            g.edges.append((f"{EARLIER}{i}", f"claim:{claims[i].id}", "earlier", []))
            if i:
                g.edges.append((f"{EARLIER}{i}", f"{EARLIER}{i - 1}", "earlier", []))
        built[0] = max(built[0], last)
        return f"{EARLIER}{last}"

    def origin(key: str, label: str, actor: str | None, stype: str | None) -> str:
        return g.node(f"origin:{key}", kind="origin", label=label, article_id=None,
                      outlet=None, actor_id=actor, source_type=stype)

    for c in claims:
        me = f"claim:{c.id}"
        chain = [*c.relays, *([c.source] if c.source else [])]
        via = [r.get("text") or "" for r in c.relays]
        src = c.source
        stype = (src or {}).get("type")
        if c.kind == "unattributed" or src is None or stype in UNSOURCED_TYPES:
            named_relays = [r for r in c.relays if r.get("type") in NAMED_TYPES]
            if named_relays:  # "X, citing media reports, said": X relays it
                src, stype = named_relays[-1], named_relays[-1].get("type")
                via = via[:-1]
            else:
                prior = earlier(c)
                kind = "repeats" if c.kind == "unattributed" else "earlier_report"
                if prior:
                    g.edges.append((me, prior, kind, via))
                else:
                    label = (
                        f"{c.where} (own reporting)"
                        if c.kind == "unattributed"
                        else f"{(c.source or {}).get('text') or 'unsourced'} "
                        f"in {c.where}"
                    )
                    g.edges.append(
                        (me, origin(f"outlet:{c.outlet_key}", label, None, stype), "cites", via)
                    )
                continue
        if stype in NAMED_TYPES and src is not None and not src.get("actor") and (
            (src.get("text") or "").strip().lower() in PRONOUNS
        ):
            # "it said": the article's other statement of the claim names who "it" is
            same = [o for o in claims if o.article_id == c.article_id and o is not c
                    and o.source and (o.source.get("text") or "").strip().lower()
                    not in PRONOUNS]
            if same:
                for o in same:
                    g.edges.append((me, f"claim:{o.id}", "repeats", via))
                continue
        if stype in NAMED_TYPES:
            cid, keys = res.source_keys(src)
            cited = outlet_claims(keys, c, src.get("text") if stype == "news_outlet" else None)
            if cited:
                for o in cited:
                    g.edges.append((me, f"claim:{o.id}", "cites", via))
                continue
            key = f"actor:{cid}" if cid else f"name:{min(keys) if keys else c.id}"
            label = res.names.get(cid, src.get("text") or "?") if cid else src.get("text") or "?"
            g.edges.append((me, origin(key, label, cid, stype), "cites", via))
            continue
        # anonymous (or unknown type): known only through its innermost named relay
        relay = next(
            (r for r in reversed(chain[:-1] if c.source else chain)
             if r.get("type") in NAMED_TYPES),
            None,
        )
        if relay is not None:
            cid, keys = res.source_keys(relay)
            short = relay.get("text") if relay.get("type") == "news_outlet" else None
            cited = outlet_claims(keys, c, short)
            if cited:
                for o in cited:
                    g.edges.append((me, f"claim:{o.id}", "relays", via))
                continue
            # An unnamed source is no more independent than whoever carries it: it and
            # the relay's own statements are one origin.
            rkey = f"actor:{cid}" if cid else f"name:{min(keys) if keys else c.id}"
            rname = res.names.get(cid, relay.get("text")) if cid else relay.get("text")
            g.edges.append(
                (me, origin(rkey, f"{rname} (and its unnamed sources)", cid, stype),
                 "relays", via)
            )
        else:
            g.edges.append(
                (me, origin(f"anon@outlet:{c.outlet_key}",
                            f"unnamed source of {c.where}", None, stype),
                 "cites", via)
            )
    return g


@dataclass
class Trace:
    origins: list[list[str]]
    circular: bool
    reason: str | None


def analyse(g: ClusterGraph, claims: list[_Claim]) -> Trace:
    succ: dict[str, list[str]] = defaultdict(list)
    for s, d, _k, _v in g.edges:
        succ[s].append(d)
    comps = _sccs(list(g.nodes), succ)
    comp_of = {v: i for i, comp in enumerate(comps) for v in comp}
    sinks = [
        i for i, comp in enumerate(comps)
        if all(comp_of[w] == i for v in comp for w in succ.get(v, ()))
    ]
    # reached from some claim: every node is a claim or reached from one
    # a prefix node is never an origin itself (it always leads on to a claim)
    origins = [sorted(v for v in comps[i] if not v.startswith(EARLIER)) for i in sinks]
    outlets = {c.outlet_key for c in claims}
    cycle = any(len(o) > 1 for o in origins)
    through_others = any(d.startswith("claim:") for _s, d, _k, _v in g.edges)
    if cycle:
        return Trace(origins, True, "outlets cite each other, with no origin outside the loop")
    if len(origins) == 1 and len(outlets) >= 2 and through_others:
        known = len({c.outlet_key for c in claims if c.outlet})
        if known == len(outlets):
            return Trace(origins, True, f"all {known} outlets lead back to one origin")
        # Articles with no outlet are told apart, not counted as outlets.
        unknown = plural(len(outlets) - known, "article")
        return Trace(
            origins, True,
            f"{plural(known, 'outlet')} and {unknown} with no known outlet all lead back "
            "to one origin",
        )
    return Trace(origins, False, None)


def _iter_clusters(con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, list[_Claim]]]:
    """(cluster id, its claims), one cluster at a time, streamed from a second cursor
    so that memory holds one chunk of rows, not the corpus."""
    join_stepwise(con, "_trace_joined", (
        "SELECT c.cluster_id, c.id, c.article_id, c.kind, c.text, c.start_offset, "
        "c.relayed_by, t.source_text, t.source_type, t.source_actor, t.source_role "
        "FROM claims c "
        "LEFT JOIN attributions t ON t.article_id = c.article_id AND t.id = c.attribution_id "
        "WHERE c.cluster_id IS NOT NULL",
        "SELECT s.*, sa.actor_id FROM {prev} s LEFT JOIN article_actors sa "
        "ON sa.article_id = s.article_id AND sa.local_id = s.source_actor",
        "SELECT s.cluster_id, s.id, s.article_id, a.outlet, a.published, a.published_ts, "
        "a.seq, s.kind, s.text, s.start_offset, s.relayed_by, s.source_text, "
        "s.source_type, s.source_actor, s.source_role, s.actor_id "
        "FROM {prev} s JOIN articles a ON a.id = s.article_id",
        "SELECT s.*, coalesce(w.centrality, 0.0) AS centrality FROM {prev} s "
        "LEFT JOIN (SELECT claim, sum(similarity) AS centrality FROM ("
        "SELECT claim_a AS claim, similarity FROM claim_links UNION ALL "
        "SELECT claim_b, similarity FROM claim_links) GROUP BY claim) w ON w.claim = s.id",
    ))
    # Sorted in buckets of whole clusters (a sort feeding a streamed result cannot spill,
    # and one sort of every wide row outgrew a 64 MB bound at 200k articles), into a
    # plain table: the work copy is ours to write, and the reader is another connection.
    reader = read_sorted(
        con, "_trace_joined", order_by="cluster_id", bucket="hash(cluster_id)",
        max_rows=TRACE_SORT_ROWS, batch_rows=STREAM_ROWS, reader=con.cursor(),
    )
    lookup = con.cursor()
    key: str | None = None
    claims: list[_Claim] = []
    for batch in reader:
        rows = list(zip(*(c.to_pylist() for c in batch.columns), strict=True))
        relays = {r[1]: json.loads(r[10] or "[]") for r in rows}
        _resolve_relays(lookup, [(r[2], relays[r[1]]) for r in rows])
        stand_ins = _stand_ins(lookup, {r[2] for r in rows if not r[3]})
        for (k, cid, aid, outlet, pub, pub_ts, seq, kind, text, start, _relayed,
             stext, stype, sactor, srole, scorpus, centrality) in rows:
            if k != key:
                if claims:
                    yield key, claims  # type: ignore[misc]
                key, claims = k, []
            # Undated articles sort after dated ones, then by insertion order.
            order = (0 if pub_ts else 1, pub_ts.isoformat() if pub_ts else "", seq, start)
            src = None
            if kind == "attributed" and stype is not None:
                src = {"text": stext, "type": stype, "actor": sactor, "role": srole,
                       "corpus_actor": scorpus}
            claims.append(
                _Claim(cid, aid, outlet, key_of(outlet) if outlet else f"article:{aid}",
                       order, pub, kind, text, src, relays[cid],
                       outlet or stand_ins.get(aid, aid), centrality)
            )
    if claims:
        yield key, claims  # type: ignore[misc]
    con.execute("DROP TABLE _trace_joined")


def _stand_ins(con: duckdb.DuckDBPyConnection, article_ids: set[str]) -> dict[str, str]:
    """``outlet_label`` of each article with no outlet, in one query (the sorted rows
    stay narrow: a URL, path and title on every claim would widen each sort)."""
    if not article_ids:
        return {}
    found = con.execute(
        "SELECT id, url, path, title FROM articles "
        "WHERE id IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(article_ids)],
    ).fetchall()
    return {aid: outlet_label(None, url, path, title) for aid, url, path, title in found}


def _resolve_relays(
    con: duckdb.DuckDBPyConnection, claims: list[tuple[str, list[dict[str, Any]]]]
) -> None:
    """Set ``corpus_actor`` on each relay of a chunk of claims, in one query."""
    wanted = {(aid, r["actor"]) for aid, relays in claims for r in relays if r.get("actor")}
    if not wanted:
        return
    arts, locs = zip(*sorted(wanted), strict=True)
    con.register("_wanted", pa.table({"article_id": list(arts), "local_id": list(locs)}))
    found = {
        (a, lid): cid
        for a, lid, cid in con.execute(
            "SELECT w.article_id, w.local_id, aa.actor_id FROM _wanted w JOIN article_actors "
            "aa ON aa.article_id = w.article_id AND aa.local_id = w.local_id"
        ).fetchall()
    }
    con.unregister("_wanted")
    for aid, relays in claims:
        for r in relays:
            if r.get("actor"):
                r["corpus_actor"] = found.get((aid, r["actor"]))


def trace(con: duckdb.DuckDBPyConnection) -> None:
    """Fill ``clusters``, ``provenance_nodes/edges``, ``origins`` and ``timeline``."""
    res = _Resolver(con)
    copies: dict[str, list[tuple]] = defaultdict(list)
    for aid, outlet, pub, pub_ts in con.execute(
        "SELECT article_id, outlet, published, published_ts FROM duplicates"
    ).fetchall():
        copies[aid].append((outlet, pub, pub_ts))
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    buffered = 0
    for k, claims in _iter_clusters(con):
        if buffered >= STREAM_ROWS:  # written as we go: output rows outnumber claims
            for table, rows in tables.items():
                insert_rows(con, table, rows)
            tables.clear()
            buffered = 0
        buffered += 2 * len(claims)
        claims.sort(key=lambda c: c.order)
        g = build_graph(claims, res)
        tr = analyse(g, claims)
        timeline = []
        seen_articles: set[str] = set()
        for c in claims:
            if c.article_id in seen_articles:
                continue
            seen_articles.add(c.article_id)
            timeline.append((c.order, c.article_id, c.outlet, c.published, "article"))
            for outlet, pub, pub_ts in copies.get(c.article_id, ()):
                order = (0 if pub_ts else 1, pub_ts.isoformat() if pub_ts else "", 0, 0)
                timeline.append((order, c.article_id, outlet, pub, "copy"))
        timeline.sort(key=lambda t: t[0])
        # Known outlets only: articles with none are not outlets (the read API counts them).
        outlets = {t[2] for t in timeline if t[2]}
        tables["clusters"].append(
            {
                "id": k,
                # The most central claim (first in corpus order among equals).
                "text": max(claims, key=lambda c: c.centrality).text,
                "n_claims": len(claims),
                "n_articles": len(seen_articles),
                "n_outlets": len(outlets),
                "independent_origins": len(tr.origins),
                "circular": tr.circular,
                "circular_reason": tr.reason,
                "first_seen": timeline[0][3],
                "first_article_id": timeline[0][1],
                "last_seen": timeline[-1][3],
            }
        )
        for seq, (_o, aid, outlet, pub, kind) in enumerate(timeline, 1):
            tables["timeline"].append(
                {"cluster_id": k, "seq": seq, "article_id": aid, "outlet": outlet,
                 "published": pub, "kind": kind}
            )
        for node in g.nodes.values():
            tables["provenance_nodes"].append({"cluster_id": k, **node})
        for s, d, kind, via in g.edges:
            tables["provenance_edges"].append(
                {"cluster_id": k, "src": s, "dst": d, "kind": kind,
                 "via": json.dumps(via, ensure_ascii=False)}
            )
        reach = _reaching(g, tr.origins)
        for comp in tr.origins:
            labels = [str(g.nodes[n].get("label")) for n in comp]
            tables["origins"].append(
                {"cluster_id": k, "origin": " | ".join(comp), "label": " | ".join(labels),
                 "n_claims": reach.get(comp[0], 0)}
            )
    for table, rows in tables.items():
        insert_rows(con, table, rows)


def _reaching(g: ClusterGraph, origins: list[list[str]]) -> dict[str, int]:
    """For each origin (by its first node), how many claims reach it: one pass over the
    graph with memoised reachable-origin sets, not one search per origin."""
    origin_of = {n: comp[0] for comp in origins for n in comp}
    succ: dict[str, list[str]] = defaultdict(list)
    for s, d, _k, _v in g.edges:
        succ[s].append(d)
    memo: dict[str, frozenset[str]] = {}

    def reach(v: str) -> frozenset[str]:
        # iterative DFS; a node on the current path (a cycle) contributes what it has
        stack = [(v, iter(succ.get(v, ())))]
        acc: dict[str, set[str]] = {v: {origin_of[v]} if v in origin_of else set()}
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                memo[node] = frozenset(acc.pop(node))
                if stack:
                    acc[stack[-1][0]] |= memo[node]
                continue
            if nxt in memo:
                acc[node] |= memo[nxt]
            elif nxt not in acc:
                acc[nxt] = {origin_of[nxt]} if nxt in origin_of else set()
                stack.append((nxt, iter(succ.get(nxt, ()))))
        return memo[v]

    counts: dict[str, int] = defaultdict(int)
    for node in g.nodes:
        if node.startswith("claim:"):
            for o in memo.get(node) or reach(node):
                counts[o] += 1
    return counts
