"""Claims across articles: what is asserted, wherever it is asserted.

Every attributed content and every unattributed assertion of an article is a claim
(``claims_from_record``), with its offsets into the article text. Claims are encoded
once, when their article is added (``embed_new``). On every build the vectors are
partitioned into cells (an inverted file, as in FAISS's IVF: k-means centroids, each
claim in the cell of its nearest centroid) and each claim is compared exactly with the
claims of its PROBES nearest cells; pairs at a high enough cosine are candidate links
(``candidate_pairs``). Cells hold ~CELL claims however large the corpus, so the cost
grows as n, not n^2, and the vectors wait in a scratch file, not in RAM: only a cell's
worth of them is read at a time. The candidate pairs wait in a DuckDB temp table.
Clusters are the connected components of the kept links, found in DuckDB too
(``cluster_numbers``), so nothing held in Python grows with the corpus.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pyarrow as pa

from .db import insert_spooled, join_stepwise, one_thread, read_sorted, run_in_slices

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
# Candidate links kept per claim and cell (a claim repeated by hundreds of articles
# would otherwise make n^2 pairs; the components still join through the kept ones).
K_NEIGHBOURS = 16
TOP_ROWS = 256  # crowded rows cut to their nearest at a time
EMBED_BATCH = 256
CHECKPOINT_EVERY = 16_384  # claims embedded between checkpoints
TODO_BUCKET_ROWS = 200_000  # stored claims per bucket when finding those to embed
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
UPDATE_CHUNK = 50_000  # claims given their cluster per transaction
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


def embed_new(con: duckdb.DuckDBPyConnection, enc: Embedder) -> None:
    """Encode every stored claim without a vector from ``enc``."""
    # The claims to encode can be the whole corpus: numbered in a temp table and read
    # a chunk at a time, with a checkpoint now and then (no reader stays open, so the
    # checkpoints run; one at the end would write every vector at once, a memory peak
    # that grows with the corpus). Only the ids are sorted into it, and a table keeps
    # their order, so its row ids number them: a window numbering the texts of 582k
    # claims ran out of a 32 MB bound. The texts are joined a chunk at a time.
    # The claims without a vector are found a bucket of ids at a time: one anti join
    # against every stored vector's id outgrew a small bound (582k claims, 32 MB) and
    # its hash table does not spill.
    ((stored,),) = con.execute("SELECT count(*) FROM claims").fetchall()
    parts = max(1, -(-int(stored) // TODO_BUCKET_ROWS))
    con.execute("CREATE OR REPLACE TEMP TABLE _todo_any (id VARCHAR)")
    for part in range(parts):
        con.execute(
            "INSERT INTO _todo_any SELECT c.id FROM claims c "
            "WHERE hash(c.id) % $parts = $part AND NOT EXISTS (SELECT 1 FROM claim_vectors v "
            "WHERE v.claim_id = c.id AND v.model = $model AND hash(v.claim_id) % $parts = $part)",
            {"parts": parts, "part": part, "model": enc.name},
        )
    with one_thread(con):
        con.execute("CREATE OR REPLACE TEMP TABLE _todo AS SELECT id FROM _todo_any ORDER BY id")
    con.execute("DROP TABLE _todo_any")
    row = con.execute("SELECT count(*) FROM _todo").fetchone()
    total = int(row[0]) if row else 0
    done = 0
    while done < total:
        rows = con.execute(
            "SELECT t.id, c.text FROM (SELECT rowid AS r, id FROM _todo) t "
            "JOIN claims c ON c.id = t.id WHERE t.r >= ? AND t.r < ? ORDER BY t.r",
            [done, done + CHECKPOINT_EVERY],
        ).fetchall()
        for i in range(0, len(rows), EMBED_BATCH):
            chunk = rows[i : i + EMBED_BATCH]
            vecs = enc.encode([embedding_text(t) for _id, t in chunk])
            _insert_vectors(con, [cid for cid, _t in chunk], vecs, enc.name)
        done += CHECKPOINT_EVERY
        con.execute("CHECKPOINT")
    con.execute("DROP TABLE _todo")
    logger.debug("embedded %d claims", total)


class _Scratch:
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

    def __enter__(self) -> _Scratch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()


def _centroids(scratch: _Scratch, k: int) -> np.ndarray:
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
    con: duckdb.DuckDBPyConnection, scratch: _Scratch
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
    # A plain table in the work copy, written out before it is sorted: as a temp table
    # its 37M rows (400k benchmark articles) kept DuckDB's 64 MB pool pinned, and even
    # a sort of 2M of them could not run; read from the file, 7.4M sort in 1.2 s.
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


def candidate_pairs(con: duckdb.DuckDBPyConnection, scratch: _Scratch, low: float) -> int:
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
    with _Scratch(_vector_batches(con, enc.name)) as scratch:
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
