"""A claim cluster's provenance graph drawn as one inline ``<svg>`` (no script, nothing external).

The input is the drawable graph of ``query.claim(con, id, view="page")["graph"]``: nodes of
kind origin, relay, earlier (junctions behind "earlier reports"), article (one per
statement, with its outlet as ``parent``) and outlet; edges from the citing statement to
what it cites (cites, relays, earlier_report, repeats; "earlier" inside the junctions).
The web claim page and the corpus HTML report both call ``provenance_svg``.

How it is drawn (the same graph always gives the same bytes):

- columns, left to right: the original sources; the relays, by how far along a chain
  they sit; then the articles by publication day, earliest on the left. Undated articles
  come last, in their own column headed "undated" (the timeline also puts them last).
  More days than ``MAX_TIME_COLUMNS`` are grouped into ranges of days.
- one box per article (an article's several statements of the claim are one box), headed
  by outlet and date, with a short title below; the full text is in a ``<title>`` tooltip.
  Labels are cut with an ellipsis and made unique (``#2``...), boxes never overlap: each
  column is stacked with a gap.
- arrows run the way the claim travelled: from a source, relay or earlier article to the
  article that carries it. Edge kinds differ by colour and dash and are named once in a
  legend, never as text on the edges.
- an "earlier reports" link, which may mean any earlier article, is drawn from the
  nearest earlier article; its tooltip gives how many earlier articles carry the claim.
- at most ``MAX_ARTICLES`` articles (the earliest) and ``MAX_SOURCES`` sources and relays
  (those reaching the most drawn articles); the rest are counted as "+N more".

Every piece of text is escaped, and control and bidirectional-override characters are shown
as visible ``<U+202E>`` markers, so article text never becomes markup.

Length: the layout (columns, lanes, ports) and the SVG it writes share every coordinate and
constant; split, each half would need the other's internals.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any

# Caps on what one drawing holds. A claim page shows up to 400 edges (MAX_GRAPH_EDGES);
# 24 article boxes in at most 5 day columns keep the drawing within two screens, and the
# table beside it lists every edge.
MAX_ARTICLES = 24
MAX_SOURCES = 18
MAX_TIME_COLUMNS = 5
MAX_RELAY_COLUMNS = 3

# Geometry in px. Set by eye on screenshots of the seeds' and the test corpus's claim pages.
NODE_W = 200
NODE_H = 40
ROW_GAP = 14
COL_GAP = 50
MARGIN = 12
HEADER_H = 46
FONT_PX = 11
TEXT_PAD = 7
# Advance of glyphs in em, by class, rounded up from DejaVu Sans (the widest common
# default sans-serif; Chromium's system-ui here), so that a cut label fits its box;
# wide (CJK) glyphs are 1 em. Checked against getComputedTextLength in Chromium.
_EM = (
    ("il.,:;'|!Ij", 0.31),
    ("ftr()[] -‘’·", 0.43),
    ("szc\"/", 0.57),
    ("abdeghknopquvxy0123456789?#$", 0.66),
    ("mwMW@%", 1.0),
    ("ABCDEFGHKLNOPQRSTUVXYZ&", 0.8),
)
_EM_OTHER = 0.7
LEGEND_ROW_H = 20
# Wider than this, a drawing is marked ``pg-wide``: pages scroll it rather than shrink it
# to their width (1600 px shrunk into the claim page of a 1300 px window keeps 8.7 px text).
WIDE_PX = 1600
BOLD = 1.06  # bold text is about this much wider (DejaVu Sans Bold, measured as _EM)
PORT_GAP = 8  # between two edge ends on one side of a box
LANE_GAP = 6  # between two edges passing through one gap of a column

NODE_STYLE = {  # kind: (fill, stroke, what the legend calls it)
    "origin": ("#e8f5e9", "#2e7d32", "original source"),
    "relay": ("#fff3e0", "#e65100", "relay"),
    "article": ("#e3f2fd", "#1565c0", "article"),
    "earlier": ("#eceff1", "#607d8b", "earlier articles"),
}
EDGE_STYLE = {  # kind: (colour, dash, legend text)
    "cites": ("#37474f", "", "cites: names the source"),
    "relays": ("#e65100", "", "relays: passed on by"),
    "earlier_report": ("#c62828", "7 4", "earlier report: refers to earlier reports"),
    "repeats": ("#6a1b9a", "2 3", "repeats: said earlier, in the writer's voice"),
}
OTHER_EDGE = ("#90a4ae", "", "")

_CONTROLS = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u0000-\u0008\u000b\u000c"
    "\u000e-\u001f\u007f-\u009f]"
)
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def _text(value: Any) -> str:
    """``value`` as escaped SVG text: controls shown as ``<U+XXXX>``, whitespace folded."""
    s = _CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", "" if value is None else str(value))
    return escape(" ".join(s.split()), quote=True)


def _plain(value: Any) -> str:
    s = _CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", "" if value is None else str(value))
    return " ".join(s.split())


@lru_cache(maxsize=4096)
def _em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    return next((w for chars, w in _EM if ch in chars), _EM_OTHER)


def text_width(s: str) -> float:
    """Estimated width in px of ``s`` at FONT_PX (an upper bound for ordinary text)."""
    return sum(_em(ch) for ch in s) * FONT_PX


def fit(s: str, width: float) -> str:
    """``s`` cut with an ellipsis so that it fits ``width`` px."""
    s = _plain(s)
    if text_width(s) <= width:
        return s
    room = width - text_width("…")
    used, cut = 0.0, 0
    for ch in s:
        used += _em(ch) * FONT_PX
        if used > room:
            break
        cut += 1
    return s[:cut].rstrip() + "…"


@dataclass
class _Box:
    key: str
    kind: str  # origin | relay | article | earlier
    head: str  # first line, full (cut when drawn)
    sub: str  # second line, full
    tooltip: str
    order: tuple = ()
    link: Mapping[str, Any] = field(default_factory=dict)
    col: int = 0
    x: float = 0.0
    y: float = 0.0
    lines: tuple[str, str] = ("", "")
    day: str | None = None
    h: float = NODE_H

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class _Edge:
    src: str  # box the claim came from (left)
    dst: str  # box that carries it (right)
    kind: str
    note: str = ""
    # Sides of the boxes the edge leaves and enters ("l" or "r"), and where on them.
    out_side: str = "r"
    in_side: str = "l"
    y1: float = 0.0
    y2: float = 0.0


def _day(node: Mapping[str, Any]) -> str | None:
    """The node's publication day (YYYY-MM-DD), or None when undated."""
    for key in ("published_ts", "published"):
        v = node.get(key)
        if v and re.match(r"\d{4}-\d\d-\d\d", str(v)):
            return str(v)[:10]
    return None


