"""Score predicted attributions against gold relations, and the score classes.

Spans are compared by the rules of ``matching`` (exact, overlap, soft; one-to-one
within a document). Precision is matches / predicted, recall matches / gold, summed over
the split (micro average).

* **Span roles** (source, cue, content): per document, the multiset of gold spans of the
  role against the predicted spans of the role. Relations without a source add no
  source span.
* **Whole relation**: a predicted relation matches a gold one when cue, content and
  source all match under the same rule (a role absent on both sides, typically the
  source, matches; absent on one side only, it does not). Overlap pairs are chosen
  greedily by the mean Jaccard of the three roles (an absent-on-both role counts 1).
  Predicted spans are ``source.mention``, ``cue`` and ``content`` of each Attribution;
  ``relayed_by`` is not scored. Nested predictions are dropped first
  (``matching.project_univocal``).
* **Source recall per type**: PolNeAR has no source types; each gold source gets one
  derived by ``guess_source_type`` (a keyword heuristic), and recall of the source role
  is reported per derived type.
* **Reliability**: predicted relations are bucketed by ``confidence`` into fifths
  (0-0.2, ..., 0.8-1.0; a bucket includes its lower bound, the last also 1.0); each
  bucket reports its count and its whole-relation precision (exact and overlap).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ...model.article import Article, article_id
from ...model.record import Attribution
from ...model.spans import Offsets
from ...model.types import SOURCE_TYPES
from .data import Frags, GoldDoc, normalize_span
from .gold_types import guess_source_type
from .matching import Span, Tokens, jaccard, match_exact, match_greedy, project_univocal

__all__ = [
    "BUCKET_EDGES",
    "ROLES",
    "Bucket",
    "Report",
    "RoleScore",
    "Score",
    "Scorer",
    "TypeRecall",
    "gold_attributions",
    "score",
    "score_pipeline",
]

logger = logging.getLogger(__name__)

ROLES = ("source", "cue", "content")
# Reliability buckets: fifths of [0, 1].
BUCKET_EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


@dataclass(frozen=True, slots=True)
class Score:
    """Counts behind one P/R/F1 line (for soft scores the counts are tokens)."""

    matched: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "matched": self.matched,
            "predicted": self.predicted,
            "gold": self.gold,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class RoleScore:
    """Scores of one role (or of whole relations) under each comparison rule."""

    exact: Score
    overlap: Score
    soft: Score | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"exact": self.exact.to_dict(), "overlap": self.overlap.to_dict()}
        if self.soft is not None:
            d["soft"] = self.soft.to_dict()
        return d


@dataclass(frozen=True, slots=True)
class TypeRecall:
    """Source recall for gold sources of one heuristically derived type."""

    type: str
    gold: int
    exact: int
    overlap: int

    @property
    def exact_recall(self) -> float:
        return self.exact / self.gold if self.gold else 0.0

    @property
    def overlap_recall(self) -> float:
        return self.overlap / self.gold if self.gold else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "gold": self.gold,
            "exact": self.exact,
            "overlap": self.overlap,
            "exact_recall": round(self.exact_recall, 4),
            "overlap_recall": round(self.overlap_recall, 4),
        }


@dataclass(frozen=True, slots=True)
class Bucket:
    """Predicted relations with low <= confidence < high (the last bucket includes 1.0)."""

    low: float
    high: float
    count: int
    exact: int
    overlap: int

    @property
    def exact_precision(self) -> float:
        return self.exact / self.count if self.count else 0.0

    @property
    def overlap_precision(self) -> float:
        return self.overlap / self.count if self.count else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "count": self.count,
            "exact": self.exact,
            "overlap": self.overlap,
            "exact_precision": round(self.exact_precision, 4),
            "overlap_precision": round(self.overlap_precision, 4),
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Everything ``score_pipeline`` measures on one split."""

    documents: int
    gold_relations: int
    predicted_relations: int
    roles: Mapping[str, RoleScore]
    relation: RoleScore
    source_types: tuple[TypeRecall, ...]
    reliability: tuple[Bucket, ...]
    seconds: float = 0.0
    failed: int = 0  # documents the pipeline failed on or skipped (scored as empty)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "failed": self.failed,
            "gold_relations": self.gold_relations,
            "predicted_relations": self.predicted_relations,
            "roles": {r: s.to_dict() for r, s in self.roles.items()},
            "relation": self.relation.to_dict(),
            "source_types": [t.to_dict() for t in self.source_types],
            "reliability": [b.to_dict() for b in self.reliability],
            "seconds": round(self.seconds, 3),
        }


