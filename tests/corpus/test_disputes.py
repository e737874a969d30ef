"""Disputes shown: the read API, ``corpus claims --disputed``, ``corpus claim``, the web
claim page, the overview count and the JSON API, on a small corpus whose ``disputes`` rows
the test writes itself (finding disputes is the build's business, tested elsewhere)."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from sourcetrace.cli import app as cli_app
from sourcetrace.corpus import query
from sourcetrace.corpus.build import build
from sourcetrace.corpus.db import connect
from sourcetrace.corpus.embed import HashingEmbedder

# outlet, text: each article states one claim, attributed to a named spokesperson.
ARTICLES = {
    "d1": ("Ridge Post", "Mayor Anna Brel said the paper mill in Toska will close in March."),
    "d2": ("Valley Star", "A union official said the paper mill in Toska will not close at all."),
    "d3": ("Ridge Post", "The river board said floods drowned 3,000 sheep near Ulm last week."),
    "d4": ("Coast Daily", "A farmer said floods drowned 300 sheep near Ulm last week."),
    "d5": ("Coast Daily", "The ferry company said its new boat carries eighty cars easily."),
}


def _record(rid: str, outlet: str, text: str) -> dict:
    said = text.index(" said ")
    content = text[said + 6:].rstrip(".")
    s = said + 6
    source = text[:said]
    att = {"id": "t1",
           "source": {"text": source, "spans": [[0, len(source)]], "type": "person",
                      "actor": None, "role": None, "antecedent": None},
           "cue": {"text": "said", "spans": [[said + 1, said + 5]]},
           "content": {"text": content, "spans": [[s, s + len(content)]]},
           "kind": "indirect", "relayed_by": [], "chain_depth": 1, "confidence": 0.8,
           "proposition": True}
    return {"schema_version": "1.1.0", "id": rid, "path": f"{rid}.txt", "text": text,
            "metadata": {"outlet": outlet, "published": "2025-03-0" + rid[-1],
                         "title": f"Story {rid}"},
            "excluded": [], "attributions": [att], "actors": [], "unattributed": [],
            "labels": [], "profile": {}}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("disputes") / "c.duckdb")
    build(path, records=[_record(k, *v) for k, v in ARTICLES.items()],
          embedder=HashingEmbedder())
    con = duckdb.connect(path)
    con.execute("DELETE FROM disputes")  # whatever the build found: these rows are the test's
    con.executemany("INSERT INTO disputes VALUES (?, ?, ?, ?)", [
        ("d1:t1", "d2:t1", "polarity", 0.91),
        ("d3:t1", "d4:t1", "figures", 0.88),
    ])
    con.close()
    return path


def _cluster(con, claim_id: str) -> str:
    return con.execute("SELECT cluster_id FROM claims WHERE id = ?", [claim_id]).fetchone()[0]


def test_read_api_gives_both_sides(db):
    con = connect(db)
    try:
        mill = query.disputes(con, "d2:t1")
        assert [(d["claim_id"], d["kind"], d["outlet"]) for d in mill] == [
            ("d1:t1", "polarity", "Ridge Post")]
        assert mill[0]["source_text"] == "Mayor Anna Brel"
        assert "will close in March" in mill[0]["text"]
        assert query.disputes(con, "d5:t1") == []
        assert query.count_disputes(con) == 2
        disputed = {r["id"] for r in query.disputed_claims(con)}
        ferry = _cluster(con, "d5:t1")
        assert ferry not in disputed
        assert {_cluster(con, c) for c in ("d1:t1", "d2:t1", "d3:t1", "d4:t1")} <= disputed
        page = query.claim(con, _cluster(con, "d4:t1"), view="page")
        assert [(d["own_claim_id"], d["claim_id"], d["kind"]) for d in page["disputed_by"]] == [
            ("d4:t1", "d3:t1", "figures")]
        assert query.claim(con, ferry, view="tree")["disputed_by"] == []
        assert query.overview(con)["counts"]["disputes"] == 2
    finally:
        con.close()


def test_corpus_without_disputes_table_reads_as_none(tmp_path):
    path = str(tmp_path / "old.duckdb")
    build(path, records=[_record("d5", *ARTICLES["d5"])], embedder=HashingEmbedder())
    con = duckdb.connect(path)
    con.execute("DROP TABLE disputes")  # a corpus written before schema 1.2
    con.close()
    con = connect(path)
    try:
        assert query.count_disputes(con) == 0
        assert query.disputed_claims(con) == []
        assert query.claim(con, _cluster(con, "d5:t1"))["disputed_by"] == []
    finally:
        con.close()


def test_cli_lists_disputed_claims_and_shows_the_other_side(db):
    runner = CliRunner(env={"COLUMNS": "240"})  # wide enough that rich clips no cell
    res = runner.invoke(cli_app, ["corpus", "claims", "--disputed", "--db", db])
    assert res.exit_code == 0, res.output
    assert "disputes" in res.output and "ferry" not in res.output
    assert "paper mill" in res.output and "sheep" in res.output
    con = connect(db)
    mill = _cluster(con, "d1:t1")
    con.close()
    res = runner.invoke(cli_app, ["corpus", "claim", mill, "--db", db])
    assert res.exit_code == 0, res.output
    tail = res.output[res.output.index("disputed by"):]
    assert "polarity" in tail and "Valley Star" in tail and "A union official" in tail
    assert "will not close" in tail


def test_web_claim_page_overview_and_api_show_disputes(db):
    from fastapi.testclient import TestClient

    from sourcetrace.web.app import create_app

    con = connect(db)
    sheep, ferry = _cluster(con, "d3:t1"), _cluster(con, "d5:t1")
    con.close()
    with TestClient(create_app(db)) as c:
        html = c.get(f"/claims/{sheep}").text
        section = html[html.index('id="disputed-by"'):]
        assert "Coast Daily" in section and "figures" in section and "300 sheep" in section
        assert 'id="disputed-by"' not in c.get(f"/claims/{ferry}").text
        assert "<strong>2</strong>disputes" in c.get("/").text
        assert c.get("/api/overview").json()["counts"]["disputes"] == 2
        api = c.get("/api/claims", params={"disputed": "true"}).json()
        assert api["total_disputes"] == 2 and ferry not in {r["id"] for r in api["claims"]}
        assert c.get(f"/api/claims/{sheep}").json()["disputed_by"][0]["outlet"] == "Coast Daily"


def test_claim_text_is_escaped_on_the_disputes_section(tmp_path):
    path = str(tmp_path / "x.duckdb")
    evil = ("Ridge Post", "An aide said the <script>alert(1)</script> plan will pass.")
    build(path, records=[_record("d1", *evil), _record("d2", *ARTICLES["d2"])],
          embedder=HashingEmbedder())
    con = duckdb.connect(path)
    con.execute("INSERT INTO disputes VALUES ('d1:t1', 'd2:t1', 'polarity', 0.7)")
    cluster = con.execute("SELECT cluster_id FROM claims WHERE id = 'd2:t1'").fetchone()[0]
    con.close()
    from fastapi.testclient import TestClient

    from sourcetrace.web.app import create_app

    with TestClient(create_app(path)) as c:
        html = c.get(f"/claims/{cluster}").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
