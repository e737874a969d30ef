"""HTML report of a corpus: one self-contained page (inline CSS, no script, nothing external).

Every value from the corpus (article text, names, outlets) goes through ``html.escape``.
"""

from __future__ import annotations

from html import escape
from typing import IO, Any

import duckdb

from ..reports.words import plural
from . import query
from .provenance_svg import provenance_svg

# Clusters drawn as a provenance graph (the most widespread first); each further cluster
# keeps its tree and timeline. A drawing is up to ~40 kB, so 50 keep the page near 2 MB.
REPORT_GRAPHS = 50

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:64rem;padding:0 1rem;
color:#222;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.2rem;border-top:3px solid #444;padding-top:.5rem;
margin-top:2rem}h3{font-size:1rem;margin:1rem 0 .3rem}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border:1px solid #ddd;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right}
.circular{color:#a0291b;font-weight:600}.meta{color:#555;font-size:.9rem}
ul.tree{list-style:none;padding-left:1.2rem;border-left:1px dotted #aaa}
.origin{font-weight:700}.edge{color:#666;font-size:.85rem}
.graph{overflow-x:auto;border:1px solid #ddd;padding:.3rem}
.graph svg{display:block;max-width:100%;height:auto}.graph svg.pg-wide{max-width:none}
@media (max-width:56rem){.graph svg{max-width:none}}
"""


def _e(v: Any) -> str:
    return escape("" if v is None else str(v))


def _tree_html(item: dict[str, Any], claims: dict[str, dict[str, Any]]) -> str:
    node = item["node"]
    if node.startswith("claim:"):
        c = claims.get(node[6:], {})
        body = (
            f"[{_e(c.get('published') or '?')}] <b>{_e(c.get('outlet_label'))}"
            f"</b>: <i>{_e(c.get('text'))}</i>"
        )
    else:
        body = f'<span class="origin">origin: {_e(item["label"])}</span>'
    edge = ""
    if item["kind"] != "claim":
        via = f" via {_e(', '.join(item['via']))}" if item["via"] else ""
        edge = f'<span class="edge">{_e(item["kind"])}{via} &rarr; </span>'
    cyc = ' <span class="circular">(cycle)</span>' if item.get("cycle") else ""
    kids = "".join(_tree_html(k, claims) for k in item["children"])
    return f"<li>{edge}{body}{cyc}" + (f'<ul class="tree">{kids}</ul>' if kids else "") + "</li>"


def _graph_html(con: duckdb.DuckDBPyConnection, cluster_id: str, text: str) -> str:
    """The cluster's provenance graph as drawn on the web claim page (inline SVG)."""
    page = query.claim(con, cluster_id, view="page")
    if page is None or not page["graph"]["edges"]:
        return ""
    note = ""
    if page["graph"]["edges_shown"] < page["graph"]["edges_total"]:
        note = (f'<p class="meta">{page["graph"]["edges_shown"]} of '
                f'{page["graph"]["edges_total"]} links drawn, links to sources first; the '
                "tree below has them all.</p>")
    svg = provenance_svg(page["graph"], claim_id=cluster_id, claim_text=text)
    return f'<h3>Provenance graph</h3>{note}<div class="graph">{svg}</div>\n'


def _no_outlet(n: int) -> str:
    return f" ({plural(n, 'article')} with no known outlet)" if n else ""


def cluster_counts(cluster: dict[str, Any]) -> str:
    """ "3 articles, 2 outlets (1 article with no known outlet), 1 independent origin"."""
    return (
        f"{plural(cluster['n_articles'], 'article')}, "
        f"{plural(cluster['n_outlets'], 'outlet')}"
        f"{_no_outlet(cluster.get('n_no_outlet') or 0)}, "
        f"{plural(cluster['independent_origins'], 'independent origin')}"
    )


def write_report(con: duckdb.DuckDBPyConnection, out: IO[str], *, min_articles: int = 2,
                 limit: int = 200) -> int:
    """Write the page; RETURNS the number of clusters shown."""
    st = query.stats(con)
    rows = query.claims(con, min_articles, limit, order="outlets")
    w = out.write
    w('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
      "<title>sourcetrace corpus report</title>"
      f"<style>{_CSS}</style></head><body>\n<h1>sourcetrace corpus report</h1>\n")
    w(f'<p class="meta">{plural(st["articles"], "article")} '
      f'({plural(st["duplicates"], "duplicate sighting")}), '
      f'{plural(st["outlets"], "outlet")}{_no_outlet(st["no_outlet"])}, '
      f'{plural(st["claims"], "claim")} in {plural(st["clusters"], "cluster")}, '
      f'{plural(st["actors"], "actor")}. '
      f"Claims carried by {min_articles}+ articles below.</p>\n")
    w("<table><tr><th>claim</th><th>text</th><th>articles</th><th>outlets</th>"
      "<th>articles with no known outlet</th>"
      "<th>independent origins</th><th>circular</th><th>first seen</th></tr>\n")
    for r in rows:
        circ = f'<span class="circular">{_e(r["circular_reason"])}</span>' if r["circular"] else ""
        w(f'<tr><td><a href="#{_e(r["id"])}">{_e(r["id"])}</a></td><td>{_e(r["text"])}</td>'
          f'<td class="num">{r["n_articles"]}</td><td class="num">{r["n_outlets"]}</td>'
          f'<td class="num">{r["n_no_outlet"]}</td>'
          f'<td class="num">{r["independent_origins"]}</td><td>{circ}</td>'
          f"<td>{_e(r['first_seen'])}</td></tr>\n")
    w("</table>\n")
    shown = 0
    for r in rows:
        data = query.claim(con, r["id"], view="tree")
        if data is None:
            continue
        claims = {c["id"]: c for c in data["claims"]}
        w(f'<h2 id="{_e(r["id"])}">{_e(r["id"])}: {_e(r["text"])}</h2>\n')
        w(f'<p class="meta">{cluster_counts(data)}')
        if data["circular"]:
            w(f' &mdash; <span class="circular">circular: {_e(data["circular_reason"])}</span>')
        w("</p>\n<h3>Origins</h3><ul>")
        for o in data["origins"]:
            w(f"<li>{_e(o['label'])} ({plural(o['n_claims'], 'claim')})</li>")
        w("</ul>\n")
        if shown < REPORT_GRAPHS:
            w(_graph_html(con, r["id"], r["text"]))
            shown += 1
        w('<h3>Provenance</h3><ul class="tree">')
        for item in data["tree"]:
            w(_tree_html(item, claims))
        w("</ul>\n<h3>Timeline</h3><table><tr><th>#</th><th>published</th><th>outlet</th>"
          "<th>kind</th></tr>")
        for t in data["timeline"]:
            w(f"<tr><td>{t['seq']}</td><td>{_e(t['published'])}</td>"
              f"<td>{_e(t['outlet_label'])}</td><td>{_e(t['kind'])}</td></tr>")
        w("</table>\n")
    w("</body></html>\n")
    return len(rows)
