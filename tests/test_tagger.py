"""The trained attribution span tagger (CUE / SOURCE), on invented sentences."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sourcetrace.attributions.tagger import LABELS, default_model_path, load_tagger, tag_spans

SENTENCES = [
    "The mayor told reporters that the bridge was safe.",
    '"We will not back down," the union leader said on Tuesday.',
    "According to the health ministry, 40 people were hurt in the blast.",
    "Senator Jane Doe has long argued that the tax is unfair.",
    "The weather was warm and the streets were quiet.",
    "  Leading spaces,\n\ta tab, and “curly quotes”, the\u00a0spokeswoman said.  ",
    "",
]


@pytest.fixture(scope="module")
def tagger():
    model = load_tagger()
    if model is None:
        pytest.skip("the attribution tagger model is not shipped in this checkout")
    return model


def _texts(text: str, spans):
    return [(text[s:e], label) for s, e, label in spans]


def test_missing_model_returns_none(tmp_path: Path, caplog):
    with caplog.at_level(logging.WARNING):
        assert load_tagger(tmp_path / "nowhere") is None
    assert "not found" in caplog.text


def test_shipped_model_location():
    path = default_model_path()
    if path is None:
        pytest.skip("the attribution tagger model is not shipped in this checkout")
    assert (path / "config.cfg").is_file()
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    assert size < 40_000_000


def test_labels(tagger):
    assert set(tagger.get_pipe("ner").labels) == set(LABELS)


def test_told_reporters(tagger):
    text = SENTENCES[0]
    [spans] = tag_spans(tagger, [text])
    found = _texts(text, spans)
    assert ("The mayor", "SOURCE") in found
    cues = [t for t, label in found if label == "CUE"]
    assert any("told" in t for t in cues), found


def test_quote_with_said(tagger):
    text = SENTENCES[1]
    [spans] = tag_spans(tagger, [text])
    found = _texts(text, spans)
    assert ("said", "CUE") in found, found
    assert any(label == "SOURCE" and "union leader" in t for t, label in found), found


def test_no_attribution(tagger):
    [spans] = tag_spans(tagger, [SENTENCES[4]])
    assert not [s for s in spans if s[2] == "CUE"]


def test_offsets_index_input_exactly(tagger):
    results = tag_spans(tagger, SENTENCES)
    assert len(results) == len(SENTENCES)
    for text, spans in zip(SENTENCES, results, strict=True):
        last = 0
        for start, end, label in spans:
            assert label in LABELS
            assert last <= start < end <= len(text)
            assert text[start:end] == text[start:end].strip()  # no whitespace at the edges
            last = end
    assert results[-1] == []


def test_batching_matches_single_calls(tagger):
    batched = tag_spans(tagger, SENTENCES, batch_size=3)
    single = [tag_spans(tagger, [t])[0] for t in SENTENCES]
    assert batched == single
    assert tag_spans(tagger, SENTENCES, batch_size=100) == single


def test_docs_and_single_string(tagger):
    import spacy

    blank = spacy.blank("en")
    text = SENTENCES[0]
    doc = blank(text)
    doc_ents_before = list(doc.ents)
    assert tag_spans(tagger, [doc]) == tag_spans(tagger, [text])
    assert tag_spans(tagger, text) == tag_spans(tagger, [text])
    assert list(doc.ents) == doc_ents_before  # the Doc passed in is not modified
