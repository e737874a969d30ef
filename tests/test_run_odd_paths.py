"""File names that are not UTF-8, and a closed stdout: one error line, never a traceback,
and the rest of the batch still written (resume included)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from fake_pipeline import invoke, read_records

from sourcetrace.model.article import printable_path


def _odd(name: bytes, text: str) -> None:
    with open(os.fsencode(".") + b"/" + name, "w", encoding="utf-8") as fh:
        fh.write(text)


def test_run_non_utf8_file_names_are_written_and_resumed(fake):
    _odd(b"empty\xff.txt", "")
    _odd(b"quay\xe9.txt", '"The ferry runs again," said Odile Brant.\n')
    result = invoke("analyze", ".", "-o", "out.jsonl")
    assert result.exit_code == 1  # empty.txt and empty\xff.txt failed; the rest written
    paths = {r["path"] for r in read_records()}
    assert "./quay\\xe9.txt" in paths and len(paths) == 4
    errors = [json.loads(line) for line in Path("out.jsonl.errors.jsonl").read_text().splitlines()]
    assert {"path": "./empty\\xff.txt", "reason": "empty file"} in errors
    again = invoke("analyze", ".", "-o", "out.jsonl", "--resume")
    assert again.exit_code == 1 and len(read_records()) == 4  # none written twice


def test_run_printable_path_keeps_utf8_and_escapes_bytes():
    assert printable_path("café/été.txt") == "café/été.txt"
    assert printable_path(os.fsdecode(b"a\xff.txt")) == "a\\xff.txt"


def test_run_closed_stdout_is_one_error_line(fake, monkeypatch):
    from fake_pipeline import fake_factory
    from rich.console import Console

    from sourcetrace.pipeline import PipelineOptions
    from sourcetrace.run import run_batch

    err = io.StringIO()
    monkeypatch.setattr("sys.stdout", None)  # what `analyze ... >&-` leaves
    code = run_batch(["harbour.txt"], PipelineOptions(), output=None, fmt="jsonl",
                     resume=False, show_progress=False, console=Console(file=err, width=200),
                     pipeline_factory=fake_factory)
    assert code == 2
    assert err.getvalue().splitlines() == [
        "error: stdout: cannot write: stdout is closed; write to a file with -o FILE"]


def test_run_resume_matches_a_file_by_its_real_path(fake):
    first = invoke("analyze", "harbour.txt", "orchard.txt", "-o", "out.jsonl")
    assert first.exit_code == 0
    absolute = str(Path("harbour.txt").resolve())
    again = invoke("analyze", absolute, "./orchard.txt", "library.txt", "-o", "out.jsonl",
                   "--resume")
    assert again.exit_code == 0
    paths = [r["path"] for r in read_records()]
    assert paths == ["harbour.txt", "orchard.txt", "library.txt"]  # none written twice
