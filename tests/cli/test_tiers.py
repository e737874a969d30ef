"""``--model TIER|DIR`` on the commands: what reaches the pipeline, what the outputs say,
and the errors (a fake Pipeline behind the real ingest, reports and corpus)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
from fake_pipeline import error_lines, invoke, read_records

from sourcetrace.attributions import tiers
from sourcetrace.attributions.tiers import EXTRA_MISSING, WEIGHTS_MISSING


@pytest.fixture
def accurate_installed(monkeypatch):
    monkeypatch.setattr(tiers, "why_unavailable", lambda tier: None)


@pytest.fixture
def accurate_missing(monkeypatch):
    monkeypatch.setattr(
        tiers, "why_unavailable", lambda tier: EXTRA_MISSING if tier == "accurate" else None)


@pytest.mark.parametrize("tier", ["fast", "default"])
def test_model_tier_reaches_the_pipeline_and_every_record(fake, tier):
    result = invoke("analyze", "harbour.txt", "orchard.txt", "--model", tier, "-o", "out.jsonl")
    assert result.exit_code == 0, result.output
    assert [r["tier"] for r in read_records()] == [tier, tier]
    assert fake.created[-1].fast is (tier == "fast")


@pytest.mark.parametrize("tier", ["fast", "default"])
def test_tier_in_csv_html_and_text_reports(fake, tier):
    assert invoke("analyze", "orchard.txt", "--model", tier, "-o", "r.csv").exit_code == 0
    with open("r.csv", encoding="utf-8", newline="") as fp:
        reader = csv.reader(fp)
        header = next(reader)
        rows = list(reader)
    assert header[-1] == "tier" and header[:3] == ["article_id", "path", "row_type"]
    assert rows and {r[-1] for r in rows} == {tier}
    assert invoke("analyze", "orchard.txt", "--model", tier, "-o", "r.html").exit_code == 0
    assert f'<div class="meta">tier: {tier}</div>' in Path("r.html").read_text("utf-8")
    assert invoke("analyze", "orchard.txt", "--model", tier, "-o", "r.txt").exit_code == 0
    head = Path("r.txt").read_text("utf-8").splitlines()[:3]
    assert any(line.strip() == f"tier: {tier}" for line in head), head


def test_fast_is_model_fast(fake):
    assert invoke("analyze", "harbour.txt", "--fast", "-o", "out.jsonl").exit_code == 0
    assert read_records()[0]["tier"] == "fast" and fake.created[-1].fast
    assert invoke("analyze", "harbour.txt", "--fast", "--model", "fast").exit_code == 0


def test_fast_and_another_model_is_a_usage_error(fake):
    result = invoke("analyze", "harbour.txt", "--fast", "--model", "default", "-o", "out.jsonl")
    assert result.exit_code == 2
    assert "--fast means --model fast" in result.output
    assert not fake.created and not Path("out.jsonl").exists()


def test_a_model_that_is_neither_tier_nor_folder_is_a_usage_error(fake):
    result = invoke("analyze", "harbour.txt", "--model", "turbo")
    assert result.exit_code == 2 and "neither a tier" in result.output
    assert not fake.created


def test_environment_sets_the_default_and_the_command_line_wins(fake, monkeypatch):
    monkeypatch.setenv("SOURCETRACE_MODEL", "fast")
    assert invoke("analyze", "harbour.txt", "-o", "out.jsonl").exit_code == 0
    assert read_records()[0]["tier"] == "fast"
    assert invoke("analyze", "harbour.txt", "--model", "default", "-o", "out.jsonl").exit_code == 0
    assert read_records()[0]["tier"] == "default"
    monkeypatch.setenv("SOURCETRACE_MODEL", "default")
    # --fast beats a default from the environment: no conflict, it is not on the line.
    assert invoke("analyze", "harbour.txt", "--fast", "-o", "out.jsonl").exit_code == 0
    assert read_records()[0]["tier"] == "fast"


@pytest.mark.parametrize("reason", [EXTRA_MISSING, WEIGHTS_MISSING])
def test_explicit_accurate_that_cannot_run_is_one_line_and_exit_2(fake, monkeypatch, reason):
    monkeypatch.setattr(tiers, "why_unavailable", lambda tier: reason)
    result = invoke("analyze", "harbour.txt", "--model", "accurate", "-o", "out.jsonl")
    assert result.exit_code == 2
    assert error_lines(result) == [f"error: {reason}"]
    assert not fake.created  # no pipeline built, no article read
    assert not Path("out.jsonl").exists()


def test_auto_runs_accurate_on_a_few_articles_and_says_so(fake, accurate_installed):
    result = invoke("analyze", "harbour.txt", "orchard.txt", "--model", "auto",
                    "-o", "out.jsonl")
    assert result.exit_code == 0, result.output
    assert {r["tier"] for r in read_records()} == {"accurate"}
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("2 articles, 0 failed") and summary.endswith(
        "; tier accurate (auto)")


def test_auto_runs_default_on_a_folder(fake, accurate_installed, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text('"Rain," said Ana Vey.\n', "utf-8")
    result = invoke("analyze", "in", "--model", "auto", "-o", "out.jsonl")
    assert result.exit_code == 0, result.output
    assert read_records()[0]["tier"] == "default"
    assert result.stderr.strip().endswith("; tier default (auto)")


def test_auto_without_accurate_is_default_and_no_error(fake, accurate_missing):
    result = invoke("analyze", "harbour.txt", "--model", "auto", "-o", "out.jsonl")
    assert result.exit_code == 0
    assert read_records()[0]["tier"] == "default"
    assert error_lines(result) == []


def test_a_named_tier_adds_nothing_to_the_summary(fake):
    result = invoke("analyze", "harbour.txt", "--model", "default", "-o", "out.jsonl")
    assert "tier" not in result.stderr


def test_demo_keeps_fast_and_default():
    # demo has no --model; its --fast still means the rules alone.
    result = invoke("demo", "--fast", "--format", "jsonl")
    assert result.exit_code == 0
    assert {json.loads(line)["tier"] for line in result.stdout.splitlines()} == {"fast"}


def test_corpus_build_stores_each_articles_tier(fake):
    assert invoke("analyze", "harbour.txt", "--model", "fast", "-o", "f.jsonl").exit_code == 0
    assert invoke("analyze", "orchard.txt", "--model", "default", "-o", "d.jsonl").exit_code == 0
    result = invoke("corpus", "build", "f.jsonl", "d.jsonl", "--db", "c.duckdb",
                    "--embedder", "hashing")
    assert result.exit_code == 0, result.output
    con = duckdb.connect("c.duckdb", read_only=True)
    try:
        rows = con.execute("SELECT path, tier FROM articles ORDER BY seq").fetchall()
        version = con.execute(
            "SELECT value FROM corpus_meta WHERE key = 'schema_version'").fetchone()
    finally:
        con.close()
    assert [t for _p, t in rows] == ["fast", "default"]
    assert version == ("1.3",)


def test_corpus_build_refuses_fast_with_another_model_and_missing_accurate(fake,
                                                                          accurate_missing):
    result = invoke("corpus", "build", "harbour.txt", "--db", "c.duckdb", "--fast",
                    "--model", "accurate")
    assert result.exit_code == 2 and "--fast means --model fast" in result.output
    result = invoke("corpus", "build", "harbour.txt", "--db", "c.duckdb", "--model",
                    "accurate", "--embedder", "hashing")
    assert result.exit_code == 2
    assert error_lines(result) == [f"error: {EXTRA_MISSING}"]
    assert not Path("c.duckdb").exists()


def test_eval_polnear_scores_default_unless_told(monkeypatch, accurate_installed):
    import sourcetrace.evaluate.polnear as polnear

    calls = []
    monkeypatch.setattr(polnear, "evaluate", lambda *a, **k: calls.append(k) or 0)
    monkeypatch.setenv("SOURCETRACE_MODEL", "fast")  # an evaluation names what it scores
    assert invoke("eval", "polnear", "corpus", "--split", "dev").exit_code == 0
    assert calls[-1]["tier"] == "default" and calls[-1]["fast"] is False
    assert invoke("eval", "polnear", "corpus", "--split", "dev", "--fast").exit_code == 0
    assert calls[-1]["tier"] == "fast" and calls[-1]["fast"] is True
    assert invoke("eval", "polnear", "corpus", "--split", "dev", "--model",
                  "accurate").exit_code == 0
    assert calls[-1]["tier"] == "accurate"


def test_eval_polnear_takes_a_model_folder(monkeypatch, tmp_path):
    import sourcetrace.evaluate.polnear as polnear

    calls = []
    monkeypatch.setattr(polnear, "evaluate", lambda *a, **k: calls.append(k) or 0)
    result = invoke("eval", "polnear", "corpus", "--split", "dev", "--model", str(tmp_path))
    assert result.exit_code == 0
    assert calls[-1]["tier"] == "custom" and calls[-1]["model"] == str(tmp_path)


def test_eval_polnear_refuses_missing_accurate(monkeypatch, accurate_missing):
    import sourcetrace.evaluate.polnear as polnear

    monkeypatch.setattr(polnear, "evaluate", lambda *a, **k: 0)
    result = invoke("eval", "polnear", "corpus", "--split", "dev", "--model", "accurate")
    assert result.exit_code == 2 and error_lines(result) == [f"error: {EXTRA_MISSING}"]
