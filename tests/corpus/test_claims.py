"""Claim links across articles: clusters from the cell path, slices, and components."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import numpy as np

from sourcetrace.corpus import blocking
from sourcetrace.corpus import claims as claims_mod
from sourcetrace.corpus.build import build
from sourcetrace.corpus.db import connect
from sourcetrace.corpus.embed import HashingEmbedder


def _record(rid: str, text: str, contents: list[str], outlet: str) -> dict:
    atts = []
    for n, c in enumerate(contents, 1):
        s = text.index(c)
        atts.append({"id": f"t{n}", "source": None, "cue": {"text": "said", "spans": [[0, 0]]},
                     "content": {"text": c, "spans": [[s, s + len(c)]]}, "kind": "no_source",
                     "relayed_by": [], "chain_depth": 0, "confidence": 0.5,
                     "proposition": True})  # random words: a claim by fiat
    return {"schema_version": "1.0.0", "id": rid, "path": f"{rid}.txt", "text": text,
            "metadata": {"outlet": outlet, "published": "2025-01-01"}, "excluded": [],
            "attributions": atts, "actors": [], "unattributed": [], "labels": [],
            "profile": {}}


def cell_path_records(monkeypatch, seed: int, repeats: Callable[[int], int | None]) -> list:
    """30 records of 3 random-word claims, more than the exact path takes, so the
    claims are split into cells; article a's first claim repeats the first claim of
    article ``repeats(a)`` (None: no repeat)."""
    monkeypatch.setattr(blocking, "EXACT_MAX", 20)
    monkeypatch.setattr(blocking, "CELL", 16)
    monkeypatch.setattr(blocking, "PROBES", 2)
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(400)]
    recs: list = []
    for a in range(30):
        sents = [" ".join(rng.choice(words, 8)) for _ in range(3)]
        source = repeats(a)
        if source is not None:
            sents[0] = recs[source]["attributions"][0]["content"]["text"]
        recs.append(_record(f"a{a}", ". ".join(sents) + ".", sents, f"Outlet {a % 7}"))
    return recs


def test_cell_path_links_and_is_the_same_on_every_build(tmp_path, monkeypatch):
    # every tenth article repeats article 0's first claim, in another outlet
    recs = cell_path_records(monkeypatch, 3, lambda a: 0 if a % 10 == 9 else None)
    runs = []
    for n in range(2):
        db = str(tmp_path / f"c{n}.duckdb")
        build(db, records=recs, embedder=HashingEmbedder())
        con = connect(db)
        runs.append(con.execute("SELECT id, cluster_id FROM claims ORDER BY id").fetchall())
        linked = con.execute(
            "SELECT count(DISTINCT article_id) FROM claims WHERE cluster_id = "
            "(SELECT cluster_id FROM claims WHERE id = 'a0:t1')"
        ).fetchone()[0]
        assert linked == 4  # a0 and its three repeats
        con.close()
    assert runs[0] == runs[1]


def test_clusters_given_in_slices_match_one_update(tmp_path, monkeypatch):
    recs = []
    for a in range(12):
        sents = [f"The ferry number {a} left port {k} hours late on a stormy day" for k in (1, 2)]
        if a % 4 == 3:  # a repeat of article 0's first claim
            sents[0] = recs[0]["attributions"][0]["content"]["text"]
        recs.append(_record(f"a{a}", ". ".join(sents) + ".", sents, f"Outlet {a % 5}"))

    def run(name: str) -> tuple[list, list]:
        db = str(tmp_path / f"{name}.duckdb")
        build(db, records=recs, embedder=HashingEmbedder())
        con = connect(db)
        out = (con.execute("SELECT id, cluster_id FROM claims ORDER BY id").fetchall(),
               con.execute("SELECT * FROM claim_links ORDER BY ALL").fetchall())
        con.close()
        return out

    whole = run("whole")
    monkeypatch.setattr(claims_mod, "UPDATE_CHUNK", 5)  # 24 claims: five slices
    sliced = run("sliced")
    assert sliced == whole
    assert all(k is not None for _id, k in sliced[0])
    assert len({k for _id, k in sliced[0]}) < len(sliced[0])  # the repeats were linked


def _numbered(links: list[tuple[int, int]], order: list[int]) -> list[int]:
    """cluster_numbers on claims 0..len(order)-1 appearing in ``order``: each claim's number."""
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE _kept (a BIGINT, b BIGINT, sim DOUBLE)")
    if links:
        con.executemany("INSERT INTO _kept VALUES (?, ?, 1.0)", links)
    con.execute("CREATE TEMP TABLE _claim_rows (n BIGINT, id VARCHAR, seq INTEGER, "
                "start_offset INTEGER)")
    # Corpus order is (seq, start_offset, id): here article 0, offsets by appearance.
    con.executemany("INSERT INTO _claim_rows VALUES (?, ?, 0, ?)",
                    [(n, f"c{n}", at) for at, n in enumerate(order)])
    claims_mod.cluster_numbers(con)
    got = dict(con.execute("SELECT id, k FROM _cluster").fetchall())
    con.close()
    return [got[f"c{n}"] for n in range(len(order))]


def test_clusters_are_numbered_by_first_appearance():
    # Appearing as 5, 3, 0, 4, 2, 1 with 0-2 and 3-4 linked: 5 first, then {3, 4}, ...
    assert _numbered([(0, 2), (3, 4)], [5, 3, 0, 4, 2, 1]) == [3, 4, 3, 2, 2, 1]
    assert _numbered([], [2, 0, 1]) == [2, 3, 1]


def test_components_of_long_chains_and_stars_are_whole():
    rng = np.random.default_rng(4)
    # A 200-claim path in shuffled order, a star of 50, and 30 loose claims.
    path = rng.permutation(200)
    links = [(int(path[i]), int(path[i + 1])) for i in range(199)]
    links += [(200, 200 + i) for i in range(1, 50)]
    order = rng.permutation(280).tolist()
    got = _numbered([(min(x, y), max(x, y)) for x, y in links], order)
    first = min(order.index(n) for n in range(250))
    want_first = 1 + len({n for n in order[:first] if n >= 250})
    assert len(set(got[:200])) == 1 and len(set(got[200:250])) == 1
    assert got[0] != got[200]
    assert len(set(got[250:])) == 30 and not set(got[250:]) & {got[0], got[200]}
    assert sorted(set(got)) == list(range(1, 33))  # dense: 32 clusters
    assert min(got[0], got[200]) == want_first
