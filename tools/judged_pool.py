"""Draw the candidate pairs of a judged claim-pair set (how data/judged/ was sampled).

    python tools/judged_pool.py RECORDS.jsonl CORPUS.duckdb OUT.tsv [--per-band N] [--linked N]

RECORDS.jsonl is ``sourcetrace analyze`` output for the articles; CORPUS.duckdb is the
corpus ``sourcetrace corpus build`` made from it. The pool is every pair of claims (as
``claims_from_record`` chooses them) from two different articles, with the MiniLM cosine
the corpus uses (``corpus/embed.py`` over ``embedding_text``). Pairs are drawn at random
(seed 20), N from each cosine band, plus N pairs the corpus links (two articles' claims in
one cluster). OUT.tsv gets the judged file's columns with the judgement and reason empty,
and the two texts in two extra columns for the reader; those two columns are dropped
before the file is stored (the article text is not the project's to keep).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

import duckdb
import numpy as np

from sourcetrace.corpus.claim_text import claims_from_record, embedding_text
from sourcetrace.corpus.embed import MiniLMEmbedder

BANDS = ((0.55, 0.65), (0.65, 0.75), (0.75, 0.85), (0.85, 1.01))
SEED = 20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("records")
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--per-band", type=int, default=65)
    ap.add_argument("--linked", type=int, default=60)
    args = ap.parse_args()
    claims = []
    with open(args.records, encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    for rec in records:
        stem = Path(rec["path"]).stem
        for c in claims_from_record(rec):
            claims.append((stem, c["start_offset"], c["end_offset"], c["text"], c["id"]))
    vecs = MiniLMEmbedder().encode([embedding_text(c[3]) for c in claims])
    sims = vecs @ vecs.T
    stems = np.array([c[0] for c in claims])
    cross = stems[:, None] != stems[None, :]
    rng = random.Random(SEED)
    chosen: dict[tuple[int, int], str] = {}
    for lo, hi in BANDS:
        ii, jj = np.nonzero(np.triu((sims >= lo) & (sims < hi) & cross, 1))
        idx = list(range(len(ii)))
        rng.shuffle(idx)
        for k in idx[: args.per_band]:
            chosen[(int(ii[k]), int(jj[k]))] = "band"
    by_id = {c[4]: n for n, c in enumerate(claims)}
    con = duckdb.connect(args.corpus, read_only=True)
    rows = con.execute(
        "SELECT a.id, b.id FROM claims a JOIN claims b ON a.cluster_id = b.cluster_id "
        "AND a.id < b.id AND a.article_id <> b.article_id"
    ).fetchall()
    linked = [(by_id[a], by_id[b]) for a, b in rows if a in by_id and b in by_id]
    rng.shuffle(linked)
    for i, j in linked[: args.linked]:
        key = (min(i, j), max(i, j))
        chosen.setdefault(key, "linked")
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter="\t")
        for (i, j), band in sorted(chosen.items()):
            a, b = claims[i], claims[j]
            w.writerow([a[0], a[1], a[2], b[0], b[1], b[2], "", "", band,
                        f"{sims[i, j]:.3f}", a[3].replace("\n", " "), b[3].replace("\n", " ")])
    print(f"{len(claims)} claims, {len(chosen)} pairs -> {args.out}")


if __name__ == "__main__":
    main()
