"""``--model DIR`` with an MPNet-shaped tagger runs through the real pipeline, and the
records say "custom" (a tiny MPNet built here stands in for all-mpnet-base-v2, which
this test never needs)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcetrace.attributions import encoder
from sourcetrace.attributions.encoder import build_model, save_model
from sourcetrace.cli import app

ARTICLE = ('"The harbour will reopen on Friday," the port director said on Monday.\n'
           "Fishing crews welcomed the news.\n")


@pytest.fixture
def tagger(tiny_mpnet, tmp_path, monkeypatch) -> Path:
    """A tagger folder on the tiny base, saved as training saves one; loading it finds the
    tiny base where the MPNet base would be."""
    out = tmp_path / "tagger"
    save_model(build_model(base="mpnet", train_from=1, base_dir=tiny_mpnet), out,
               {"base": "mpnet", "train_from": 1})
    real = encoder.base_model_path
    monkeypatch.setattr(encoder, "base_model_path",
                        lambda base="minilm": tiny_mpnet if base == "mpnet" else real(base))
    return out


def test_a_model_folder_loads_its_encoder(tagger):
    from sourcetrace.pipeline import Pipeline

    pipe = Pipeline(model=tagger)
    assert pipe.tier == "custom"
    assert pipe.encoder is not None  # not the silent rules-only fallback


def test_analyze_with_a_model_folder_writes_custom(tagger, tmp_path, monkeypatch, caplog):
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(ARTICLE, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        result = CliRunner().invoke(app, ["analyze", "a.txt", "--model", str(tagger),
                                          "-o", "out.jsonl"])
    assert result.exit_code == 0, result.output
    assert "attribution encoder" not in caplog.text  # neither "not found" nor "could not"
    (record,) = [json.loads(line) for line in Path("out.jsonl").read_text("utf-8").splitlines()]
    assert record["tier"] == "custom" and record["schema_version"] == "1.2.0"
    text = record["text"]
    spans = [se for a in record["attributions"] for r in ("cue", "content")
             for se in a[r]["spans"]]
    assert all(0 <= s < e <= len(text) for s, e in spans)  # offsets still index the text
