"""``sourcetrace analyze`` and ``sourcetrace demo``: arguments, checks, then ``run``.

The batch run itself (ingest -> pipeline or engine -> writer, errors, resume, exit
codes) is ``sourcetrace.run``; Spark runs go to ``engine.spark``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from ..reports import EXTENSIONS, RESUMABLE, format_for_path
from ..run import EXIT_NOTHING, EXIT_USAGE, run_batch
from .common import (
    READABLE_HELP,
    MetaOption,
    ModelOption,
    OutletOption,
    PublishedOption,
    TimeoutOption,
    fetch_options,
    metadata_defaults,
    model_choice,
    resolve_tier,
    state,
    tier_options,
)

if TYPE_CHECKING:
    from ..pipeline import PipelineOptions


class Engine(StrEnum):
    local = "local"
    spark = "spark"


class ReportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    html = "html"
    text = "text"
    parquet = "parquet"


def analyze(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help=f"Articles: {READABLE_HELP}.",
            show_default=False,
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=(
                "Write the report here (default: stdout). Failed inputs are listed, one "
                "JSON object per line, in FILE.errors.jsonl (created only when an input "
                "fails, replaced on each run). With stdout there is no errors file: the "
                "error lines on stderr are the record."
            ),
        ),
    ] = None,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help=(
                "Report format. Default: from the -o extension (.jsonl/.json, .csv, .parquet, "
                ".html, .txt), else text on a terminal and jsonl otherwise."
            ),
            show_default=False,
        ),
    ] = None,
    aliases: Annotated[
        list[Path] | None,
        typer.Option(
            "--aliases",
            metavar="FILE",
            help="Alias table (YAML or CSV) added to the built-in one; repeatable.",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ] = None,
    fast: Annotated[
        bool, typer.Option("--fast", help="Rule-only analysis for bulk work (= --model fast).")
    ] = False,
    model: ModelOption = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help=(
                "Continue an interrupted run (jsonl or csv to a file): skip articles "
                "already in the output and append the rest."
            ),
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            metavar="N",
            help=(
                "Worker processes for the local engine, each with its own NLP pipeline "
                "(output order stays the input order)."
            ),
        ),
    ] = 1,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="local: this machine (--workers N); spark: PySpark, Parquet output (-o).",
        ),
    ] = Engine.local,
    master: Annotated[
        str | None,
        typer.Option(
            "--master",
            metavar="URL",
            help="Spark master (e.g. local[4], spark://host:7077, yarn); default: Spark's.",
        ),
    ] = None,
    outlet: OutletOption = None,
    published: PublishedOption = None,
    meta: MetaOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Analyse articles and write a report of who says what, through whom.

    Articles stream one at a time from input to report, so any number fits in memory.
    A failed input gets one "error: PATH: REASON" line on stderr and the run goes on.
    Every record names the attribution tier that ran (--model; auto picks accurate for
    a few single articles when it is installed, default for bulk work).
    """
    choice, folder = model_choice(ctx, model, fast)
    if engine is Engine.spark:
        raise typer.Exit(_run_spark(paths, output, fmt, aliases, choice, folder, resume, master))
    if master is not None:
        raise typer.BadParameter("only applies with --engine spark", param_hint="--master")
    # Everything the command line can get wrong is refused here, before any model loads.
    chosen = _choose_format(fmt.value if fmt else None, output)
    defaults = metadata_defaults(outlet, published, meta)
    to_file = output not in (None, "-")
    if resume and not to_file:
        raise typer.BadParameter("needs an output file (-o FILE)", param_hint="--resume")
    if resume and chosen not in RESUMABLE:
        raise typer.BadParameter(
            f"works with {' or '.join(RESUMABLE)} output, not {chosen}", param_hint="--resume"
        )
    tier = resolve_tier(choice, paths, workers=workers)
    show_progress = (len(paths) > 1 or any(_many(p) for p in paths)) and not (
        not to_file and chosen == "text" and sys.stdout is not None and sys.stdout.isatty()
    )
    code = run_batch(
        paths,
        _options(aliases, tier, folder),
        output=output if to_file else None,
        fmt=chosen,
        resume=resume,
        show_progress=show_progress,
        workers=workers,
        console=state.err,
        pipeline_factory=state.pipeline_factory,
        metadata=defaults,
        fetch=fetch_options(timeout),
        note=f"tier {tier} (auto)" if choice == "auto" else None,
    )
    raise typer.Exit(code)


