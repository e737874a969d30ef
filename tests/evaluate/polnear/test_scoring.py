"""Tests for scoring a split: role and relation scores, source types, reliability."""

from __future__ import annotations

import pytest

from sourcetrace.evaluate.polnear.data import GoldDoc, GoldRelation
from sourcetrace.evaluate.polnear.scoring import gold_attributions, score, score_pipeline
from sourcetrace.model.record import Attribution

from .conftest import TEXT, FakePipeline, at, attr, gold_doc

# ------------------------------------------------------------------ scoring


def test_polnear_score_perfect_prediction():
    doc = gold_doc()
    r = score([(doc, gold_attributions(doc))])
    for role in ("source", "cue", "content"):
        for rule in ("exact", "overlap", "soft"):
            assert getattr(r.roles[role], rule).f1 == 1.0
    assert r.relation.exact.f1 == r.relation.overlap.f1 == 1.0
    assert r.roles["source"].exact.gold == 1  # the no-source relation adds no source span



def test_polnear_score_no_source_relations():
    doc = gold_doc()
    cue, content = [at(TEXT, "shows")], [at(TEXT, "Critics doubt it")]
    no_src = attr(TEXT, None, cue, content)
    r = score([(doc, [no_src])])
    assert r.relation.exact.matched == 1
    assert r.roles["source"].exact.predicted == 0
    # Predicting a source where gold has none breaks the relation match.
    with_src = attr(TEXT, [at(TEXT, "a memo")], cue, content)
    r = score([(doc, [with_src])])
    assert r.relation.exact.matched == r.relation.overlap.matched == 0
    assert r.roles["cue"].exact.matched == 1


def test_polnear_reliability_buckets():
    doc = gold_doc()

    def pred(src: str | None, cue: str, content: tuple[int, int], conf: float) -> Attribution:
        return attr(TEXT, [at(TEXT, src)] if src else None, [at(TEXT, cue)], [content], conf)

    preds = [
        pred("Mayor Ada Quill", "said", at(TEXT, "the bridge will reopen in May"), 0.95),
        pred("a memo", "doubt", at(TEXT, "it"), 1.0),  # wrong
        pred(None, "shows", at(TEXT, "Critics "), 0.2),  # overlap only
        pred(None, "Ada", (0, 3), 0.0),  # wrong
        pred(None, "Quill", (0, 3), 1.7),  # wrong, confidence clamped into the top bucket
    ]
    r = score([(doc, preds)])
    counts = [(b.low, b.count, b.exact, b.overlap) for b in r.reliability]
    assert counts == [
        (0.0, 1, 0, 0),
        (0.2, 1, 0, 1),
        (0.4, 0, 0, 0),
        (0.6, 0, 0, 0),
        (0.8, 3, 1, 1),
    ]
    assert r.reliability[4].exact_precision == pytest.approx(1 / 3)
    assert r.reliability[1].overlap_precision == 1.0



def test_polnear_source_type_recall():
    doc = gold_doc()
    r = score([(doc, [])])
    assert [(t.type, t.gold, t.exact) for t in r.source_types] == [("person", 1, 0)]
    r = score([(doc, gold_attributions(doc))])
    assert r.source_types[0].overlap_recall == 1.0




def test_polnear_evaluate_pairs_analyses_and_handles_failures():
    doc = gold_doc()
    rel = GoldRelation(((9, 11),), ((12, 16),), ((0, 7),))
    skipped = GoldDoc("s", "skip me, he said.", [rel], path="s.txt")
    failing = GoldDoc("f", "fail me, he said.", [rel], path="f.txt")
    docs = [skipped, doc, failing, doc, skipped]
    r = score_pipeline(FakePipeline({doc.text: doc}), docs)
    assert r.documents == 5 and r.failed == 3
    assert r.relation.exact.matched == 4 and r.relation.exact.gold == 7
    assert r.relation.exact.precision == 1.0