def _counter() -> dict[str, int]:
    return {"matched": 0, "predicted": 0, "gold": 0}


class Scorer:
    """Accumulates scores document by document; ``report()`` totals them."""

    def __init__(self) -> None:
        self.documents = 0
        self._gold_relations = 0
        self._predicted_relations = 0
        self._counts: dict[tuple[str, str], dict[str, int]] = defaultdict(_counter)
        # type -> [gold, exact hits, overlap hits]
        self._types: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        # bucket -> [predicted, exact hits, overlap hits]
        self._buckets = [[0, 0, 0] for _ in range(len(BUCKET_EDGES) - 1)]

    def add(self, doc: GoldDoc, predicted: Iterable[Attribution]) -> None:
        """Score one document's predicted attributions against its gold relations."""
        predicted = project_univocal(list(predicted))
        text = doc.text
        toks = Tokens(text)

        def span(frags: Iterable[Offsets] | None) -> Span | None:
            if frags is None:
                return None
            norm = normalize_span(text, frags)
            return Span(norm, toks.of(norm)) if norm else None

        gold = [(span(r.source), span(r.cue), span(r.content)) for r in doc.relations]
        preds = list(predicted)
        pred = [
            (
                span(a.source.mention.spans if a.source else None),
                span(a.cue.spans),
                span(a.content.spans),
            )
            for a in preds
        ]
        self.documents += 1
        self._gold_relations += len(gold)
        self._predicted_relations += len(pred)

        for k, role in enumerate(ROLES):
            g = [rel[k] for rel in gold if rel[k] is not None]
            p = [rel[k] for rel in pred if rel[k] is not None]
            exact = match_exact([s.frags for s in g], [s.frags for s in p])
            over = match_greedy(
                len(g), len(p), lambda i, j, g=g, p=p: jaccard(g[i].tokens, p[j].tokens)
            )
            self._add((role, "exact"), len(exact), len(p), len(g))
            self._add((role, "overlap"), len(over), len(p), len(g))
            self._add(
                (role, "soft"),
                sum(len(g[i].tokens & p[j].tokens) for i, j in over),
                sum(len(s.tokens) for s in p),
                sum(len(s.tokens) for s in g),
            )
            if role == "source":
                hit_exact = {i for i, _ in exact}
                hit_over = {i for i, _ in over}
                for i, s in enumerate(g):
                    t = self._types[guess_source_type(" ".join(text[a:b] for a, b in s.frags))]
                    t[0] += 1
                    t[1] += i in hit_exact
                    t[2] += i in hit_over

        def key(rel: tuple[Span | None, ...]) -> tuple[Frags | None, ...]:
            return tuple(s.frags if s else None for s in rel)

        def rel_score(i: int, j: int) -> float:
            total = 0.0
            for gs, ps in zip(gold[i], pred[j], strict=True):
                if gs is None and ps is None:
                    total += 1.0
                elif gs is None or ps is None:
                    return 0.0
                else:
                    jac = jaccard(gs.tokens, ps.tokens)
                    if not jac:
                        return 0.0
                    total += jac
            return total / 3

        exact = match_exact([key(r) for r in gold], [key(r) for r in pred])
        over = match_greedy(len(gold), len(pred), rel_score)
        self._add(("relation", "exact"), len(exact), len(pred), len(gold))
        self._add(("relation", "overlap"), len(over), len(pred), len(gold))
        hit_exact = {j for _, j in exact}
        hit_over = {j for _, j in over}
        for j, a in enumerate(preds):
            b = self._buckets[_bucket(a.confidence)]
            b[0] += 1
            b[1] += j in hit_exact
            b[2] += j in hit_over

    def _add(self, key: tuple[str, str], matched: int, predicted: int, gold: int) -> None:
        c = self._counts[key]
        c["matched"] += matched
        c["predicted"] += predicted
        c["gold"] += gold

    def _score(self, role: str, rule: str) -> Score:
        return Score(**self._counts[(role, rule)])

    def report(self, seconds: float = 0.0, *, failed: int = 0) -> Report:
        roles = {
            r: RoleScore(self._score(r, "exact"), self._score(r, "overlap"), self._score(r, "soft"))
            for r in ROLES
        }
        relation = RoleScore(self._score("relation", "exact"), self._score("relation", "overlap"))
        types = tuple(TypeRecall(t, *self._types[t]) for t in SOURCE_TYPES if self._types.get(t))
        buckets = tuple(
            Bucket(BUCKET_EDGES[i], BUCKET_EDGES[i + 1], *b) for i, b in enumerate(self._buckets)
        )
        return Report(
            self.documents,
            self._gold_relations,
            self._predicted_relations,
            roles,
            relation,
            types,
            buckets,
            seconds,
            failed,
        )


