"""The tagger on another base: only the layers trained are saved, and loading puts
them back on the base (a tiny MPNet-shaped model stands in for all-mpnet-base-v2)."""

from __future__ import annotations

import json

from safetensors.torch import load_file, save_file

from sourcetrace.attributions.encoder import (
    LABELS,
    WEIGHTS,
    build_model,
    load_encoder,
    model_base,
    save_model,
)


def test_top_layers_only_are_saved_and_loaded_back(tiny_mpnet, tmp_path):
    model = build_model(base="mpnet", train_from=1, base_dir=tiny_mpnet)
    assert model.base_model_prefix == "mpnet"
    out = tmp_path / "tagger"
    save_model(model, out, {"base": "mpnet", "train_from": 1})
    keys = set(load_file(str(out / WEIGHTS)))
    assert any(".layer.1." in k for k in keys) and "classifier.weight" in keys
    assert not any(".layer.0." in k or ".embeddings." in k for k in keys)
    assert model_base(out) == "mpnet"
    assert json.loads((out / "config.json").read_text())["labels"] == list(LABELS)

    tagger = load_encoder(out, base_dir=tiny_mpnet)
    assert tagger is not None
    spans = tagger.tag(["The harbour master said the quay would reopen on Friday."])
    assert len(spans) == 1 and all(0 <= s < e <= 57 for s, e, _r in spans[0])


def test_a_file_lacking_a_trained_layer_is_refused(tiny_mpnet, tmp_path, caplog):
    model = build_model(base="mpnet", train_from=1, base_dir=tiny_mpnet)
    out = tmp_path / "tagger"
    save_model(model, out, {"base": "mpnet", "train_from": 1})
    state = {k: v for k, v in load_file(str(out / WEIGHTS)).items() if ".layer.1." not in k}
    save_file(state, str(out / WEIGHTS))
    assert load_encoder(out, base_dir=tiny_mpnet) is None
    assert "do not fit" in caplog.text
