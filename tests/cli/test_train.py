"""``sourcetrace train attribution`` hands its arguments to ``train.main``."""

from __future__ import annotations

import sys

from fake_pipeline import invoke


def test_cli_train_delegates(monkeypatch):
    import sourcetrace.train as train

    calls = []
    monkeypatch.setattr(train, "main", lambda *a, **k: calls.append((a, k)) or 0)
    result = invoke("train", "attribution", "--data", "corpus", "--out", "m", "--epochs", "3")
    assert result.exit_code == 0
    assert calls == [(("corpus", "m"), {"epochs": 3, "base": "minilm"})]


def test_cli_train_mpnet_passes_base_and_frozen_layers(monkeypatch):
    import sourcetrace.train as train

    calls = []
    monkeypatch.setattr(train, "main", lambda *a, **k: calls.append((a, k)) or 0)
    result = invoke("train", "attribution", "--data", "d", "--base", "mpnet", "--train-from", "9")
    assert result.exit_code == 0
    assert calls == [(("d", None), {"base": "mpnet", "train_from": 9})]


def test_cli_train_refuses_an_unknown_base():
    result = invoke("train", "attribution", "--data", "d", "--base", "roberta")
    assert result.exit_code == 2
    assert "unknown base 'roberta'" in result.stderr


def test_cli_train_unavailable(monkeypatch):
    monkeypatch.setitem(sys.modules, "sourcetrace.train", None)
    result = invoke("train", "attribution", "--data", "somewhere")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: training is not available in this build"


def test_cli_train_claims_delegates(monkeypatch):
    import sourcetrace.train.claims as claims

    calls = []
    monkeypatch.setattr(claims, "main", lambda *a, **k: calls.append((a, k)) or 0)
    result = invoke("train", "claims", "--mrpc", "m", "--polnear", "p", "--out", "o")
    assert result.exit_code == 0
    assert calls == [(("m", "o"), {"polnear": "p", "cross": False})]
    calls.clear()
    assert invoke("train", "claims", "--mrpc", "m", "--cross").exit_code == 0
    assert calls == [(("m", None), {"cross": True})]
