"""Score a corpus's claim links against pairs judged by reading real news.

The judged file (TSV, one pair a line, ``#`` lines are comments) locates two claims by
article file stem and character offsets, never by their text::

    article_a  start_a  end_a  article_b  start_b  end_b  judgement  reason

judgement is one of ``same`` (one proposition), ``topic`` (same topic, another claim),
``dispute`` (one proposition, opposite polarity or conflicting figures) or ``unrelated``.
The corpus must hold the judged articles (built from them, under any folder): an article
is known by the stem of its stored path, so the data may lie anywhere. A judged claim is
the corpus claim of that article with exactly those offsets; pairs whose claims the corpus
does not hold (another analysis, a content it does not take as a claim) are counted apart
and left out of the scores.

- link precision: of the judged pairs the corpus puts in one cluster, the share judged
  ``same``; link recall: of the pairs judged ``same``, the share in one cluster. A
  ``dispute`` pair in one cluster is a wrong link.
- cluster purity: of the multi-article clusters holding at least one judged pair, the
  share whose judged pairs are all ``same``. Pairs nobody judged do not count either way;
  clusters without a judged pair are counted apart (``clusters_unjudged``).
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import duckdb

from ...corpus.build import build
from ...corpus.db import connect

if TYPE_CHECKING:
    from ...corpus.embed import Embedder
    from ...pipeline import Pipeline

JUDGEMENTS = ("same", "topic", "dispute", "unrelated")
COLUMNS = ("article_a", "start_a", "end_a", "article_b", "start_b", "end_b",
           "judgement", "reason")


class JudgedFileError(ValueError):
    """A judged file that cannot be read: the message names the file, line and reason."""


@dataclass(frozen=True, slots=True)
class JudgedPair:
    article_a: str
    start_a: int
    end_a: int
    article_b: str
    start_b: int
    end_b: int
    judgement: str
    reason: str = ""


@dataclass
class JudgedScores:
    pairs: int = 0
    located: int = 0
    by_judgement: dict[str, int] = field(default_factory=dict)
    linked: int = 0
    linked_same: int = 0
    same: int = 0
    clusters_judged: int = 0
    clusters_pure: int = 0
    clusters_unjudged: int = 0
    missing: list[JudgedPair] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.linked_same / self.linked if self.linked else None

    @property
    def recall(self) -> float | None:
        return self.linked_same / self.same if self.same else None

    @property
    def purity(self) -> float | None:
        return self.clusters_pure / self.clusters_judged if self.clusters_judged else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs, "located": self.located, "not_located": len(self.missing),
            "by_judgement": dict(self.by_judgement), "linked": self.linked,
            "linked_same": self.linked_same, "same": self.same,
            "link_precision": self.precision, "link_recall": self.recall,
            "clusters_judged": self.clusters_judged, "clusters_pure": self.clusters_pure,
            "clusters_unjudged": self.clusters_unjudged, "cluster_purity": self.purity,
        }


def read_judged(path: str) -> list[JudgedPair]:
    """The pairs of a judged TSV. RAISES JudgedFileError naming the file and line."""
    out: list[JudgedPair] = []
    try:
        with open(path, encoding="utf-8", newline="") as f:
            for n, row in enumerate(csv.reader(f, delimiter="\t"), 1):
                if not row or row[0].startswith("#") or row[0] == COLUMNS[0]:
                    continue
                out.append(_pair(path, n, row))
    except (OSError, UnicodeDecodeError) as exc:
        raise JudgedFileError(f"{path}: cannot read the judged file ({exc})") from None
    return out


def _pair(path: str, n: int, row: list[str]) -> JudgedPair:
    if len(row) < 7:
        raise JudgedFileError(f"{path}:{n}: {len(row)} columns, expected at least 7")
    try:
        offsets = [int(row[k]) for k in (1, 2, 4, 5)]
    except ValueError:
        raise JudgedFileError(f"{path}:{n}: offsets must be integers") from None
    judgement = row[6].strip()
    if judgement not in JUDGEMENTS:
        raise JudgedFileError(
            f"{path}:{n}: judgement {judgement!r} is not one of {', '.join(JUDGEMENTS)}"
        )
    return JudgedPair(row[0], offsets[0], offsets[1], row[3], offsets[2], offsets[3],
                      judgement, row[7] if len(row) > 7 else "")


def score_judged(con: duckdb.DuckDBPyConnection, pairs: Iterable[JudgedPair]) -> JudgedScores:
    """Link precision and recall, and cluster purity, of the corpus on the judged pairs."""
    cluster_of = _claim_clusters(con)
    scores = JudgedScores()
    by_cluster: dict[str, list[str]] = {}
    for p in pairs:
        scores.pairs += 1
        scores.by_judgement[p.judgement] = scores.by_judgement.get(p.judgement, 0) + 1
        ca = cluster_of.get((p.article_a, p.start_a, p.end_a))
        cb = cluster_of.get((p.article_b, p.start_b, p.end_b))
        if ca is None or cb is None:
            scores.missing.append(p)
            continue
        scores.located += 1
        same = p.judgement == "same"
        scores.same += same
        if ca == cb:
            scores.linked += 1
            scores.linked_same += same
            by_cluster.setdefault(ca, []).append(p.judgement)
    multi = {
        r[0] for r in con.execute(
            "SELECT cluster_id FROM claims WHERE cluster_id IS NOT NULL "
            "GROUP BY cluster_id HAVING count(DISTINCT article_id) >= 2"
        ).fetchall()
    }
    for cid in multi:
        judged = by_cluster.get(cid)
        if not judged:
            scores.clusters_unjudged += 1
            continue
        scores.clusters_judged += 1
        scores.clusters_pure += all(j == "same" for j in judged)
    return scores


def _claim_clusters(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int, int], str]:
    """(article file stem, start, end) -> cluster id of every clustered claim."""
    rows = con.execute(
        "SELECT a.path, c.start_offset, c.end_offset, c.cluster_id FROM claims c "
        "JOIN articles a ON a.id = c.article_id WHERE c.cluster_id IS NOT NULL"
    ).fetchall()
    return {(article_stem(path), int(s), int(e)): str(cid) for path, s, e, cid in rows}


def articles_file(judged: str) -> Path:
    """Where the list of articles a judged file was drawn from lies: beside it, with
    ``.articles.txt`` for its suffix (one file stem a line, ``#`` lines are comments)."""
    return Path(judged).with_suffix(".articles.txt")


def read_stems(path: Path) -> set[str]:
    with open(path, encoding="utf-8") as f:
        return {s for line in f if (s := line.strip()) and not s.startswith("#")}


def judged_articles(
    pairs: Iterable[JudgedPair], folder: str, also: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """The ``.txt`` files under ``folder`` (any depth) whose stems the pairs (or ``also``)
    name, and the stems not found there."""
    wanted = {s for p in pairs for s in (p.article_a, p.article_b)} | set(also)
    found: dict[str, str] = {}
    for path in sorted(Path(folder).rglob("*.txt")):
        if path.stem in wanted:
            found.setdefault(path.stem, str(path))
    return sorted(found.values()), sorted(wanted - found.keys())


def evaluate_judged(
    judged: str,
    *,
    polnear: str | None = None,
    db: str | None = None,
    pipeline: Callable[[], Pipeline] | None = None,
    embedder: Embedder | None = None,
) -> JudgedScores:
    """Score a corpus on a judged file: the corpus at ``db`` when it exists, else one built
    (at ``db``, or in a scratch folder) from the articles found under ``polnear``: those
    the pairs name, and those the judged file's article list names (``articles_file``),
    since the links depend on every article in the corpus.
    RAISES JudgedFileError (a bad file or folder), CorpusError (a corpus that cannot be
    read)."""
    pairs = read_judged(judged)
    if db and os.path.exists(db):
        return _score_at(db, pairs)
    if not polnear:
        raise JudgedFileError(f"{judged}: give the corpus (--db) or the articles (--polnear)")
    if not os.path.isdir(polnear):
        raise JudgedFileError(f"{polnear}: no such folder of articles")
    listed = articles_file(judged)
    paths, missing = judged_articles(pairs, polnear, read_stems(listed) if listed.exists() else ())
    if not paths:
        raise JudgedFileError(f"{polnear}: none of the judged articles is there")
    if db:
        build(db, paths, pipeline=pipeline, embedder=embedder)
        return _score_at(db, pairs)
    with tempfile.TemporaryDirectory(prefix="sourcetrace-judged-") as tmp:
        path = os.path.join(tmp, "judged.duckdb")
        build(path, paths, pipeline=pipeline, embedder=embedder)
        return _score_at(path, pairs)


def _score_at(db: str, pairs: list[JudgedPair]) -> JudgedScores:
    con = connect(db)
    try:
        return score_judged(con, pairs)
    finally:
        con.close()


def article_stem(path: str | None) -> str:
    """The file stem an article is judged under ("dir/nyt_2016-07-11_x.txt" -> "nyt_...")."""
    return PurePath((path or "").replace("\\", "/")).stem
