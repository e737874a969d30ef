"""Claims across articles: what is asserted, wherever it is asserted.

Claims (``claim_text.claims_from_record``) are encoded once, when their article is
added (``embed_new``). On every build the vectors stream to a scratch file and the
cell blocking (``blocking.candidate_pairs``) finds the candidate links; the links kept
are those the cosine tiers and the texts agree on (``claim_text.conflict``,
``claim_text.lexical_support``). Clusters are the connected components of the kept
links, found in DuckDB (``cluster_numbers``), so nothing held in Python grows with the
corpus. ``cluster_claims`` drives it all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pyarrow as pa

from .blocking import BLOCK, CHUNK, PAIRS, Scratch, candidate_pairs
from .claim_text import conflict, embedding_text, lexical_support
from .db import insert_spooled, join_stepwise, one_thread, run_in_slices

if TYPE_CHECKING:
    from .embed import Embedder

logger = logging.getLogger(__name__)

# Cosine (all-MiniLM-L6-v2) from which two claims are the same claim. Set on the dev
# scenarios (scenarios/corpus, split: dev); see docs/corpus.md.
CLAIM_LINK_COSINE = 0.72
# Two claims the same corpus actor is said to have made are the same claim from this
# cosine on: the speaker is evidence too. Dev: same-source different claims reach 0.34,
# the lowest same-source paraphrase is 0.63.
SAME_SOURCE_COSINE = 0.55
# Below CLAIM_LINK_COSINE, down to this, two claims are one when their words say so too
# (lexical_support): MiniLM scores short paraphrases that share their key words ("the
# backlog of ships will clear by Friday" / "... should be cleared by Friday") 0.6-0.7,
# and same-topic different claims as high (dev: a headline against a sentence, 0.64).
LEXICAL_COSINE = 0.60
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


def _keep(con: duckdb.DuckDBPyConnection, threshold: float) -> None:
    """Fill the temp table ``_kept`` (a, b, sim) with the candidate pairs of ``_cand``
    that are one claim (cosine tiers, conflicts). The texts and speakers come from a
    join materialised a step at a time and are read back in chunks."""
    join_stepwise(con, "_cand_text", (
        "SELECT l.*, r.id AS ida, r.speaker AS spa FROM _cand l JOIN _claim_rows r ON r.n = l.a",
        "SELECT l.*, r.id AS idb, r.speaker AS spb FROM {prev} l "
        "JOIN _claim_rows r ON r.n = l.b",
        "SELECT l.a, l.b, l.sim, l.spa, l.spb, l.idb, c.text AS ta FROM {prev} l "
        "JOIN claims c ON c.id = l.ida",
        "SELECT l.a, l.b, l.sim, l.spa, l.spb, l.ta, c.text AS tb FROM {prev} l "
        "JOIN claims c ON c.id = l.idb",
    ))

    def kept() -> Iterator[pa.Table]:
        for batch in con.sql("SELECT * FROM _cand_text").to_arrow_reader(CHUNK):
            a, b, sim, spa, spb, ta, tb = (c.to_pylist() for c in batch.columns)
            ok = pa.array([
                not conflict(x, y) and (
                    s >= threshold
                    or (s >= SAME_SOURCE_COSINE and p is not None and p == q)
                    or (s >= LEXICAL_COSINE and lexical_support(x, y))
                )
                for s, p, q, x, y in zip(sim, spa, spb, map(embedding_text, ta),
                                         map(embedding_text, tb), strict=True)
            ], type=pa.bool_())
            yield pa.table({"a": a, "b": b, "sim": sim}, schema=PAIRS).filter(ok)

    insert_spooled(con, "CREATE OR REPLACE TEMP TABLE _kept AS SELECT * FROM _spool",
                   PAIRS, kept())
    con.execute("DROP TABLE _cand_text")
    con.execute("DROP TABLE _cand")


def cluster_numbers(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the temp table ``_cluster`` (id, k): each claim of ``_claim_rows`` (n, id,
    seq, start_offset) with its cluster number, 1, 2, ... by first appearance in corpus
    order, the clusters being the connected components of the links ``_kept`` (a, b).

    All in DuckDB, a statement at a time (each can spill), so nothing held grows with
    the corpus: min-label propagation with pointer jumping over the linked claims, until
    no label falls. Labels only fall, so an unchanged sum means a fixed point.
    """
    con.execute("CREATE OR REPLACE TEMP TABLE _edge AS "
                "SELECT a AS x, b AS y FROM _kept UNION ALL SELECT b, a FROM _kept")
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
    for table in ("_edge", "_near", "_label", "_order", "_root", "_first"):
        con.execute(f"DROP TABLE {table}")


def cluster_claims(
    con: duckdb.DuckDBPyConnection, enc: Embedder, threshold: float = CLAIM_LINK_COSINE
) -> None:
    """Fill ``claim_links`` and ``claims.cluster_id`` (clusters rows come from provenance).

    The vectors stream from DuckDB to a scratch file and are read back a cell at a time;
    candidate pairs, kept links and cluster numbers are DuckDB temp tables. Held in
    memory: a cell's vectors and pairs, and the cell centroids (k = claims / CELL).
    Claims are numbered by their vector's position in row id order.
    """
    embed_new(con, enc)
    # One join per statement and no window over every claim, so that each step can
    # spill: the speaker is the corpus actor's id itself.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _positions AS "
        "SELECT rowid AS v FROM claim_vectors WHERE model = $model ORDER BY rowid",
        {"model": enc.name},
    )
    join_stepwise(con, "_claim_rows", (
        "SELECT p.rowid AS n, p.v FROM _positions p",
        "SELECT r.n, v.claim_id FROM {prev} r JOIN claim_vectors v ON v.rowid = r.v",
        "SELECT r.n, c.id, c.article_id, c.start_offset, c.source_local_actor FROM {prev} r "
        "JOIN claims c ON c.id = r.claim_id",
        "SELECT r.*, a.seq FROM {prev} r JOIN articles a ON a.id = r.article_id",
        "SELECT r.n, r.id, r.seq, r.start_offset, aa.actor_id AS speaker FROM {prev} r "
        "LEFT JOIN article_actors aa ON aa.article_id = r.article_id "
        "AND aa.local_id = r.source_local_actor",
    ))
    con.execute("DROP TABLE _positions")
    ((count,),) = con.execute("SELECT count(*) FROM _claim_rows").fetchall()
    if not count:
        con.execute("DROP TABLE _claim_rows")
        return
    low = min(threshold, SAME_SOURCE_COSINE, LEXICAL_COSINE)
    with Scratch(_vector_batches(con, enc.name)) as scratch:
        candidate_pairs(con, scratch, low)
    # Pairs of vectors that are no stored claim drop out in _keep's join.
    _keep(con, threshold)
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
        "SELECT ra.id AS a, l.b, l.sim FROM _kept l JOIN _claim_rows ra ON ra.n = l.a",
        "SELECT l.a, rb.id AS b, l.sim FROM {prev} l JOIN _claim_rows rb ON rb.n = l.b",
    ))
    con.execute("INSERT INTO claim_links SELECT a, b, sim FROM _link_ids ORDER BY a, b")
    for table in ("_link_ids", "_kept", "_cluster", "_claim_rows"):
        con.execute(f"DROP TABLE {table}")
