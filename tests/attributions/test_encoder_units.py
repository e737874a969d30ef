"""Windowing, labelling and decoding of the attribution encoder (no model needed)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sourcetrace.attributions.encoder import LABELS, bio_labels, decode, windows


@pytest.mark.parametrize("n", [0, 1, 5, 254, 255, 256, 300, 1000, 1234])
def test_every_piece_is_trusted_in_exactly_one_window(n):
    ids = list(range(100, 100 + n))
    offsets = [(2 * i, 2 * i + 1) for i in range(n)]
    ws = windows(ids, offsets, 1, 2, size=256, step=128) if n else []
    seen = []
    for w in ws:
        assert len(w.ids) <= 256
        assert w.ids[0] == 1 and w.ids[-1] == 2
        assert len(w.ids) == len(w.offsets)
        seen.extend(w.ids[w.first : w.last])
    assert seen == ids


def test_trusted_pieces_keep_context_on_both_sides():
    n = 2000
    ws = windows(list(range(n)), [(i, i + 1) for i in range(n)], -1, -2, size=256, step=128)
    for k, w in enumerate(ws):
        if k > 0:
            assert w.first - 1 >= (254 - 128) // 2
        if k < len(ws) - 1:
            assert len(w.ids) - 1 - w.last >= (254 - 128) // 2 - 1


def test_bio_labels_mark_pieces_inside_spans_and_cue_wins():
    # "Ann said it rained": pieces per word
    offsets = [(0, 3), (4, 8), (9, 11), (12, 18)]
    spans = [(4, 8, "CUE"), (0, 3, "SOURCE"), (4, 18, "CONTENT")]
    labels = [LABELS[i] for i in bio_labels(offsets, spans)]
    assert labels == ["B-SOURCE", "B-CUE", "I-CONTENT", "I-CONTENT"]


def test_bio_labels_ignore_spans_that_cut_a_piece():
    offsets = [(0, 5), (6, 10)]
    labels = bio_labels(offsets, [(2, 10, "CONTENT")])
    assert [LABELS[i] for i in labels] == ["O", "B-CONTENT"]


def _lp(rows):
    out = np.full((len(rows), len(LABELS)), math.log(1e-4))
    for t, lab in enumerate(rows):
        out[t, LABELS.index(lab)] = 0.0
    return out


def test_decode_joins_runs_and_splits_at_b():
    offsets = [(0, 3), (4, 8), (9, 11), (12, 18), (19, 21)]
    rows = ["B-SOURCE", "B-CUE", "B-CONTENT", "I-CONTENT", "O"]
    assert decode(_lp(rows), offsets) == [(0, 3, "SOURCE"), (4, 8, "CUE"), (9, 18, "CONTENT")]


def test_decode_never_starts_with_i_or_mixes_roles():
    offsets = [(0, 1), (2, 3), (4, 5)]
    lp = _lp(["O", "I-CUE", "I-CUE"])
    lp[1, LABELS.index("B-CUE")] = math.log(0.4)
    spans = decode(lp, offsets)
    assert spans == [(2, 5, "CUE")]
    lp = _lp(["B-SOURCE", "I-CONTENT", "O"])
    lp[1, LABELS.index("I-SOURCE")] = math.log(0.3)
    assert decode(lp, offsets)[0][2] == "SOURCE"


def test_decode_empty():
    assert decode(np.zeros((0, len(LABELS))), []) == []
