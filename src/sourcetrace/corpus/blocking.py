"""Blocking for claim links: which pairs of claim vectors are compared at all.

An inverted file, as in FAISS's IVF: the vectors are partitioned into cells (k-means
centroids, each claim in the cell of its nearest centroid) and each claim is compared
exactly with the claims of its PROBES nearest cells; pairs at a high enough cosine are
candidate links (``candidate_pairs``). Cells hold ~CELL claims however large the corpus,
so the cost grows as n, not n^2, and the vectors wait in a scratch file (``Scratch``),
not in RAM: only a cell's worth of them is read at a time. The (cell, claim) rows and
the candidate pairs wait in DuckDB tables.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator

import duckdb
import numpy as np
import pyarrow as pa

from .db import insert_spooled, read_sorted

# Candidate links kept per claim and cell (a claim repeated by hundreds of articles
# would otherwise make n^2 pairs; the components still join through the kept ones).
K_NEIGHBOURS = 16
TOP_ROWS = 256  # crowded rows cut to their nearest at a time
# Vectors read from DuckDB at a time.
CHUNK = 8192
# Blocking (measured in docs/corpus.md): up to EXACT_MAX claims every pair is compared;
# above, cells of ~CELL claims, each claim compared within its PROBES nearest cells. On
# 44,939 real news sentences (MiniLM), pairs at cosine >= 0.72 found: 99.8% (the HNSW
# index used before: 99.6%, in 1.7x the time); CELL 256 / PROBES 8 found 98.6%.
EXACT_MAX = 16_384
CELL = 512
PROBES = 16
KMEANS_SAMPLE = 40_000
KMEANS_ITERATIONS = 2
# (cell, claim) rows sorted at a time (read_sorted). 18.6M (200k benchmark articles)
# sorted on one thread under 64 MB; more were not tried.
PROBE_SORT_ROWS = 8_000_000
# Rows per side of one similarity product: bounds memory inside a crowded cell.
BLOCK = 2048
# Candidate pairs held before they are made unique and written out (24 bytes each,
# and as much again while they are merged).
PAIR_BUFFER = 1 << 17
PAIRS = pa.schema([("a", pa.int64()), ("b", pa.int64()), ("sim", pa.float64())])  # claim pairs


class Scratch:
    """The claim vectors (f16) in an unnamed temp file, read back with pread; a vector's
    position in the file is its claim's number in ``_claim_rows``.

    Reads go through the kernel's page cache and are copied out, so the file's pages are
    never part of this process: a mapping counted them (the large page-cache folios
    behind scattered row reads) and grew with the corpus.
    """

    def __init__(self, batches: Iterable[np.ndarray]) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.size, self.dim = 0, 0
        for v in batches:
            self._file.write(np.ascontiguousarray(v, dtype=np.float16).tobytes())
            self.size += len(v)
            self.dim = v.shape[1]
        self._file.flush()

    def __len__(self) -> int:
        return self.size

    def take(self, positions: np.ndarray) -> np.ndarray:
        """float32 vectors at the given positions (one read per run of consecutive ones)."""
        row = self.dim * 2
        order = np.argsort(positions, kind="stable")
        wanted = positions[order]
        buf = np.empty((len(positions), row), dtype=np.uint8)
        cuts = np.flatnonzero(np.diff(wanted) != 1) + 1
        for lo, hi in zip(np.r_[0, cuts].tolist(), np.r_[cuts, len(wanted)].tolist(),
                          strict=True):
            if hi > lo and os.preadv(self._file.fileno(), [buf[lo:hi]],
                                     int(wanted[lo]) * row) != (hi - lo) * row:
                raise OSError("short read from the claim scratch file")
        out = np.empty_like(buf)
        out[order] = buf
        return out.view(np.float16).reshape(len(positions), self.dim).astype(np.float32)

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()


def _centroids(scratch: Scratch, k: int) -> np.ndarray:
    """k unit centroids: spherical k-means on an evenly spaced sample of the claims.

    The sample is read from the scratch file BLOCK rows at a time on every pass, so
    neither it nor a (sample x k) matrix is held: both grew with the corpus (k does).
    """
    n = len(scratch)
    picks = np.linspace(0, n - 1, min(n, KMEANS_SAMPLE, 20 * k)).astype(np.int64)
    cent = scratch.take(picks[np.linspace(0, len(picks) - 1, k).astype(np.int64)])
    for _ in range(KMEANS_ITERATIONS):
        sums = np.zeros_like(cent)
        for i in range(0, len(picks), BLOCK):
            part = scratch.take(picks[i : i + BLOCK])
            np.add.at(sums, np.argmax(part @ cent.T, axis=1), part)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        used = norms[:, 0] > 0  # a centroid nothing chose keeps its place
        cent[used] = sums[used] / norms[used]
    return cent


def _cells(
    con: duckdb.DuckDBPyConnection, scratch: Scratch
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(members, queries) per cell, as scratch positions: a claim is a member of its
    nearest cell and queries its PROBES nearest. The (cell, claim) rows wait in a temp
    table, sorted there, so no array of them grows with the corpus."""
    from usearch.index import Index

    n = len(scratch)
    if n <= EXACT_MAX:
        everyone = np.arange(n, dtype=np.int64)
        yield everyone, everyone
        return
    k = n // CELL
    cent = _centroids(scratch, k)
    # An HNSW graph over the centroids only: finding a claim's cells costs log k.
    index = Index(
        ndim=scratch.dim, metric="ip", dtype="f32", connectivity=16,
        expansion_add=64, expansion_search=64,
    )
    index.add(np.arange(k, dtype=np.uint64), cent, threads=1)
    # A plain table in the work copy, written out before it is sorted: a large temp
    # table stays pinned in DuckDB's pool and its sort cannot run (docs/corpus.md, Scale).
    con.execute("CREATE OR REPLACE TABLE _probe (cell INTEGER, pos INTEGER, member BOOLEAN)")
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        keys = index.search(scratch.take(np.arange(start, stop)), PROBES).keys
        rank = np.tile(np.arange(keys.shape[1]), stop - start)
        cells = keys.ravel().astype(np.int64)
        ok = (cells >= 0) & (cells < k)  # fewer than PROBES found: padding
        con.register("_p", pa.table({
            "cell": cells[ok].astype(np.int32),
            "pos": np.repeat(np.arange(start, stop, dtype=np.int32), keys.shape[1])[ok],
            "member": rank[ok] == 0,
        }))
        con.execute("INSERT INTO _probe SELECT cell, pos, member FROM _p")
        con.unregister("_p")
    del index, cent  # the cells are chosen: nothing of size k is held during the pass
    con.execute("CHECKPOINT")
    # Sorted into tables, a bucket of whole cells at a time: a sort feeding a streamed
    # result cannot spill, and one sort of every row outgrows a small bound (read_sorted).
    reader = read_sorted(con, "_probe", order_by="cell, pos", bucket="cell",
                         max_rows=PROBE_SORT_ROWS, batch_rows=CHUNK * PROBES)
    current, parts = -1, []
    for batch in reader:
        cell = batch.column(0).to_numpy()
        pos = batch.column(1).to_numpy().astype(np.int64)
        member = batch.column(2).to_numpy(zero_copy_only=False)
        cuts = np.flatnonzero(np.diff(cell)) + 1
        for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(cell)], strict=True):
            if int(cell[lo]) != current and parts:
                yield _cell_group(parts)
                parts = []
            current = int(cell[lo])
            parts.append((pos[lo:hi], member[lo:hi]))
    if parts:
        yield _cell_group(parts)
    con.execute("DROP TABLE _probe")


