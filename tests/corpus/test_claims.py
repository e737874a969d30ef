"""Claim-link evidence beyond the cosine: figures, negation, shared words."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import numpy as np
import pytest

from sourcetrace.corpus import claims as claims_mod
from sourcetrace.corpus.build import build
from sourcetrace.corpus.claims import claims_from_record, conflict, lexical_support, numbers
from sourcetrace.corpus.db import connect
from sourcetrace.corpus.embed import HashingEmbedder


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the plant will cut 2,400 jobs", {2400.0}),
        ("two thousand four hundred jobs will go", {2400.0}),
        ("a hundred and five boats", {105.0}),
        ("one of the ministers resigned", set()),
        ("forty-two people and 7.5 percent", {42.0, 7.5}),
    ],
)
def test_numbers_read_digits_and_words(text, expected):
    assert numbers(text) == expected


def test_conflict_on_denial_and_on_different_figures():
    assert conflict("the mine will close", "the mine will not close")
    assert conflict("the mine won't close", "the mine will close next year")
    assert not conflict("the mine won't close", "the mine will not shut")
    assert conflict("twelve miners were hurt", "30 miners were hurt")
    assert not conflict("twelve miners were hurt", "12 miners were injured")
    assert not conflict("the mine had no water left", "the mine ran out of water")


def test_lexical_support_needs_several_shared_content_words():
    assert lexical_support(
        "the ferry strike will end on Tuesday", "striking ferry crews end their walkout Tuesday"
    )
    assert not lexical_support("ferry crews strike", "the ferry timetable changes in May")


def _record(rid: str, text: str, contents: list[str], outlet: str) -> dict:
    atts = []
    for n, c in enumerate(contents, 1):
        s = text.index(c)
        atts.append({"id": f"t{n}", "source": None, "cue": {"text": "said", "spans": [[0, 0]]},
                     "content": {"text": c, "spans": [[s, s + len(c)]]}, "kind": "no_source",
                     "relayed_by": [], "chain_depth": 0, "confidence": 0.5})
    return {"schema_version": "1.0.0", "id": rid, "path": f"{rid}.txt", "text": text,
            "metadata": {"outlet": outlet, "published": "2025-01-01"}, "excluded": [],
            "attributions": atts, "actors": [], "unattributed": [], "labels": [],
            "profile": {}}


def test_outer_relay_sentence_is_not_a_second_claim():
    text = "The institute said an officer had told it that the ferry tickets were forged."
    outer = "an officer had told it that the ferry tickets were forged"
    inner = "that the ferry tickets were forged"
    rec = _record("r", text, [outer, inner], "Post")
    rec["attributions"][1]["cue"] = {"text": "had told", "spans": [[text.index("had told"),
                                                                    text.index("had told") + 8]]}
    assert [c["text"] for c in claims_from_record(rec)] == [inner]


def cell_path_records(monkeypatch, seed: int, repeats: Callable[[int], int | None]) -> list:
    """30 records of 3 random-word claims, more than the exact path takes, so the
    claims are split into cells; article a's first claim repeats the first claim of
    article ``repeats(a)`` (None: no repeat)."""
    monkeypatch.setattr(claims_mod, "EXACT_MAX", 20)
    monkeypatch.setattr(claims_mod, "CELL", 16)
    monkeypatch.setattr(claims_mod, "PROBES", 2)
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


def _batches(vecs: np.ndarray, size: int = 100):
    for s in range(0, len(vecs), size):
        yield vecs[s : s + size]


def _exact(vecs: np.ndarray, low: float) -> set[tuple[int, int]]:
    sims = vecs @ vecs.T
    ii, jj = np.nonzero(np.triu(sims >= low, 1))
    return {(int(i), int(j)) for i, j in zip(ii, jj, strict=True)}


def _pairs(scratch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """candidate_pairs' table, read back."""
    con = duckdb.connect()
    n = claims_mod.candidate_pairs(con, scratch, 0.55)
    got = con.execute("SELECT a, b, sim FROM _cand ORDER BY a, b").fetchnumpy()
    assert n == len(got["a"])
    return (np.asarray(got["a"], dtype=np.int64), np.asarray(got["b"], dtype=np.int64),
            np.asarray(got["sim"]))


