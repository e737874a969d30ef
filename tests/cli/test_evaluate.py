"""``sourcetrace eval polnear`` hands its arguments to ``evaluate.polnear.evaluate``."""

from __future__ import annotations

from fake_pipeline import invoke


def test_cli_eval_polnear_delegates(monkeypatch):
    import sourcetrace.evaluate.polnear as polnear

    calls = []

    def fake_main(directory, split, *, fast=False, console=None, tier=None):
        calls.append((directory, split, fast))
        return 0

    monkeypatch.setattr(polnear, "evaluate", fake_main)
    result = invoke("eval", "polnear", "corpus", "--split", "dev", "--fast")
    assert result.exit_code == 0
    assert calls == [("corpus", "dev", True)]


def test_cli_eval_polnear_passes_limit_and_json(monkeypatch):
    import sourcetrace.evaluate.polnear as polnear

    calls = []
    monkeypatch.setattr(polnear, "evaluate", lambda *a, **k: calls.append((a, k)) or 4)
    result = invoke(
        "eval", "polnear", "corpus", "--split", "dev", "--limit", "5", "--json", "s.json"
    )
    assert result.exit_code == 4
    assert calls[0][1]["limit"] == 5 and calls[0][1]["json_out"] == "s.json"


def test_cli_eval_claims_delegates(monkeypatch):
    from sourcetrace.evaluate.claims import mrpc

    calls = []
    monkeypatch.setattr(mrpc, "main", lambda *a, **k: calls.append((a, k)) or 0)
    result = invoke("eval", "claims", "pairs.tsv", "--through-corpus")
    assert result.exit_code == 0
    assert calls == [(("pairs.tsv",), {"through_corpus": True})]


def test_cli_eval_claims_bad_file_is_one_line(tmp_path):
    result = invoke("eval", "claims", str(tmp_path / "none.tsv"))
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "none.tsv" in result.stderr
