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
# Below CLAIM_LINK_COSINE, down to this, two claims are one when their words say so too
# (lexical_support): MiniLM scores short paraphrases that share their key words ("the
# backlog of ships will clear by Friday" / "... should be cleared by Friday") 0.6-0.7,
# and same-topic different claims as high (dev: a headline against a sentence, 0.64).
LEXICAL_COSINE = 0.60
# lexical_support: shared content stems, and the share of the shorter claim's stems.
MIN_SHARED_STEMS = 3
MIN_STEM_OVERLAP = 0.5
# Neighbours read per claim from the ANN index.
K_NEIGHBOURS = 16
EMBED_BATCH = 256
CHECKPOINT_EVERY = 16_384  # claims embedded between checkpoints
# Inserts run on one thread (the graph, and so the links, are the same on every run);
# searches only read the graph, so they use every core.
SEARCH_THREADS = 0  # usearch: all cores
# Vectors read from DuckDB at a time when building and searching the index.
CHUNK = 8192
# Measured on the 10k benchmark corpus (58,112 claims) against exact search: pairs at
# cosine >= 0.55 that end in one cluster, 92.2% with 8/32, 98.4% with 12/48 (1.6x the
# index time). See docs/corpus.md.
HNSW_CONNECTIVITY = 12
HNSW_EXPANSION = 48
_WORD_RE = re.compile(r"\w+")
_STOP_TEXT = """a an the and or but of in on at to for from by with as into onto over under about
    after before than then that this these those there here it its they them their he
    him his she her we our you your i me my is are was were be been being am has have
    had do does did will would shall should can could may might must said says say
    told tells according also just very more most some any all each such which who whom
    whose what when where while if so up out off"""
