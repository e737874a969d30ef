from __future__ import annotations

import copy
import json

import duckdb
import pytest

from sourcetrace.corpus import query
from sourcetrace.corpus.build import build
from sourcetrace.corpus.db import CorpusError, connect
from sourcetrace.corpus.embed import HashingEmbedder
from sourcetrace.errors import BadInputError, ConfigError

ENC = HashingEmbedder()


def _build(db, records, **kw):
    return build(str(db), records=records, embedder=ENC, **kw)


def test_build_then_add_is_incremental_and_dedups(tmp_path, records):
    db = tmp_path / "c.duckdb"
    s1 = _build(db, records[:2])
    assert (s1.added, s1.duplicates) == (2, 0)
    s2 = _build(db, records)  # the first two again, plus one new
    assert (s2.added, s2.duplicates) == (1, 2)
    con = connect(str(db))
    assert query.stats(con)["articles"] == 3
    reasons = {r[0] for r in con.execute("SELECT reason FROM duplicates").fetchall()}
    assert reasons == {"same_id"}
    # every claim span points at its text in the article
    for text, art, spans in con.execute(
        "SELECT c.text, a.text, c.spans FROM claims c JOIN articles a ON a.id = c.article_id"
    ).fetchall():
        s, e = json.loads(spans)[0]
        assert art[s:e] in text


def test_near_duplicate_text_is_stored_once(tmp_path, records):
    copy_rec = copy.deepcopy(records[0])
    copy_rec["id"] = "syndicated-copy"
    copy_rec["metadata"] = {**copy_rec["metadata"], "url": "https://other.example/x",
                            "outlet": "Other Outlet"}
    copy_rec["text"] += "\n\nFirst published by the Harbour Gazette."
    stats = _build(tmp_path / "c.duckdb", [records[0], copy_rec])
    assert (stats.added, stats.duplicates) == (1, 1)
    con = connect(str(tmp_path / "c.duckdb"))
    assert con.execute("SELECT reason FROM duplicates").fetchone()[0] == "near_duplicate"


def test_failed_build_leaves_previous_corpus(tmp_path, records):
    db = tmp_path / "c.duckdb"
    _build(db, records[:1])
    before = db.read_bytes()

    def boom():
        yield records[1]
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        _build(db, boom())
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.duckdb"]


def test_foreign_and_corrupt_files_are_refused(tmp_path, records):
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(CorpusError, match="not a readable DuckDB corpus"):
        _build(junk, records[:1])
    assert junk.read_bytes() == b"not a database at all" * 100
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE sales (x INT)")
    con.close()
    with pytest.raises(CorpusError, match="not a sourcetrace corpus"):
        connect(str(other))


def test_other_schema_major_version_is_one_error(tmp_path, records):
    from sourcetrace.corpus.records import read_record_jsonl

    path = tmp_path / "future.jsonl"
    recs = [dict(r, schema_version="2.0.0") for r in records]
    path.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    out = list(read_record_jsonl(str(path)))
    assert len(out) == 1 and isinstance(out[0], BadInputError)
    assert "schema_version '2.0.0'" in str(out[0])


def test_bad_alias_file_fails_before_any_write(tmp_path, records):
    bad = tmp_path / "aliases.yaml"
    bad.write_text("merge:\n  - name: [unclosed\n", encoding="utf-8")
    db = tmp_path / "c.duckdb"
    with pytest.raises(ConfigError, match="invalid YAML at line"):
        _build(db, records, alias_files=[str(bad)])
    assert not db.exists()
