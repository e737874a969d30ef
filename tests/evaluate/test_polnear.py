"""Tests for the PolNeAR reader and scorer, on invented sentences (and real data if present)."""

from __future__ import annotations

import json
import os
import re
import sys
import types
from pathlib import Path

import pytest

from sourcetrace.evaluate import polnear
from sourcetrace.evaluate.polnear import (
    GoldDoc,
    GoldRelation,
    evaluate,
    gold_attributions,
    guess_source_type,
    normalize_span,
    parse_ann,
    read_split,
    score,
)
from sourcetrace.model.errors import BadInputError
from sourcetrace.model.record import Analysis, Attribution, Source
from sourcetrace.model.spans import TextSpan

POLNEAR = Path(
    os.environ.get("POLNEAR_DIR", Path(__file__).resolve().parents[2] / "../shared/data/polnear")
)


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of needle in text."""
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    s = starts[nth]
    return (s, s + len(needle))


def _attr(
    text: str,
    source: list[tuple[int, int]] | None,
    cue: list[tuple[int, int]],
    content: list[tuple[int, int]],
    confidence: float = 0.5,
) -> Attribution:
    # Raw TextSpans (not merged) so the scorer's own normalisation is what is tested.
    def ts(frags: list[tuple[int, int]]) -> TextSpan:
        return TextSpan(" ".join(text[s:e] for s, e in frags), tuple(frags))

    src = Source(ts(source), "person") if source is not None else None
    kind = "indirect" if src else "no_source"
    return Attribution("p", src, ts(cue), ts(content), kind, confidence=confidence)


TEXT = "Mayor Ada Quill said the bridge will reopen in May. Critics doubt it, a memo shows."


def _gold_doc() -> GoldDoc:
    rels = [
        GoldRelation(
            (_at(TEXT, "Mayor Ada Quill"),),
            (_at(TEXT, "said"),),
            (_at(TEXT, "the bridge will reopen in May"),),
        ),
        GoldRelation(None, (_at(TEXT, "shows"),), (_at(TEXT, "Critics doubt it"),)),
    ]
    return GoldDoc("invented", TEXT, rels)


# ------------------------------------------------------------------ normalisation


def test_polnear_normalize_merges_whitespace_gaps_and_strips():
    text = "  alpha beta  , gamma "
    # Two fragments separated by one space merge; outer whitespace is stripped.
    assert normalize_span(text, [(0, 7), (8, 12)]) == ((2, 12),)
    # A punctuation gap keeps two fragments, each stripped of its own whitespace.
    assert normalize_span(text, [(7, 14), (15, 22)]) == ((8, 12), (16, 21))
    # Unsorted and overlapping input, whitespace-only fragment dropped.
    assert normalize_span(text, [(8, 12), (2, 9), (21, 22)]) == ((2, 12),)
    assert normalize_span(text, [(0, 2)]) == ()


# ------------------------------------------------------------------ reading


ANN = "\n".join(
    [
        "T1\tSource 0 15\tMayor Ada Quill",
        "T2\tCue 16 20\tsaid",
        "T3\tContent 21 31;37 50\tthe bridge reopen in May",
        "T4\tAttribution 16 20\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        "T5\tCue 77 82\tshows",
        "T6\tContent 52 56\tCrit",
        "T9\tContent 56 68\tics doubt it",
        "T7\tAttribution-no-source 77 82\tshows",
        "E2\tAttribution-no-source:T7 Content:T6 Cue:T5 Content2:T9 ",
        "T8\tDiscard 0 5\tMayor",
        "T10\tDiscuss 0 5\tMayor",
        "T11\tCue 16 20\ttwo",
        "The second line of a span text that holds a newline",
        "E3\tAttribution:T4 Cue:T11 Source:T99",
    ]
)


def test_polnear_parse_ann_events():
    rels = parse_ann(ANN)
    assert len(rels) == 3
    assert rels[0] == GoldRelation(((0, 15),), ((16, 20),), ((21, 31), (37, 50)), "E1")
    # no-source event; Content2 folded into content
    assert rels[1].source is None
    assert rels[1].content == ((52, 56), (56, 68))
    # missing content kept as (); unknown reference dropped
    assert rels[2] == GoldRelation(None, ((16, 20),), (), "E3")


def test_polnear_read_split_layout(tmp_path: Path):
    base = tmp_path / "dev"
    (base / "text").mkdir(parents=True)
    (base / "attributions").mkdir()
    (base / "text" / "doc1.txt").write_bytes(TEXT.replace(". ", ".\r\n").encode("utf-8"))
    (base / "attributions" / "doc1_bb22.ann").write_text("T1\tCue 0 5\tMayor\n", "utf-8")
    (base / "attributions" / "doc1_aa11.ann").write_text(ANN, "utf-8")
    (base / "text" / "orphan.txt").write_text("no annotation", "utf-8")
    docs = list(read_split(tmp_path, "dev"))
    assert [d.name for d in docs] == ["doc1"]
    assert "\r\n" in docs[0].text  # newlines untranslated
    assert docs[0].annotator == "aa11" and len(docs[0].relations) == 3
    assert next(read_split(tmp_path, "dev", annotator="bb22")).relations == []
    with pytest.raises(BadInputError):
        list(read_split(tmp_path, "train"))


# ------------------------------------------------------------------ scoring


def test_polnear_score_perfect_prediction():
    doc = _gold_doc()
    r = score([(doc, gold_attributions(doc))])
    for role in ("source", "cue", "content"):
        for rule in ("exact", "overlap", "soft"):
            assert getattr(r.roles[role], rule).f1 == 1.0
    assert r.relation.exact.f1 == r.relation.overlap.f1 == 1.0
    assert r.roles["source"].exact.gold == 1  # the no-source relation adds no source span


def test_polnear_score_exact_vs_overlap():
    doc = _gold_doc()
    # Content with the final period and the whitespace after it: exact fails, overlap holds.
    pred = _attr(
        TEXT,
        [_at(TEXT, "Mayor Ada Quill")],
        [_at(TEXT, "said")],
        [(_at(TEXT, "the bridge")[0], _at(TEXT, "May. ")[1])],
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
    doc = _gold_doc()
    s, e = _at(TEXT, "said")
    pred = _attr(TEXT, [(6, 9)], [(s, e - 1)], [_at(TEXT, "bridge")])  # "Ada", "sai"
    r = score([(doc, [pred])])
    assert r.roles["cue"].overlap.matched == 1 and r.roles["cue"].exact.matched == 0
    assert r.roles["source"].overlap.matched == 1
    assert r.relation.overlap.matched == 1 and r.relation.exact.matched == 0


def test_polnear_score_discontinuous_spans():
    text = '"We will win," Lee said, "and soon."'
    gold_content = [_at(text, "We will win,"), _at(text, "and soon.")]
    rel = GoldRelation((_at(text, "Lee"),), (_at(text, "said"),), tuple(gold_content))
    doc = GoldDoc("d", text, [rel])
    # Same two pieces, cut differently at a whitespace boundary: still exact.
    we, win = _at(text, "We will"), _at(text, "win,")
    same = _attr(text, [_at(text, "Lee")], [_at(text, "said")], [win, we, _at(text, "and soon.")])
    # One continuous span over the gap (quote marks, source, cue): overlap only.
    covering = _attr(
        text, [_at(text, "Lee")], [_at(text, "said")], [(we[0], _at(text, "soon.")[1])]
    )
    r1 = score([(doc, [same])])
    assert r1.roles["content"].exact.matched == 1 and r1.relation.exact.matched == 1
    r2 = score([(doc, [covering])])
    assert r2.roles["content"].exact.matched == 0
    assert r2.roles["content"].overlap.matched == 1


def test_polnear_score_one_to_one_matching():
    text = "Ann Bo and Cy Dee and Eve said so."
    gold = [
        GoldRelation((_at(text, "Ann Bo"),), (_at(text, "said"),), (_at(text, "so"),)),
        GoldRelation((_at(text, "Cy Dee"),), (_at(text, "said"),), (_at(text, "so"),)),
    ]
    doc = GoldDoc("d", text, gold)
    # One prediction spanning both gold sources: at most one match.
    wide = _attr(text, [(0, _at(text, "Cy Dee")[1])], [_at(text, "said")], [_at(text, "so")])
    r = score([(doc, [wide])])
    src = r.roles["source"].overlap
    assert (src.matched, src.predicted, src.gold) == (1, 1, 2)
    assert r.relation.overlap.matched == 1
    # Greedy by Jaccard: "Bo and Cy Dee" overlaps gold "Cy Dee" (2/4) more than gold
    # "Ann Bo" (1/5), but the prediction "Cy Dee" matches "Cy Dee" exactly (1.0) and is
    # paired first, so "Bo and Cy Dee" still gets "Ann Bo": two matches, not one.
    p1 = _attr(text, [_at(text, "Bo and Cy Dee")], [_at(text, "said")], [_at(text, "so")])
    p2 = _attr(text, [_at(text, "Cy Dee")], [_at(text, "said")], [_at(text, "so")])
    r = score([(doc, [p1, p2])])
    assert r.roles["source"].overlap.matched == 2
    assert r.roles["source"].exact.matched == 1
    assert r.roles["cue"].exact.matched == 2  # duplicate gold cues matched as a multiset
    assert r.relation.exact.matched == 1 and r.relation.overlap.matched == 2


def test_polnear_score_no_source_relations():
    doc = _gold_doc()
    cue, content = [_at(TEXT, "shows")], [_at(TEXT, "Critics doubt it")]
    no_src = _attr(TEXT, None, cue, content)
    r = score([(doc, [no_src])])
    assert r.relation.exact.matched == 1
    assert r.roles["source"].exact.predicted == 0
    # Predicting a source where gold has none breaks the relation match.
    with_src = _attr(TEXT, [_at(TEXT, "a memo")], cue, content)
    r = score([(doc, [with_src])])
    assert r.relation.exact.matched == r.relation.overlap.matched == 0
    assert r.roles["cue"].exact.matched == 1


def test_polnear_reliability_buckets():
    doc = _gold_doc()

    def pred(src: str | None, cue: str, content: tuple[int, int], conf: float) -> Attribution:
        return _attr(TEXT, [_at(TEXT, src)] if src else None, [_at(TEXT, cue)], [content], conf)

    preds = [
        pred("Mayor Ada Quill", "said", _at(TEXT, "the bridge will reopen in May"), 0.95),
        pred("a memo", "doubt", _at(TEXT, "it"), 1.0),  # wrong
        pred(None, "shows", _at(TEXT, "Critics "), 0.2),  # overlap only
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


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("he", "person"),
        ("Sen. Ada Quill", "person"),
        ("Quill", "person"),
        ("a source", "anonymous"),
        ("officials who asked not to be named", "anonymous"),
        ("reports", "vague"),
        ("critics", "vague"),
        ("many", "vague"),
        ("the poll", "document"),
        ("the study", "document"),
        ("The New York Times", "news_outlet"),
        ("Reuters", "news_outlet"),
        ("the White House", "government"),
        ("the State Department", "government"),
        ("the Bridge Preservation Committee", "organization"),
        ("the Quill campaign", "organization"),
    ],
)
def test_polnear_guess_source_type(mention: str, expected: str):
    assert guess_source_type(mention) == expected


def test_polnear_source_type_recall():
    doc = _gold_doc()
    r = score([(doc, [])])
    assert [(t.type, t.gold, t.exact) for t in r.source_types] == [("person", 1, 0)]
    r = score([(doc, gold_attributions(doc))])
    assert r.source_types[0].overlap_recall == 1.0


# ------------------------------------------------------------------ evaluate / main


class _FakePipeline:
    """Returns the gold attributions; skips texts with 'skip', fails on texts with 'fail'."""

    def __init__(self, docs: dict[str, GoldDoc], **_: object) -> None:
        self.docs = docs

    def analyze_many(self, articles):
        for art in articles:
            if "skip" in art.text:
                continue
            if "fail" in art.text:
                yield BadInputError(art.path, "analysis failed: boom")
                continue
            yield Analysis(article=art, attributions=tuple(gold_attributions(self.docs[art.text])))


def test_polnear_evaluate_pairs_analyses_and_handles_failures():
    doc = _gold_doc()
    rel = GoldRelation(((9, 11),), ((12, 16),), ((0, 7),))
    skipped = GoldDoc("s", "skip me, he said.", [rel], path="s.txt")
    failing = GoldDoc("f", "fail me, he said.", [rel], path="f.txt")
    docs = [skipped, doc, failing, doc, skipped]
    r = evaluate(_FakePipeline({doc.text: doc}), docs)
    assert r.documents == 5 and r.failed == 3
    assert r.relation.exact.matched == 4 and r.relation.exact.gold == 7
    assert r.relation.exact.precision == 1.0


def test_polnear_main_missing_layout(tmp_path: Path):
    from rich.console import Console

    console = Console(record=True, width=200)
    assert polnear.main(str(tmp_path), "dev", console=console) == 2
    assert "not a PolNeAR split" in console.export_text()


def test_polnear_main_prints_tables_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from rich.console import Console

    doc = _gold_doc()
    (tmp_path / "dev" / "text").mkdir(parents=True)
    (tmp_path / "dev" / "attributions").mkdir()
    (tmp_path / "dev" / "text" / "a.txt").write_text(TEXT, "utf-8")
    (tmp_path / "dev" / "attributions" / "a_0f0f.ann").write_text(ANN, "utf-8")
    docs = {TEXT: doc}
    # A stand-in module: main() must not need the real (spaCy) pipeline here.
    fake = types.ModuleType("sourcetrace.pipeline")
    fake.Pipeline = lambda **kw: _FakePipeline(docs, **kw)
    monkeypatch.setitem(sys.modules, "sourcetrace.pipeline", fake)
    console = Console(record=True, width=200)
    out = tmp_path / "r.json"
    assert polnear.main(str(tmp_path), "dev", console=console, json_out=str(out)) == 0
    shown = console.export_text()
    assert "span roles" in shown and "Reliability" in shown and "person" in shown
    data = json.loads(out.read_text("utf-8"))
    assert data["documents"] == 1 and set(data["roles"]) == {"source", "cue", "content"}


# ------------------------------------------------------------------ real PolNeAR


@pytest.mark.polnear
def test_polnear_dev_gold_against_itself():
    if not (POLNEAR / "dev" / "text").is_dir():
        pytest.skip(f"PolNeAR not found at {POLNEAR}")
    docs = list(read_split(POLNEAR, "dev"))
    assert docs
    doc = docs[0]
    assert doc.relations
    # The reader agrees with the .ann texts (single-line spans only).
    ann = Path(doc.path).parents[1] / "attributions" / f"{doc.name}_{doc.annotator}.ann"
    checked = 0
    for line in ann.read_text("utf-8").split("\n"):
        m = re.match(r"^T\d+\t\S+ ([\d ;]+)\t(.*)$", line)
        if m:
            frags = [tuple(map(int, p.split())) for p in m[1].split(";")]
            if " ".join(doc.text[s:e] for s, e in frags) == m[2]:
                checked += 1
    assert checked > len(doc.relations)
    r = score((d, gold_attributions(d)) for d in docs[:10])
    for role in ("source", "cue", "content"):
        for rule in ("exact", "overlap", "soft"):
            assert getattr(r.roles[role], rule).f1 == 1.0, (role, rule)
    assert r.relation.exact.f1 == 1.0 and r.relation.overlap.f1 == 1.0


def test_polnear_nested_prediction_is_not_scored():
    doc = _gold_doc()
    outer = _attr(
        TEXT, [_at(TEXT, "Mayor Ada Quill")], [_at(TEXT, "said")],
        [_at(TEXT, "the bridge will reopen in May")], 0.9,
    )
    nested = _attr(TEXT, None, [_at(TEXT, "reopen")], [_at(TEXT, "in May")], 0.9)
    r = score([(doc, [outer, nested])])
    assert r.roles["cue"].exact.predicted == 1
    assert r.roles["cue"].exact.matched == 1
