"""The labelled scenario set and its scorer.

A scenario (one YAML file under ``scenarios/corpus/``) is a few invented articles and
what a corpus built from them should show::

    id: relay-anon-01
    split: dev                    # dev: used to set thresholds; test: held out
    about: one unnamed source relayed by three outlets
    articles:
      - id: a
        outlet: Harbour Gazette
        published: 2025-03-01
        text: |
          ...
    clusters:                     # expected claim clusters
      - members: [[a, "rebels have moved rockets"], [b, "shifted rockets"]]
        origins: 1                # expected independent-origin count (optional)
        circular: false           # optional
      - members: [[c, "the army has not commented"]]   # a claim that must stay alone
    actors:
      same:                       # each group: mentions that are one actor
        - [[a, "Alina Dovrek"], [b, "Minister Dovrek"]]
      different:                  # each group: mentions that are pairwise different actors
        - [[a, "Karim Haddad"], [b, "Samir Haddad"]]

A member ``[article, snippet]`` is the predicted claim of that article whose offsets
overlap the snippet most (the snippet is looked up in the article text); a mention is the
article actor having that surface among its aliases. Scores are over pairs of listed
members: claim links and actor merges (precision, recall, F1), and for each expected
cluster with ``origins``, whether the predicted cluster holding most of its members has
exactly that independent-origin count.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from ..actors import role_and_name
from ..model.errors import ConfigError
from .build import build
from .db import connect


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: bool, pred: bool) -> None:
        if gold and pred:
            self.tp += 1
        elif pred:
            self.fp += 1
        elif gold:
            self.fn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    claims: PRF = field(default_factory=PRF)
    actors: PRF = field(default_factory=PRF)
    origins_exact: int = 0
    origins_total: int = 0
    circular_exact: int = 0
    circular_total: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def origin_accuracy(self) -> float:
        return self.origins_exact / self.origins_total if self.origins_total else 1.0


def load_scenarios(folder: str | Path, split: str | None = None) -> list[dict[str, Any]]:
    out = []
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: invalid YAML ({' '.join(str(exc).split())})") from None
        if not isinstance(data, dict) or "articles" not in data:
            raise ConfigError(f"{path}: not a scenario (needs 'articles')")
        data.setdefault("id", path.stem)
        data["_path"] = str(path)
        if split is None or data.get("split") == split:
            out.append(data)
    return out


def _records(scenarios: Sequence[dict[str, Any]], pipeline) -> dict[str, list[dict]]:
    """Analyse every scenario article in one batch; records keyed by scenario id."""
    from ..ingest import article_from_text

    arts, owners = [], []
    for sc in scenarios:
        for a in sc["articles"]:
            path = f"{sc['id']}/{a['id']}.txt"
            arts.append(article_from_text(a["text"], path))
            owners.append((sc, a))
    out: dict[str, list[dict]] = {sc["id"]: [] for sc in scenarios}
    for (sc, a), result in zip(owners, pipeline.analyze_many(arts), strict=True):
        if isinstance(result, Exception):
            raise ConfigError(f"{sc['_path']}: article {a['id']}: {result}")
        rec = result.to_dict()
        rec["id"] = f"{sc['id']}:{a['id']}"
        meta = rec["metadata"]
        for key in ("outlet", "published", "url", "title"):
            if a.get(key) is not None:
                meta[key] = str(a[key])
        out[sc["id"]].append(rec)
    return out


def _find_claim(con, article_id: str, text: str, snippet: str) -> tuple[str, str] | None:
    pos = text.lower().find(snippet.lower())
    if pos < 0:
        raise ConfigError(f"snippet {snippet!r} not in article {article_id}")
    s, e = pos, pos + len(snippet)
    best = None
    for cid, cluster, spans in con.execute(
        "SELECT id, cluster_id, spans FROM claims WHERE article_id = ?", [article_id]
    ).fetchall():
        ov = sum(max(0, min(e, ce) - max(s, cs)) for cs, ce in json.loads(spans))
        if ov > 0 and (best is None or ov > best[0]):
            best = (ov, cid, cluster)
    return (best[1], best[2]) if best else None


def _find_actor(con, article_id: str, surface: str) -> str | None:
    for actor_id, name, aliases in con.execute(
        "SELECT actor_id, name, aliases FROM article_actors WHERE article_id = ?", [article_id]
    ).fetchall():
        names = {name, *json.loads(aliases or "[]")}
        names |= {role_and_name(x)[1] for x in names}  # "Minister Gral" holds "Gral"
        if surface.lower() in {x.lower() for x in names}:
            return actor_id
    return None


def score_scenario(sc: dict[str, Any], records: list[dict], embedder, total: Score) -> None:
    sid = sc["id"]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "s.duckdb")
        here = Path(sc["_path"]).parent
        alias_files = [str(here / f) for f in sc.get("alias_files") or ()]
        build(db, records=records, embedder=embedder, alias_files=alias_files)
        con = connect(db)
        texts = dict(con.execute("SELECT id, text FROM articles").fetchall())
        # claims
        members: list[tuple[int, tuple[str, str] | None, str]] = []
        for ci, cl in enumerate(sc.get("clusters") or []):
            for art, snip in cl["members"]:
                aid = f"{sid}:{art}"
                if aid not in texts:
                    raise ConfigError(f"{sc['_path']}: unknown article {art!r}")
                members.append((ci, _find_claim(con, aid, texts[aid], snip), f"{art}:{snip}"))
        for (g1, p1, n1), (g2, p2, n2) in combinations(members, 2):
            if g1 == g2 and p1 and p2 and p1[0] == p2[0]:
                continue  # one predicted claim holds both snippets
            gold = g1 == g2
            pred = bool(p1 and p2 and p1[1] == p2[1])
            total.claims.add(gold, pred)
            if gold != pred:
                kind = "missed link" if gold else "false link"
                total.failures.append(f"{sid}: {kind}: {n1!r} ~ {n2!r}")
        for ci, cl in enumerate(sc.get("clusters") or []):
            found = [p[1] for g, p, _n in members if g == ci and p]
            if "origins" in cl:
                total.origins_total += 1
                if not found:
                    total.failures.append(f"{sid}: cluster {ci + 1}: no claim found")
                    continue
                k = Counter(found).most_common(1)[0][0]
                row = con.execute(
                    "SELECT independent_origins, circular FROM clusters WHERE id = ?", [k]
                ).fetchone()
                if row and row[0] == cl["origins"]:
                    total.origins_exact += 1
                else:
                    total.failures.append(
                        f"{sid}: cluster {ci + 1}: origins {row[0] if row else None}, "
                        f"expected {cl['origins']}"
                    )
                if "circular" in cl and row:
                    total.circular_total += 1
                    right = bool(row[1]) == bool(cl["circular"])
                    total.circular_exact += int(right)
                    if not right:
                        total.failures.append(
                            f"{sid}: cluster {ci + 1}: circular {bool(row[1])}, "
                            f"expected {bool(cl['circular'])}"
                        )
        # actors
        spec = sc.get("actors") or {}
        refs: dict[str, str | None] = {}

        def ref(m: Sequence[str]) -> str:
            key = f"{m[0]}:{m[1]}"
            if key not in refs:
                refs[key] = _find_actor(con, f"{sid}:{m[0]}", m[1])
                if refs[key] is None:
                    total.failures.append(f"{sid}: no actor {m[1]!r} in article {m[0]}")
            return key

        for group in spec.get("same") or []:
            for m1, m2 in combinations([ref(m) for m in group], 2):
                pred = refs[m1] is not None and refs[m1] == refs[m2]
                total.actors.add(True, pred)
                if not pred:
                    total.failures.append(f"{sid}: missed merge {m1!r} = {m2!r}")
        for group in spec.get("different") or []:
            for m1, m2 in combinations([ref(m) for m in group], 2):
                pred = refs[m1] is not None and refs[m1] == refs[m2]
                total.actors.add(False, pred)
                if pred:
                    total.failures.append(f"{sid}: false merge {m1!r} = {m2!r}")
        con.close()


SPLIT_ORDER = ("dev", "test", "holdout")


def run(
    folder: str | Path, splits: Iterable[str] | None = None, *, pipeline=None, embedder=None
) -> dict[str, Score]:
    """Score each split (default: every split in the folder); RETURNS split -> Score."""
    from .embed import default_embedder

    if pipeline is None:
        from ..pipeline import Pipeline

        pipeline = Pipeline()
    embedder = embedder or default_embedder()
    scenarios = load_scenarios(folder)
    if splits is None:
        found = {str(sc.get("split")) for sc in scenarios}
        splits = [x for x in SPLIT_ORDER if x in found] + sorted(found - set(SPLIT_ORDER))
    recs = _records(scenarios, pipeline)
    out = {}
    for split in splits:
        total = Score()
        for sc in scenarios:
            if sc.get("split") == split:
                score_scenario(sc, recs[sc["id"]], embedder, total)
        out[split] = total
    return out
