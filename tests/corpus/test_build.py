from __future__ import annotations

import copy
import json

import duckdb
import pytest

from sourcetrace.corpus import query
from sourcetrace.corpus.build import build
from sourcetrace.corpus.db import CorpusError, connect
from sourcetrace.corpus.embed import HashingEmbedder
from sourcetrace.model.errors import BadInputError, ConfigError

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
    assert sorted(p.name for p in tmp_path.iterdir()) == [".c.duckdb.lock", "c.duckdb"]


def test_out_of_memory_names_the_bound_and_leaves_previous_corpus(
    tmp_path, records, monkeypatch
):
    from sourcetrace.corpus import build as build_mod

    db = tmp_path / "c.duckdb"
    _build(db, records[:1])
    before = db.read_bytes()

    def short_of_memory(*_a, **_k):
        raise duckdb.OutOfMemoryException("could not allocate block of size 256.0 KiB")

    monkeypatch.setattr(build_mod.provenance_mod, "trace", short_of_memory)
    with pytest.raises(CorpusError) as err:
        _build(db, records)
    msg = str(err.value)
    assert "\n" not in msg and "SOURCETRACE_DUCKDB_MEMORY" in msg
    assert "while tracing provenance;" in msg  # the step that ran out
    assert build_mod.BUILD_MEMORY_LIMIT in msg
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".c.duckdb.lock", "c.duckdb"]


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


def test_other_schema_major_version_is_one_error_per_record(tmp_path, records):
    from sourcetrace.corpus.records import read_record_jsonl

    path = tmp_path / "future.jsonl"
    recs = [dict(r, schema_version="2.0.0") for r in records[:2]] + [records[2]]
    path.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    out = list(read_record_jsonl(str(path)))
    assert [isinstance(x, BadInputError) for x in out] == [True, True, False]
    assert str(out[1]).startswith(f"{path}#2: schema_version '2.0.0'")


def test_bad_alias_file_fails_before_any_write(tmp_path, records):
    bad = tmp_path / "aliases.yaml"
    bad.write_text("merge:\n  - name: [unclosed\n", encoding="utf-8")
    db = tmp_path / "c.duckdb"
    with pytest.raises(ConfigError, match="invalid YAML at line"):
        _build(db, records, alias_files=[str(bad)])
    assert not db.exists()


def _copy(rec, rid, url, tail="\n\nFirst published by the Harbour Gazette."):
    out = copy.deepcopy(rec)
    out["id"] = rid
    out["metadata"] = {**out["metadata"], "url": url, "outlet": "Other Outlet"}
    out["text"] += tail
    return out


def test_duplicates_are_found_across_batches_and_builds(tmp_path, records, monkeypatch):
    from sourcetrace.corpus import build as build_mod

    monkeypatch.setattr(build_mod, "FLUSH_EVERY", 1)  # every article its own batch
    db = tmp_path / "c.duckdb"
    first = [records[0], _copy(records[0], "copy-1", "https://x.example/1"), records[1]]
    s1 = _build(db, first)
    assert (s1.added, s1.duplicates) == (2, 1)
    again = [
        _copy(records[1], "copy-2", "https://x.example/2", tail=" (Reuters)"),  # near copy
        dict(records[2], id="new-id"),  # same URL as nothing stored; new
        _copy(records[2], "copy-3", records[0]["metadata"]["url"], tail=""),  # stored URL
    ]
    s2 = _build(db, again)
    con = connect(str(db))
    assert (s2.added, s2.duplicates) == (1, 2)
    rows = con.execute(
        "SELECT d.article_id, d.reason FROM duplicates d ORDER BY d.reason, d.article_id"
    ).fetchall()
    assert rows == [
        (records[0]["id"], "near_duplicate"),
        (records[1]["id"], "near_duplicate"),
        (records[0]["id"], "same_url"),
    ]


def test_a_batch_repeating_itself_keeps_the_first(tmp_path, records):
    first = _copy(records[1], "c1", "https://x.example/1")
    second = _copy(records[1], "c2", "https://x.example/1", tail=" Updated.")
    stats = _build(tmp_path / "c.duckdb", [first, second, dict(first)])
    assert (stats.added, stats.duplicates) == (1, 2)
    con = connect(str(tmp_path / "c.duckdb"))
    assert con.execute("SELECT reason FROM duplicates ORDER BY reason").fetchall() == [
        ("same_id",), ("same_url",)
    ]


def test_a_corpus_without_band_keys_gets_them(tmp_path, records):
    db = tmp_path / "c.duckdb"
    _build(db, records[:1])
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM minhash_bands")  # as written by schema 1.0
    con.close()
    stats = _build(db, [_copy(records[0], "late-copy", "https://x.example/9")])
    assert (stats.added, stats.duplicates) == (0, 1)
    con = connect(str(db))
    assert con.execute("SELECT count(*) FROM minhash_bands").fetchone()[0] == 9


def _crowded_record(n: int) -> dict:
    """A long article naming many actors, each under a second name."""
    parts, actors = [], []
    pos = 0
    for k in range(40):
        name, alias = f"Minister Tovar{n}x{k} Lasko", f"Tovarik{n}x{k}"
        sentence = f"{name} (also known as {alias}) opened a depot in district {k}. "
        actors.append({"id": f"a{k}", "name": name, "type": "person",
                       "aliases": [name, alias], "mentions": [
                           {"text": name, "spans": [[pos, pos + len(name)]]}]})
        parts.append(sentence)
        pos += len(sentence)
    filler = "The harbour road was quiet through the long wet afternoon. " * 600
    text = "".join(parts) + filler
    return {"schema_version": "1.0.0", "id": f"crowd{n}", "path": f"crowd/{n}.txt",
            "text": text, "metadata": {"outlet": "Dunmore Times",
                                       "url": f"https://dunmore.example/{n}"},
            "excluded": [], "attributions": [], "actors": actors, "unattributed": [],
            "labels": [], "profile": {}}


def test_long_articles_with_many_actors_build_under_a_small_bound(tmp_path, monkeypatch):
    # Each text came once per actor in the alias-evidence read: 60 articles x 40 actors
    # x 36 KB is ~86 MB, over this bound.
    from sourcetrace.corpus import build as build_mod

    monkeypatch.setattr(build_mod, "BUILD_MEMORY_LIMIT", "48MB")
    stats = _build(tmp_path / "c.duckdb", [_crowded_record(n) for n in range(60)])
    assert stats.added == 60
    con = connect(str(tmp_path / "c.duckdb"))
    defined = con.execute(
        "SELECT count(*) FROM actor_evidence WHERE kind = 'defined_in_article'").fetchone()[0]
    assert defined == 60 * 40  # every "Name (also known as X)" read from its article


def test_long_records_are_written_in_smaller_batches(tmp_path, monkeypatch):
    from sourcetrace.corpus import build as build_mod

    sizes = []
    flush = build_mod._Rows.flush

    def counting(self, con):
        sizes.append(len(self.rows["articles"]))
        flush(self, con)

    monkeypatch.setattr(build_mod._Rows, "flush", counting)
    # Each article stores ~86k characters (a 39k text and its 47k record): 3 reach 200k.
    monkeypatch.setattr(build_mod, "FLUSH_CHARS", 200_000)
    _build(tmp_path / "c.duckdb", [_crowded_record(n) for n in range(10)])
    assert sum(sizes) == 10 and max(sizes) == 3
