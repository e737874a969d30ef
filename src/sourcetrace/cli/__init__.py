"""Command line: ``sourcetrace analyze | demo | fetch | eval polnear | train attribution |
corpus | serve``.

This package defines the arguments and dispatches; the work is elsewhere: reading is
``ingest``, the batch run is ``run``, analysing is ``pipeline`` and writing is ``reports``.
Heavy modules (spaCy behind ``Pipeline``, trafilatura behind ``ingest``) are imported
inside the commands so ``--help`` is quick.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler

from ..run import stderr_console as _stderr_console
from . import analyze, corpus, evaluate, fetch, serve, train
from .common import EXIT_HELP, state

__all__ = ["app"]

app = typer.Typer(
    name="sourcetrace",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
app.add_typer(evaluate.app, name="eval")
app.add_typer(train.app, name="train")
app.add_typer(corpus.app, name="corpus")
app.command("serve")(serve.serve)
app.command(epilog=EXIT_HELP)(analyze.analyze)
app.command(epilog=EXIT_HELP)(analyze.demo)
app.command("fetch", epilog=EXIT_HELP)(fetch.fetch)


def _show_version(value: bool) -> None:
    if value:
        from ..model.version import VERSION

        typer.echo(f"sourcetrace {VERSION}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log what happens (debug level) on stderr.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", is_eager=True,
                     callback=_show_version),
    ] = False,
) -> None:
    """Trace every claim in news articles to its source: who is quoted or paraphrased,
    through whom, what kind of source, and what stands in the writer's own voice."""
    state.err = _stderr_console()
    state.pipeline_factory = ctx.obj
    _setup_logging(state.err, verbose)


def _setup_logging(console: Console, verbose: bool) -> None:
    pkg = logging.getLogger("sourcetrace")
    for handler in list(pkg.handlers):
        if getattr(handler, "_sourcetrace_cli", False):
            pkg.removeHandler(handler)
    handler = RichHandler(console=console, show_path=False, markup=False, rich_tracebacks=False)
    handler._sourcetrace_cli = True  # type: ignore[attr-defined]
    pkg.addHandler(handler)
    pkg.setLevel(logging.DEBUG if verbose else logging.WARNING)
    pkg.propagate = False
