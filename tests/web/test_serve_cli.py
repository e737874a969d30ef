"""``sourcetrace serve``: loopback by default, never debug or reload, clear errors."""

from __future__ import annotations

import uvicorn
from typer.testing import CliRunner

from sourcetrace.cli import app as cli_app


def test_serve_defaults_to_loopback_without_debug(corpus_db, monkeypatch):
    seen = {}

    def fake_run(app, **kwargs):
        seen["app"] = app
        seen.update(kwargs)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(corpus_db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["reload"] is False and seen["app"].debug is False
    assert seen["log_level"] != "debug"


def test_serve_refuses_a_missing_or_foreign_file(tmp_path):
    missing = tmp_path / "none.duckdb"
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(missing)])
    assert result.exit_code == 2
    assert "no such corpus" in result.output and "Traceback" not in result.output

    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database")
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(foreign)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_serve_refuses_a_damaged_corpus_before_it_listens(corpus_db, tmp_path, monkeypatch):
    import duckdb

    listened = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: listened.append(kw))
    meta_only = tmp_path / "meta.duckdb"
    con = duckdb.connect(str(meta_only))
    con.execute("CREATE TABLE corpus_meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO corpus_meta VALUES ('schema_version', '1.1.0')")
    con.close()
    truncated = tmp_path / "cut.duckdb"
    data = corpus_db.read_bytes()
    truncated.write_bytes(data[: len(data) // 3])
    for db in (meta_only, truncated):
        result = CliRunner().invoke(cli_app, ["serve", "--db", str(db)])
        assert result.exit_code == 2, result.output
        assert "damaged corpus" in result.output and result.output.count("\n") == 1
    assert listened == []
    # the source of the copy is untouched and still serves
    assert CliRunner().invoke(cli_app, ["serve", "--db", str(corpus_db)]).exit_code == 0
