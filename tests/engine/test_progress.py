"""The batch progress bar (total, percentage, ETA, one line at 80 and 120 columns), the
cheap article count behind its total, and the run's closing summary line."""

from __future__ import annotations

import io
import json
import re

import pytest
from fake_pipeline import fake_factory
from rich.console import Console

from sourcetrace.engine.progress import batch_progress, estimate_total
from sourcetrace.pipeline import PipelineOptions
from sourcetrace.run import run_batch


@pytest.mark.parametrize("width", [80, 120])
def test_the_bar_fits_one_line_with_total_percentage_and_eta(width):
    console = Console(file=io.StringIO(), width=width, force_terminal=True, color_system=None)
    progress = batch_progress(console, enabled=True)
    task = progress.add_task("news/2025/" + "very-long-folder-name/" * 10 + "story.txt",
                             total=40, errors=1)
    progress.update(task, completed=10)
    console.print(progress.make_tasks_table(progress.tasks))
    lines = console.file.getvalue().rstrip("\n").splitlines()
    assert len(lines) == 1 and len(lines[0]) <= width
    assert "10/40 articles  25%" in lines[0]
    assert "eta" in lines[0] and "errors: 1" in lines[0]


def test_without_a_total_the_bar_counts(fake):
    console = Console(file=io.StringIO(), width=120, force_terminal=True, color_system=None)
    progress = batch_progress(console, enabled=True)
    task = progress.add_task("x", total=None, errors=0)
    progress.update(task, completed=3)
    console.print(progress.make_tasks_table(progress.tasks))
    assert "3 articles" in console.file.getvalue()


def test_estimate_counts_files_and_jsonl_lines(fake, tmp_path):
    (tmp_path / "feed.jsonl").write_text(
        "\n".join(json.dumps({"text": f"Story {i}."}) for i in range(5)) + "\n\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "a.txt").write_text("A.")
    (sub / "notes.xlsx").write_text("skip")
    assert estimate_total(["harbour.txt", "feed.jsonl", "sub"]) == 7
    assert estimate_total(["harbour.txt", "https://example.org/feed"]) is None
    assert estimate_total(["-"]) is None


def test_a_terminal_run_ends_with_one_summary_line(fake):
    err = io.StringIO()
    console = Console(file=err, width=120, force_terminal=True, color_system=None)
    code = run_batch(["harbour.txt", "missing.txt", "orchard.txt"], PipelineOptions(),
                     output="out.jsonl", fmt="jsonl", resume=False, show_progress=True,
                     console=console, pipeline_factory=fake_factory)
    assert code == 1
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", err.getvalue())  # the bar's cursor moves
    lines = [line for line in plain.splitlines() if "articles," in line]
    assert len(lines) == 1
    assert lines[0].startswith("2 articles, 1 failed, in ") and lines[0].endswith(
        " s -> out.jsonl")


def test_summary_when_writing_a_file_even_off_a_terminal(fake):
    err = io.StringIO()
    console = Console(file=err, width=120, force_terminal=False)
    run_batch(["harbour.txt"], PipelineOptions(), output="out.jsonl", fmt="jsonl",
              resume=False, show_progress=True, console=console, pipeline_factory=fake_factory)
    (line,) = err.getvalue().splitlines()
    assert line.startswith("1 article, 0 failed, in ") and line.endswith(" s -> out.jsonl")


def test_no_summary_when_writing_stdout_off_a_terminal(fake):
    err = io.StringIO()
    console = Console(file=err, width=120, force_terminal=False)
    run_batch(["harbour.txt"], PipelineOptions(), output=None, fmt="jsonl",
              resume=False, show_progress=True, console=console, pipeline_factory=fake_factory)
    assert err.getvalue() == ""
