"""Claims across articles: what is asserted, wherever it is asserted.

Every attributed content and every unattributed assertion of an article is a claim
(``claims_from_record``), with its offsets into the article text. Claims are encoded
once, when their article is added (``embed_new``). On every build, all claim vectors go
into an HNSW index (usearch); each claim is linked to those of its K nearest
neighbours at cosine >= CLAIM_LINK_COSINE, so the cost grows as n log n, not n^2.
Clusters are the connected components of the links.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pyarrow as pa

from ..actors import UnionFind

if TYPE_CHECKING:
    from .embed import Embedder

logger = logging.getLogger(__name__)

# Claims shorter than this many words are fragments ("it said", "yes"): not linked.
MIN_CLAIM_WORDS = 4
# Cosine (all-MiniLM-L6-v2) from which two claims are the same claim. Set on the dev
# scenarios (scenarios/corpus, split: dev); see docs/corpus.md.
CLAIM_LINK_COSINE = 0.72
# Two claims the same corpus actor is said to have made are the same claim from this
# cosine on: the speaker is evidence too. Dev: same-source different claims reach 0.34,
# the lowest same-source paraphrase is 0.63.
SAME_SOURCE_COSINE = 0.55
# Neighbours read per claim from the ANN index.
K_NEIGHBOURS = 16
EMBED_BATCH = 256
HNSW_CONNECTIVITY = 8
HNSW_EXPANSION = 32
_WORD_RE = re.compile(r"\w+")


def claims_from_record(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Claim rows (table ``claims``) for one analysis record."""
    aid = str(record["id"])
    for a in record.get("attributions") or []:
        content = a.get("content") or {}
        text = content.get("text") or ""
        spans = content.get("spans") or []
        if not spans or len(_WORD_RE.findall(text)) < MIN_CLAIM_WORDS:
            continue
        src = a.get("source") or {}
        yield {
            "id": f"{aid}:{a.get('id')}",
            "article_id": aid,
            "kind": "attributed",
            "attribution_id": a.get("id"),
            "text": text,
            "start_offset": int(spans[0][0]),
            "end_offset": int(spans[-1][1]),
            "spans": json.dumps(spans),
            "source_text": src.get("text"),
            "source_type": src.get("type") if src else None,
            "source_local_actor": src.get("actor"),
            "relayed_by": json.dumps(a.get("relayed_by") or [], ensure_ascii=False),
            "cluster_id": None,
        }
    for n, u in enumerate(record.get("unattributed") or [], 1):
        text = u.get("text") or ""
        spans = u.get("spans") or []
        if not spans or len(_WORD_RE.findall(text)) < MIN_CLAIM_WORDS:
            continue
        yield {
            "id": f"{aid}:u{n}",
            "article_id": aid,
            "kind": "unattributed",
            "attribution_id": None,
            "text": text,
            "start_offset": int(spans[0][0]),
            "end_offset": int(spans[-1][1]),
            "spans": json.dumps(spans),
            "source_text": None,
            "source_type": None,
            "source_local_actor": None,
            "relayed_by": "[]",
            "cluster_id": None,
        }


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


# "PORT LERIN, Sept 10 -" / "KESSA (Harbour Gazette) -": a wire dateline opening a
# sentence is not part of the claim.
_DATELINE_RE = re.compile(
    r"^[A-Z][A-Z .'\-]{2,40}(?:\([^)]{1,60}\))?,?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*)?"
    r"[-\u2013\u2014]\s+"
)
_THAT_RE = re.compile(r"^(?:that|whether)\s+", re.IGNORECASE)


def embedding_text(text: str) -> str:
    """The words that carry the claim: no dateline, no leading complementiser."""
    text = _DATELINE_RE.sub("", text.strip())
    return _THAT_RE.sub("", text)


def embed_new(con: duckdb.DuckDBPyConnection, claim_ids: Sequence[str], enc: Embedder) -> None:
    """Encode the given claims, and any stored claim without a vector from ``enc``."""
    missing = con.execute(
        "SELECT c.id, c.text FROM claims c WHERE NOT EXISTS (SELECT 1 FROM claim_vectors v "
        "WHERE v.claim_id = c.id AND v.model = ?) ORDER BY c.id",
        [enc.name],
    ).fetchall()
    for i in range(0, len(missing), EMBED_BATCH):
        chunk = missing[i : i + EMBED_BATCH]
        vecs = enc.encode([embedding_text(t) for _id, t in chunk])
        _insert_vectors(con, [cid for cid, _t in chunk], vecs, enc.name)
    logger.debug("embedded %d claims (%d new)", len(missing), len(claim_ids))