def _boxes(graph: Mapping[str, Any]) -> tuple[dict[str, _Box], list[_Edge]]:
    """One box per article, origin and relay; edges in the direction the claim travelled."""
    nodes = {n["id"]: n for n in graph.get("nodes", ())}
    outlets = {k: n.get("label") for k, n in nodes.items() if n.get("kind") == "outlet"}
    boxes: dict[str, _Box] = {}
    key_of: dict[str, str] = {}
    statements: dict[str, int] = defaultdict(int)
    for nid, n in nodes.items():
        kind = n.get("kind")
        if kind in ("article", "claim"):
            aid = n.get("article_id") or nid
            key = f"a:{aid}"
            key_of[nid] = key
            statements[key] += 1
            if key in boxes:
                continue
            outlet = _plain(outlets.get(n.get("parent") or "") or n.get("outlet")
                            or "(unknown outlet)")
            day = _day(n)
            title = _plain(n.get("title") or n.get("label") or aid)
            undated = 1 if day is None else 0
            boxes[key] = _Box(
                key, "article", outlet, title, "",
                order=(undated, str(n.get("published_ts") or day or ""), n.get("seq") or 0, aid),
                link={"kind": "article", "article_id": n.get("article_id")}, day=day,
            )
        elif kind in ("origin", "relay"):
            key = f"{kind[0]}:{nid}"
            key_of[nid] = key
            label = _plain(n.get("label") or nid)
            stype = _plain(n.get("source_type") or "")
            sub = (stype.replace("_", " ") + " source") if kind == "origin" and stype else (
                "original source" if kind == "origin" else "relay")
            boxes[key] = _Box(key, kind, label, sub, f"{label} ({sub})",
                              link={"kind": kind, "actor_id": n.get("actor_id")})
    for key, b in boxes.items():
        if b.kind == "article":
            day = b.day or "undated"
            n = statements[key]
            b.tooltip = f"{b.head}, {day}: {b.sub}" + (f" ({n} statements)" if n > 1 else "")

    # "earlier:i" junctions: the claims they stand for, as article boxes.
    earlier_succ: dict[str, list[str]] = defaultdict(list)
    for e in graph.get("edges", ()):
        if e.get("kind") == "earlier":
            earlier_succ[e["source"]].append(e["target"])

    def behind(start: str) -> set[str]:
        seen, todo, found = {start}, [start], set()
        while todo:
            for nxt in earlier_succ.get(todo.pop(), ()):
                if nxt in key_of and boxes[key_of[nxt]].kind == "article":
                    found.add(key_of[nxt])
                elif nxt not in seen and nodes.get(nxt, {}).get("kind") == "earlier":
                    seen.add(nxt)
                    todo.append(nxt)
        return found

    edges: list[_Edge] = []
    seen_edges: set[tuple[str, str, str]] = set()
    for e in graph.get("edges", ()):
        kind = e.get("kind") or ""
        if kind == "earlier":
            continue
        to = key_of.get(e["source"])
        target = e["target"]
        note = ""
        if nodes.get(target, {}).get("kind") == "earlier":
            found = behind(target)
            if to is not None:
                found = {k for k in found if boxes[k].order < boxes[to].order} or found
            if found:
                frm: str | None = max(found, key=lambda k: boxes[k].order)
                note = (f" (refers to earlier reports: {len(found)} earlier article"
                        f"{'' if len(found) == 1 else 's'} carry the claim; the nearest is drawn)")
            else:
                frm = "e:" + target
                boxes.setdefault(frm, _Box(frm, "earlier", "earlier articles", "not drawn",
                                           "earlier articles carrying the claim"))
        else:
            frm = key_of.get(target)
        if to is None or frm is None or to == frm:
            continue
        if (frm, to, kind) not in seen_edges:
            seen_edges.add((frm, to, kind))
            edges.append(_Edge(frm, to, kind, note))
    return boxes, edges


