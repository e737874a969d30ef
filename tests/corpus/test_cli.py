from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sourcetrace.cli import app


@pytest.fixture()
def built(tmp_path, records):
    recs = [dict(r) for r in records]
    recs[2] = dict(recs[2], text=recs[2]["text"].replace("Mayor Osk", "Mayor Osk <script>"))
    src = tmp_path / "out.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    db = tmp_path / "c.duckdb"
    res = CliRunner().invoke(
        app, ["corpus", "build", str(src), "--db", str(db), "--embedder", "hashing"]
    )
    assert res.exit_code == 0, res.output
    assert "+3 articles" in res.output
    return db


def test_build_and_read_commands(tmp_path, built):
    run = CliRunner().invoke
    res = run(app, ["corpus", "claims", "--db", str(built), "--min-articles", "1"])
    assert res.exit_code == 0 and "k1" in res.output
    res = run(app, ["corpus", "claim", "k1", "--db", str(built)])
    assert res.exit_code == 0 and "provenance" in res.output and "timeline" in res.output
    res = run(app, ["corpus", "actor", "PVTA", "--db", str(built)])
    assert res.exit_code == 0, res.output
    assert "Port Vell Transit Authority" in res.output
    out = tmp_path / "r.html"
    res = run(app, ["corpus", "report", "-o", str(out), "--db", str(built), "--min-articles",
                    "1"])
    assert res.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "http" not in page.split("<body>")[1]
    res = run(app, ["corpus", "export", "--parquet", str(tmp_path / "pq"), "--db", str(built)])
    assert res.exit_code == 0
    assert (tmp_path / "pq" / "clusters.parquet").exists()


def test_errors_are_one_line(tmp_path, built, records):
    run = CliRunner().invoke
    res = run(app, ["corpus", "actor", "Nobody Atall", "--db", str(built)])
    assert res.exit_code == 1
    assert res.output.strip().splitlines() == [f"error: no actor matches 'Nobody Atall' in {built}"]
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"\x00garbage" * 64)
    res = run(app, ["corpus", "claims", "--db", str(junk)])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1
    assert "not a readable DuckDB corpus" in res.output
    bad = tmp_path / "a.yaml"
    bad.write_text("forbid: [x\n", encoding="utf-8")
    before = built.read_bytes()
    res = run(app, ["corpus", "build", str(tmp_path), "--db", str(built), "--aliases",
                    str(bad), "--embedder", "hashing"])
    assert res.exit_code == 2 and "invalid YAML" in res.output
    assert "Traceback" not in res.output and built.read_bytes() == before
    future = tmp_path / "future.jsonl"
    future.write_text(json.dumps(dict(records[0], schema_version="2.1.0")) + "\n")
    res = run(app, ["corpus", "build", str(future), "--db", str(built), "--embedder",
                    "hashing"])
    assert res.exit_code == 3
    assert f"error: {future}#1: schema_version '2.1.0' is not supported" in res.output


def test_export_of_a_corpus_from_before_the_band_table(tmp_path, built):
    import duckdb

    con = duckdb.connect(str(built))
    con.execute("DROP TABLE minhash_bands")  # as schema 1.0 wrote it
    con.close()
    out = tmp_path / "pq"
    res = CliRunner().invoke(app, ["corpus", "export", "--parquet", str(out), "--db", str(built)])
    assert res.exit_code == 0, res.output
    assert (out / "claims.parquet").exists() and not (out / "minhash_bands.parquet").exists()
    assert "wrote 19 tables" in res.output  # all 20 (disputes since 1.2) but the band keys
