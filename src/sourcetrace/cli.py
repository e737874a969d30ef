"""Command line: ``sourcetrace analyze | demo | eval polnear | train attribution``.

Typer commands and the batch loop live here; reading is ``ingest``, analysing is
``Pipeline`` and writing is ``reports``. Heavy modules (spaCy behind ``Pipeline``,
trafilatura behind ``ingest``) are imported inside the commands so ``--help`` is quick.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from .corpus.cli import app as corpus_app
from .engine.local import WorkerDied
from .model.errors import BadInputError, ConfigError, SourcetraceError
from .reports import BINARY_FORMATS, RESUMABLE, ReportWriter, format_for_path, get_writer
from .web.cli import serve

if TYPE_CHECKING:
    from .model.article import Article
    from .model.record import Analysis
    from .pipeline import Pipeline

logger = logging.getLogger(__name__)

EXIT_OK = 0  # every input analysed
EXIT_PARTIAL = 1  # some inputs failed; the others were written
EXIT_USAGE = 2  # bad command line (Typer's own code) or unusable alias file
EXIT_NOTHING = 3  # nothing could be analysed
EXIT_INTERRUPTED = 130  # Ctrl-C

ERRORS_SUFFIX = ".errors.jsonl"

_EXIT_HELP = (
    "Exit status: 0 all inputs analysed; 1 some inputs failed (the rest were written); "
    "2 usage error; 3 nothing could be analysed; 130 interrupted."
)

app = typer.Typer(
    name="sourcetrace",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Score sourcetrace against annotated corpora.", no_args_is_help=True)
train_app = typer.Typer(help="Train sourcetrace models.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")
app.add_typer(corpus_app, name="corpus")
app.command("serve")(serve)


class Engine(StrEnum):
    local = "local"
    spark = "spark"


class ReportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    html = "html"
    text = "text"
    parquet = "parquet"


def _stderr_console() -> Console:
    # soft_wrap: an error line stays one line however long the path is.
    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


@dataclass
class _State:
    """Per-invocation state, reset by the app callback."""

    err: Console = field(default_factory=_stderr_console)


_state = _State()


@app.callback()
def main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log what happens (debug level) on stderr.")
    ] = False,
) -> None:
    """Trace every claim in news articles to its source: who is quoted or paraphrased,
    through whom, what kind of source, and what stands in the writer's own voice."""
    _state.err = _stderr_console()
    _setup_logging(_state.err, verbose)


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


# --------------------------------------------------------------------------- analyze


@app.command(epilog=_EXIT_HELP)
def analyze(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="Article files (.txt, .html, .jsonl, .warc...), directories, or - for stdin.",
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
    fast: Annotated[bool, typer.Option("--fast", help="Rule-only analysis for bulk work.")] = False,
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
) -> None:
    """Analyse articles and write a report of who says what, through whom.

    Articles stream one at a time from input to report, so any number fits in memory.
    A failed input gets one "error: PATH: REASON" line on stderr and the run goes on.
    """
    if engine is Engine.spark:
        raise typer.Exit(_run_spark(paths, output, fmt, aliases, fast, resume, master))
    if master is not None:
        raise typer.BadParameter("only applies with --engine spark", param_hint="--master")
    chosen = _choose_format(fmt.value if fmt else None, output)
    to_file = output not in (None, "-")
    if resume and not to_file:
        raise typer.BadParameter("needs an output file (-o FILE)", param_hint="--resume")
    if resume and chosen not in RESUMABLE:
        raise typer.BadParameter(
            f"works with {' or '.join(RESUMABLE)} output, not {chosen}", param_hint="--resume"
        )
    show_progress = (len(paths) > 1 or any(os.path.isdir(p) for p in paths)) and not (
        not to_file and chosen == "text" and sys.stdout.isatty()
    )
    code = _run(
        paths,
        output=output if to_file else None,
        fmt=chosen,
        aliases=[str(a) for a in aliases or ()],
        fast=fast,
        resume=resume,
        show_progress=show_progress,
        workers=workers,
    )
    raise typer.Exit(code)


