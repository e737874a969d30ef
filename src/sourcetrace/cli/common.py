"""What the commands share: the per-invocation stderr console and pipeline factory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.text import Text

from ..run import EXIT_USAGE, stderr_console

if TYPE_CHECKING:
    from ..pipeline import Pipeline, PipelineOptions

EXIT_HELP = (
    "Exit status: 0 all inputs analysed; 1 some inputs failed (the rest were written); "
    "2 usage error; 3 nothing could be analysed; 130 interrupted."
)


@dataclass
class State:
    """Per-invocation state, reset by the app callback.

    pipeline_factory: the invocation's ``obj`` (``CliRunner().invoke(app, args, obj=f)``):
        builds the pipeline from its options instead of ``PipelineOptions.build``.
    """

    err: Console = field(default_factory=stderr_console)
    pipeline_factory: Callable[[PipelineOptions], Pipeline] | None = None


state = State()


def unavailable(message: str) -> None:
    state.err.print(Text(f"error: {message}", style="red"))
    raise typer.Exit(EXIT_USAGE)
