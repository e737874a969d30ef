"""Recall of the claim-link blocking against exact search (prints figures; not a test).

The corpus compares each claim only with the claims of its nearest cells
(``sourcetrace.corpus.blocking.candidate_pairs``). This script measures what that misses:
every pair at cosine >= 0.55 and >= 0.72 is found by exact search (all pairs, blockwise),
then the share of those pairs the cells find ("pair recall") and the share whose two
claims still end in one connected component of the found pairs ("component recall"),
with the time of each. The exact search is the baseline measured in the same run.

Vectors come from a corpus file (``--db``, the stored claim vectors) or from sentences
of text files encoded with the bundled MiniLM encoder (``--texts``):

    python benchmarks/claim_blocking.py --texts '../shared/data/polnear/*/text/*.txt' \
        '../shared/data/ptc/articles/*.txt'
    python benchmarks/claim_blocking.py --db corpus.duckdb
"""

from __future__ import annotations

import argparse
import glob
import re
import sys
import time
from pathlib import Path

import duckdb
import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from sourcetrace.corpus import blocking, claims  # noqa: E402

_SENT_RE = re.compile(r"(?<=[.!?])\s+|\n+")


def sentence_vectors(patterns: list[str]) -> np.ndarray:
    from sourcetrace.corpus.embed import MiniLMEmbedder

    sents: dict[str, None] = {}
    for pattern in patterns:
        for path in sorted(glob.glob(pattern, recursive=True)):
            text = Path(path).read_text(encoding="utf-8", errors="replace")
            for s in _SENT_RE.split(text):
                if len(s.split()) >= 5:
                    sents[s.strip()] = None
    texts = list(sents)
    enc = MiniLMEmbedder()
    return np.concatenate([enc.encode(texts[i : i + 256]) for i in range(0, len(texts), 256)])


def db_vectors(path: str) -> np.ndarray:
    con = duckdb.connect(path, read_only=True)
    col = con.execute("SELECT vector FROM claim_vectors").fetchnumpy()["vector"]
    return np.stack([np.asarray(v, dtype=np.float32) for v in col])


def exact_pairs(vecs: np.ndarray, low: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    out_i, out_j, out_s = [], [], []
    for s in range(0, len(vecs), 2048):
        sims = vecs[s : s + 2048] @ vecs.T
        ii, jj = np.nonzero(sims >= low)
        keep = ii + s < jj
        out_i.append(ii[keep] + s)
        out_j.append(jj[keep])
        out_s.append(sims[ii[keep], jj[keep]])
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_s)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--db", help="a sourcetrace corpus file")
    src.add_argument("--texts", nargs="+", help="glob patterns of text files")
    ap.add_argument("--cell", type=int, default=blocking.CELL)
    ap.add_argument("--probes", type=int, default=blocking.PROBES)
    args = ap.parse_args()
    vecs = db_vectors(args.db) if args.db else sentence_vectors(args.texts)
    vecs = vecs.astype(np.float32)
    n = len(vecs)
    t0 = time.perf_counter()
    ei, ej, es = exact_pairs(vecs, 0.55)
    t_exact = time.perf_counter() - t0

    blocking.EXACT_MAX, blocking.CELL, blocking.PROBES = 0, args.cell, args.probes
    t0 = time.perf_counter()
    batches = ((np.arange(s, min(n, s + 8192)), vecs[s : s + 8192]) for s in range(0, n, 8192))
    with blocking.Scratch(batches) as scratch:
        con = duckdb.connect()
        blocking.candidate_pairs(con, scratch, 0.55)
        got = con.execute("SELECT a, b, sim FROM _cand").fetchnumpy()
        a, b, sim = (np.asarray(got[k]) for k in ("a", "b", "sim"))
    t_cells = time.perf_counter() - t0

    print(f"{n} vectors; exact search {t_exact:.1f} s, cells (CELL {args.cell}, PROBES "
          f"{args.probes}) {t_cells:.1f} s: {t_cells / t_exact:.2f} of the exact time")
    for low in (0.55, 0.72):  # the candidate floor; the old single link cosine
        sel = es >= low
        want = ei[sel] * n + ej[sel]
        found_sel = sim >= low
        got = np.isin(want, a[found_sel] * n + b[found_sel])
        kept = list(zip(a[found_sel].tolist(), b[found_sel].tolist(), sim[found_sel], strict=True))
        comp = claims.cluster_numbers(n, kept, np.arange(n))
        same = comp[ei[sel]] == comp[ej[sel]]
        print(f"  cosine >= {low:.2f}: {int(sel.sum())} exact pairs; pair recall "
              f"{got.mean():.4f}, component recall {same.mean():.4f}")


if __name__ == "__main__":
    main()
