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
    assert calls == [(("corpus", "m"), {"epochs": 3})]


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
    assert calls == [(("m", "o"), {"polnear": "p"})]