def _topics(n_topics: int, per_topic: int, noise: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_topics, 64))
    noise_vecs = noise * rng.normal(size=(n_topics * per_topic, 64))
    vecs = np.repeat(centres, per_topic, axis=0) + noise_vecs
    vecs = vecs[rng.permutation(len(vecs))]
    return (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)


def test_cells_find_the_pairs_exact_search_finds(monkeypatch):
    monkeypatch.setattr(claims_mod, "EXACT_MAX", 50)
    monkeypatch.setattr(claims_mod, "CELL", 40)
    monkeypatch.setattr(claims_mod, "BLOCK", 32)  # several blocks per cell
    vecs = _topics(60, 5, 0.35, seed=11)  # 300 claims in 60 tight groups
    with claims_mod._Scratch(_batches(vecs)) as scratch:
        a, b, sim = _pairs(scratch)
    found = set(zip(a.tolist(), b.tolist(), strict=True))
    exact = _exact(vecs, 0.55)
    assert len(exact) > 200
    assert len(found & exact) / len(exact) > 0.95
    assert found <= exact  # every candidate is a real pair at the threshold
    assert all(x < y for x, y in found) and len(found) == len(a)
    true = np.einsum("ij,ij->i", vecs[a], vecs[b])
    assert np.abs(sim - true).max() < 0.01  # cosines from the f16 scratch copy


def test_pair_merges_do_not_change_the_pairs(monkeypatch):
    monkeypatch.setattr(claims_mod, "EXACT_MAX", 50)
    monkeypatch.setattr(claims_mod, "CELL", 40)
    vecs = _topics(60, 5, 0.35, seed=5)

    def pairs() -> set[tuple[int, int]]:
        with claims_mod._Scratch(_batches(vecs)) as scratch:
            a, b, _sim = _pairs(scratch)
        assert len(set(zip(a.tolist(), b.tolist(), strict=True))) == len(a)  # unique
        return set(zip(a.tolist(), b.tolist(), strict=True))

    whole = pairs()
    monkeypatch.setattr(claims_mod, "PAIR_BUFFER", 50)  # merged many times
    assert pairs() == whole and len(whole) > 200


def test_a_crowded_claim_keeps_its_nearest_neighbours_only(monkeypatch):
    monkeypatch.setattr(claims_mod, "K_NEIGHBOURS", 4)
    vecs = _topics(1, 30, 0.05, seed=2)  # 30 near-copies of one claim: 435 pairs
    with claims_mod._Scratch(_batches(vecs, 7)) as scratch:
        a, b, _sim = _pairs(scratch)
    per_claim = np.bincount(np.concatenate([a, b]), minlength=30)
    assert len(a) < 435
    assert per_claim.min() >= 4  # each keeps its 4 nearest (and is kept by others)


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


def test_scratch_reads_give_the_rows_asked_for():
    vecs = _topics(10, 10, 0.3, seed=5)
    with claims_mod._Scratch(_batches(vecs, 9)) as scratch:
        pos = np.array([97, 3, 3, 50, 0, 64, 12, 99, 41])
        got = scratch.take(pos)
        assert got.dtype == np.float32 and got.shape == (9, 64)
        assert np.abs(got - vecs[pos]).max() < 1e-2  # f16 storage
        assert len(scratch) == 100
        runs = np.array([8, 5, 6, 7, 21, 20, 99])  # consecutive rows are read together
        assert np.abs(scratch.take(runs) - vecs[runs]).max() < 1e-2
        assert scratch.take(np.zeros(0, dtype=np.int64)).shape == (0, 64)
