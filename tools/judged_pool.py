"""Draw the candidate pairs of a judged claim-pair set (how data/judged/ was sampled).

    python tools/judged_pool.py RECORDS.jsonl OUT.tsv [--corpus CORPUS.duckdb]
        [--per-band N] [--linked N] [--skip DRAWN.tsv]

RECORDS.jsonl is ``sourcetrace analyze`` output for the articles; CORPUS.duckdb is the
corpus ``sourcetrace corpus build`` made from it (needed for linked pairs only); pairs
already in DRAWN.tsv are not drawn again. The pool is every pair of claims (as
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
    ap.add_argument("out")
    ap.add_argument("--corpus")
    ap.add_argument("--skip")
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
    by_loc = {(c[0], c[1], c[2]): n for n, c in enumerate(claims)}
    skip: set[tuple[int, int]] = set()
    if args.skip:
        with open(args.skip, encoding="utf-8") as f:
            for row in csv.reader(f, delimiter="\t"):
                i = by_loc.get((row[0], int(row[1]), int(row[2])))
                j = by_loc.get((row[3], int(row[4]), int(row[5])))
                if i is not None and j is not None:
                    skip.add((min(i, j), max(i, j)))
    for lo, hi in BANDS:
        ii, jj = np.nonzero(np.triu((sims >= lo) & (sims < hi) & cross, 1))
        idx = list(range(len(ii)))
        rng.shuffle(idx)
        for k in idx[: args.per_band]:
            chosen[(int(ii[k]), int(jj[k]))] = "band"
    if args.corpus and args.linked:
        by_id = {c[4]: n for n, c in enumerate(claims)}
        con = duckdb.connect(args.corpus, read_only=True)
        rows = con.execute(
            "SELECT a.cluster_id, a.id, b.id FROM claims a JOIN claims b "
            "ON a.cluster_id = b.cluster_id AND a.id < b.id AND a.article_id <> b.article_id "
            "ORDER BY a.cluster_id, a.id, b.id"
        ).fetchall()
        con.close()
        # One pair per cluster in turn, so that big clusters do not fill the sample and
        # every multi-article cluster gets judged pairs (cluster purity needs them).
        per_cluster: dict[str, list[tuple[int, int]]] = {}
        for k, a, b in rows:
            if a in by_id and b in by_id:
                i, j = by_id[a], by_id[b]
                key = (min(i, j), max(i, j))
                if key not in chosen and key not in skip:
                    per_cluster.setdefault(k, []).append(key)
        queues = list(per_cluster.values())
        for q in queues:
            rng.shuffle(q)
        rng.shuffle(queues)
        n = 0
        while n < args.linked and any(queues):
            for q in queues:
                if q and n < args.linked:
                    chosen[q.pop()] = "linked"
                    n += 1
    for key in skip:
        chosen.pop(key, None)
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter="\t")
        for (i, j), origin in sorted(chosen.items()):
            a, b = claims[i], claims[j]
            w.writerow([a[0], a[1], a[2], b[0], b[1], b[2], "", "", origin,
                        f"{sims[i, j]:.3f}", a[3].replace("\n", " "), b[3].replace("\n", " ")])
    print(f"{len(claims)} claims, {len(chosen)} pairs -> {args.out}")


if __name__ == "__main__":
    main()