def _choose(boxes: dict[str, _Box], edges: list[_Edge], max_articles: int, max_sources: int
            ) -> tuple[dict[str, _Box], list[_Edge], int, int]:
    """The boxes drawn (earliest articles, best-connected sources) and the counts left out."""
    articles = sorted((b for b in boxes.values() if b.kind == "article"), key=lambda b: b.order)
    kept = {b.key for b in articles[:max_articles]}
    succ: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        succ[e.src].append(e.dst)

    def reach(key: str) -> int:  # drawn articles a source leads to, through relays
        seen, todo, n = {key}, [key], 0
        while todo:
            for nxt in succ.get(todo.pop(), ()):
                if nxt in seen:
                    continue
                seen.add(nxt)
                if boxes[nxt].kind == "article":
                    n += nxt in kept
                else:
                    todo.append(nxt)
        return n

    sources = [b for b in boxes.values() if b.kind != "article"]
    reaches = {b.key: reach(b.key) for b in sources}
    ranked = sorted(sources, key=lambda b: (-reaches[b.key], b.kind != "origin", b.head, b.key))
    # A source that leads only to articles left out is left out too.
    kept |= {b.key for b in ranked[:max_sources] if reaches[b.key] or not articles}
    drawn = {k: b for k, b in boxes.items() if k in kept}
    return (drawn, [e for e in edges if e.src in drawn and e.dst in drawn],
            len(articles) - min(len(articles), max_articles),
            sum(b.key not in kept for b in sources))


