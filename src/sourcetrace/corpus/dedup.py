"""Duplicate articles: same id, same URL, same text, or near-identical text (MinHash).

A syndicated copy with another headline or a changed dateline is still the same
article: word 5-shingles of the text and a 128-permutation MinHash; the signature is
cut into LSH bands whose keys live in the ``minhash_bands`` table, so candidates come
from one join per batch of articles and nothing grows in memory with the corpus. The
estimated Jaccard of a candidate decides.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import duckdb
import numpy as np
import pyarrow as pa
from datasketch import MinHash

from .db import insert_rows

NUM_PERM = 128
SHINGLE = 5
SCHEME = "affine32"  # stored signatures must be rebuilt with the scheme that made them
# Estimated Jaccard of 5-shingles above which two texts are one article. Hand-set: a
# wire copy with a new headline and dateline scores 0.85-0.95 on articles of 150+
# words; two different reports of one event score below 0.3.
NEAR_DUPLICATE_JACCARD = 0.8
# LSH bands x rows: datasketch's optimum (MinHashLSH) for threshold 0.8 and 128
# permutations. Two texts at Jaccard 0.8 share a band with p = 0.995, at 0.5 p = 0.01.
BANDS, ROWS = 9, 13
_WORD_RE = re.compile(r"\w+")


def normalised_text(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.casefold()))


def text_hash(text: str) -> str:
    return hashlib.sha1(normalised_text(text).encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=1)
def _permutations():
    # datasketch draws the permutations anew for every MinHash; they depend only on
    # the seed, so draw them once.
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def minhash(text: str) -> np.ndarray:
    """The text's MinHash signature (NUM_PERM uint64 values)."""
    words = _WORD_RE.findall(text.casefold())
    if len(words) < SHINGLE:
        shingles = {" ".join(words)}
    else:
        shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_permutations())
    m.update_batch([s.encode("utf-8", "surrogatepass") for s in shingles])
    return m.hashvalues