def _run_spark(
    paths: list[str],
    output: str | None,
    fmt: ReportFormat | None,
    aliases: list[Path] | None,
    fast: bool,
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
    from .engine.spark import run_spark

    return run_spark(
        paths,
        output,  # type: ignore[arg-type]
        aliases=[str(a) for a in aliases or ()],
        fast=fast,
        master=master,
        console=_state.err,
    )


def _choose_format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    if output not in (None, "-"):
        return format_for_path(output) or "jsonl"
    return "text" if sys.stdout.isatty() else "jsonl"


# ------------------------------------------------------------------------------ demo


@app.command(epilog=_EXIT_HELP)
def demo(
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReportFormat.text,
    fast: Annotated[bool, typer.Option("--fast", help="Rule-only analysis.")] = False,
) -> None:
    """Analyse the example articles that ship with sourcetrace and show the result."""
    from .ingest import KNOWN_EXTENSIONS

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
        _state.err.print(Text("error: no example articles in this build", style="red"))
        raise typer.Exit(EXIT_NOTHING)
    with contextlib.ExitStack() as stack:
        # as_file gives real paths even when the package is zipped.
        paths = [stack.enter_context(resources.as_file(e)) for e in entries]
        folders = {p.parent for p in paths}
        if len(folders) == 1:  # short article paths in the report: "01_x.txt"
            stack.enter_context(contextlib.chdir(folders.pop()))
            paths = [Path(p.name) for p in paths]
        code = _run(
            [str(p) for p in paths],
            output=None,
            fmt=fmt.value,
            aliases=[],
            fast=fast,
            resume=False,
            show_progress=False,
        )
    raise typer.Exit(code)


# ------------------------------------------------------------------------ eval, train


@eval_app.command("polnear")
def eval_polnear(
    directory: Annotated[str, typer.Argument(metavar="DIR", help="The PolNeAR corpus folder.")],
    split: Annotated[
        str, typer.Option("--split", metavar="NAME", help="Which split to score (e.g. test).")
    ],
    fast: Annotated[bool, typer.Option("--fast", help="Score the rule-only path.")] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", metavar="N", min=1, help="Score only the first N documents."),
    ] = None,
    json_out: Annotated[
        str | None, typer.Option("--json", metavar="FILE", help="Also write the scores as JSON.")
    ] = None,
    model: Annotated[
        str | None,
        typer.Option("--model", metavar="DIR", help="An attribution model, not the shipped one."),
    ] = None,
) -> None:
    """Score attribution extraction against the PolNeAR corpus and print the tables."""
    try:
        from .evaluate.polnear import main as polnear_main
    except ImportError as exc:
        logger.debug("evaluate.polnear import failed", exc_info=True)
        _unavailable(f"evaluation is not available in this build ({exc})")
    options = {
        k: v
        for k, v in (("limit", limit), ("json_out", json_out), ("model", model))
        if v is not None
    }
    raise typer.Exit(polnear_main(directory, split, fast=fast, console=Console(), **options))