def _bucket(confidence: float) -> int:
    c = min(max(float(confidence), 0.0), 1.0)
    n = len(BUCKET_EDGES) - 1
    return min(int(c * n + 1e-9), n - 1)


def score(pairs: Iterable[tuple[GoldDoc, Iterable[Attribution]]]) -> Report:
    """Score (gold document, predicted attributions) pairs; no pipeline involved."""
    scorer = Scorer()
    for doc, predicted in pairs:
        scorer.add(doc, predicted)
    return scorer.report()


def gold_attributions(doc: GoldDoc) -> list[Attribution]:
    """The gold relations of a document as Attribution objects (confidence 1.0).

    Scoring a document against these must give 1.0 everywhere; useful as a sanity
    check and as an upper-bound "oracle" pipeline.
    """
    from ...model.record import Source
    from ...model.spans import TextSpan

    out = []
    for k, rel in enumerate(doc.relations):
        src = None
        if rel.source is not None:
            mention = TextSpan.from_offsets(doc.text, rel.source)
            src = Source(mention, guess_source_type(mention.text))
        out.append(
            Attribution(
                id=rel.id or f"g{k}",
                source=src,
                cue=TextSpan.from_offsets(doc.text, rel.cue),
                content=TextSpan.from_offsets(doc.text, rel.content),
                kind="indirect" if src else "no_source",
                confidence=1.0,
            )
        )
    return out


def _article(doc: GoldDoc) -> Article:
    return Article(id=article_id(doc.text, doc.path), path=doc.path, text=doc.text)


def score_pipeline(pipeline: Any, docs: Iterable[GoldDoc]) -> Report:
    """Run ``pipeline.analyze_many`` over the gold texts and score what it finds.

    pipeline: anything with ``analyze_many(Iterable[Article])`` yielding, in input order,
        an Analysis per article, or an error with a ``path`` (BadInputError) for an
        article it failed on. An article that fails or is skipped scores as having no
        predictions and is counted in ``Report.failed``.
    docs (Iterable[GoldDoc]): consumed lazily, once.
    RETURNS (Report): nothing is printed.
    """
    start = time.perf_counter()
    scorer = Scorer()
    pending: deque[tuple[GoldDoc, Article]] = deque()
    failed = 0

    def articles() -> Iterator[Article]:
        for doc in docs:
            art = _article(doc)
            pending.append((doc, art))
            yield art

    def drop_until(found: Callable[[Article], bool], what: str) -> GoldDoc:
        nonlocal failed
        while pending and not found(pending[0][1]):
            doc, _ = pending.popleft()
            logger.warning("%s: no analysis returned, scored as empty", doc.path)
            scorer.add(doc, ())
            failed += 1
        if not pending:
            raise RuntimeError(f"pipeline returned a result for an unknown article: {what}")
        return pending.popleft()[0]

    for item in pipeline.analyze_many(articles()):
        article = getattr(item, "article", None)
        if article is not None:  # an Analysis
            doc = drop_until(lambda a, i=article.id: a.id == i, article.id)
            scorer.add(doc, item.attributions)
        else:
            path = str(getattr(item, "path", ""))
            doc = drop_until(lambda a, p=path: a.path == p, f"{path} ({item})")
            logger.warning("%s: analysis failed (%s), scored as empty", doc.path, item)
            scorer.add(doc, ())
            failed += 1
    for doc, _ in pending:
        logger.warning("%s: no analysis returned, scored as empty", doc.path)
        scorer.add(doc, ())
        failed += 1
    return scorer.report(time.perf_counter() - start, failed=failed)
