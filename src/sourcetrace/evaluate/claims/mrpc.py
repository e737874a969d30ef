"""Score the corpus's claim-pair decision on an MRPC-format file.

``sourcetrace eval claims FILE.tsv`` reads pairs of sentences judged the same (1) or
not (0) (``Quality  #1 ID  #2 ID  #1 String  #2 String``) and scores:

- by default, the decision itself (``corpus.pairs.decide``, the very function the
  corpus build calls): the two sentences encoded with the corpus's encoder, then the
  candidate floor, the vetoes and the trained pair model;
- with ``--through-corpus``, the whole corpus path: each distinct sentence becomes one
  article with one unattributed claim, a corpus is built from them (``corpus.build``,
  the real encoder, blocking, linkage and all), and a pair counts as linked when its
  two sentences' claims share a cluster. A sentence the build keeps as a near-copy of
  another (``duplicates``) is that article; one too short to be a claim is unlinked.

Printed: accuracy, precision, recall, F1, and the same for linking every pair (the
base rate). Nothing of the file's text is written anywhere but the scratch corpus.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ...corpus import pairs as pairs_mod
from ...corpus.claim_text import embedding_text
from ...corpus.embed import Embedder, default_embedder

__all__ = ["Pair", "main", "read_mrpc", "score_decisions", "score_through_corpus", "scores"]

Pair = tuple[str, str, int]  # sentence 1, sentence 2, 1 = the same claim


def read_mrpc(path: str | Path, skipped: list[int] | None = None) -> list[Pair]:
    """(sentence 1, sentence 2, label) rows of an MRPC-format file. A malformed row (not
    5 fields, Quality not 0/1; MRPC train.tsv has one, two records on one line) is left
    out and its line number appended to ``skipped``. Raises ValueError naming the file
    when it is no MRPC file or holds no row."""
    path = Path(path)
    out: list[Pair] = []
    skipped = [] if skipped is None else skipped
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if not header or header[0].strip() != "Quality":
            raise ValueError(f"{path}: not an MRPC file (no 'Quality' header)")
        for line, row in enumerate(reader, 2):
            if not row:
                continue
            if len(row) != 5 or row[0].strip() not in ("0", "1"):
                skipped.append(line)
                continue
            out.append((row[3], row[4], int(row[0])))
    if not out:
        raise ValueError(f"{path}: no MRPC rows (5 tab-separated fields, Quality 0 or 1)")
    return out


def scores(gold: Sequence[int], same: Sequence[bool]) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of ``same`` against gold labels (1 = same)."""
    g, s = np.asarray(gold, dtype=bool), np.asarray(same, dtype=bool)
    tp = int((g & s).sum())
    p = tp / int(s.sum()) if s.any() else 0.0
    r = tp / int(g.sum()) if g.any() else 0.0
    return {"accuracy": float((g == s).mean()) if len(g) else 0.0, "precision": p,
            "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}




def _base_rate(gold: Sequence[int]) -> dict[str, float]:
    return scores(gold, [True] * len(gold))


def score_decisions(
    rows: Sequence[Pair], embedder: Embedder, model: pairs_mod.PairModel | None = None
) -> dict[str, Any]:
    """Scores of ``pairs.decide`` on the rows, and of linking everything."""
    a = embedder.encode([embedding_text(r[0]) for r in rows])
    b = embedder.encode([embedding_text(r[1]) for r in rows])
    cos = np.einsum("ij,ij->i", a, b).tolist()
    got = pairs_mod.decide([(r[0], r[1]) for r in rows], cos, embedder.encode, model)
    gold = [r[2] for r in rows]
    return {"pairs": len(rows), "decision": scores(gold, [d.same for d in got]),
            "link_all": _base_rate(gold)}


def _record(n: int, text: str) -> dict[str, Any]:
    return {
        "schema_version": "1.0.0", "id": f"s{n}", "path": f"s{n}.txt", "text": text,
        "metadata": {"outlet": f"Outlet {n}", "published": None}, "excluded": [],
        "attributions": [], "actors": [], "labels": [], "profile": {},
        "unattributed": [{"text": text, "spans": [[0, len(text)]]}],
    }


def score_through_corpus(
    rows: Sequence[Pair], embedder: Embedder, workdir: str | Path | None = None,
) -> dict[str, Any]:
    """Scores of "the two share a cluster" in a corpus built from the sentences."""
    from ...corpus.build import build
    from ...corpus.db import connect

    sentences = sorted({s for r in rows for s in r[:2]})
    number = {s: n for n, s in enumerate(sentences)}
    with tempfile.TemporaryDirectory(prefix="sourcetrace-mrpc-", dir=workdir) as tmp:
        db = str(Path(tmp) / "mrpc.duckdb")
        build(db, records=[_record(n, s) for s, n in number.items()], embedder=embedder)
        con = connect(db, read_only=True)
        try:
            article = dict(con.execute(
                "SELECT path, id FROM articles UNION ALL SELECT path, article_id FROM duplicates"
            ).fetchall())
            cluster = dict(con.execute(
                "SELECT article_id, min(cluster_id) FROM claims GROUP BY article_id"
            ).fetchall())
        finally:
            con.close()

    def cluster_of(s: str) -> str | None:
        return cluster.get(article.get(f"s{number[s]}.txt"))

    linked = []
    for a, b, _y in rows:
        ka, kb = cluster_of(a), cluster_of(b)
        linked.append(ka is not None and ka == kb)
    gold = [r[2] for r in rows]
    return {"pairs": len(rows), "sentences": len(sentences), "decision": scores(gold, linked),
            "link_all": _base_rate(gold)}


def _line(name: str, s: dict[str, float]) -> str:
    return (f"{name:<14} accuracy {s['accuracy']:.3f}  precision {s['precision']:.3f}  "
            f"recall {s['recall']:.3f}  F1 {s['f1']:.3f}")


def main(path: str, *, through_corpus: bool = False, embedder: Embedder | None = None) -> int:
    """Print the scores of ``path``; RETURNS the exit code (0: success, 2: bad input)."""
    skipped: list[int] = []
    try:
        rows = read_mrpc(path, skipped)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        print(f"error: {exc}" if str(path) in str(exc) else f"error: {path}: {exc}",
              file=sys.stderr)
        return 2
    if skipped:
        print(f"warning: {path}: {len(skipped)} malformed row(s) left out (line "
              f"{', '.join(map(str, skipped[:5]))})", file=sys.stderr)
    embedder = embedder or default_embedder()
    if through_corpus:
        result = score_through_corpus(rows, embedder)
        what = f"{result['pairs']} pairs, {result['sentences']} sentences, one article each"
        name = "shared cluster"
    else:
        result = score_decisions(rows, embedder)
        what = f"{result['pairs']} pairs"
        name = "pair decision"
    print(f"{path}: {what}")
    print(_line(name, result["decision"]))
    print(_line("link all", result["link_all"]))
    return 0