@train_app.command("attribution")
def train_attribution(
    data: Annotated[str, typer.Option("--data", metavar="DIR", help="Training data folder.")],
    out: Annotated[
        str | None, typer.Option("--out", metavar="DIR", help="Where to save the model.")
    ] = None,
    epochs: Annotated[
        int | None, typer.Option("--epochs", min=1, help="Training epochs (default: built in).")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
) -> None:
    """Train the attribution model."""
    try:
        from .train import main as train_main
    except ImportError:
        logger.debug("train import failed", exc_info=True)
        _unavailable("training is not available in this build")
    options = {k: v for k, v in (("epochs", epochs), ("seed", seed)) if v is not None}
    raise typer.Exit(train_main(data, out, **options))


def _unavailable(message: str) -> None:
    _state.err.print(Text(f"error: {message}", style="red"))
    raise typer.Exit(EXIT_USAGE)


# ------------------------------------------------------------------------- batch run


@dataclass
class _Counts:
    written: int = 0
    skipped: int = 0  # already in the output (--resume)
    failed: int = 0

    def exit_code(self) -> int:
        if self.written + self.skipped == 0:
            return EXIT_NOTHING
        return EXIT_PARTIAL if self.failed else EXIT_OK


class _ErrorLog:
    """Reports a failed input: one line on stderr, one JSON line in the errors file."""

    def __init__(self, console: Console, path: str | None) -> None:
        self.console = console
        self.path = path
        self._fp: IO[str] | None = None
        if path and os.path.exists(path):
            os.remove(path)  # the file describes this run only

    def report(self, path: str, reason: str) -> None:
        reason = " ".join(str(reason).split()) or "unknown error"
        self.console.print(Text(f"error: {path}: {reason}", style="red"))
        if self.path:
            if self._fp is None:
                self._fp = open(self.path, "w", encoding="utf-8")  # noqa: SIM115
            self._fp.write(json.dumps({"path": path, "reason": reason}, ensure_ascii=False))
            self._fp.write("\n")
            self._fp.flush()

    def close(self) -> None:
        if self._fp is not None:
            self._fp.close()


def _run(
    paths: list[str],
    *,
    output: str | None,
    fmt: str,
    aliases: list[str],
    fast: bool,
    resume: bool,
    show_progress: bool,
    workers: int = 1,
) -> int:
    """Ingest -> Pipeline.analyze_many -> writer, one article at a time; return exit code.

    workers > 1: the analysis runs in that many processes (engine.local), in input order.
    """
    err = _state.err
    done: set[str] = set()
    if resume and output:
        try:
            done = RESUMABLE[fmt](output)
        except (SourcetraceError, OSError, UnicodeDecodeError) as exc:
            err.print(Text(f"error: {output}: {exc}", style="red"))
            return EXIT_USAGE
        logger.info("resuming %s: %d articles already written", output, len(done))

    from .ingest import iter_articles

    try:
        pipeline = _new_pipeline(aliases, fast)
    except ConfigError as exc:
        err.print(Text(f"error: {exc}", style="red"))
        return EXIT_USAGE

    try:
        fp, writer = _open_writer(output, fmt, append=resume)
    except OSError as exc:
        err.print(Text(f"error: {output}: cannot write: {exc.strerror or exc}", style="red"))
        return EXIT_USAGE

    counts = _Counts()
    errors = _ErrorLog(err, output + ERRORS_SUFFIX if output else None)
    from .engine.local import progress_columns

    progress = Progress(
        SpinnerColumn(),
        TextColumn("articles: {task.completed}"),
        BarColumn(),
        TimeElapsedColumn(),
        *progress_columns(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=not (show_progress and err.is_terminal),
    )
    try:
        with progress:
            task = progress.add_task("", total=None, errors=0)
            stdin = sys.stdin if "-" in paths else None
            own = {output, output + ERRORS_SUFFIX} if output else set()
            items = _without_own_files(iter_articles(paths, stdin=stdin), own)
            articles = _admit(items, done, counts, errors)
            for article, result in _analyze(pipeline, articles, workers, aliases, fast):
                progress.update(task, description=article.path, errors=counts.failed)
                if isinstance(result, Exception):
                    errors.report(article.path, _reason(result))
                    counts.failed += 1
                    continue
                try:
                    writer.write(result)
                except OSError:
                    raise
                except Exception as exc:
                    logger.debug("writing %s failed", article.path, exc_info=True)
                    errors.report(article.path, _describe(exc))
                    counts.failed += 1
                    continue
                counts.written += 1
                progress.advance(task)
    except KeyboardInterrupt:
        hint = " (rerun with --resume to continue)" if output and fmt in RESUMABLE else ""
        err.print(Text(f"interrupted after {counts.written} articles{hint}", style="yellow"))
        return EXIT_INTERRUPTED
    except ConfigError as exc:
        err.print(Text(f"error: {exc}", style="red"))
        return EXIT_USAGE
    except (_PipelineBroken, WorkerDied) as exc:
        err.print(Text(f"error: analysis stopped: {exc}", style="red"))
        counts.failed += 1
        return counts.exit_code()
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            _silence_stdout()  # the reader left (| head): no noise at interpreter exit
        else:
            where = output or "stdout"
            err.print(Text(f"error: {where}: cannot write: {exc.strerror or exc}", style="red"))
        counts.failed += 1
        return EXIT_PARTIAL if counts.written else EXIT_NOTHING
    finally:
        errors.close()
        with contextlib.suppress(OSError):
            writer.close()
        if fp is not sys.stdout:
            fp.close()

    logger.info(
        "%d articles written, %d skipped, %d failed", counts.written, counts.skipped, counts.failed
    )
    if counts.written + counts.skipped + counts.failed == 0:
        err.print(Text("error: no articles found in the given paths", style="red"))
    return counts.exit_code()


def _silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _new_pipeline(aliases: list[str], fast: bool) -> Pipeline:
    # Imported here: the pipeline pulls in spaCy, which --help should not wait for.
    from .pipeline import Pipeline

    return Pipeline(aliases=aliases, fast=fast)


def _open_writer(output: str | None, fmt: str, *, append: bool) -> tuple[IO[str], ReportWriter]:
    if output is None:
        if fmt in BINARY_FORMATS:
            return sys.stdout, get_writer(fmt, sys.stdout.buffer)
        return sys.stdout, get_writer(fmt, sys.stdout)
    options = {}
    if fmt == "csv":
        # Append after an existing header; a fresh or emptied file gets one.
        options["header"] = not (append and os.path.exists(output) and os.path.getsize(output))
    # newline="": the writers put "\n" themselves (and csv needs it this way).
    if fmt in BINARY_FORMATS:
        fp = open(output, "wb")  # noqa: SIM115
    else:
        fp = open(output, "a" if append else "w", encoding="utf-8", newline="")  # noqa: SIM115
    try:
        return fp, get_writer(fmt, fp, **options)
    except Exception:
        fp.close()
        raise


def _without_own_files(items: Iterable[object], own: set[str]) -> Iterator[object]:
    """Drop inputs that are this run's own output or errors file.

    ``analyze DIR -o DIR/out.jsonl`` would otherwise read the report it is writing.
    """
    if not own:
        yield from items
        return
    own_real = {os.path.realpath(p) for p in own}
    for item in items:
        path = str(getattr(item, "path", ""))
        base = path.rsplit("#", 1)[0] if "#" in path else path
        if base and (os.path.realpath(base) in own_real or os.path.realpath(path) in own_real):
            logger.debug("skipped %s: it is this run's own output", path)
            continue
        yield item


def _admit(
    items: Iterable[object], done: set[str], counts: _Counts, errors: _ErrorLog
) -> Iterator[Article]:
    """Articles from ingest, minus failed inputs (reported here) and ones already done."""
    it = iter(items)
    while True:
        try:
            item = next(it)
        except StopIteration:
            return
        except Exception as exc:  # ingest itself broke: its iterator cannot go on
            logger.debug("ingest failed", exc_info=True)
            errors.report("<input>", f"reading inputs stopped: {_describe(exc)}")
            counts.failed += 1
            return
        if isinstance(item, Exception):
            errors.report(str(getattr(item, "path", "<input>")), _reason(item))
            counts.failed += 1
        elif item.path in done:  # type: ignore[attr-defined]
            counts.skipped += 1
        else:
            yield item  # type: ignore[misc]


def _analyze(
    pipeline: Pipeline, articles: Iterator[Article], workers: int, aliases: list[str], fast: bool
) -> Iterator[tuple[Article, Analysis | Exception]]:
    if workers <= 1:
        return _analyze_safely(pipeline, articles)
    from .engine.local import analyze_parallel

    return analyze_parallel(articles, workers=workers, aliases=aliases, fast=fast)


def _analyze_safely(
    pipeline: Pipeline, articles: Iterator[Article]
) -> Iterator[tuple[Article, Analysis | Exception]]:
    """Pair each article with its Analysis, or with the error analysing it gave.

    ``analyze_many`` may yield a BadInputError for an article it could not analyse;
    that is passed on as the article's result. It also works in batches, so when it
    raises we cannot tell which of the articles it has taken but not yet returned
    broke it. Those are retried one by one (the one that fails again is reported),
    then batching resumes with the rest.
    ``ConfigError`` is not an article's fault: it stops the run.
    """
    pending: deque[Article] = deque()

    def feed() -> Iterator[Article]:
        for article in articles:
            pending.append(article)
            yield article

    while True:
        try:
            for analysis in pipeline.analyze_many(feed()):
                yield pending.popleft(), analysis
            return
        except ConfigError:
            raise
        except Exception as exc:
            if not pending:  # no article to blame: the pipeline itself is broken
                raise _PipelineBroken(_describe(exc)) from exc
            logger.debug("batch failed (%s); retrying %d articles one by one", exc, len(pending))
        while pending:
            article = pending.popleft()
            try:
                result: Analysis | Exception = _analyze_one(pipeline, article)
            except ConfigError:
                raise
            except Exception as exc:
                logger.debug("analysing %s failed", article.path, exc_info=True)
                result = exc
            yield article, result


class _PipelineBroken(SourcetraceError):
    """analyze_many failed with no article in hand, so no article can be blamed."""


def _analyze_one(pipeline: Pipeline, article: Article) -> Analysis | Exception:
    results = list(pipeline.analyze_many([article]))
    if len(results) != 1:
        raise RuntimeError(f"pipeline returned {len(results)} analyses for one article")
    return results[0]


def _reason(exc: BaseException) -> str:
    """A BadInputError's own reason, or "ValueError: message" for anything else."""
    if isinstance(exc, BadInputError):
        return exc.reason
    return _describe(exc)


def _describe(exc: BaseException) -> str:
    """One-line reason for an unexpected exception: "ValueError: bad offsets"."""
    msg = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


if __name__ == "__main__":
    app()
