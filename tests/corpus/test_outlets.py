"""Outlets by name, never by article id; only known outlets are counted as outlets.

Hand-made analysis records (no NLP): three articles say one claim in the writer's
voice; which of them have an outlet, a URL or a title varies per test.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from sourcetrace.cli import app
from sourcetrace.corpus import query
from sourcetrace.corpus.build import build
from sourcetrace.corpus.db import connect
from sourcetrace.corpus.embed import HashingEmbedder
from sourcetrace.corpus.outlets import outlet_label
from sourcetrace.corpus.report import write_report

CLAIM = "The lighthouse at Skerry Point will be sold to a private buyer next spring."
IDS = ("61dbe2b4e6c90f7c", "9a0c3e51d2b7f846", "c47e20a9b15d3f08")
HEX_ID = re.compile(r"\b[0-9a-f]{16}\b")


def record(rid: str, path: str, metadata: dict, lead: str) -> dict:
    text = f"{lead}\n\n{CLAIM}\n"
    s = text.index(CLAIM)
    return {
        "schema_version": "1.0.0", "id": rid, "path": path, "text": text,
        "metadata": metadata, "excluded": [], "attributions": [], "actors": [],
        "unattributed": [{"text": CLAIM, "spans": [[s, s + len(CLAIM)]],
                          "reason": "asserted in the writer's voice; no source"}],
        "labels": [], "profile": {},
    }


def no_outlet_records() -> list[dict]:
    return [
        record(IDS[0], "inbox/skerry-notes.txt", {"published": "2025-04-01"},
               "Notes from the harbour meeting."),
        record(IDS[1], "feed.jsonl#2", {"url": "https://www.tidewatch.example/skerry",
                                       "published": "2025-04-02"}, "Coastal roundup."),
        record(IDS[2], "feed.jsonl#3", {"title": "Skerry Point sale"}, "Local briefs."),
    ]


def _corpus(tmp_path, records):
    db = str(tmp_path / "c.duckdb")
    build(db, records=records, embedder=HashingEmbedder())
    return db


@pytest.fixture()
def unknown(tmp_path):
    db = _corpus(tmp_path, no_outlet_records())
    con = connect(db, read_only=True)
    yield db, con
    con.close()


def test_outlet_label_names_the_outlet_or_a_stand_in():
    assert outlet_label("Harbour Gazette", "https://x.example/a") == "Harbour Gazette"
    assert outlet_label(None, "https://www.tidewatch.example/a", "a.txt") == (
        "tidewatch.example (unknown outlet)")
    assert outlet_label("", None, "in/skerry-notes.txt", "T") == (
        "skerry-notes.txt (unknown outlet)")
    # a record inside a file reads better by its title
    assert outlet_label(None, None, "feed.jsonl#3", "Skerry Point sale") == (
        "Skerry Point sale (unknown outlet)")
    assert outlet_label(None, None, "-", None) == "(unknown outlet)"
    assert outlet_label(None, "not a url", None, None) == "(unknown outlet)"


def test_articles_with_no_outlet_are_not_counted_as_outlets(unknown):
    _db, con = unknown
    (cluster,) = query.claims(con, 2)
    assert cluster["n_articles"] == 3
    assert cluster["n_outlets"] == 0 and cluster["n_no_outlet"] == 3
    st = query.stats(con)
    assert (st["articles"], st["outlets"], st["no_outlet"]) == (3, 0, 3)
    assert query.overview(con)["counts"]["outlets"] == 0
    assert query.overview(con)["counts"]["no_outlet"] == 3
    page = query.claim(con, cluster["id"], view="page")
    assert (page["n_outlets"], page["n_no_outlet"]) == (0, 3)


def test_mixed_known_and_unknown_outlets(tmp_path):
    recs = no_outlet_records()
    recs[0]["metadata"]["outlet"] = "Skerry Herald"
    recs[1]["metadata"]["outlet"] = "Skerry Herald"
    con = connect(_corpus(tmp_path, recs), read_only=True)
    (cluster,) = query.claims(con, 2)
    assert (cluster["n_articles"], cluster["n_outlets"], cluster["n_no_outlet"]) == (3, 1, 1)
    st = query.stats(con)
    assert (st["outlets"], st["no_outlet"]) == (1, 1)
    con.close()


def test_no_article_id_where_an_outlet_is_shown(unknown):
    _db, con = unknown
    (cluster,) = query.claims(con, 2)
    tree = query.claim(con, cluster["id"])
    page = query.claim(con, cluster["id"], view="page")
    labels = sorted(t["outlet_label"] for t in tree["timeline"])
    assert labels == ["Skerry Point sale (unknown outlet)",
                      "skerry-notes.txt (unknown outlet)",
                      "tidewatch.example (unknown outlet)"]
    assert sorted(c["outlet_label"] for c in tree["claims"]) == labels
    assert sorted(t["outlet_label"] for t in page["timeline"]) == labels
    shown = [
        *(o["label"] for o in tree["origins"]),
        *(n["label"] for n in tree["nodes"]),
        *(n["label"] for n in page["graph"]["nodes"]),
        *(a["outlet_label"] for a in query.articles(con)["articles"]),
    ]
    assert not [s for s in shown if HEX_ID.search(str(s))], shown
    # each article with no outlet sits under its own stand-in, not one shared box
    boxes = {n["label"] for n in page["graph"]["nodes"] if n["kind"] == "outlet"}
    assert boxes == set(labels)


def test_report_and_cli_show_names_and_count_right(unknown, tmp_path):
    db, con = unknown
    out = tmp_path / "r.html"
    with open(out, "w", encoding="utf-8") as fp:
        write_report(con, fp)
    page = out.read_text(encoding="utf-8")
    body = page.split("<body>", 1)[1]
    assert not HEX_ID.search(body)
    assert "3 articles, 0 outlets (3 articles with no known outlet)" in body
    assert "skerry-notes.txt (unknown outlet)" in body
    assert "3 outlets" not in body
    (cluster,) = query.claims(con, 2)
    res = CliRunner().invoke(app, ["corpus", "claim", cluster["id"], "--db", db])
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())
    assert not HEX_ID.search(flat)
    assert "3 articles, 0 outlets (3 articles with no known outlet)" in flat
    assert "tidewatch.example (unknown outlet)" in flat
    res = CliRunner().invoke(app, ["corpus", "claims", "--db", db, "-f", "json"])
    (row,) = json.loads(res.stdout)
    assert (row["n_outlets"], row["n_no_outlet"]) == (0, 3)
