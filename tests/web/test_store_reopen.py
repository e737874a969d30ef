"""A running server sees a corpus rebuilt under it; ``serve`` on a busy port is one line."""

from __future__ import annotations

import socket

from fake_pipeline import ARTICLES, FakePipeline
from typer.testing import CliRunner

from sourcetrace.cli import app as cli_app
from sourcetrace.corpus.build import build
from sourcetrace.corpus.embed import HashingEmbedder
from sourcetrace.corpus.query.overview import stats
from sourcetrace.ingest import article_from_text
from sourcetrace.web.store import CorpusStore, StoreError


def _records(names):
    pipe = FakePipeline()
    return [pipe.analyze(article_from_text(ARTICLES[n], n)).to_dict() for n in names]


def _build(db, names):
    build(str(db), records=_records(names), embedder=HashingEmbedder())


def test_a_rebuilt_corpus_is_reopened(tmp_path):
    db = tmp_path / "c.duckdb"
    _build(db, ["harbour.txt"])
    store = CorpusStore(db)
    try:
        before = store.read(stats)
        _build(db, ["orchard.txt", "library.txt"])  # replaces the file
        assert store.changed()
        after = store.read(stats)
        assert after != before and not store.changed()
        assert store.read(stats) == after
    finally:
        store.close()


def test_a_replacement_that_is_not_a_corpus_says_so(tmp_path):
    db = tmp_path / "c.duckdb"
    _build(db, ["harbour.txt"])
    store = CorpusStore(db)
    try:
        replacement = tmp_path / "other"
        replacement.write_text("not a corpus")
        replacement.replace(db)
        try:
            store.read(stats)
        except StoreError as exc:
            assert "changed under the running server" in str(exc)
        else:
            raise AssertionError("a foreign file was read as the corpus")
        _build(db.with_name("fresh.duckdb"), ["library.txt"])
        db.with_name("fresh.duckdb").replace(db)
        assert store.read(stats)  # a good corpus again: served again
    finally:
        store.close()


def test_serve_on_a_busy_port_is_one_line(tmp_path):
    db = tmp_path / "c.duckdb"
    _build(db, ["harbour.txt"])
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli_app, ["serve", "--db", str(db), "--port", str(port)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(lines) == 1
    assert lines[0].startswith(f"error: cannot listen on 127.0.0.1:{port}: address already in use")
    assert "Traceback" not in result.output


def test_the_app_serves_the_rebuilt_corpus_or_says_to_restart(tmp_path):
    from fastapi.testclient import TestClient

    from sourcetrace.web.app import create_app

    db = tmp_path / "c.duckdb"
    _build(db, ["harbour.txt"])
    with TestClient(create_app(db), raise_server_exceptions=False) as client:
        first = client.get("/api/overview").json()
        _build(db, ["orchard.txt"])
        second = client.get("/api/overview").json()
        assert second != first
        (tmp_path / "junk").write_text("not a corpus")
        (tmp_path / "junk").replace(db)
        gone = client.get("/api/overview")
        assert gone.status_code == 503 and "restart the server" in gone.json()["detail"]
        page = client.get("/")
        assert page.status_code == 503 and "restart the server" in page.text