def _cell_group(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    pos = np.concatenate([p for p, _m in parts])
    member = np.concatenate([m for _p, m in parts])
    return pos[member], pos


def _block_pairs(
    qpos: np.ndarray, mpos: np.ndarray, sims: np.ndarray, low: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(query, member, sim) positions at sim >= low: at most K_NEIGHBOURS per query row.

    Crowded rows (a claim repeated across the corpus) are cut to their nearest before
    any index arrays are made, TOP_ROWS rows at a time: indices of every hit of a dense
    block were 64 MB, and cells of repeats grow with the corpus.
    """
    sims[np.equal.outer(qpos, mpos)] = -1.0  # a claim is not its own neighbour
    hit = sims >= low
    crowded = np.count_nonzero(hit, axis=1) > K_NEIGHBOURS
    sparse = np.flatnonzero(~crowded)
    r, c = np.nonzero(hit[sparse])
    rs, cs = [sparse[r]], [c]
    dense = np.flatnonzero(crowded)
    for lo in range(0, len(dense), TOP_ROWS):
        rows = dense[lo : lo + TOP_ROWS]
        top = np.argpartition(sims[rows], -K_NEIGHBOURS, axis=1)[:, -K_NEIGHBOURS:]
        rs.append(np.repeat(rows, K_NEIGHBOURS))
        cs.append(top.ravel())
    r, c = np.concatenate(rs), np.concatenate(cs)
    return qpos[r], mpos[c], sims[r, c].astype(np.float64)


def candidate_pairs(con: duckdb.DuckDBPyConnection, scratch: Scratch, low: float) -> int:
    """Fill the temp table ``_cand`` (a, b, sim): scratch-position pairs (a < b) at
    cosine >= low, each claim against its cells' members. Returns the number of pairs.

    A pair is found from both ends and from several cells. The pairs wait on disk, not
    in arrays, so what is held does not grow with the corpus: each PAIR_BUFFER found are
    made unique and spooled (the cells are still being read from this connection, so it
    cannot write), and one GROUP BY over the spool, which can spill, leaves each pair
    once.
    """

    def found() -> Iterator[pa.Table]:
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        buffered = 0

        def merged() -> pa.Table:
            i, j, sim = (np.concatenate(x) for x in zip(*parts, strict=True))
            parts.clear()
            a, b, sim = _unique(np.minimum(i, j), np.maximum(i, j), sim)
            return pa.table({"a": a, "b": b, "sim": sim}, schema=PAIRS)

        for members, queries in _cells(con, scratch):
            for ms in range(0, len(members), BLOCK):
                mpos = members[ms : ms + BLOCK]
                vm = scratch.take(mpos)
                for qs in range(0, len(queries), BLOCK):
                    qpos = queries[qs : qs + BLOCK]
                    parts.append(_block_pairs(qpos, mpos, scratch.take(qpos) @ vm.T, low))
                    buffered += len(parts[-1][0])
                    if buffered >= PAIR_BUFFER:
                        yield merged()
                        buffered = 0
        if parts:
            yield merged()

    # Both ends of a pair read the same two f16 vectors: one cosine, either kept.
    insert_spooled(con, "CREATE OR REPLACE TEMP TABLE _cand AS "
                   "SELECT a, b, max(sim) AS sim FROM _spool GROUP BY a, b", PAIRS, found())
    ((count,),) = con.execute("SELECT count(*) FROM _cand").fetchall()
    return int(count)


def _unique(
    i: np.ndarray, j: np.ndarray, sim: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each pair once (both ends, and several cells, can find it)."""
    _, first = np.unique(i * (int(j.max(initial=0)) + 1) + j, return_index=True)
    return i[first], j[first], sim[first]
