"""A claim's provenance as a drawable graph (outlets hold articles, relays become nodes),
and the same graph as table rows for the page's no-script fallback."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..actors import key_of


def provenance_graph(
    nodes: Iterable[dict[str, Any]],
    edges: Iterable[dict[str, Any]],
    titles: dict[str, str | None] | None = None,
    outlets: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The drawable graph: outlets hold their articles' claims; relays become nodes.

    RETURNS: ``{"nodes": [{id, label, kind, parent?}], "edges": [{id, source, target,
    kind}]}`` with kind one of outlet, article, relay, earlier, origin (nodes) and cites, relays,
    earlier_report, repeats (edges), ready for ``provenance_svg`` or a plain table.
    outlets: article id -> ``outlet_label``; an article with no known outlet sits under
    its own stand-in ("example.org (unknown outlet)"), not one box shared by all.
    """
    titles = titles or {}
    outlets = outlets or {}
    out_nodes: dict[str, dict[str, Any]] = {}
    out_edges: list[dict[str, Any]] = []
    nodes_seen = list(nodes)
    for n in nodes_seen:
        if n["kind"] == "claim":
            outlet = (n.get("outlet") or outlets.get(n.get("article_id") or "")
                      or "(unknown outlet)")
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
    outlet_key = {n["node_id"]: key_of(n["outlet"]) for n in nodes_seen if n.get("outlet")}
    for i, e in enumerate(edges):
        hops = [e["src"]]
        via = list(e.get("via") or ())
        if via and outlet_key.get(e["dst"]) == key_of(via[-1]):
            via.pop()  # "told the Delta Post", then the Post's article: one hop, not two
        for name in via:
            relay = f"relay:{name}"
            out_nodes.setdefault(relay, {"id": relay, "label": name, "kind": "relay"})
            hops.append(relay)
        hops.append(e["dst"])
        for j, (a, b) in enumerate(zip(hops, hops[1:], strict=False)):
            for end in (a, b):
                out_nodes.setdefault(end, {"id": end, "label": end, "kind": "origin"})
            kind = "relays" if j < len(hops) - 2 else e["kind"]
            out_edges.append({"id": f"e{i}.{j}", "source": a, "target": b, "kind": kind})
    return {"nodes": list(out_nodes.values()), "edges": dedupe_edges(out_edges)}


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


def dedupe_edges(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``edges`` without repeats of the same (source, target, kind), first kept."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for e in edges:
        key = (e["source"], e["target"], e["kind"])
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


__all__ = ["dedupe_edges", "graph_rows", "provenance_graph"]
