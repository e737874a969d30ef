"""Corpus database helpers: sorting in buckets, and builds that use it."""

from __future__ import annotations

import duckdb
import numpy as np

from sourcetrace.corpus import actors as actors_mod
from sourcetrace.corpus import blocking
from sourcetrace.corpus import claims as claims_mod
from sourcetrace.corpus import provenance as provenance_mod
from sourcetrace.corpus.build import build
from sourcetrace.corpus.db import connect, read_sorted
from sourcetrace.corpus.embed import HashingEmbedder
from sourcetrace.corpus.schema import ALL_TABLES

from .test_claims import cell_path_records


def _groups(con: duckdb.DuckDBPyConnection, max_rows: int) -> list[tuple[int, list[int]]]:
    """(key, values) per run of consecutive equal keys, as read_sorted returns them."""
    out: list[tuple[int, list[int]]] = []
    for batch in read_sorted(con, "t", order_by="k, v", bucket="k", max_rows=max_rows,
                             batch_rows=7):
        for k, v in zip(*(c.to_pylist() for c in batch.columns), strict=True):
            if out and out[-1][0] == k:
                out[-1][1].append(v)
            else:
                out.append((k, [v]))
    return out


def test_buckets_keep_each_group_whole_and_sorted():
    con = duckdb.connect()
    rng = np.random.default_rng(5)
    keys = rng.integers(0, 40, size=500)
    con.execute("CREATE TEMP TABLE t (k INTEGER, v INTEGER)")
    con.executemany("INSERT INTO t VALUES (?, ?)",
                    [(int(k), i) for i, k in enumerate(keys)])
    whole = _groups(con, max_rows=10_000)  # one sort
    cut = _groups(con, max_rows=60)  # nine buckets
    assert [k for k, _v in whole] == sorted(set(keys.tolist()))
    # Every key comes once, with all its rows in order, whatever the buckets.
    assert len(cut) == len({k for k, _v in cut}) == len(whole)
    assert sorted(cut) == whole
    assert all(v == sorted(v) for _k, v in cut)
    assert cut != whole  # the buckets did reorder the keys: the cut path ran
    # The sorted copies are gone; the input stays.
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {"t"}


def test_derived_tables_are_the_same_when_sorts_and_joins_are_cut(tmp_path, monkeypatch):
    # Repeats across outlets, of four different claims, for real clusters.
    recs = cell_path_records(monkeypatch, 11, lambda a: a % 4 if a % 6 == 5 else None)
    queries = {
        "claims": "SELECT id, cluster_id FROM claims",
        "claim_links": "SELECT * FROM claim_links",
        "clusters": "SELECT * FROM clusters",
        "origins": "SELECT * FROM origins",
        "edges": "SELECT * FROM provenance_edges",
        "nodes": "SELECT * FROM provenance_nodes",
        "timeline": "SELECT * FROM timeline",
        "actors": "SELECT * FROM actors",
        "article_actors": "SELECT article_id, local_id, actor_id FROM article_actors",
        "evidence": "SELECT * FROM actor_evidence",
    }

    def run(name: str) -> dict[str, list]:
        db = str(tmp_path / f"{name}.duckdb")
        build(db, records=recs, embedder=HashingEmbedder())
        con = connect(db)
        out = {t: con.execute(f"{q} ORDER BY ALL").fetchall() for t, q in queries.items()}
        # Vectors in the same order: it decides the cells.
        out["vectors"] = con.execute("SELECT claim_id FROM claim_vectors ORDER BY rowid").fetchall()
        # Evidence in the order it was found, written whole or a slice at a time.
        out["evidence_order"] = con.execute(
            "SELECT kind, alias, article_id FROM actor_evidence ORDER BY rowid").fetchall()
        # Scratch tables written into the work copy (the (cell, claim) rows) are gone.
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert tables == set(ALL_TABLES)
        con.close()
        return out

    whole = run("whole")
    monkeypatch.setattr(blocking, "PROBE_SORT_ROWS", 40)  # 180 (cell, claim) rows
    monkeypatch.setattr(provenance_mod, "TRACE_SORT_ROWS", 10)  # 90 claims
    monkeypatch.setattr(claims_mod, "EMBED_BUCKET_ROWS", 7)  # claims to embed, 13 buckets
    monkeypatch.setattr(actors_mod, "UPDATE_CHUNK", 7)  # article actors, in slices
    cut = run("cut")
    assert cut == whole
    assert max(n for (_id, _t, n, *_rest) in whole["clusters"]) >= 3  # repeats were linked
