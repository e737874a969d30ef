"""Tests for the public entry: evaluate() prints the tables, writes the JSON report."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from sourcetrace.evaluate import polnear

from .conftest import ANN, TEXT, FakePipeline, gold_doc


def test_polnear_evaluate_missing_layout(tmp_path: Path):
    from rich.console import Console

    console = Console(record=True, width=200)
    assert polnear.evaluate(str(tmp_path), "dev", console=console) == 2
    assert "not a PolNeAR split" in console.export_text()


def test_polnear_evaluate_prints_tables_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from rich.console import Console

    doc = gold_doc()
    (tmp_path / "dev" / "text").mkdir(parents=True)
    (tmp_path / "dev" / "attributions").mkdir()
    (tmp_path / "dev" / "text" / "a.txt").write_text(TEXT, "utf-8")
    (tmp_path / "dev" / "attributions" / "a_0f0f.ann").write_text(ANN, "utf-8")
    docs = {TEXT: doc}
    # A stand-in module: evaluate() must not need the real (spaCy) pipeline here.
    fake = types.ModuleType("sourcetrace.pipeline")
    fake.Pipeline = lambda **kw: FakePipeline(docs, **kw)
    monkeypatch.setitem(sys.modules, "sourcetrace.pipeline", fake)
    console = Console(record=True, width=200)
    out = tmp_path / "r.json"
    assert polnear.evaluate(str(tmp_path), "dev", console=console, json_out=str(out)) == 0
    shown = console.export_text()
    assert "span roles" in shown and "Reliability" in shown and "person" in shown
    data = json.loads(out.read_text("utf-8"))
    assert data["documents"] == 1 and set(data["roles"]) == {"source", "cue", "content"}

