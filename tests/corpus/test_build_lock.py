"""One writer at a time: concurrent builds of one corpus lose nothing, a second writer waits
or fails in one line, and work copies left by killed builds are cleaned up."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from sourcetrace.corpus.build import build
from sourcetrace.corpus.db import CorpusError, connect, lock_path, work_prefix, write_lock
from sourcetrace.corpus.embed import HashingEmbedder

ENC = HashingEmbedder()


def _ids(db) -> set[str]:
    con = connect(str(db))
    try:
        return {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}
    finally:
        con.close()


def test_build_lock_two_builds_at_once_lose_no_article(tmp_path, records):
    db = tmp_path / "c.duckdb"
    build(str(db), records=records[:1], embedder=ENC)
    errors: list[BaseException] = []

    def run(recs):
        try:
            build(str(db), records=recs, embedder=ENC)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=([r],)) for r in records[1:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert _ids(db) == {r["id"] for r in records}


def test_build_lock_no_wait_fails_in_one_line_and_leaves_the_corpus(tmp_path, records):
    db = tmp_path / "c.duckdb"
    build(str(db), records=records[:1], embedder=ENC)
    before = db.read_bytes()
    with write_lock(str(db)), pytest.raises(CorpusError) as err:
        build(str(db), records=records[1:], embedder=ENC, wait=False)
    assert "another build is writing" in str(err.value) and "\n" not in str(err.value)
    assert db.read_bytes() == before
    # released: the next build goes through
    build(str(db), records=records[1:], embedder=ENC, wait=False)
    assert _ids(db) == {r["id"] for r in records}


def test_build_lock_removes_dead_work_copies_of_this_corpus_only(tmp_path, records):
    db = tmp_path / "c.duckdb"
    dead = [f"{work_prefix(str(db))}abcd.duckdb", f"{work_prefix(str(db))}abcd.duckdb.wal"]
    other = tmp_path / ".other.duckdb.build-x.duckdb"  # another corpus's: not ours to touch
    for path in [*dead, str(other)]:
        with open(path, "wb") as fh:
            fh.write(b"left by a killed build")
    build(str(db), records=records[:1], embedder=ENC)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".c.duckdb.lock", ".other.duckdb.build-x.duckdb", "c.duckdb"]
    assert lock_path(str(db)).endswith(".c.duckdb.lock")


def test_connect_refuses_sqlite_file_without_loading_an_extension(tmp_path):
    path = tmp_path / "looks.duckdb"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(CorpusError) as err:
        connect(str(path))
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_connect_without_external_access_cannot_read_files(tmp_path, records):
    db = tmp_path / "c.duckdb"
    build(str(db), records=records[:1], embedder=ENC)
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    con = connect(str(db), external_access=False)
    try:
        with pytest.raises(Exception, match="(?i)external|disabled|permission"):
            con.execute(f"SELECT * FROM read_csv('{secret}')").fetchall()
    finally:
        con.close()


def test_connect_refuses_a_corpus_missing_tables(tmp_path, records):
    import duckdb

    db = tmp_path / "c.duckdb"
    build(str(db), records=records[:1], embedder=ENC)
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE claims")
    con.close()
    with pytest.raises(CorpusError, match="damaged corpus .missing tables: claims"):
        connect(str(db))


def test_connect_refuses_a_truncated_corpus_in_one_line(tmp_path, records):
    db = tmp_path / "c.duckdb"
    build(str(db), records=records[:1], embedder=ENC)
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    with pytest.raises(CorpusError) as err:
        connect(str(db))
    assert str(db) in str(err.value) and "\n" not in str(err.value)


def test_build_lock_cli_no_wait_is_one_line_exit_2(tmp_path, records):
    import json

    from typer.testing import CliRunner

    from sourcetrace.cli import app

    db = tmp_path / "c.duckdb"
    feed = tmp_path / "records.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    args = ["corpus", "build", str(feed), "--db", str(db), "--embedder", "hashing"]
    with write_lock(str(db)):
        held = CliRunner().invoke(app, [*args, "--no-wait"])
    assert held.exit_code == 2, held.output
    assert "another build is writing this corpus" in held.output
    assert not db.exists()
    free = CliRunner().invoke(app, [*args, "--no-wait"])
    assert free.exit_code == 0, free.output
    assert _ids(db) == {r["id"] for r in records}