def band_keys(signature: Sequence[int] | np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band of the signature."""
    v = np.asarray(signature, dtype=np.uint64)
    return [
        int.from_bytes(
            hashlib.blake2b(v[b * ROWS : (b + 1) * ROWS].tobytes(), digest_size=8).digest(),
            "little",
            signed=True,
        )
        for b in range(BANDS)
    ]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal values)."""
    return float(np.count_nonzero(np.asarray(a) == np.asarray(b))) / NUM_PERM


@dataclass(frozen=True, slots=True)
class Match:
    article_id: str
    reason: str  # same_id | same_url | same_text | near_duplicate
    similarity: float


@dataclass(slots=True)
class Candidate:
    """An incoming article, as far as duplicate detection needs it."""

    article_id: str
    url: str | None
    text_hash: str
    signature: np.ndarray
    keys: list[int]


def candidate(article_id: str, url: str | None, text: str) -> Candidate:
    sig = minhash(text)
    return Candidate(article_id, url or None, text_hash(text), sig, band_keys(sig))


def band_rows(article_id: str, keys: list[int]) -> list[dict[str, object]]:
    return [{"article_id": article_id, "band": b, "key": k} for b, k in enumerate(keys)]


def ensure_bands(con: duckdb.DuckDBPyConnection) -> None:
    """Fill ``minhash_bands`` for a corpus written before the table existed."""
    ((bands, sigs),) = con.execute(
        "SELECT (SELECT count(*) FROM minhash_bands), (SELECT count(*) FROM minhashes)"
    ).fetchall()
    if bands or not sigs:
        return
    rows = [
        row
        for aid, sig in con.execute("SELECT article_id, signature FROM minhashes").fetchall()
        for row in band_rows(aid, band_keys(sig))
    ]
    insert_rows(con, "minhash_bands", rows)


class Deduper:
    """Finds the article each of a batch repeats: a stored one, or one earlier in the
    batch. The stored side is read with one query per kind of match per batch."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        ensure_bands(con)

    def resolve(self, batch: Sequence[Candidate]) -> list[Match | None]:
        stored = self._stored(batch)
        ids: set[str] = set()
        urls: dict[str, str] = {}
        hashes: dict[str, str] = {}
        bands: dict[tuple[int, int], list[int]] = {}
        out: list[Match | None] = []
        for i, c in enumerate(batch):
            match = self._match(i, c, stored, ids, urls, hashes, bands, batch)
            out.append(match)
            if match is None:
                ids.add(c.article_id)
                if c.url:
                    urls.setdefault(c.url, c.article_id)
                hashes.setdefault(c.text_hash, c.article_id)
                for b, k in enumerate(c.keys):
                    bands.setdefault((b, k), []).append(i)
        return out

    def _match(self, i, c, stored, ids, urls, hashes, bands, batch) -> Match | None:
        s_ids, s_urls, s_hashes, s_near = stored
        if i in s_ids or c.article_id in ids:
            return Match(c.article_id, "same_id", 1.0)
        if c.url and (i in s_urls or c.url in urls):
            return Match(s_urls.get(i) or urls[c.url], "same_url", 1.0)
        if i in s_hashes or c.text_hash in hashes:
            return Match(s_hashes.get(i) or hashes[c.text_hash], "same_text", 1.0)
        best: Match | None = None
        near = list(s_near.get(i, ()))
        seen: set[int] = set()
        for b, k in enumerate(c.keys):
            for j in bands.get((b, k), ()):
                if j not in seen:
                    seen.add(j)
                    near.append((batch[j].article_id, batch[j].signature))
        for other, sig in near:
            sim = jaccard(c.signature, sig)
            if sim >= NEAR_DUPLICATE_JACCARD and (best is None or sim > best.similarity):
                best = Match(other, "near_duplicate", sim)
        return best

    def _stored(self, batch: Sequence[Candidate]):
        con = self.con
        con.register(
            "_dq",
            pa.table(
                {
                    "i": pa.array(range(len(batch)), type=pa.int64()),
                    "id": pa.array([c.article_id for c in batch], type=pa.string()),
                    "url": pa.array([c.url for c in batch], type=pa.string()),
                    "thash": pa.array([c.text_hash for c in batch], type=pa.string()),
                }
            ),
        )
        con.register(
            "_dk",
            pa.table(
                {
                    "i": pa.array([i for i, c in enumerate(batch) for _ in c.keys], pa.int64()),
                    "band": pa.array([b for c in batch for b in range(len(c.keys))], pa.int16()),
                    "key": pa.array([k for c in batch for k in c.keys], type=pa.int64()),
                }
            ),
        )
        try:
            s_ids = {r[0] for r in con.execute(
                "SELECT q.i FROM _dq q JOIN articles a ON a.id = q.id").fetchall()}
            # The first stored article with the URL or text (as when it came in).
            s_urls = dict(con.execute(
                "SELECT q.i, arg_min(a.id, a.seq) FROM _dq q JOIN articles a ON a.url = q.url "
                "GROUP BY q.i").fetchall())
            s_hashes = dict(con.execute(
                "SELECT q.i, arg_min(a.id, a.seq) FROM _dq q "
                "JOIN articles a ON a.text_hash = q.thash GROUP BY q.i").fetchall())
            s_near: dict[int, list[tuple[str, np.ndarray]]] = {}
            for i, aid, sig in con.execute(
                "SELECT c.i, c.article_id, m.signature FROM (SELECT DISTINCT k.i, b.article_id "
                "FROM _dk k JOIN minhash_bands b ON b.band = k.band AND b.key = k.key) c "
                "JOIN minhashes m ON m.article_id = c.article_id "
                "JOIN articles a ON a.id = c.article_id ORDER BY c.i, a.seq"
            ).fetchall():
                s_near.setdefault(i, []).append((aid, np.asarray(sig, dtype=np.uint64)))
        finally:
            con.unregister("_dq")
            con.unregister("_dk")
        return s_ids, s_urls, s_hashes, s_near
