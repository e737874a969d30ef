"""Rich progress columns for a batch run: articles per second and failed inputs so far."""

from __future__ import annotations

from rich.progress import ProgressColumn, Task
from rich.text import Text

__all__ = ["ErrorsColumn", "RateColumn", "progress_columns"]


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


def progress_columns() -> tuple[ProgressColumn, ...]:
    return RateColumn(), ErrorsColumn()
