"""Claims across articles: what is asserted, wherever it is asserted.

Claims (``claim_text.claims_from_record``) are encoded once, when their article is
added (``embed_new``). On every build the vectors stream to a scratch file and the
cell blocking (``blocking.candidate_pairs``) finds the candidate pairs (bi-encoder
cosine >= ``pairs.CANDIDATE_COSINE``); the trained pair decision (``pairs.decide``)
keeps the pairs that make one claim and marks the vetoed ones that dispute one
proposition (table ``disputes``). Clusters are found in two steps, so that no claim
joins a cluster through one link alone (no chains): the connected components of the
kept links, in DuckDB (``components``), then, one component at a time, average
linkage over the pair scores with a missing pair counting as "not the same"
(``average_linkage``). ``cluster_numbers`` numbers the clusters; ``cluster_claims``
drives it all.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pyarrow as pa

from . import pairs as pairs_mod
from .blocking import BLOCK, CHUNK, Scratch, candidate_pairs
from .claim_text import embedding_text
from .db import CorpusError, insert_spooled, join_stepwise, one_thread, read_sorted, run_in_slices

if TYPE_CHECKING:
    from .embed import Embedder

logger = logging.getLogger(__name__)

# Rows of scored links read back at a time while components are split.
LINKAGE_BATCH = 65_536
# Component links (one component is held whole while it is split) sorted at a time: as
# provenance's TRACE_SORT_ROWS, which fits a 64 MB bound.
LINKAGE_SORT_ROWS = 250_000
EMBED_BATCH = 256
CHECKPOINT_EVERY = 16_384  # claims embedded between checkpoints
EMBED_BUCKET_ROWS = 200_000  # stored claims per bucket when finding those to embed
UPDATE_CHUNK = 50_000  # claims given their cluster per transaction


def _insert_vectors(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str], vecs: np.ndarray, model: str
) -> None:
    table = pa.table(
        {
            "claim_id": pa.array(list(ids), type=pa.string()),
            "model": pa.array([model] * len(ids), type=pa.string()),
            "vector": pa.ListArray.from_arrays(
                pa.array(np.arange(0, vecs.size + 1, vecs.shape[1], dtype=np.int32)),
                pa.array(np.ascontiguousarray(vecs, dtype=np.float32).ravel()),
            ),
        }
    )
    con.register("_vec", table)
    con.execute("INSERT INTO claim_vectors SELECT claim_id, model, vector FROM _vec")
    con.unregister("_vec")


def embed_new(con: duckdb.DuckDBPyConnection, enc: Embedder) -> None:
    """Encode every stored claim without a vector from ``enc``."""
    # Bounded memory however large the corpus (docs/corpus.md, Scale): the claims without
    # a vector are found a bucket of ids at a time (an anti join's hash table does not
    # spill), only their ids are sorted (row ids number them: no window over the texts),
    # and they are encoded a chunk at a time with a checkpoint after each (one at the
    # end would write every vector at once).
    ((stored,),) = con.execute("SELECT count(*) FROM claims").fetchall()
    parts = max(1, -(-int(stored) // EMBED_BUCKET_ROWS))
    con.execute("CREATE OR REPLACE TEMP TABLE _to_embed_any (id VARCHAR)")
    for part in range(parts):
        con.execute(
            "INSERT INTO _to_embed_any SELECT c.id FROM claims c "
            "WHERE hash(c.id) % $parts = $part AND NOT EXISTS (SELECT 1 FROM claim_vectors v "
            "WHERE v.claim_id = c.id AND v.model = $model AND hash(v.claim_id) % $parts = $part)",
            {"parts": parts, "part": part, "model": enc.name},
        )
    with one_thread(con):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _to_embed AS SELECT id FROM _to_embed_any ORDER BY id"
        )
    con.execute("DROP TABLE _to_embed_any")
    row = con.execute("SELECT count(*) FROM _to_embed").fetchone()
    total = int(row[0]) if row else 0
    done = 0
    while done < total:
        rows = con.execute(
            "SELECT t.id, c.text FROM (SELECT rowid AS r, id FROM _to_embed) t "
            "JOIN claims c ON c.id = t.id WHERE t.r >= ? AND t.r < ? ORDER BY t.r",
            [done, done + CHECKPOINT_EVERY],
        ).fetchall()
        for i in range(0, len(rows), EMBED_BATCH):
            chunk = rows[i : i + EMBED_BATCH]
            vecs = enc.encode([embedding_text(t) for _id, t in chunk])
            _insert_vectors(con, [cid for cid, _t in chunk], vecs, enc.name)
        done += CHECKPOINT_EVERY
        con.execute("CHECKPOINT")
    con.execute("DROP TABLE _to_embed")
    logger.debug("embedded %d claims", total)

def _vector_batches(con: duckdb.DuckDBPyConnection, model: str) -> Iterator[np.ndarray]:
    """The float32 vectors in CHUNK-sized pieces, in ascending row id: the order of
    ``_positions``, so a vector's place in the stream is its claim's number.

    A plain scan keeps DuckDB's insertion order, which is row id order; an ORDER BY
    would sort every vector at once. The order is checked, not assumed.
    """
    reader = con.sql(
        "SELECT rowid, vector FROM claim_vectors WHERE model = $model",
        params={"model": model},
    ).to_arrow_reader(BLOCK)
    last = -1
    for batch in reader:
        if batch.num_rows == 0:
            continue
        rows = batch.column(0).to_numpy()
        if rows[0] <= last or (np.diff(rows) <= 0).any():
            raise RuntimeError("claim_vectors was not scanned in row id order")
        last = int(rows[-1])
        flat = batch.column(1).values.to_numpy(zero_copy_only=False)
        yield np.asarray(flat, dtype=np.float32).reshape(batch.num_rows, -1)


# Average linkage merges two groups while the mean P(same claim) over all their cross
# pairs reaches this (a pair never scored counts 0): on average more likely one claim
# than not. The decision threshold itself (0.78) here split 3-claim scenario clusters
# whose third pair scored 0.5-0.7 (scenarios/corpus dev, 10 and 12).
LINKAGE_MEAN = 0.5
# Scored candidate pairs (score: the pair model's probability), spooled together.
_VERDICTS = pa.schema([("a", pa.int64()), ("b", pa.int64()), ("sim", pa.float64()),
                       ("score", pa.float64()), ("same", pa.bool_()),
                       ("dispute", pa.string())])


def _keep(con: duckdb.DuckDBPyConnection, enc: Embedder, model: pairs_mod.PairModel) -> None:
    """Fill the temp tables ``_kept`` (a, b), the candidate pairs of ``_cand`` that
    ``pairs.decide`` finds one claim; ``_scored`` (a, b, sim, score, same), every pair
    the model scored, vetoed ones aside; and ``_disputed`` (a, b, kind, sim), the pairs
    it finds disputing one proposition. The texts come from a join materialised a step at a
    time and are read back in chunks."""
    join_stepwise(con, "_cand_text", (
        "SELECT l.*, r.id AS ida FROM _cand l JOIN _claim_rows r ON r.n = l.a",
        "SELECT l.*, r.id AS idb FROM {prev} l JOIN _claim_rows r ON r.n = l.b",
        "SELECT l.a, l.b, l.sim, l.idb, c.text AS ta FROM {prev} l "
        "JOIN claims c ON c.id = l.ida",
        "SELECT l.a, l.b, l.sim, l.ta, c.text AS tb FROM {prev} l "
        "JOIN claims c ON c.id = l.idb",
    ))

    def verdicts() -> Iterator[pa.Table]:
        for batch in con.sql("SELECT * FROM _cand_text").to_arrow_reader(CHUNK):
            a, b, sim, ta, tb = (c.to_pylist() for c in batch.columns)
            got = pairs_mod.decide(list(zip(ta, tb, strict=True)), sim, enc.encode, model)
            keep = pa.array([d.score > 0 or d.dispute is not None for d in got],
                            type=pa.bool_())
            yield pa.table({"a": a, "b": b, "sim": sim, "score": [d.score for d in got],
                            "same": [d.same for d in got],
                            "dispute": [d.dispute for d in got]},
                           schema=_VERDICTS).filter(keep)

    # Plain tables in the work copy, written out: every scored pair is more than a temp
    # table (pinned in DuckDB's pool) can hold under a 64 MB bound (10k benchmark).
    insert_spooled(con, "CREATE OR REPLACE TABLE _verdicts AS SELECT * FROM _spool",
                   _VERDICTS, verdicts())
    con.execute("CHECKPOINT")
    con.execute("CREATE OR REPLACE TABLE _scored AS "
                "SELECT a, b, sim, score, same FROM _verdicts WHERE dispute IS NULL")
    con.execute("CREATE OR REPLACE TEMP TABLE _kept AS SELECT a, b FROM _scored WHERE same")
    con.execute("CREATE OR REPLACE TABLE _disputed AS "
                "SELECT a, b, dispute AS kind, sim FROM _verdicts WHERE dispute IS NOT NULL")
    for table in ("_verdicts", "_cand_text", "_cand"):
        con.execute(f"DROP TABLE {table}")
    con.execute("CHECKPOINT")


def components(con: duckdb.DuckDBPyConnection, links: str = "_kept") -> None:
    """Fill the temp table ``_label`` (n, l): each claim number in a link of ``links``
    (a, b) with the least claim number of its connected component.

    All in DuckDB, a statement at a time (each can spill), so nothing held grows with
    the corpus: min-label propagation with pointer jumping over the linked claims, until
    no label falls. Labels only fall, so an unchanged sum means a fixed point.
    """
    con.execute("CREATE OR REPLACE TEMP TABLE _edge AS "
                f"SELECT a AS x, b AS y FROM {links} UNION ALL SELECT b, a FROM {links}")
    con.execute("CREATE OR REPLACE TEMP TABLE _label AS "
                "SELECT x AS n, least(x, min(y)) AS l FROM _edge GROUP BY x")
    total = None
    while True:
        con.execute("CREATE OR REPLACE TEMP TABLE _near AS "
                    "SELECT e.x AS n, min(l.l) AS l FROM _edge e JOIN _label l ON l.n = e.y "
                    "GROUP BY e.x")
        join_stepwise(con, "_label", (
            "SELECT o.n, least(o.l, m.l) AS l FROM {prev} o JOIN _near m ON m.n = o.n",
            "SELECT o.n, least(o.l, p.l) AS l FROM {prev} o JOIN {prev} p ON p.n = o.l",
        ))
        ((now,),) = con.execute("SELECT sum(l) FROM _label").fetchall()
        if now == total:
            break
        total = now
    for table in ("_edge", "_near"):
        con.execute(f"DROP TABLE {table}")


def average_linkage(
    links: Iterable[tuple[int, int, float]], threshold: float
) -> dict[int, int]:
    """Clusters of the claims in ``links`` (a, b, score): average linkage, merging while
    the mean score over every cross pair of two clusters reaches ``threshold``, a pair
    without a link scoring 0. RETURNS each claim's cluster as its least claim number.

    So a claim joins a cluster of k members only when its links to them average at
    least ``threshold``: with scores <= 1, it needs links to at least threshold * k of
    them. Sparse: the heap holds the linked cluster pairs, stale entries are re-scored
    when they come up.
    """
    adj: dict[int, dict[int, float]] = {}
    for a, b, score in links:
        adj.setdefault(a, {})[b] = adj.setdefault(b, {}).get(a, 0.0) + score
        adj[b][a] = adj[a][b]
    size = dict.fromkeys(adj, 1)
    members = {n: [n] for n in adj}
    heap = [(-s, a, b) for a, nb in adj.items() for b, s in nb.items() if a < b]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in size or b not in size or b not in adj[a]:
            continue  # merged away, or a pair of clusters now one
        avg = adj[a][b] / (size[a] * size[b])
        if avg < -neg - 1e-12:
            heapq.heappush(heap, (-avg, a, b))  # stale: re-scored
            continue
        if avg < threshold:
            break
        if size[a] < size[b]:
            a, b = b, a
        for k, s in adj.pop(b).items():
            del adj[k][b]
            if k == a:
                continue
            adj[a][k] = adj[k][a] = adj[a].get(k, 0.0) + s
        size[a] += size.pop(b)
        members[a].extend(members.pop(b))
        for k, s in adj[a].items():
            heapq.heappush(heap, (-s / (size[a] * size[k]), min(a, k), max(a, k)))
    return {n: min(ms) for ms in members.values() for n in ms}


_JOINED = pa.schema([("a", pa.int64()), ("b", pa.int64()), ("sim", pa.float64()),
                     ("within", pa.bool_())])


def _split_components(con: duckdb.DuckDBPyConnection) -> None:
    """Replace ``_kept`` and ``_scored`` by ``_joined`` (a, b, sim, within): per claim of
    a final cluster of several, a link to the cluster's least claim (within false), and
    the kept links inside final clusters (within true). The components are those of the
    kept links; inside one, average linkage reads every scored pair (LINKAGE_MEAN). One
    component is held at a time."""
    components(con, "_kept")
    join_stepwise(con, "_comp_links", (
        "SELECT l.l AS comp, k.a, k.b, k.sim, k.score, k.same FROM _scored k "
        "JOIN _label l ON l.n = k.a",
        "SELECT k.* FROM {prev} k JOIN _label l ON l.n = k.b AND l.l = k.comp",
    ))

    def joined() -> Iterator[pa.Table]:
        reader = read_sorted(con, "_comp_links", order_by="comp", bucket="hash(comp)",
                             max_rows=LINKAGE_SORT_ROWS, batch_rows=LINKAGE_BATCH,
                             reader=con.cursor())
        current: int | None = None
        rows: list[tuple[int, int, float, float, bool]] = []
        # Yielded LINKAGE_BATCH rows at a time, not a table per component: thousands of
        # tiny batches ran the insert below out of a 64 MB bound (10k benchmark).
        out: list[tuple[int, int, float, bool]] = []
        for batch in reader:
            for comp, a, b, sim, score, same in zip(
                *(c.to_pylist() for c in batch.columns), strict=True
            ):
                if comp != current and rows:
                    out.extend(_joined_rows(rows))
                    rows = []
                    if len(out) >= LINKAGE_BATCH:
                        yield _joined_table(out)
                        out = []
                current = comp
                rows.append((a, b, sim, score, same))
        out.extend(_joined_rows(rows))
        if out:
            yield _joined_table(out)

    insert_spooled(con, "CREATE OR REPLACE TABLE _joined AS SELECT * FROM _spool",
                   _JOINED, joined())
    con.execute("CHECKPOINT")
    for table in ("_comp_links", "_label", "_kept", "_scored"):
        con.execute(f"DROP TABLE {table}")


def _joined_rows(
    rows: list[tuple[int, int, float, float, bool]],
) -> list[tuple[int, int, float, bool]]:
    """One component's rows of ``_joined``: stars to each final cluster's least claim,
    then the kept links inside final clusters."""
    if not rows:
        return []
    root = average_linkage(((a, b, score) for a, b, _s, score, _same in rows), LINKAGE_MEAN)
    stars = [(r, n, 1.0, False) for n, r in root.items() if n != r]
    inside = [(a, b, s, True) for a, b, s, _score, same in rows if same and root[a] == root[b]]
    return stars + inside


def _joined_table(rows: list[tuple[int, int, float, bool]]) -> pa.Table:
    a, b, sim, within = zip(*rows, strict=True)
    return pa.table({"a": a, "b": b, "sim": sim, "within": within}, schema=_JOINED)


def cluster_numbers(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the temp table ``_cluster`` (id, k): each claim of ``_claim_rows`` (n, id,
    seq, start_offset) with its cluster number, 1, 2, ... by first appearance in corpus
    order, the clusters being the connected components of the links ``_kept`` (a, b)
    (``cluster_claims`` passes links that already hold one cluster each: no chains)."""
    components(con, "_kept")
    # A claim's place in corpus order is its row's place in _order; a cluster's number
    # is its first claim's rank among the clusters' first claims (_first's row id).
    con.execute("CREATE OR REPLACE TEMP TABLE _order AS "
                "SELECT n, id FROM _claim_rows ORDER BY seq, start_offset, id")
    join_stepwise(con, "_root", (
        "SELECT o.rowid AS o, o.id, coalesce(l.l, o.n) AS root FROM _order o "
        "LEFT JOIN _label l ON l.n = o.n",
    ))
    con.execute("CREATE OR REPLACE TEMP TABLE _first AS "
                "SELECT root, min(o) AS o FROM _root GROUP BY root ORDER BY o")
    join_stepwise(con, "_cluster", (
        "SELECT r.id, f.rowid + 1 AS k FROM _root r JOIN _first f ON f.root = r.root",
    ))
    for table in ("_label", "_order", "_root", "_first"):
        con.execute(f"DROP TABLE {table}")