_STOP = frozenset(_STOP_TEXT.split())
# Clause negation only: "had no insulin left" says what "ran out of insulin" says.
_NEGATORS = frozenset({"not", "never"})
_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
)
_TEN_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_UNITS = {w: i for i, w in enumerate(_UNIT_WORDS.split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(_TEN_WORDS.split())}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?|[a-z]+")


def _stem(word: str) -> str:
    """A crude suffix-stripper: enough to meet "smugglers"/"smuggling", "cleared"/"clear"."""
    for suffix in ("ing", "ers", "ed", "es", "er", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _content_stems(text: str) -> set[str]:
    words = [w for w in _WORD_RE.findall(text.lower().replace("n't", " not"))]
    return {_stem(w) for w in words if w not in _STOP and w not in _NEGATORS and not w.isdigit()}


def numbers(text: str) -> set[float]:
    """The figures a claim states, digits or words ("5,000" and "five thousand" agree)."""
    out: set[float] = set()
    cur: float | None = None
    total = 0.0

    def close() -> None:
        nonlocal cur, total
        if cur is not None:
            out.add(total + cur)
        cur, total = None, 0.0

    toks = _NUMBER_RE.findall(text.lower())
    for k, tok in enumerate(toks):
        nxt = toks[k + 1] if k + 1 < len(toks) else ""
        if tok in ("a", "one") and cur is None and nxt not in _SCALES:
            continue  # "one of them", "a deal": not a figure; "a thousand" is
        if tok == "a":
            tok = "one"
        if tok[0].isdigit():
            close()
            try:
                cur = float(tok.replace(",", ""))
            except ValueError:
                continue
        elif tok in _UNITS or tok in _TENS:
            cur = (cur or 0) + _UNITS.get(tok, _TENS.get(tok, 0))
        elif tok in _SCALES and cur is not None:
            if _SCALES[tok] == 100:
                cur *= 100
            else:
                total += cur * _SCALES[tok]
                cur = 0
        elif tok != "and" or cur is None:
            close()
    close()
    return out


def _negated(text: str) -> bool:
    words = _WORD_RE.findall(text.lower().replace("n't", " not"))
    return sum(w in _NEGATORS for w in words) % 2 == 1


def conflict(a: str, b: str) -> bool:
    """Two texts that cannot be one claim however close their vectors: one denies what
    the other asserts, or they state figures and share none."""
    if _negated(a) != _negated(b):
        return True
    na, nb = numbers(a), numbers(b)
    return bool(na and nb and not na & nb)


def lexical_support(a: str, b: str) -> bool:
    """Enough of the same content words (stems) to back a mid-range cosine."""
    sa, sb = _content_stems(a), _content_stems(b)
    shared = len(sa & sb)
    return shared >= MIN_SHARED_STEMS and shared >= MIN_STEM_OVERLAP * min(len(sa), len(sb))


def claims_from_record(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Claim rows (table ``claims``) for one analysis record."""
    aid = str(record["id"])
    atts = record.get("attributions") or []
    cue_starts = [
        s[0] for a in atts for s in ((a.get("cue") or {}).get("spans") or [])[:1] if s[1] > s[0]
    ]
    for a in atts:
        content = a.get("content") or {}
        text = content.get("text") or ""
        spans = content.get("spans") or []
        if not spans or len(_WORD_RE.findall(text)) < MIN_CLAIM_WORDS:
            continue
        if any(s <= c < e for s, e in spans for c in cue_starts):
            # "X said Y had told it that C": the claim is Y's C, relayed by X (the
            # inner attribution carries X in relayed_by); X's whole sentence is not
            # a second claim.
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
    # The claims to encode can be the whole corpus: numbered in a temp table and read
    # a chunk at a time, with a checkpoint now and then (no reader stays open, so the
    # checkpoints run; one at the end would write every vector at once, a memory peak
    # that grows with the corpus).
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _todo AS SELECT row_number() OVER (ORDER BY c.id) AS r, "
        "c.id, c.text FROM claims c WHERE NOT EXISTS (SELECT 1 FROM claim_vectors v "
        "WHERE v.claim_id = c.id AND v.model = ?)",
        [enc.name],
    )
    row = con.execute("SELECT count(*) FROM _todo").fetchone()
    total = int(row[0]) if row else 0
    done = 0
    while done < total:
        rows = con.execute(
            "SELECT id, text FROM _todo WHERE r > ? AND r <= ? ORDER BY r",
            [done, done + CHECKPOINT_EVERY],
        ).fetchall()
        for i in range(0, len(rows), EMBED_BATCH):
            chunk = rows[i : i + EMBED_BATCH]
            vecs = enc.encode([embedding_text(t) for _id, t in chunk])
            _insert_vectors(con, [cid for cid, _t in chunk], vecs, enc.name)
        done += CHECKPOINT_EVERY
        con.execute("CHECKPOINT")
    con.execute("DROP TABLE _todo")
    logger.debug("embedded %d claims (%d new)", total, len(claim_ids))


def _index(ndim: int):
    from usearch.index import Index

    # A sparser graph than usearch's defaults: links are only wanted at high cosine,
    # where even a small HNSW graph finds the neighbours; building is the cost that grows.
    return Index(
        ndim=ndim, metric="ip", dtype="f16", connectivity=HNSW_CONNECTIVITY,
        expansion_add=HNSW_EXPANSION, expansion_search=HNSW_EXPANSION,
    )


def _pairs(
    rows: np.ndarray, keys: np.ndarray, sims: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, sim) with i < j from a search result: rows[r] searched, keys[r, c] found."""
    i = np.repeat(rows, keys.shape[1])
    j = keys.ravel().astype(np.int64)
    sim = sims.ravel()
    keep = (sim >= threshold) & (j != i) & (j >= 0) & (j < np.iinfo(np.int64).max)
    i, j, sim = i[keep], j[keep], sim[keep]
    return np.minimum(i, j), np.maximum(i, j), sim


def neighbour_links(vecs: np.ndarray, threshold: float, k: int = K_NEIGHBOURS):
    """Pairs (i, j, cosine), i < j, with cosine >= threshold among each row's k ANN."""
    n = len(vecs)
    if n < 2:
        return []
    if n <= 2 * k:  # tiny corpora: exact
        sims = vecs @ vecs.T
        ii, jj = np.nonzero(np.triu(sims >= threshold, 1))
        return [(int(i), int(j), float(sims[i, j])) for i, j in zip(ii, jj, strict=True)]
    index = _index(vecs.shape[1])
    index.add(np.arange(n, dtype=np.uint64), vecs, threads=1)
    found = index.search(vecs, min(k + 1, n), threads=SEARCH_THREADS)
    # usearch "ip" distance is 1 - dot
    i, j, sim = _unique(*_pairs(np.arange(n), found.keys, 1.0 - found.distances, threshold))
    return list(zip(i.tolist(), j.tolist(), sim.tolist(), strict=True))


def _unique(
    i: np.ndarray, j: np.ndarray, sim: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each pair once (searching both ends finds it twice)."""
    _, first = np.unique(i * (int(j.max(initial=0)) + 1) + j, return_index=True)
    return i[first], j[first], sim[first]


def _vector_batches(
    con: duckdb.DuckDBPyConnection, model: str
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(row ids, float32 vectors) in CHUNK-sized pieces, in the table's stored order.

    A plain scan keeps DuckDB's insertion order, so the index is built the same way on
    every run; a join or a sort would reorder the rows or hold every vector at once.
    """
    reader = con.sql(
        "SELECT rowid, vector FROM claim_vectors WHERE model = $model",
        params={"model": model},
    ).to_arrow_reader(CHUNK)
    for batch in reader:
        if batch.num_rows == 0:
            continue
        rows = batch.column(0).to_numpy().astype(np.int64)
        flat = batch.column(1).values.to_numpy(zero_copy_only=False)
        yield rows, np.asarray(flat, dtype=np.float32).reshape(batch.num_rows, -1)


def _keep(
    con: duckdb.DuckDBPyConnection, cand: tuple[np.ndarray, np.ndarray, np.ndarray],
    speakers: np.ndarray, threshold: float,
) -> list[tuple[int, int, float]]:
    """The candidate pairs (i, j, cosine arrays) that are one claim (cosine tiers,
    conflicts). The texts come in one streamed join rather than held for every claim."""
    a, b, sim = cand
    if not len(a):
        return []
    con.register("_cand", pa.table({"a": a, "b": b, "sim": sim}))
    reader = con.sql(
        "SELECT l.a, l.b, l.sim, ca.text AS ta, cb.text AS tb FROM _cand l "
        "JOIN _claim_rows ra ON ra.n = l.a JOIN claims ca ON ca.id = ra.id "
        "JOIN _claim_rows rb ON rb.n = l.b JOIN claims cb ON cb.id = rb.id"
    ).to_arrow_reader(CHUNK)
    out = []
    for batch in reader:
        for i, j, s, ta, tb in zip(*(c.to_pylist() for c in batch.columns), strict=True):
            ta, tb = embedding_text(ta), embedding_text(tb)
            if not conflict(ta, tb) and (
                s >= threshold
                or (s >= SAME_SOURCE_COSINE and speakers[i] >= 0 and speakers[i] == speakers[j])
                or (s >= LEXICAL_COSINE and lexical_support(ta, tb))
            ):
                out.append((i, j, s))
    con.unregister("_cand")
    return sorted(out)


def cluster_claims(
    con: duckdb.DuckDBPyConnection, enc: Embedder, threshold: float = CLAIM_LINK_COSINE
) -> None:
    """Fill ``claim_links`` and ``claims.cluster_id`` (clusters rows come from provenance).

    Memory stays near the index's own size: vectors stream from DuckDB in chunks into
    the HNSW index (f16) and again to search it; besides, only one integer per claim
    and the candidate pairs are held. Claims are numbered by their vector's row id.
    """
    embed_new(con, [], enc)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _claim_rows AS "
        "SELECT v.rowid AS n, c.id, "
        "row_number() OVER (ORDER BY a.seq, c.start_offset, c.id) AS ord, "
        "CASE WHEN aa.actor_id IS NULL THEN -1 "
        "ELSE dense_rank() OVER (ORDER BY aa.actor_id) END AS speaker "
        "FROM claims c JOIN claim_vectors v ON v.claim_id = c.id AND v.model = $model "
        "JOIN articles a ON a.id = c.article_id "
        "LEFT JOIN article_actors aa ON aa.article_id = c.article_id "
        "AND aa.local_id = c.source_local_actor",
        {"model": enc.name},
    )
    cols = con.execute("SELECT n, ord, speaker FROM _claim_rows").fetchnumpy()
    rowids = np.asarray(cols["n"], dtype=np.int64)
    if not len(rowids):
        con.execute("DROP TABLE _claim_rows")
        return
    size = int(rowids.max()) + 1
    order = np.full(size, -1, dtype=np.int64)  # corpus order of each row id; -1: no claim
    order[rowids] = np.asarray(cols["ord"], dtype=np.int64)
    speakers = np.full(size, -1, dtype=np.int64)
    speakers[rowids] = np.asarray(cols["speaker"], dtype=np.int64)
    del cols
    low = min(threshold, SAME_SOURCE_COSINE, LEXICAL_COSINE)
    if len(rowids) <= 2 * K_NEIGHBOURS:  # tiny corpora: exact
        batches = list(_vector_batches(con, enc.name))
        rows = np.concatenate([r for r, _v in batches])
        found = neighbour_links(np.concatenate([v for _r, v in batches]), low)
        cand = (
            np.array([rows[i] for i, _j, _s in found], dtype=np.int64),
            np.array([rows[j] for _i, j, _s in found], dtype=np.int64),
            np.array([sim for _i, _j, sim in found], dtype=np.float64),
        )
    else:
        index = None
        for rows, vecs in _vector_batches(con, enc.name):
            if index is None:
                index = _index(vecs.shape[1])
            index.add(rows.astype(np.uint64), vecs, threads=1)
        parts = []
        for rows, vecs in _vector_batches(con, enc.name):
            found = index.search(
                vecs, min(K_NEIGHBOURS + 1, len(rowids)), threads=SEARCH_THREADS
            )
            parts.append(_pairs(rows, found.keys, 1.0 - found.distances, low))
        del index
        cand = _unique(*(np.concatenate(x) for x in zip(*parts, strict=True)))
    valid = (order[cand[0]] >= 0) & (order[cand[1]] >= 0)
    cand = (cand[0][valid], cand[1][valid], cand[2][valid])
    links = _keep(con, cand, speakers, threshold)
    uf = UnionFind(size)
    for i, j, _s in links:
        uf.union(i, j)
    cluster_of: dict[int, int] = {}  # numbered by first appearance in corpus order
    by_order = rowids[np.argsort(order[rowids], kind="stable")]
    label = [cluster_of.setdefault(uf.find(int(i)), len(cluster_of) + 1) for i in by_order]
    con.register("_cl", pa.table({"n": by_order, "k": label}))
    con.execute(
        "UPDATE claims SET cluster_id = 'k' || _cl.k::VARCHAR FROM _cl "
        "JOIN _claim_rows r ON r.n = _cl.n WHERE claims.id = r.id"
    )
    con.unregister("_cl")
    if links:
        con.register(
            "_ln",
            pa.table(
                {
                    "a": [i for i, _j, _s in links],
                    "b": [j for _i, j, _s in links],
                    "similarity": [s for _i, _j, s in links],
                }
            ),
        )
        con.execute(
            "INSERT INTO claim_links SELECT ra.id, rb.id, l.similarity FROM _ln l "
            "JOIN _claim_rows ra ON ra.n = l.a JOIN _claim_rows rb ON rb.n = l.b"
        )
        con.unregister("_ln")
    con.execute("DROP TABLE _claim_rows")