def _many(path: str) -> bool:
    """Whether one input may hold many articles (a folder, a URL that may be a feed, a URL
    list), so a progress bar is worth showing."""
    lower = path.lower()
    return os.path.isdir(path) or lower.startswith(("http://", "https://")) or lower.endswith(
        ".urls")


def _run_spark(
    paths: list[str],
    output: str | None,
    fmt: ReportFormat | None,
    aliases: list[Path] | None,
    choice: str,
    folder: str | None,
    resume: bool,
    master: str | None,
) -> int:
    if output in (None, "-"):
        raise typer.BadParameter("--engine spark needs an output (-o OUT.parquet)", "-o")
    if fmt not in (None, ReportFormat.parquet):
        raise typer.BadParameter("--engine spark writes Parquet only", param_hint="--format")
    if resume:
        raise typer.BadParameter("Spark retries failed tasks itself", param_hint="--resume")
    if "-" in paths:
        raise typer.BadParameter("stdin cannot be read by Spark tasks", param_hint="PATH")
    tier = resolve_tier(choice, paths, spark=True)
    from ..engine.spark import run_spark

    return run_spark(
        paths,
        output,  # type: ignore[arg-type]
        options=_options(aliases, tier, folder),
        master=master,
        console=state.err,
    )


def _choose_format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    if output not in (None, "-"):
        found = format_for_path(output)
        if found is None:
            known = ", ".join(EXTENSIONS)
            state.err.print(Text(
                f"error: {output}: unknown output extension; sourcetrace writes {known} "
                "(or name the format with --format)", style="red"))
            raise typer.Exit(EXIT_USAGE)
        return found
    return "text" if sys.stdout is not None and sys.stdout.isatty() else "jsonl"


def demo(
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReportFormat.text,
    fast: Annotated[bool, typer.Option("--fast", help="Rule-only analysis.")] = False,
) -> None:
    """Analyse the example articles that ship with sourcetrace and show the result."""
    from ..ingest import KNOWN_EXTENSIONS

    examples = resources.files("sourcetrace") / "data" / "examples"
    entries = (
        sorted(
            (e for e in examples.iterdir() if e.name.lower().endswith(KNOWN_EXTENSIONS)),
            key=lambda e: e.name,
        )
        if examples.is_dir()
        else []
    )
    if not entries:
        state.err.print(Text("error: no example articles in this build", style="red"))
        raise typer.Exit(EXIT_NOTHING)
    with contextlib.ExitStack() as stack:
        # as_file gives real paths even when the package is zipped.
        paths = [stack.enter_context(resources.as_file(e)) for e in entries]
        folders = {p.parent for p in paths}
        if len(folders) == 1:  # short article paths in the report: "01_x.txt"
            stack.enter_context(contextlib.chdir(folders.pop()))
            paths = [Path(p.name) for p in paths]
        code = run_batch(
            [str(p) for p in paths],
            _options(None, "fast" if fast else "default", None),
            output=None,
            fmt=fmt.value,
            resume=False,
            show_progress=False,
            console=state.err,
            pipeline_factory=state.pipeline_factory,
        )
    raise typer.Exit(code)


def _options(aliases: list[Path] | None, tier: str, folder: str | None) -> PipelineOptions:
    return tier_options(tuple(str(a) for a in aliases or ()), tier, folder)
