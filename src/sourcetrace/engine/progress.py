"""The batch run's progress bar: total, percentage and ETA where the total is known,
articles per second, failed inputs so far, the current input cut to fit the width; and
``estimate_total``, the cheap count of articles in the inputs that gives the total."""

from __future__ import annotations

import os
from collections.abc import Iterable

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
)
from rich.table import Column
from rich.text import Text

__all__ = [
    "CountColumn",
    "ErrorsColumn",
    "RateColumn",
    "TimeColumn",
    "batch_progress",
    "estimate_total",
    "progress_columns",
]

# Widest bar: the numbers beside it matter more than a long bar.
BAR_WIDTH = 20
# JSONL files larger than this are not counted line by line (reading them twice would
# cost more than a total is worth); the bar then shows no total.
COUNT_MAX_BYTES = 1 << 30


class RateColumn(ProgressColumn):
    """Articles per second over the run so far (Rich's own speed column is for bytes)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        if elapsed <= 0 or not task.completed:
            return Text("-- articles/s", style="progress.data.speed")
        return Text(f"{task.completed / elapsed:.1f} articles/s", style="progress.data.speed")


class ErrorsColumn(ProgressColumn):
    """Failed inputs so far (the task field ``errors``)."""

    def render(self, task: Task) -> Text:
        errors = int(task.fields.get("errors", 0))
        return Text(f"errors: {errors}", style="red" if errors else "dim")


class CountColumn(ProgressColumn):
    """``12/40 articles 30%`` (or ``12 articles`` with no total)."""

    def render(self, task: Task) -> Text:
        done = int(task.completed)
        if task.total is None:
            return Text(f"{done} articles")
        return Text(f"{done}/{int(task.total)} articles {task.percentage:3.0f}%")


class TimeColumn(ProgressColumn):
    """Time so far and, with a total, the estimated time left: ``0:00:12 eta 0:01:30``."""

    def render(self, task: Task) -> Text:
        elapsed = _clock(task.finished_time if task.finished else task.elapsed)
        if task.total is None or task.finished:
            return Text(elapsed, style="progress.elapsed")
        left = task.time_remaining
        eta = _clock(left) if left is not None else "-:--:--"
        return Text(f"{elapsed} eta {eta}", style="progress.remaining")


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "-:--:--"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def progress_columns() -> tuple[ProgressColumn, ...]:
    return RateColumn(), ErrorsColumn()


def batch_progress(console: Console, *, enabled: bool) -> Progress:
    """The batch bar; one line at 80 columns and up: the numbers never wrap, the bar and
    the current path share what is left (the path cut with an ellipsis)."""

    def cell() -> Column:
        return Column(no_wrap=True)

    return Progress(
        SpinnerColumn(table_column=cell()),
        CountColumn(table_column=cell()),
        BarColumn(bar_width=None, table_column=Column(no_wrap=True, ratio=1, max_width=BAR_WIDTH)),
        TimeColumn(table_column=cell()),
        RateColumn(table_column=cell()),
        ErrorsColumn(table_column=cell()),
        TextColumn(
            "{task.description}",
            table_column=Column(no_wrap=True, overflow="ellipsis", ratio=2, min_width=0),
        ),
        console=console,
        transient=True,
        expand=True,
        disable=not enabled,
    )


def estimate_total(paths: Iterable[str]) -> int | None:
    """Articles the inputs hold, where that is cheap to know; None where it is not
    (stdin, URLs and feeds, WARC, URL lists, very large JSONL)."""
    from ..ingest import is_url, list_files  # here: ingest loads trafilatura

    total = 0
    for path in paths:
        if path == "-" or is_url(path):
            return None
        for file in list_files(path):
            name = file.lower()
            if name.endswith((".warc", ".warc.gz", ".urls")):
                return None
            if name.endswith(".jsonl"):
                lines = _count_lines(file)
                if lines is None:
                    return None
                total += lines
            else:
                total += 1
    return total


def _count_lines(path: str) -> int | None:
    try:
        if os.path.getsize(path) > COUNT_MAX_BYTES:
            return None
        count = 0
        rest = b""
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                parts = (rest + chunk).split(b"\n")
                rest = parts.pop()
                # Non-blank lines: the reader skips blank ones too.
                count += sum(1 for line in parts if line.strip())
        return count + (1 if rest.strip() else 0)
    except OSError:
        return None
