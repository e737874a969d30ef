"""The trained attribution encoder (SOURCE / CUE / CONTENT), on invented sentences."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sourcetrace.attributions.encoder import (
    LABELS,
    MODEL_NAME,
    ROLES,
    WEIGHTS,
    default_model_path,
    load_encoder,
)


@pytest.fixture(scope="module")
def encoder():
    model = load_encoder()
    if model is None:
        pytest.skip("the attribution encoder is not shipped in this checkout")
    return model


def _found(text: str, spans) -> list[tuple[str, str]]:
    return [(text[s:e], role) for s, e, role in spans]


def test_missing_model_returns_none(tmp_path: Path, caplog):
    with caplog.at_level(logging.WARNING):
        assert load_encoder(tmp_path / "nowhere") is None
    assert "not found" in caplog.text


def test_foreign_weights_are_refused(tmp_path: Path, caplog):
    import torch
    from safetensors.torch import save_file

    save_file({"not.a.layer": torch.zeros(2)}, str(tmp_path / WEIGHTS))
    with caplog.at_level(logging.WARNING):
        assert load_encoder(tmp_path) is None
    assert "could not be loaded" in caplog.text


def test_shipped_model_is_small():
    path = default_model_path()
    if path is None:
        pytest.skip("the attribution encoder is not shipped in this checkout")
    assert path.name == MODEL_NAME
    size = sum(p.stat().st_size for p in path.iterdir())
    assert size < 40_000_000


def test_told_reporters(encoder):
    text = "The harbour master told reporters that the new pier was unsafe."
    [spans] = encoder.tag([text])
    found = _found(text, spans)
    assert ("The harbour master", "SOURCE") in found
    assert any(role == "CUE" and "told" in t for t, role in found), found
    assert any(role == "CONTENT" and "the new pier was unsafe" in t for t, role in found), found


def test_quote_then_speaker(encoder):
    text = '"We will not close the mill," the union leader said on Tuesday.'
    [spans] = encoder.tag([text])
    found = _found(text, spans)
    assert any(role == "CONTENT" and "We will not close the mill" in t for t, role in found)
    assert ("the union leader", "SOURCE") in found
    assert any(role == "CUE" and t.startswith("said") for t, role in found), found


def test_plain_narration_has_no_spans(encoder):
    text = "The weather was warm and the streets of Dunmore were quiet all afternoon."
    [spans] = encoder.tag([text])
    assert spans == []


def test_offsets_index_the_text_exactly(encoder):
    texts = [
        "  Leading spaces,\n\ta tab, and “curly quotes”, the\u00a0spokeswoman said.  ",
        "",
        "Ünïcödé naïve café: the minister said prices would fall.",
        # long enough for several windows
        " ".join(f"Councillor Mara Voss said item {i} was approved." for i in range(120)),
    ]
    out = encoder.tag(texts)
    assert len(out) == len(texts)
    assert out[1] == []
    for text, spans in zip(texts, out, strict=True):
        assert spans == sorted(spans)
        for s, e, role in spans:
            assert role in ROLES
            assert 0 <= s < e <= len(text)
            assert text[s:e] == text[s:e].strip()
    long_text, long_spans = texts[3], out[3]
    cues = [long_text[s:e] for s, e, r in long_spans if r == "CUE"]
    assert cues.count("said") >= 100  # every window, overlaps included, is read


def test_results_do_not_depend_on_batching(encoder):
    texts = ["The mayor said the bridge was safe.", "Police said two men were arrested."]
    together = encoder.tag(texts)
    alone = [encoder.tag([t])[0] for t in texts]
    assert together == alone


def test_labels_are_bio_over_roles():
    assert LABELS[0] == "O"
    assert {lab[2:] for lab in LABELS[1:]} == set(ROLES)


# --- training on a toy corpus ---------------------------------------------------------

TEXTS = {
    "a": "The mayor told reporters that the bridge was safe.",
    "b": "Officials in Quuxville said on Monday that the road would reopen.",
    "c": "The coach insisted that the team was ready.",
}


def _ann(text: str, source: str, cue: str, content: str) -> str:
    def t(i: int, label: str, part: str) -> str:
        s = text.index(part)
        return f"T{i}\t{label} {s} {s + len(part)}\t{part}\n"

    return (
        t(1, "Source", source) + t(2, "Cue", cue) + t(3, "Content", content)
        + "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
    )


def _write_corpus(root: Path) -> None:
    parts = {
        "a": ("The mayor", "told", "the bridge was safe"),
        "b": ("Officials in Quuxville", "said", "the road would reopen"),
        "c": ("The coach", "insisted", "the team was ready"),
    }
    for split in ("train", "dev"):
        (root / split / "text").mkdir(parents=True)
        (root / split / "attributions").mkdir(parents=True)
        for name, text in TEXTS.items():
            (root / split / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
            (root / split / "attributions" / f"{name}_abcd.ann").write_text(
                _ann(text, *parts[name]), encoding="utf-8"
            )


def test_training_windows_carry_gold_labels(tmp_path: Path):
    from transformers import AutoTokenizer

    from sourcetrace.attributions.encoder import base_model_path
    from sourcetrace.evaluate.polnear import read_split
    from sourcetrace.train import training_windows

    _write_corpus(tmp_path)
    docs = list(read_split(tmp_path, "train"))
    tok = AutoTokenizer.from_pretrained(str(base_model_path()))
    wins = training_windows(docs, tok)
    assert len(wins) == 3
    ids, labels = wins[0]
    assert labels[0] == labels[-1] == -100
    pieces = tok.convert_ids_to_tokens(ids)
    by_piece = dict(zip(pieces[1:-1], [LABELS[i] for i in labels[1:-1]], strict=True))
    assert by_piece["mayor"] == "I-SOURCE"
    assert by_piece["told"] == "B-CUE"
    assert by_piece["bridge"] == "I-CONTENT"
    assert by_piece["reporters"] == "O"


def test_main_missing_data(tmp_path: Path):
    from sourcetrace.train import main

    assert main(str(tmp_path / "nowhere"), str(tmp_path / "out"), epochs=1) != 0


def test_train_end_to_end_on_a_toy_corpus(tmp_path: Path, capsys):
    from sourcetrace.train import main

    _write_corpus(tmp_path / "data")
    out = tmp_path / "model"
    assert main(str(tmp_path / "data"), str(out), epochs=1) == 0
    assert "dev exact span F1" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["config.json", WEIGHTS]
    model = load_encoder(out)
    assert model is not None
    [spans] = model.tag(["The mayor said it."])
    assert all(role in ROLES for _, _, role in spans)
    # No corpus text is written next to the weights.
    assert "Quuxville" not in (out / "config.json").read_text(encoding="utf-8")


def test_main_does_not_replace_a_foreign_folder(tmp_path: Path):
    from sourcetrace.train import main

    _write_corpus(tmp_path / "data")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(str(tmp_path / "data"), str(precious), epochs=1) != 0
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"