def cluster_claims(
    con: duckdb.DuckDBPyConnection, enc: Embedder, model: pairs_mod.PairModel | None = None
) -> None:
    """Fill ``claim_links`` (the kept links inside each cluster), ``disputes`` and
    ``claims.cluster_id`` (clusters rows come from provenance). ``model``: the pair
    model (default: the shipped one).

    The vectors stream from DuckDB to a scratch file and are read back a cell at a time;
    candidate pairs, kept links and cluster numbers are DuckDB temp tables. Held in
    memory: a cell's vectors and pairs, and the cell centroids (k = claims / CELL).
    Claims are numbered by their vector's position in row id order.
    """
    embed_new(con, enc)
    # One join per statement and no window over every claim, so that each step can spill.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _positions AS "
        "SELECT rowid AS v FROM claim_vectors WHERE model = $model ORDER BY rowid",
        {"model": enc.name},
    )
    join_stepwise(con, "_claim_rows", (
        "SELECT p.rowid AS n, p.v FROM _positions p",
        "SELECT r.n, v.claim_id FROM {prev} r JOIN claim_vectors v ON v.rowid = r.v",
        "SELECT r.n, c.id, c.article_id, c.start_offset FROM {prev} r "
        "JOIN claims c ON c.id = r.claim_id",
        "SELECT r.n, r.id, a.seq, r.start_offset FROM {prev} r "
        "JOIN articles a ON a.id = r.article_id",
    ))
    con.execute("DROP TABLE _positions")
    ((count,),) = con.execute("SELECT count(*) FROM _claim_rows").fetchall()
    if not count:
        con.execute("DROP TABLE _claim_rows")
        return
    if model is None:
        try:
            model = pairs_mod.default_model()
        except OSError as exc:  # a broken install: say so in one line
            raise CorpusError(f"claim pair model: {exc}") from None
    with Scratch(_vector_batches(con, enc.name)) as scratch:
        candidate_pairs(con, scratch, pairs_mod.CANDIDATE_COSINE)
    # Pairs of vectors that are no stored claim drop out in _keep's join.
    _keep(con, enc, model)
    _split_components(con)
    con.execute("CREATE OR REPLACE TEMP TABLE _kept AS SELECT a, b FROM _joined WHERE NOT within")
    cluster_numbers(con)
    # In slices: one update over every claim does not fit a small memory bound.
    run_in_slices(
        con,
        "UPDATE claims SET cluster_id = 'k' || c.k::VARCHAR FROM _cluster c "
        "WHERE claims.id = c.id AND c.rowid >= $lo AND c.rowid < $hi",
        "_cluster", UPDATE_CHUNK,
    )
    # Written into the file now: pending, the cluster id on every claim took the memory
    # provenance's sort needs under a small bound.
    con.execute("CHECKPOINT")
    join_stepwise(con, "_link_ids", (
        "SELECT ra.id AS a, l.b, l.sim FROM _joined l JOIN _claim_rows ra ON ra.n = l.a "
        "WHERE l.within",
        "SELECT l.a, rb.id AS b, l.sim FROM {prev} l JOIN _claim_rows rb ON rb.n = l.b",
    ))
    con.execute("INSERT INTO claim_links SELECT a, b, sim FROM _link_ids ORDER BY a, b")
    join_stepwise(con, "_dispute_ids", (
        "SELECT ra.id AS a, l.b, l.kind, l.sim FROM _disputed l "
        "JOIN _claim_rows ra ON ra.n = l.a",
        "SELECT l.a, rb.id AS b, l.kind, l.sim FROM {prev} l JOIN _claim_rows rb ON rb.n = l.b",
    ))
    con.execute("INSERT INTO disputes SELECT least(a, b), greatest(a, b), kind, sim "
                "FROM _dispute_ids ORDER BY 1, 2")
    for table in ("_link_ids", "_dispute_ids", "_disputed", "_joined", "_kept", "_cluster",
                  "_claim_rows"):
        con.execute(f"DROP TABLE {table}")
