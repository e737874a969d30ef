"""``corpus claims`` and ``corpus actors`` as tables, JSON and CSV; plurals in CLI text.

Hand-made records (no NLP): the harbour authority (also "HPA") says one claim in two
articles, a third article repeats it unattributed.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from sourcetrace.cli import app
from sourcetrace.corpus.build import build
from sourcetrace.corpus.embed import HashingEmbedder

CLAIM = "the ferry to Inish Mor will stop running in November"


def _span(text: str, needle: str) -> dict:
    s = text.index(needle)
    return {"text": needle, "spans": [[s, s + len(needle)]]}


def record(rid: str, outlet: str | None, source: str | None, lead: str = "") -> dict:
    text = f"{lead}{source or 'Everyone knows'} said {CLAIM}.\n"
    atts, actors, unattributed = [], [], []
    if source:
        atts.append({
            "id": "t1",
            "source": {**_span(text, source), "type": "organization", "actor": "a1",
                       "role": None, "antecedent": None},
            "cue": _span(text, "said"), "content": _span(text, CLAIM), "kind": "indirect",
            "relayed_by": [], "chain_depth": 1, "confidence": 0.8,
        })
        actors.append({"id": "a1", "name": "Harbour Port Authority", "type": "organization",
                       "aliases": [source], "mentions": [_span(text, source)]})
    else:
        unattributed.append({**_span(text, CLAIM), "reason": "no source"})
    return {"schema_version": "1.0.0", "id": rid, "path": f"{rid}.txt", "text": text,
            "metadata": {"outlet": outlet} if outlet else {}, "excluded": [],
            "attributions": atts, "actors": actors, "unattributed": unattributed,
            "labels": [], "profile": {}}


@pytest.fixture()
def db(tmp_path):
    path = str(tmp_path / "c.duckdb")
    recs = [
        record("a1b2c3d4e5f60718", "Bay Post", "the Harbour Port Authority"),
        record("b1b2c3d4e5f60718", "Island Times", "HPA", "Ferry news. "),
        record("c1b2c3d4e5f60718", None, None, "In brief: "),
    ]
    build(path, records=recs, embedder=HashingEmbedder())
    return path


def run(*args):
    return CliRunner().invoke(app, ["corpus", *args])


def test_claims_as_json_csv_and_text(db, tmp_path):
    res = run("claims", "--db", db, "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == 1
    (k,) = rows
    assert (k["n_articles"], k["n_outlets"], k["n_no_outlet"]) == (3, 2, 1)
    assert CLAIM in k["text"] and isinstance(k["circular"], bool)
    res = run("claims", "--db", db, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["id"] for r in table] == [k["id"]]
    assert table[0]["n_outlets"] == "2" and table[0]["n_no_outlet"] == "1"
    res = run("claims", "--db", db)
    assert k["id"] in res.stdout and res.stdout.rstrip().endswith("1 claim")


def test_lists_to_a_file_by_extension(db, tmp_path):
    out = tmp_path / "claims.csv"
    res = run("claims", "--db", db, "-o", str(out))
    assert res.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("id,text,n_articles,n_outlets")
    assert f"wrote 1 claim to {out}" in res.output
    out = tmp_path / "actors.json"
    res = run("actors", "--db", db, "-o", str(out))
    assert res.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))[0]["name"] == "Harbour Port Authority"


def test_unknown_extension_refused_before_reading(tmp_path):
    missing = tmp_path / "nothing.duckdb"
    res = run("claims", "--db", str(missing), "-o", str(tmp_path / "x.xlsx"))
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        f"error: {tmp_path / 'x.xlsx'}: unknown output extension '.xlsx'; use .txt, .json, "
        ".csv or --format"
    ]
    assert not (tmp_path / "x.xlsx").exists() and not missing.exists()


def test_actors_list(db):
    res = run("actors", "--db", db, "--format", "json")
    assert res.exit_code == 0, res.output
    actors = json.loads(res.stdout)
    hpa = next(a for a in actors if a["name"] == "Harbour Port Authority")
    assert hpa["type"] == "organization"
    assert (hpa["n_articles"], hpa["n_claims"]) == (2, 2)
    assert hpa["n_aliases"] >= 2  # "the Harbour Port Authority" and "HPA"
    res = run("actors", "--db", db, "--format", "csv", "--type", "person")
    assert res.stdout.strip() == "id,name,type,n_aliases,n_articles,n_mentions,n_claims"
    res = run("actors", "--db", db)
    assert "Harbour Port Authority" in res.stdout
    assert res.stdout.rstrip().endswith(f"{len(actors)} actor" + ("s" if len(actors) != 1
                                                                    else ""))


def test_plurals_in_cli_text(db, tmp_path):
    res = run("actor", "HPA", "--db", db)
    assert res.exit_code == 0, res.output
    assert "(organization, 2 articles)" in res.output
    res = run("claims", "--db", db, "--min-articles", "3")
    assert "1 claim" in res.stdout and "1 claims" not in res.stdout
    res = run("report", "--db", db, "-o", str(tmp_path / "r.html"))
    assert "wrote 1 claim cluster to" in res.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    counted = re.findall(r"\b(\d+) (claims?|articles?|outlets?)\b", page)
    assert counted and all((n == "1") == (not word.endswith("s")) for n, word in counted)
    res = run("export", "--parquet", str(tmp_path / "pq"), "--db", db)
    assert "tables to" in res.output and "1 tables" not in res.output


def test_build_summary_plurals(tmp_path):
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps(record("d1b2c3d4e5f60718", "Bay Post", "HPA")) + "\n",
                   encoding="utf-8")
    res = run("build", str(src), "--db", str(tmp_path / "one.duckdb"), "--embedder",
              "hashing")
    assert res.exit_code == 0, res.output
    assert "+1 article, 0 duplicates, 0 failed; now 1 article, 1 claim in 1 cluster, " \
        "1 actor" in " ".join(res.output.split())
