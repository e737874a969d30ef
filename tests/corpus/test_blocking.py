"""Cell blocking: the candidate pairs it finds, and the scratch file of vectors."""

from __future__ import annotations

import duckdb
import numpy as np

from sourcetrace.corpus import blocking


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
    n = blocking.candidate_pairs(con, scratch, 0.55)
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
    monkeypatch.setattr(blocking, "EXACT_MAX", 50)
    monkeypatch.setattr(blocking, "CELL", 40)
    monkeypatch.setattr(blocking, "BLOCK", 32)  # several blocks per cell
    vecs = _topics(60, 5, 0.35, seed=11)  # 300 claims in 60 tight groups
    with blocking.Scratch(_batches(vecs)) as scratch:
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
    monkeypatch.setattr(blocking, "EXACT_MAX", 50)
    monkeypatch.setattr(blocking, "CELL", 40)
    vecs = _topics(60, 5, 0.35, seed=5)

    def pairs() -> set[tuple[int, int]]:
        with blocking.Scratch(_batches(vecs)) as scratch:
            a, b, _sim = _pairs(scratch)
        assert len(set(zip(a.tolist(), b.tolist(), strict=True))) == len(a)  # unique
        return set(zip(a.tolist(), b.tolist(), strict=True))

    whole = pairs()
    monkeypatch.setattr(blocking, "PAIR_BUFFER", 50)  # merged many times
    assert pairs() == whole and len(whole) > 200


def test_a_crowded_claim_keeps_its_nearest_neighbours_only(monkeypatch):
    monkeypatch.setattr(blocking, "K_NEIGHBOURS", 4)
    vecs = _topics(1, 30, 0.05, seed=2)  # 30 near-copies of one claim: 435 pairs
    with blocking.Scratch(_batches(vecs, 7)) as scratch:
        a, b, _sim = _pairs(scratch)
    per_claim = np.bincount(np.concatenate([a, b]), minlength=30)
    assert len(a) < 435
    assert per_claim.min() >= 4  # each keeps its 4 nearest (and is kept by others)



def test_scratch_reads_give_the_rows_asked_for():
    vecs = _topics(10, 10, 0.3, seed=5)
    with blocking.Scratch(_batches(vecs, 9)) as scratch:
        pos = np.array([97, 3, 3, 50, 0, 64, 12, 99, 41])
        got = scratch.take(pos)
        assert got.dtype == np.float32 and got.shape == (9, 64)
        assert np.abs(got - vecs[pos]).max() < 1e-2  # f16 storage
        assert len(scratch) == 100
        runs = np.array([8, 5, 6, 7, 21, 20, 99])  # consecutive rows are read together
        assert np.abs(scratch.take(runs) - vecs[runs]).max() < 1e-2
        assert scratch.take(np.zeros(0, dtype=np.int64)).shape == (0, 64)