def neighbour_links(vecs: np.ndarray, threshold: float, k: int = K_NEIGHBOURS):
    """Pairs (i, j, cosine), i < j, with cosine >= threshold among each row's k ANN."""
    n = len(vecs)
    if n < 2:
        return []
    if n <= 2 * k:  # tiny corpora: exact
        sims = vecs @ vecs.T
        ii, jj = np.nonzero(np.triu(sims >= threshold, 1))
        return [(int(i), int(j), float(sims[i, j])) for i, j in zip(ii, jj, strict=True)]
    from usearch.index import Index

    # A sparser graph than usearch's defaults: links are only wanted at high cosine,
    # where even a small HNSW graph finds the neighbours; building is the cost that grows.
    index = Index(
        ndim=vecs.shape[1], metric="ip", dtype="f16", connectivity=HNSW_CONNECTIVITY,
        expansion_add=HNSW_EXPANSION, expansion_search=HNSW_EXPANSION,
    )
    keys = np.arange(n, dtype=np.uint64)
    index.add(keys, vecs, threads=1)
    found = index.search(vecs, min(k + 1, n), threads=1)
    out: dict[tuple[int, int], float] = {}
    nkeys, dists = found.keys, found.distances
    for i in range(n):
        for key, dist in zip(nkeys[i], dists[i], strict=True):
            j = int(key)
            if j == i or j >= n:
                continue
            sim = 1.0 - float(dist)  # usearch "ip" distance is 1 - dot
            if sim >= threshold:
                a, b = (i, j) if i < j else (j, i)
                out[(a, b)] = sim
    return [(a, b, s) for (a, b), s in out.items()]


def cluster_claims(
    con: duckdb.DuckDBPyConnection, enc: Embedder, threshold: float = CLAIM_LINK_COSINE
) -> None:
    """Fill ``claim_links`` and ``claims.cluster_id`` (clusters rows come from provenance)."""
    embed_new(con, [], enc)
    rows = con.sql(
        "SELECT c.id, v.vector, aa.actor_id FROM claims c JOIN claim_vectors v "
        "ON v.claim_id = c.id AND v.model = $model "
        "JOIN articles a ON a.id = c.article_id "
        "LEFT JOIN article_actors aa ON aa.article_id = c.article_id "
        "AND aa.local_id = c.source_local_actor "
        "ORDER BY a.seq, c.start_offset, c.id",
        params={"model": enc.name},
    ).to_arrow_table()
    ids = rows.column("id").to_pylist()
    if not ids:
        return
    flat = rows.column("vector").combine_chunks()
    vecs = np.asarray(flat.values.to_numpy(zero_copy_only=False), dtype=np.float32).reshape(
        len(ids), -1
    )
    speakers = rows.column("actor_id").to_pylist()
    low = min(threshold, SAME_SOURCE_COSINE)
    links = [
        (i, j, sim)
        for i, j, sim in neighbour_links(vecs, low)
        if sim >= threshold or (speakers[i] is not None and speakers[i] == speakers[j])
    ]
    uf = UnionFind(len(ids))
    for i, j, _s in links:
        uf.union(i, j)
    cluster_of: dict[int, str] = {}
    assigned = []
    for i in range(len(ids)):
        root = uf.find(i)
        if root not in cluster_of:
            cluster_of[root] = f"k{len(cluster_of) + 1}"
        assigned.append(cluster_of[root])
    con.register(
        "_cl", pa.table({"claim_id": ids, "cluster_id": assigned})
    )
    con.execute(
        "UPDATE claims SET cluster_id = _cl.cluster_id FROM _cl WHERE claims.id = _cl.claim_id"
    )
    con.unregister("_cl")
    if links:
        con.register(
            "_ln",
            pa.table(
                {
                    "claim_a": [ids[i] for i, _j, _s in links],
                    "claim_b": [ids[j] for _i, j, _s in links],
                    "similarity": [s for _i, _j, s in links],
                }
            ),
        )
        con.execute("INSERT INTO claim_links SELECT claim_a, claim_b, similarity FROM _ln")
        con.unregister("_ln")
