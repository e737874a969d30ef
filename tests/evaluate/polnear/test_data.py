"""Tests for the PolNeAR reader (brat standoff) and span normalisation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sourcetrace.evaluate.polnear.data import GoldRelation, normalize_span, parse_ann, read_split
from sourcetrace.evaluate.polnear.scoring import gold_attributions, score
from sourcetrace.model.errors import BadInputError

from .conftest import ANN, POLNEAR, TEXT

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

