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


def test_reuses_parse_of_english_pipeline_docs(tagger, nlp):
    docs = list(nlp.pipe(SENTENCES))
    ents_before = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]
    from_texts = tag_spans(tagger, SENTENCES)
    assert tag_spans(tagger, docs) == from_texts
    assert tag_spans(tagger, docs, reuse_parse=False) == from_texts
    mixed = [d if i % 2 else d.text for i, d in enumerate(docs)]
    assert tag_spans(tagger, mixed, batch_size=2) == from_texts
    assert [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs] == ents_before


# ----------------------------------------------------------------------- training code

ANN = (
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"  # refers to T ids defined below
    "T1\tSource 0 9\tThe mayor\n"
    "T2\tCue 10 14;25 29\ttold that\n"
    "T3\tContent 30 50\tthe bridge was safe.\n"
    "continued annotation text after a newline\n"
    "T4\tAttribution 10 14\ttold\n"
    "A1\tSomething T4\n"
)


def test_parse_ann():
    from sourcetrace.train import parse_ann

    assert parse_ann(ANN) == [(0, 9, "SOURCE"), (10, 14, "CUE"), (25, 29, "CUE")]


def _write_corpus(root: Path) -> None:
    texts = {
        "a": "The mayor told reporters that the bridge was safe.",
        "b": "Officials in Quuxville said on Monday that the road would reopen.",
        "c": "The coach insisted that the team was ready.",
    }
    anns = {
        "a": "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\ttold\n",
        "b": "T1\tSource 0 22\tOfficials in Quuxville\nT2\tCue 23 27\tsaid\n",
        "c": "T1\tSource 0 9\tThe coach\nT2\tCue 10 18\tinsisted\n",
    }
    for split in ("train", "dev"):
        (root / split / "text").mkdir(parents=True)
        (root / split / "attributions").mkdir(parents=True)
        for name, text in texts.items():
            (root / split / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
            for who in ("beef", "abcd"):  # two annotators: the first sorted one is used
                body = anns[name] if who == "abcd" else ""
                path = root / split / "attributions" / f"{name}_{who}.ann"
                path.write_text(body, encoding="utf-8")


def test_read_split_and_docbin(tmp_path: Path):
    from sourcetrace.train import load_tokenizer_nlp, read_split, to_docbin

    _write_corpus(tmp_path)
    items = read_split(tmp_path, "train")
    assert [it.name for it in items] == ["a", "b", "c"]
    assert items[0].spans == [(0, 9, "SOURCE"), (10, 14, "CUE")]
    nlp = load_tokenizer_nlp()
    db, stats = to_docbin(nlp, items)
    docs = list(db.get_docs(nlp.vocab))
    assert [(e.text, e.label_) for e in docs[2].ents] == [
        ("The coach", "SOURCE"),
        ("insisted", "CUE"),
    ]
    assert stats["docs"] == 3


def test_main_missing_data(tmp_path: Path):
    from sourcetrace.train import main

    assert main(str(tmp_path / "nowhere"), str(tmp_path / "out"), epochs=1) != 0


def test_train_end_to_end_on_a_toy_corpus(tmp_path: Path):
    from sourcetrace.train import main

    _write_corpus(tmp_path / "data")
    out = tmp_path / "model"
    assert main(str(tmp_path / "data"), str(out), epochs=1) == 0
    model = load_tagger(out)
    assert model is not None
    assert set(model.get_pipe("ner").labels) == set(LABELS)
    config = (out / "config.cfg").read_text(encoding="utf-8")
    assert "sourcetrace-train-" not in config  # no temporary corpus paths left behind
    # The corpus' word forms are not shipped in the string store.
    strings = (out / "vocab" / "strings.json").read_text(encoding="utf-8")
    assert "Quuxville" not in strings
    assert "Quuxville" not in _base_strings()
    [spans] = tag_spans(model, "The mayor said it.")
    assert all(label in LABELS for _, _, label in spans)


def _base_strings() -> str:
    from sourcetrace.train import _tokenizer_package_dir

    base = _tokenizer_package_dir()
    assert base is not None
    return (base / "vocab" / "strings.json").read_text(encoding="utf-8")


def test_main_does_not_replace_a_foreign_folder(tmp_path: Path):
    from sourcetrace.train import main

    _write_corpus(tmp_path / "data")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(str(tmp_path / "data"), str(precious), epochs=1) != 0
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"
