"""Tests for the span matching rules (exact, overlap, soft, one-to-one, univocal)."""

from __future__ import annotations

from sourcetrace.evaluate.polnear.data import GoldDoc, GoldRelation
from sourcetrace.evaluate.polnear.scoring import score

from .conftest import TEXT, at, attr, gold_doc


def test_polnear_score_exact_vs_overlap():
    doc = gold_doc()
    # Content with the final period and the whitespace after it: exact fails, overlap holds.
    pred = attr(
        TEXT,
        [at(TEXT, "Mayor Ada Quill")],
        [at(TEXT, "said")],
        [(at(TEXT, "the bridge")[0], at(TEXT, "May. ")[1])],
    )
    r = score([(doc, [pred])])
    content = r.roles["content"]
    assert (content.exact.matched, content.overlap.matched) == (0, 1)
    assert content.exact.predicted == 1 and content.exact.gold == 2
    # soft: 6 shared tokens; predicted has 7 (with "."), gold 6 + 3 ("Critics doubt it")
    assert (content.soft.matched, content.soft.predicted, content.soft.gold) == (6, 7, 9)
    assert (r.relation.exact.matched, r.relation.overlap.matched) == (0, 1)
    assert r.roles["source"].exact.f1 == 1.0


def test_polnear_score_partial_token_counts_as_overlap():
    doc = gold_doc()
    s, e = at(TEXT, "said")
    pred = attr(TEXT, [(6, 9)], [(s, e - 1)], [at(TEXT, "bridge")])  # "Ada", "sai"
    r = score([(doc, [pred])])
    assert r.roles["cue"].overlap.matched == 1 and r.roles["cue"].exact.matched == 0
    assert r.roles["source"].overlap.matched == 1
    assert r.relation.overlap.matched == 1 and r.relation.exact.matched == 0


def test_polnear_score_discontinuous_spans():
    text = '"We will win," Lee said, "and soon."'
    gold_content = [at(text, "We will win,"), at(text, "and soon.")]
    rel = GoldRelation((at(text, "Lee"),), (at(text, "said"),), tuple(gold_content))
    doc = GoldDoc("d", text, [rel])
    # Same two pieces, cut differently at a whitespace boundary: still exact.
    we, win = at(text, "We will"), at(text, "win,")
    same = attr(text, [at(text, "Lee")], [at(text, "said")], [win, we, at(text, "and soon.")])
    # One continuous span over the gap (quote marks, source, cue): overlap only.
    covering = attr(
        text, [at(text, "Lee")], [at(text, "said")], [(we[0], at(text, "soon.")[1])]
    )
    r1 = score([(doc, [same])])
    assert r1.roles["content"].exact.matched == 1 and r1.relation.exact.matched == 1
    r2 = score([(doc, [covering])])
    assert r2.roles["content"].exact.matched == 0
    assert r2.roles["content"].overlap.matched == 1


def test_polnear_score_one_to_one_matching():
    text = "Ann Bo and Cy Dee and Eve said so."
    gold = [
        GoldRelation((at(text, "Ann Bo"),), (at(text, "said"),), (at(text, "so"),)),
        GoldRelation((at(text, "Cy Dee"),), (at(text, "said"),), (at(text, "so"),)),
    ]
    doc = GoldDoc("d", text, gold)
    # One prediction spanning both gold sources: at most one match.
    wide = attr(text, [(0, at(text, "Cy Dee")[1])], [at(text, "said")], [at(text, "so")])
    r = score([(doc, [wide])])
    src = r.roles["source"].overlap
    assert (src.matched, src.predicted, src.gold) == (1, 1, 2)
    assert r.relation.overlap.matched == 1
    # Greedy by Jaccard: "Bo and Cy Dee" overlaps gold "Cy Dee" (2/4) more than gold
    # "Ann Bo" (1/5), but the prediction "Cy Dee" matches "Cy Dee" exactly (1.0) and is
    # paired first, so "Bo and Cy Dee" still gets "Ann Bo": two matches, not one.
    p1 = attr(text, [at(text, "Bo and Cy Dee")], [at(text, "said")], [at(text, "so")])
    p2 = attr(text, [at(text, "Cy Dee")], [at(text, "said")], [at(text, "so")])
    r = score([(doc, [p1, p2])])
    assert r.roles["source"].overlap.matched == 2
    assert r.roles["source"].exact.matched == 1
    assert r.roles["cue"].exact.matched == 2  # duplicate gold cues matched as a multiset
    assert r.relation.exact.matched == 1 and r.relation.overlap.matched == 2



def test_polnear_nested_prediction_is_not_scored():
    doc = gold_doc()
    outer = attr(
        TEXT, [at(TEXT, "Mayor Ada Quill")], [at(TEXT, "said")],
        [at(TEXT, "the bridge will reopen in May")], 0.9,
    )
    nested = attr(TEXT, None, [at(TEXT, "reopen")], [at(TEXT, "in May")], 0.9)
    r = score([(doc, [outer, nested])])
    assert r.roles["cue"].exact.predicted == 1
    assert r.roles["cue"].exact.matched == 1
