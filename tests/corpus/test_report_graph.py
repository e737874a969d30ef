"""The corpus HTML report draws each shown cluster's provenance graph, inline and inert."""

from __future__ import annotations

import io
import re

from sourcetrace.corpus import query
from sourcetrace.corpus.build import build
from sourcetrace.corpus.db import connect
from sourcetrace.corpus.embed import HashingEmbedder
from sourcetrace.corpus.report import write_report


def test_report_draws_a_graph_per_cluster(tmp_path, records):
    recs = [dict(r) for r in records]
    recs[1] = dict(recs[1], metadata=dict(recs[1]["metadata"], outlet="Vell <b>Courier</b>"))
    db = str(tmp_path / "c.duckdb")
    build(db, records=recs, embedder=HashingEmbedder())
    con = connect(db, read_only=True)
    try:
        out = io.StringIO()
        shown = write_report(con, out, min_articles=1)
        clusters = [c["id"] for c in query.claims(con, 1)]
    finally:
        con.close()
    page = out.getvalue()
    graphs = re.findall(r'<svg class="provenance-graph[^"]*" role="img" '
                        r'aria-label="Provenance graph of claim (k\d+)', page)
    assert shown == len(clusters) and sorted(graphs) == sorted(clusters)
    # each drawing sits in its cluster's section, before the tree
    for cid in graphs:
        section = page.split(f'<h2 id="{cid}">', 1)[1].split("<h2 ", 1)[0]
        assert section.index("<svg") < section.index("<h3>Provenance</h3>")
    assert "Vell &lt;b&gt;Courier&lt;/b&gt;" in page and "<b>Courier" not in page
    assert "<script" not in page and "http" not in page.split("<body>")[1]