def _columns(boxes: dict[str, _Box], edges: list[_Edge], max_time_columns: int
             ) -> list[tuple[str, list[_Box]]]:
    """(header, boxes) per column, left to right; boxes not yet placed vertically."""
    preds: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        preds[e.dst].append(e.src)
    relays = sorted(k for k, b in boxes.items() if b.kind == "relay")
    depth = {k: 1 for k in relays}
    for _ in range(min(len(relays), MAX_RELAY_COLUMNS)):  # longest chain, cycles cut
        for k in relays:
            depth[k] = min(MAX_RELAY_COLUMNS, 1 + max(
                (depth[p] for p in preds[k] if p in depth), default=0))
    cols: list[tuple[str, list[_Box]]] = []
    sources = [b for b in boxes.values() if b.kind in ("origin", "earlier")]
    if sources:
        cols.append(("sources", sources))
    for d in sorted(set(depth.values())):
        cols.append(("relays", [boxes[k] for k in relays if depth[k] == d]))
    articles = sorted((b for b in boxes.values() if b.kind == "article"), key=lambda b: b.order)
    dated = [b for b in articles if b.order[0] == 0]
    days = sorted({b.day or '' for b in dated})
    n_groups = min(len(days), max_time_columns - (1 if len(dated) < len(articles) else 0))
    n_groups = max(n_groups, 1 if days else 0)
    groups: list[list[str]] = [[] for _ in range(n_groups)]
    for i, day in enumerate(days):  # consecutive days, about as many per column
        groups[i * n_groups // len(days)].append(day)
    for group in groups:
        head = group[0] if len(group) == 1 else f"{group[0]} – {group[-1]}"
        cols.append((head, [b for b in dated if group[0] <= (b.day or '') <= group[-1]]))
    if len(dated) < len(articles):
        cols.append(("undated", [b for b in articles if b.order[0] == 1]))
    return cols


def _sides(boxes: dict[str, _Box], edges: list[_Edge]) -> None:
    """Which side each edge leaves and enters by, and each box's height: tall enough to
    give every edge end on a side its own PORT_GAP."""
    for e in edges:
        a, b = boxes[e.src], boxes[e.dst]
        e.out_side, e.in_side = (("r", "l") if b.col > a.col else ("r", "r") if b.col == a.col
                                 else ("l", "r"))
    ends: dict[tuple[str, str], int] = defaultdict(int)
    for e in edges:
        ends[(e.src, e.out_side)] += 1
        ends[(e.dst, e.in_side)] += 1
    for (key, _side), n in ends.items():
        boxes[key].h = max(boxes[key].h, PORT_GAP * (n + 1))


def _place(cols: list[tuple[str, list[_Box]]], edges: list[_Edge]) -> float:
    """Set every box's y; RETURNS the bottom of the lowest box."""
    succ: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        succ[e.src].append(e.dst)
    by_key = {b.key: b for _, col in cols for b in col}
    top = MARGIN + HEADER_H
    placed: set[str] = set()
    bottom = top
    # Articles first, stacked in time order; then sources and relays from right to left,
    # each next to the mean height of what it leads to, pushed down where it would overlap.
    order = [i for i, (_, c) in enumerate(cols) if c and c[0].kind == "article"]
    order += [i for i in reversed(range(len(cols))) if i not in order]
    for i in order:
        col = cols[i][1]

        def aim(b: _Box) -> float:
            ys = [by_key[s].cy for s in succ.get(b.key, ()) if s in placed]
            return sum(ys) / len(ys) - b.h / 2 if ys else top

        def reach(b: _Box) -> int:  # the nearest column it leads to
            return min((by_key[s].col for s in succ.get(b.key, ()) if s in placed), default=0)

        if not (col and col[0].kind == "article"):
            # by height of what each leads to, in rows; within a row, those leading to
            # nearer columns on top, so that long edges pass below them
            col.sort(key=lambda b: (round(aim(b) / (NODE_H + ROW_GAP)), reach(b), aim(b),
                                    b.head, b.key))
        y_next = top
        for b in col:
            want = top if b.kind == "article" else aim(b)
            b.y = max(want, y_next)
            y_next = b.y + b.h + ROW_GAP
            placed.add(b.key)
            bottom = max(bottom, b.y + b.h)
    return bottom


def _labels(boxes: Iterable[_Box]) -> None:
    """Cut each box's two lines to fit, and number repeats so every label is unique."""
    width = NODE_W - 2 * TEXT_PAD
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for b in sorted(boxes, key=lambda b: (b.col, b.y)):
        head = fit(b.head, width / BOLD)
        if b.kind == "article":  # "Outlet · date": the outlet is cut, never the date
            date = f" · {b.day or 'undated'}"
            head = fit(b.head, width / BOLD - text_width(date)) + date
        sub = fit(b.sub, width)
        seen[(head, sub)] += 1
        if seen[(head, sub)] > 1:
            suffix = f" #{seen[(head, sub)]}"
            sub = fit(b.sub, width - text_width(suffix)) + suffix
        b.lines = (head, sub)


def _col_x(col: int) -> float:
    return float(MARGIN + col * (NODE_W + COL_GAP))


class _Lanes:
    """Horizontal lanes through a column, between its boxes and below them, where an edge
    crossing the column passes: edges never run through a box."""

    def __init__(self, cols: list[tuple[str, list[_Box]]]) -> None:
        self.gaps: dict[int, list[tuple[float, float]]] = {}
        for i, (_, col) in enumerate(cols):
            ys = sorted((b.y, b.y + b.h) for b in col)
            gaps = []
            prev = float(MARGIN + HEADER_H - 2)
            for y0, y1 in ys:
                if y0 - prev >= LANE_GAP * 2:
                    gaps.append((prev, y0))
                prev = y1
            gaps.append((prev, float("inf")))
            self.gaps[i] = gaps
        self.used: dict[int, set[float]] = defaultdict(set)

    def take(self, col: int, want: float) -> float:
        """The free lane of ``col`` nearest to ``want``."""
        best: float | None = None
        for y0, y1 in self.gaps[col]:
            y = y0 + LANE_GAP
            while y <= y1 - LANE_GAP:
                if y not in self.used[col]:
                    if best is None or abs(y - want) < abs(best - want):
                        best = y
                    if y > want:
                        break
                y += LANE_GAP
        assert best is not None  # the last gap is unbounded
        self.used[col].add(best)
        return best


def _edge_paths(boxes: dict[str, _Box], edges: list[_Edge],
                cols: list[tuple[str, list[_Box]]]) -> tuple[list[tuple[_Edge, str]], float]:
    """An SVG path per edge, and the lowest point any path reaches.

    Each end sits at its own height along its box's side; an edge that crosses columns
    passes each through a free lane (``_Lanes``), so it goes around the boxes."""
    ends: dict[tuple[str, str], list[tuple[float, str, _Edge, str]]] = defaultdict(list)
    for e in edges:
        ends[(e.src, e.out_side)].append((boxes[e.dst].cy, e.kind, e, "y1"))
        ends[(e.dst, e.in_side)].append((boxes[e.src].cy, e.kind, e, "y2"))
    for (key, _side), items in ends.items():
        items.sort(key=lambda t: (t[0], t[1], t[2].src, t[2].dst))
        b = boxes[key]
        for j, (_, _, e, attr) in enumerate(items):
            setattr(e, attr, b.y + b.h * (j + 1) / (len(items) + 1))
    lanes = _Lanes(cols)
    low = 0.0
    out = []
    for e in sorted(edges, key=lambda e: (boxes[e.src].col, e.y1, e.y2, e.kind)):
        a, b = boxes[e.src], boxes[e.dst]
        x1 = a.x + (NODE_W if e.out_side == "r" else 0)
        x2 = b.x + (NODE_W + 1 if e.in_side == "r" else -1)
        if a.col == b.col:  # same day: a loop out to the right and back
            bend = x1 + COL_GAP * 0.45
            out.append((e, f"M{x1:.1f},{e.y1:.1f} C{bend:.1f},{e.y1:.1f} {bend:.1f},"
                           f"{e.y2:.1f} {x2 + 3:.1f},{e.y2:.1f}"))
            continue
        step = 1 if b.col > a.col else -1
        # (x where the edge enters a column, x where it leaves it, y) for each crossed column
        points = [(x1, x1, e.y1)]
        between = range(a.col + step, b.col, step)
        for c in between:
            t = (c - a.col) / (b.col - a.col)
            y = lanes.take(c, e.y1 + (e.y2 - e.y1) * t)
            low = max(low, y)
            xl, xr = _col_x(c), _col_x(c) + NODE_W
            points.append((xl, xr, y) if step > 0 else (xr, xl, y))
        points.append((x2, x2, e.y2))
        d = [f"M{x1:.1f},{e.y1:.1f}"]
        for (_, xa, ya), (xb, xc, yb) in zip(points, points[1:], strict=False):
            mid = (xa + xb) / 2
            d.append(f"C{mid:.1f},{ya:.1f} {mid:.1f},{yb:.1f} {xb:.1f},{yb:.1f}")
            if xc != xb:
                d.append(f"H{xc:.1f}")
        out.append((e, " ".join(d)))
    return out, low


def _node_key(kind: str) -> Callable[[float, float], str]:
    fill, stroke, label = NODE_STYLE[kind]
    return lambda x, y: (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="16" height="11" rx="2" fill="{fill}" '
        f'stroke="{stroke}"/><text x="{x + 22:.1f}" y="{y + 10:.1f}" fill="#37474f">'
        f"{_text(label)}</text>")


def _edge_key(kind: str, label: str, uid: str) -> Callable[[float, float], str]:
    colour, dash, _ = EDGE_STYLE.get(kind, OTHER_EDGE)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return lambda x, y: (
        f'<path d="M{x:.1f},{y + 5.5:.1f}h22" stroke="{colour}" stroke-width="1.6"{dash_attr} '
        f'marker-end="url(#{uid}-{_ID_UNSAFE.sub("_", kind)})"/>'
        f'<text x="{x + 30:.1f}" y="{y + 10:.1f}" fill="#37474f">{_text(label)}</text>')


def provenance_svg(
    graph: Mapping[str, Any],
    *,
    claim_id: str,
    claim_text: str = "",
    href: Callable[[Mapping[str, Any]], str | None] | None = None,
    max_articles: int = MAX_ARTICLES,
    max_sources: int = MAX_SOURCES,
    max_time_columns: int = MAX_TIME_COLUMNS,
) -> str:
    """The claim's provenance graph as an ``<svg role="img">`` string (see the module doc).

    graph: ``{"nodes": [...], "edges": [...]}`` as ``query.claim(..., view="page")`` gives;
        article nodes may carry ``published``/``published_ts``/``seq``/``title``.
    claim_id, claim_text: named in the ``aria-label`` and ``<title>``.
    href: the link of a box, given ``{"kind": "article", "article_id"}`` or ``{"kind":
        "origin"|"relay", "actor_id"}``; None (the default, or as its answer) for no link.
    RETURNS (str): the SVG, to be put inline in HTML (so no ``xmlns``: the HTML parser gives
        it the SVG namespace, and a self-contained report names no URL); every text
        escaped, no script, no style attribute.
    """
    boxes, edges = _boxes(graph)
    boxes, edges, more_articles, more_sources = _choose(boxes, edges, max_articles,
                                                        max_sources)
    cols = _columns(boxes, edges, max(1, max_time_columns))
    for i, (_, col) in enumerate(cols):
        for b in col:
            b.col, b.x = i, _col_x(i)
    _sides(boxes, edges)
    bottom = _place(cols, edges)
    _labels(boxes.values())
    paths, low = _edge_paths(boxes, edges, cols)
    bottom = max(bottom, low)
    uid = "pg-" + _ID_UNSAFE.sub("_", str(claim_id))

    n_src = sum(b.kind in ("origin", "earlier") for b in boxes.values())
    n_rel = sum(b.kind == "relay" for b in boxes.values())
    n_art = sum(b.kind == "article" for b in boxes.values())
    short = fit(claim_text, 420) if claim_text else ""
    name = f"Provenance graph of claim {_plain(claim_id)}" + (f": “{short}”" if short else "")
    desc = (f"{n_src} original source{'' if n_src == 1 else 's'}, {n_rel} relay"
            f"{'' if n_rel == 1 else 's'} and {n_art} article{'' if n_art == 1 else 's'}"
            + (f" (+{more_articles} more articles not drawn)" if more_articles else "")
            + (f" (+{more_sources} more sources not drawn)" if more_sources else "")
            + "; arrows run from where the claim came from to the article that carries it, "
              "earliest articles on the left.")

    kinds_drawn = sorted({e.kind for e in edges},
                         key=lambda k: (list(EDGE_STYLE).index(k) if k in EDGE_STYLE else 9, k))
    ncols = max(len(cols), 1)
    width = max(MARGIN * 2 + ncols * NODE_W + (ncols - 1) * COL_GAP, 560)
    body: list[str] = []

    # Column heads, and "published →" over the article columns.
    art_cols = [i for i, (_, c) in enumerate(cols) if c and c[0].kind == "article"]
    if art_cols:
        x0 = MARGIN + art_cols[0] * (NODE_W + COL_GAP)
        x1 = MARGIN + art_cols[-1] * (NODE_W + COL_GAP) + NODE_W
        body.append(f'<text x="{x0}" y="{MARGIN + 12}" class="pg-axis" fill="#546e7a">'
                    f"published, earliest first</text>")
        body.append(f'<path d="M{x0},{MARGIN + 18}H{x1}" stroke="#90a4ae" '
                    f'marker-end="url(#{uid}-axis)"/>')
    for i, (head, _col) in enumerate(cols):
        if head == "relays" and i and cols[i - 1][0] == "relays":
            continue  # one head over a run of relay columns
        x = MARGIN + i * (NODE_W + COL_GAP)
        body.append(f'<text x="{x}" y="{MARGIN + HEADER_H - 10}" class="pg-head" '
                    f'font-weight="bold" fill="#37474f">{_text(fit(head, NODE_W))}</text>')

    for e, d in paths:
        colour, dash, _ = EDGE_STYLE.get(e.kind, OTHER_EDGE)
        a, b = boxes[e.src], boxes[e.dst]
        tip = f"{a.tooltip} → {b.tooltip}: {e.kind.replace('_', ' ')}{e.note}"
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<path class="pg-edge" data-kind="{_text(e.kind)}" d="{d}" fill="none" '
            f'stroke="{colour}" stroke-width="1.6"{dash_attr} '
            f'marker-end="url(#{uid}-{_ID_UNSAFE.sub("_", e.kind)})"><title>{_text(tip)}</title>'
            f"</path>"
        )

    for b in sorted(boxes.values(), key=lambda b: (b.col, b.y)):
        fill, stroke, _ = NODE_STYLE[b.kind]
        link = href(b.link) if href is not None and b.link else None
        head, sub = b.lines
        ty = b.y + (b.h - NODE_H) / 2
        node = (
            f'<g class="pg-node" data-kind="{b.kind}"><title>{_text(b.tooltip)}</title>'
            f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{NODE_W}" height="{b.h:.0f}" rx="5" '
            f'fill="{fill}" stroke="{stroke}"/>'
            f'<text x="{b.x + TEXT_PAD:.1f}" y="{ty + 16:.1f}" font-weight="bold" '
            f'fill="#212121">{_text(head)}</text>'
            f'<text x="{b.x + TEXT_PAD:.1f}" y="{ty + 31:.1f}" fill="#424242">{_text(sub)}'
            f"</text></g>"
        )
        body.append(f'<a href="{_text(link)}">{node}</a>' if link else node)

    # "+N more" under the columns that lost boxes.
    more_y = bottom + 18
    if more_sources and cols:
        body.append(f'<text x="{MARGIN}" y="{more_y}" class="pg-more" fill="#b71c1c">'
                    f"+{more_sources} more source{'' if more_sources == 1 else 's'} "
                    f"not drawn</text>")
    if more_articles and art_cols:
        x = MARGIN + art_cols[-1] * (NODE_W + COL_GAP)
        body.append(f'<text x="{x}" y="{more_y}" class="pg-more" fill="#b71c1c">'
                    f"+{more_articles} more article{'' if more_articles == 1 else 's'} "
                    f"not drawn</text>")
    y = more_y + (14 if more_sources or more_articles else 0)

    # The legend: node kinds, then the edge kinds drawn here, wrapped to the width.
    items: list[tuple[Callable[[float, float], str], float]] = []
    for kind in ("origin", "relay", "article", "earlier"):
        if any(b.kind == kind for b in boxes.values()):
            items.append((_node_key(kind), 22 + text_width(NODE_STYLE[kind][2])))
    for kind in kinds_drawn:
        label = EDGE_STYLE.get(kind, OTHER_EDGE)[2] or kind.replace("_", " ")
        items.append((_edge_key(kind, label, uid), 34 + text_width(label)))
    lx, ly = float(MARGIN), y + 12
    legend = ['<g class="pg-legend">']
    for draw, w in items:
        if lx + w > width - MARGIN and lx > MARGIN:
            lx, ly = float(MARGIN), ly + LEGEND_ROW_H
        legend.append(draw(lx, ly))
        lx += w + 18
    ly += LEGEND_ROW_H
    legend.append(f'<text x="{MARGIN}" y="{ly + 8:.1f}" fill="#546e7a">Arrows run from where '
                  f"the claim came from to the article that carries it. Hover a box or an "
                  f"arrow for its full text.</text></g>")
    height = ly + 20

    defs = [f'<marker id="{uid}-axis" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#90a4ae"/>'
            f"</marker>"]
    for kind in kinds_drawn:
        colour = EDGE_STYLE.get(kind, OTHER_EDGE)[0]
        defs.append(f'<marker id="{uid}-{_ID_UNSAFE.sub("_", kind)}" viewBox="0 0 10 10" '
                    f'refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
                    f'<path d="M0,0L10,5L0,10z" fill="{colour}"/></marker>')
    return (
        f'<svg class="provenance-graph{" pg-wide" if width > WIDE_PX else ""}" role="img" '
        f'aria-label="{_text(name)}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" font-family="system-ui, sans-serif" '
        f'font-size="{FONT_PX}">'
        f"<title>{_text(name)}</title><desc>{_text(desc)}</desc>"
        f"<defs>{''.join(defs)}</defs>{''.join(body)}{''.join(legend)}</svg>"
    )


__all__ = ["MAX_ARTICLES", "MAX_SOURCES", "MAX_TIME_COLUMNS", "fit", "provenance_svg",
           "text_width"]
