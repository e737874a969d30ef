"""Batch run (``sourcetrace.run``) through ``analyze``: failed inputs, exit codes, own
output files, faults inside a batch, and resume; a fake Pipeline behind the real ingest
and reports."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from fake_pipeline import ARTICLES, SCHEMA, error_lines, invoke, read_records


def test_cli_analyze_all_ok_exit_0(fake):
    result = invoke("analyze", "harbour.txt", "orchard.txt", "-o", "out.jsonl")
    assert result.exit_code == 0, result.stderr
    records = read_records()
    assert [r["path"] for r in records] == ["harbour.txt", "orchard.txt"]
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    for record in records:
        validator.validate(record)
    assert [a["source"]["text"] for a in records[1]["attributions"]] == ["Tomas Vey", "Ana Vey"]
    assert not Path("out.jsonl.errors.jsonl").exists()
    assert error_lines(result) == []
    assert result.stderr.startswith("2 articles, 0 failed, in ")


def test_cli_analyze_some_failed_exit_1(fake):
    result = invoke("analyze", "harbour.txt", "empty.txt", "missing.txt", "-o", "out.jsonl")
    assert result.exit_code == 1
    assert error_lines(result) == [
        "error: empty.txt: empty file",
        "error: missing.txt: no such file or directory",
    ]
    assert [r["path"] for r in read_records()] == ["harbour.txt"]
    errors = read_records("out.jsonl.errors.jsonl")
    assert errors == [
        {"path": "empty.txt", "reason": "empty file"},
        {"path": "missing.txt", "reason": "no such file or directory"},
    ]
    # A later clean run replaces the output and drops the stale errors file.
    assert invoke("analyze", "harbour.txt", "-o", "out.jsonl").exit_code == 0
    assert not Path("out.jsonl.errors.jsonl").exists()


def test_cli_analyze_nothing_analysed_exit_3(fake):
    result = invoke("analyze", "empty.txt", "missing.txt", "-o", "out.jsonl")
    assert result.exit_code == 3
    assert len(error_lines(result)) == 2
    assert Path("out.jsonl").read_text() == ""


def test_cli_analyze_empty_directory_exit_3(fake, tmp_path):
    (tmp_path / "nothing").mkdir()
    result = invoke("analyze", "nothing")
    assert result.exit_code == 3
    assert "nothing: no article files in this folder" in result.stderr


def test_cli_analyze_stdout_is_jsonl_without_errors_file(fake):
    result = invoke("analyze", "orchard.txt", "missing.txt")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["path"] == "orchard.txt"
    assert error_lines(result) == ["error: missing.txt: no such file or directory"]
    assert not list(Path(".").glob("*errors*"))


def test_cli_analyze_directory_skips_own_output(fake, tmp_path):
    (tmp_path / "old.jsonl").write_text("", encoding="utf-8")
    assert invoke("analyze", ".", "-o", "out.jsonl").exit_code == 1  # empty.txt, old.jsonl
    result = invoke("analyze", ".", "-o", "out.jsonl", "--resume")
    assert not any("out.jsonl" in line for line in error_lines(result))
    assert sorted(r["path"] for r in read_records()) == sorted(f"./{name}" for name in ARTICLES)
    assert {e["path"] for e in read_records("out.jsonl.errors.jsonl")} == {
        "./empty.txt",
        "./old.jsonl",
    }


def test_cli_analyze_exception_in_one_article_does_not_stop_batch(fake, tmp_path):
    (tmp_path / "bomb.txt").write_text("EXPLODE here\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_text("BADDOC here\n", encoding="utf-8")
    paths = ["harbour.txt", "bomb.txt", "orchard.txt", "bad.txt", "library.txt"]
    result = invoke("analyze", *paths, "-o", "out.jsonl")
    assert result.exit_code == 1
    assert error_lines(result) == [
        "error: bomb.txt: RuntimeError: boom second line",
        "error: bad.txt: analysis failed: bad doc",
    ]
    assert "Traceback" not in result.stderr
    assert [r["path"] for r in read_records()] == ["harbour.txt", "orchard.txt", "library.txt"]


def test_cli_analyze_exception_first_in_batch(fake, tmp_path):
    (tmp_path / "bomb.txt").write_text("EXPLODE here\n", encoding="utf-8")
    result = invoke("analyze", "bomb.txt", "harbour.txt", "library.txt", "-o", "out.jsonl")
    assert result.exit_code == 1
    assert [r["path"] for r in read_records()] == ["harbour.txt", "library.txt"]


def test_cli_resume_jsonl_no_duplicates(fake):
    paths = list(ARTICLES)
    assert invoke("analyze", *paths, "-o", "out.jsonl").exit_code == 0
    data = Path("out.jsonl").read_bytes()
    first = data.index(b"\n") + 1
    Path("out.jsonl").write_bytes(data[: first + (data.index(b"\n", first) - first) // 2])
    result = invoke("analyze", *paths, "-o", "out.jsonl", "--resume")
    assert result.exit_code == 0, result.stderr
    records = read_records()
    assert [r["path"] for r in records] == paths
    assert fake.created[-1].seen == paths[1:]  # the first article was not redone
    assert Path("out.jsonl").read_bytes() == data


def test_cli_resume_csv_no_duplicates(fake):
    paths = list(ARTICLES)
    assert invoke("analyze", *paths, "-o", "out.csv").exit_code == 0
    data = Path("out.csv").read_bytes()
    Path("out.csv").write_bytes(data[: data.index(b"orchard.txt") + 30])
    assert invoke("analyze", *paths, "-o", "out.csv", "--resume").exit_code == 0
    assert Path("out.csv").read_bytes() == data


def test_cli_resume_after_interrupt(fake, tmp_path):
    (tmp_path / "stop.txt").write_text("INTERRUPT now\n", encoding="utf-8")
    paths = ["harbour.txt", "orchard.txt", "stop.txt", "library.txt"]
    result = invoke("analyze", *paths, "-o", "out.jsonl")
    assert result.exit_code == 130
    assert "--resume" in result.stderr
    assert [r["path"] for r in read_records()] == ["harbour.txt", "orchard.txt"]
    (tmp_path / "stop.txt").write_text('"Go on," said Ida Fenn.\n', encoding="utf-8")
    assert invoke("analyze", *paths, "-o", "out.jsonl", "--resume").exit_code == 0
    assert [r["path"] for r in read_records()] == paths


def test_cli_resume_everything_done_exit_0(fake):
    assert invoke("analyze", "harbour.txt", "-o", "out.jsonl").exit_code == 0
    assert invoke("analyze", "harbour.txt", "-o", "out.jsonl", "--resume").exit_code == 0
    assert len(read_records()) == 1


def test_cli_resume_refuses_foreign_file(fake):
    Path("out.jsonl").write_text("hello\nworld\n", encoding="utf-8")
    result = invoke("analyze", "harbour.txt", "-o", "out.jsonl", "--resume")
    assert result.exit_code == 2
    assert "cannot resume" in result.stderr
