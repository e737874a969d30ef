"""``sourcetrace analyze`` and ``demo``: formats, options, usage errors, the shipped examples;
a fake Pipeline behind the real ingest and reports."""

from __future__ import annotations

import csv
import json
import os
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from fake_pipeline import ARTICLES, SCHEMA, fake_factory, invoke, read_records
from typer.testing import CliRunner

from sourcetrace.cli import app


@pytest.mark.parametrize(
    "out, marker",
    [
        ("report.csv", "article_id,path,row_type,attribution_id"),
        ("report.html", "<!DOCTYPE html>"),
        ("report.txt", "1 attribution · 1 named · 0 anonymous/vague"),
        ("report.json", '"schema_version"'),
    ],
)
def test_cli_analyze_format_from_extension(fake, out, marker):
    assert invoke("analyze", "harbour.txt", "-o", out).exit_code == 0
    written = Path(out).read_text(encoding="utf-8")
    assert marker in written
    assert "\x1b[" not in written


def test_cli_analyze_format_option_wins(fake):
    assert invoke("analyze", "library.txt", "-o", "r.txt", "--format", "csv").exit_code == 0
    with open("r.txt", encoding="utf-8", newline="") as fp:
        rows = [r for r in csv.DictReader(fp) if r["row_type"] == "attribution"]
    text = ARTICLES["library.txt"]
    assert [r["source_text"] for r in rows] == ["Rhea Oduya"]
    s, e = map(int, rows[0]["content_offsets"].split("-"))
    assert text[s:e] == "Shelves are full again"


def test_cli_analyze_text_to_stdout(fake):
    result = invoke("analyze", "orchard.txt", "--format", "text")
    assert result.exit_code == 0
    assert "orchard.txt" in result.stdout and "Tomas Vey" in result.stdout
    assert "2 attributions · 2 named" in result.stdout


def test_cli_analyze_passes_aliases_and_fast(fake, tmp_path):
    (tmp_path / "aliases.yaml").write_text("{}\n", encoding="utf-8")
    result = invoke("analyze", "harbour.txt", "--aliases", "aliases.yaml", "--fast")
    assert result.exit_code == 0
    assert fake.created[-1].aliases == ("aliases.yaml",) and fake.created[-1].fast


def test_cli_analyze_usage_errors_exit_2(fake):
    assert invoke("analyze").exit_code == 2
    assert invoke("analyze", "harbour.txt", "--aliases", "nope.yaml").exit_code == 2
    assert invoke("analyze", "harbour.txt", "--format", "pdf").exit_code == 2
    assert invoke("analyze", "harbour.txt", "--resume").exit_code == 2
    assert invoke("analyze", "harbour.txt", "-o", "r.html", "--resume").exit_code == 2
    assert invoke("analyze", "harbour.txt", "-o", "no/such/dir/out.jsonl").exit_code == 2


def test_cli_verbose_flag(fake):
    result = invoke("-v", "analyze", "harbour.txt", "missing.txt", "-o", "out.jsonl")
    assert result.exit_code == 1
    assert "1 articles written" in result.stderr


def test_cli_demo_shows_examples(fake):
    examples = resources.files("sourcetrace") / "data" / "examples"
    names = sorted(e.name for e in examples.iterdir() if e.name.endswith(".txt"))
    cwd = os.getcwd()
    result = invoke("demo")
    assert result.exit_code == 0, result.stderr
    assert os.getcwd() == cwd
    assert names and result.stdout.count("Sourcing:") == len(names)
    for name in names:
        assert name in result.stdout


def test_cli_real_pipeline_output_matches_schema(monkeypatch, tmp_path, request):
    pytest.importorskip("sourcetrace.pipeline")
    shared = request.getfixturevalue("pipeline")  # loaded once per session
    monkeypatch.chdir(tmp_path)
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = invoke("analyze", *ARTICLES, "-o", "out.jsonl", obj=lambda options: shared)
    assert result.exit_code == 0, result.stderr
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    records = read_records()
    assert len(records) == 3
    for record in records:
        assert sorted(validator.iter_errors(record), key=str) == []


def test_cli_analyze_piped_text_marks_layers_in_plain_characters(fake):
    result = invoke("analyze", "harbour.txt", "--format", "text")
    assert result.exit_code == 0
    out = result.stdout
    assert "\x1b[" not in out
    assert '"<<The tide gauges are broken>>," {C: said} [S: Ilse Marr].' in out
    keys = [line for line in out.splitlines() if line.startswith("Key:")]
    assert len(keys) == 1 and "[S: source]" in keys[0] and "{C: cue}" in keys[0]
    # the sections after the text, here empty
    assert "No unattributed assertions found." in out and "No labels found." in out


def test_cli_analyze_text_wraps_at_columns(fake):
    def widest(columns):
        env = {"COLUMNS": columns} if columns else {"COLUMNS": None}
        res = CliRunner().invoke(app, ["analyze", "library.txt", "orchard.txt", "--format",
                                       "text"], obj=fake_factory, env=env)
        assert res.exit_code == 0
        return max(len(line.rstrip()) for line in res.stdout.splitlines())

    assert widest("50") <= 50
    assert 50 < widest(None) <= 100
