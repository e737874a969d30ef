"""The provenance graph drawn as SVG, checked from the coordinates and text it writes.

The graphs are built here in the shape ``query.claim(con, id, view="page")["graph"]`` has;
the drawing of a real corpus is checked by the web and browser tests.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

from sourcetrace.corpus.provenance_svg import MAX_ARTICLES, fit, provenance_svg, text_width


def article(aid: str, outlet: str, day: str | None, title: str, seq: int, part: int = 0
            ) -> dict:
    return {"id": f"claim:{aid}:t{part}", "kind": "article", "label": title,
            "parent": f"outlet:{outlet}", "article_id": aid, "title": title,
            "published": day, "published_ts": f"{day} 00:00:00" if day else None, "seq": seq}


def outlet(name: str) -> dict:
    return {"id": f"outlet:{name}", "label": name, "kind": "outlet"}


def origin(key: str, label: str, stype: str = "person", actor: str | None = None) -> dict:
    return {"id": f"origin:{key}", "kind": "origin", "label": label, "source_type": stype,
            "actor_id": actor}


def edge(src: str, dst: str, kind: str = "cites") -> dict:
    return {"id": f"{src}>{dst}", "source": src, "target": dst, "kind": kind}


def big_graph(n_articles: int = 30, n_days: int = 9) -> dict:
    """Many outlets over several days, the same headline everywhere, relays, repeats."""
    outlets = [f"Outlet {c}" for c in "ABCDEFG"]
    nodes = [outlet(o) for o in outlets]
    nodes += [origin(f"actor:c{k}", f"Spokesperson number {k} of the ministry", actor=f"c{k}")
              for k in range(6)]
    nodes += [{"id": "relay:media reports", "kind": "relay", "label": "media reports"},
              {"id": "relay:Centre", "kind": "relay", "label": "Didehban Centre"}]
    edges = [edge("relay:media reports", "relay:Centre", "relays"),
             edge("relay:Centre", "origin:actor:c0")]
    ids = []
    for i in range(n_articles):
        day = None if i % 8 == 7 else f"2024-03-{1 + (i * 5) % n_days:02d}"
        node = article(f"a{i:02d}", outlets[i % len(outlets)], day,
                       "Report Discloses the Group's Key Role in Stirring Recent Unrest", i)
        nodes.append(node)
        ids.append(node["id"])
    for i, nid in enumerate(ids):
        if i % 4 == 0:
            edges.append(edge(nid, f"origin:actor:c{i % 6}"))
        elif i % 4 == 1:
            edges.append(edge(nid, "relay:media reports", "relays"))
        elif i % 4 == 2:
            edges.append(edge(nid, ids[i // 2]))
        else:
            edges.append(edge(nid, ids[i - 3], "repeats"))
            edges.append(edge(nid, f"origin:actor:c{(i + 1) % 6}"))
    return {"nodes": nodes, "edges": edges}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def node_boxes(root: ET.Element) -> list[dict]:
    """Every drawn box: its kind, rectangle and the text of its lines."""
    out = []
    for g in root.iter("g"):
        if g.get("class") != "pg-node":
            continue
        rect = g.find("rect")
        out.append({
            "kind": g.get("data-kind"),
            "x": float(rect.get("x")), "y": float(rect.get("y")),
            "w": float(rect.get("width")), "h": float(rect.get("height")),
            "lines": [t.text or "" for t in g.findall("text")],
            "title": g.find("title").text,
        })
    return out


def overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
            and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


def test_names_itself_for_screen_readers():
    g = big_graph(4)
    root = parse(provenance_svg(g, claim_id="k7", claim_text="the bridge will open"))
    assert root.tag == "svg" and root.get("role") == "img"
    assert root.get("aria-label") == "Provenance graph of claim k7: “the bridge will open”"
    assert root[0].tag == "title" and root[0].text == root.get("aria-label")
    assert "article" in root.find("desc").text


def test_untrusted_text_stays_text():
    hostile = '<script>alert(1)</script> & "q" \u202eevil'
    g = {"nodes": [outlet(hostile), article("a1", hostile, "2024-01-02", hostile, 1),
                   origin("name:x", hostile, stype="<b>")],
         "edges": [edge("claim:a1:t0", "origin:name:x", "<img src=x>")]}
    svg = provenance_svg(g, claim_id='k"1<', claim_text=hostile,
                         href=lambda box: 'javascript:"x"' if box["kind"] == "origin" else None)
    root = parse(svg)
    assert not [el for el in root.iter() if el.tag in {"script", "img", "b", "foreignObject"}]
    assert "\u202e" not in svg and "<U+202E>" in "".join(root.itertext())
    assert "<script>" in "".join(root.itertext())  # shown, as text
    assert all(not name.startswith("on") for el in root.iter() for name in el.attrib)
    assert root.get("aria-label").startswith('Provenance graph of claim k"1<')
    # the link is the caller's; its quotes cannot open a new attribute
    links = [el for el in root.iter("a")]
    assert [a.get("href") for a in links] == ['javascript:"x"']
    assert re.fullmatch(r"pg-k_1_-[\w-]+", root.find("defs/marker").get("id"))


def test_boxes_never_overlap_and_labels_fit():
    root = parse(provenance_svg(big_graph(), claim_id="k1"))
    boxes = node_boxes(root)
    assert len(boxes) > 20
    for a, b in itertools.combinations(boxes, 2):
        assert not overlap(a, b), (a, b)
    for b in boxes:
        for line in b["lines"]:
            assert text_width(line) <= b["w"], line


def test_labels_unique_and_informative():
    # five articles of one outlet on one day with one headline: the cytoscape graph drew
    # five identical "Report Discloses..." labels
    title = "Report Discloses MKO's Key Role in Stirring Recent Unrests in Iraq"
    nodes = [outlet("PressTV")] + [article(f"a{i}", "PressTV", "2009-01-20", title, i)
                                   for i in range(5)]
    nodes.append(origin("actor:c1", "Nouri al-Maliki"))
    edges = [edge(f"claim:a{i}:t0", "origin:actor:c1") for i in range(5)]
    boxes = node_boxes(parse(provenance_svg({"nodes": nodes, "edges": edges}, claim_id="k1")))
    labels = [" / ".join(b["lines"]) for b in boxes]
    assert len(labels) == len(set(labels)) == 6
    arts = [b for b in boxes if b["kind"] == "article"]
    assert all(b["lines"][0] == "PressTV · 2009-01-20" for b in arts)
    assert all(b["lines"][1].startswith("Report Discloses") for b in arts)
    assert all("…" in b["lines"][1] for b in arts)  # cut with an ellipsis...
    assert all(title in b["title"] for b in arts)  # ...the full title in the tooltip
    big_labels = [" / ".join(b["lines"]) for b in node_boxes(parse(
        provenance_svg(big_graph(), claim_id="k2")))]
    assert len(big_labels) == len(set(big_labels))


def test_time_runs_left_to_right_with_undated_last():
    boxes = node_boxes(parse(provenance_svg(big_graph(20), claim_id="k1")))
    arts = [b for b in boxes if b["kind"] == "article"]
    dated = sorted((b["lines"][0].split(" · ")[1], b["x"]) for b in arts
                   if not b["lines"][0].endswith("undated"))
    assert len({d for d, _ in dated}) > 3
    assert [x for _, x in dated] == sorted(x for _, x in dated)
    undated = [b["x"] for b in arts if b["lines"][0].endswith("undated")]
    assert undated and min(undated) > max(x for _, x in dated)
    sources = [b["x"] for b in boxes if b["kind"] == "origin"]
    relays = [b["x"] for b in boxes if b["kind"] == "relay"]
    assert max(sources) < min(relays) <= max(relays) < min(b["x"] for b in arts)


def test_edge_kinds_in_one_legend_not_on_edges():
    root = parse(provenance_svg(big_graph(), claim_id="k1"))
    legend = next(g for g in root.iter("g") if g.get("class") == "pg-legend")
    legend_text = " ".join(legend.itertext())
    for kind in ("cites", "relays", "repeats"):
        assert legend_text.count(kind) == 1, kind
    edges = [p for p in root.iter("path") if p.get("class") == "pg-edge"]
    assert {p.get("data-kind") for p in edges} == {"cites", "relays", "repeats"}
    outside = [t.text or "" for t in root.iter("text")  # column heads aside
               if t not in set(legend.iter("text")) and t.get("class") != "pg-head"]
    assert not [t for t in outside if re.search(r"\b(cites|relays|repeats)\b", t)]


def test_edges_cross_columns_between_boxes():
    root = parse(provenance_svg(big_graph(), claim_id="k1"))
    boxes = node_boxes(root)
    crossings = 0
    for p in root.iter("path"):
        if p.get("class") != "pg-edge":
            continue
        # each "… X,Y H X2" piece runs across a column at height Y
        for x0, y, x1 in re.findall(r"([\d.]+),([\d.]+) H([\d.]+)", p.get("d")):
            lo, hi, y = min(float(x0), float(x1)), max(float(x0), float(x1)), float(y)
            crossings += 1
            for b in boxes:
                assert not (lo < b["x"] + b["w"] and b["x"] < hi
                            and b["y"] <= y <= b["y"] + b["h"]), (p.get("d"), b)
    assert crossings > 5


def test_earlier_reports_drawn_from_the_nearest_earlier_article():
    nodes = [outlet("A"), outlet("B"),
             article("a1", "A", "2024-01-01", "First", 1),
             article("a2", "A", "2024-01-02", "Second", 2),
             article("b1", "B", None, "Later", 3),
             {"id": "earlier:0", "kind": "earlier", "label": "earlier articles (1 claims)"},
             {"id": "earlier:1", "kind": "earlier", "label": "earlier articles (2 claims)"},
             origin("actor:c1", "Mayor Osk")]
    edges = [edge("claim:a1:t0", "origin:actor:c1"), edge("claim:a2:t0", "origin:actor:c1"),
             edge("claim:b1:t0", "earlier:1", "earlier_report"),
             edge("earlier:0", "claim:a1:t0", "earlier"),
             edge("earlier:1", "claim:a2:t0", "earlier"), edge("earlier:1", "earlier:0", "earlier")]
    root = parse(provenance_svg({"nodes": nodes, "edges": edges}, claim_id="k3"))
    assert {b["kind"] for b in node_boxes(root)} == {"article", "origin"}
    dashed = [p for p in root.iter("path") if p.get("data-kind") == "earlier_report"]
    assert len(dashed) == 1
    tip = dashed[0].find("title").text
    assert tip.startswith("A, 2024-01-02: Second → B, undated") and "2 earlier articles" in tip
    assert not [p for p in root.iter("path") if p.get("data-kind") == "earlier"]


def test_big_cluster_is_capped_and_says_so():
    svg = provenance_svg(big_graph(100, 28), claim_id="k1")
    root = parse(svg)
    arts = [b for b in node_boxes(root) if b["kind"] == "article"]
    assert len(arts) == MAX_ARTICLES
    assert f"+{100 - MAX_ARTICLES} more articles not drawn" in "".join(root.itertext())
    assert float(root.get("width")) < 2000 and float(root.get("height")) < 2000
    assert svg == provenance_svg(big_graph(100, 28), claim_id="k1")  # deterministic


def test_links_and_empty_graph():
    g = big_graph(3)
    root = parse(provenance_svg(
        g, claim_id="k1",
        href=lambda b: f"/articles/{b['article_id']}" if b["kind"] == "article" else None))
    hrefs = sorted(a.get("href") for a in root.iter("a"))
    assert hrefs == ["/articles/a00", "/articles/a01", "/articles/a02"]
    empty = parse(provenance_svg({"nodes": [], "edges": []}, claim_id="k9"))
    assert empty.get("aria-label") == "Provenance graph of claim k9" and not node_boxes(empty)


def test_fit_cuts_with_an_ellipsis():
    assert fit("short", 100) == "short"
    cut = fit("a rather long label that cannot fit", 80)
    assert cut.endswith("…") and text_width(cut) <= 80
    assert fit("x\u202ey", 200) == "x<U+202E>y"


def test_relay_naming_the_cited_outlet_is_one_hop():
    from sourcetrace.corpus.query import provenance_graph

    nodes = [
        {"node_id": "claim:p:t1", "kind": "claim", "article_id": "p", "outlet": "Delta Post"},
        {"node_id": "claim:t:t1", "kind": "claim", "article_id": "t", "outlet": "River Times"},
    ]
    edges = [{"src": "claim:t:t1", "dst": "claim:p:t1", "kind": "relays",
              "via": ["a spokesman", "the Delta Post"]}]
    graph = provenance_graph(nodes, edges)
    relays = [n["label"] for n in graph["nodes"] if n["kind"] == "relay"]
    assert relays == ["a spokesman"]
    assert [(e["source"], e["target"]) for e in graph["edges"]] == [
        ("claim:t:t1", "relay:a spokesman"), ("relay:a spokesman", "claim:p:t1")]


def test_earlier_reports_whose_articles_were_cut_get_a_stand_in():
    # the page's edge cap kept the "earlier reports" link but not the junction's edges
    nodes = [outlet("B"), article("b1", "B", "2024-02-01", "Later", 3),
             {"id": "earlier:4", "kind": "earlier", "label": "earlier articles (5 claims)"}]
    edges = [edge("claim:b1:t0", "earlier:4", "earlier_report")]
    root = parse(provenance_svg({"nodes": nodes, "edges": edges}, claim_id="k4"))
    boxes = node_boxes(root)
    assert sorted(b["kind"] for b in boxes) == ["article", "earlier"]
    stand_in = next(b for b in boxes if b["kind"] == "earlier")
    assert stand_in["x"] < next(b for b in boxes if b["kind"] == "article")["x"]
    assert "earlier articles" in " ".join(root.find("g[@class='pg-legend']").itertext())
