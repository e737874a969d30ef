"""Batch run: ingest -> pipeline (or the local engine's workers) -> report writer.

``run_batch`` streams articles one at a time from the inputs to the report, reports each
failed input (stderr and ``OUT.errors.jsonl``) without stopping, resumes an interrupted
run, and returns the command's exit code. The CLI parses arguments and calls it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import IO, TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from .engine.local import WorkerDied
from .engine.progress import batch_progress, estimate_total
from .model.article import printable_path
from .model.errors import BadInputError, ConfigError, SourcetraceError
from .reports import BINARY_FORMATS, RESUMABLE, ReportWriter, get_writer

if TYPE_CHECKING:
    from .ingest.fetch import FetchOptions
    from .ingest.metadata import MetadataDefaults
    from .model.article import Article
    from .model.record import Analysis
    from .pipeline import Pipeline, PipelineOptions

    PipelineFactory = Callable[[PipelineOptions], Pipeline]

logger = logging.getLogger(__name__)

EXIT_OK = 0  # every input analysed
EXIT_PARTIAL = 1  # some inputs failed; the others were written
EXIT_USAGE = 2  # bad command line (Typer's own code) or unusable alias file
EXIT_NOTHING = 3  # nothing could be analysed
EXIT_INTERRUPTED = 130  # Ctrl-C

ERRORS_SUFFIX = ".errors.jsonl"


@dataclass
class Counts:
    written: int = 0
    skipped: int = 0  # already in the output (--resume)
    failed: int = 0

    def exit_code(self) -> int:
        if self.written + self.skipped == 0:
            return EXIT_NOTHING
        return EXIT_PARTIAL if self.failed else EXIT_OK


class ErrorLog:
    """Reports a failed input: one line on stderr, one JSON line in the errors file."""

    def __init__(self, console: Console, path: str | None) -> None:
        self.console = console
        self.path = path
        self._fp: IO[str] | None = None
        if path and os.path.exists(path):
            os.remove(path)  # the file describes this run only

    def report(self, path: str, reason: str) -> None:
        path = printable_path(path)
        reason = printable_path(" ".join(str(reason).split()) or "unknown error")
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


def stderr_console() -> Console:
    # soft_wrap: an error line stays one line however long the path is.
    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@_sigterm_as_interrupt()
def run_batch(
    paths: list[str],
    options: PipelineOptions,
    *,
    output: str | None,
    fmt: str,
    resume: bool,
    show_progress: bool,
    workers: int = 1,
    console: Console | None = None,
    pipeline_factory: PipelineFactory | None = None,
    metadata: MetadataDefaults | None = None,
    fetch: FetchOptions | None = None,
    note: str | None = None,
) -> int:
    """Ingest -> Pipeline.analyze_many -> writer, one article at a time; return exit code.

    options: the pipeline to run (the workers build their own from it).
    workers > 1: the analysis runs in that many processes (engine.local), in input order.
    console: where errors and progress go (default: stderr).
    pipeline_factory: builds this process's pipeline from ``options`` (default
        ``PipelineOptions.build``; tests pass a fake).
    metadata: outlet/published/url for articles that lack them (``--meta``, ``--outlet``).
    fetch: timeout, size cap and redirects for URL inputs.
    note: added to the summary line ("tier accurate (auto)": what the run chose).
    A run writing to a file (or showing progress on a terminal) ends with one summary
    line on stderr:
    ``N articles, F failed, in T s -> OUTPUT`` (then ``; NOTE``).
    SIGTERM (what ``timeout`` and ``docker stop`` send) stops the run as Ctrl-C does: the
    output holds whole records, the workers end, and the exit code is 130.
    """
    err = console or stderr_console()
    done: set[str] = set()
    if resume and output:
        try:
            done = {resume_key(path) for path in RESUMABLE[fmt](output)}
        except (SourcetraceError, OSError, UnicodeDecodeError) as exc:
            err.print(Text(f"error: {output}: {exc}", style="red"))
            return EXIT_USAGE
        logger.info("resuming %s: %d articles already written", output, len(done))

    # Imported here: ingest loads trafilatura, which --help should not wait for.
    from .ingest import DEFAULT_FETCH, iter_articles

    if output and (reason := _cannot_create(output)):
        # Said before any input is read: the output is opened only after the first article.
        err.print(Text(f"error: {output}: cannot write: {reason}", style="red"))
        return EXIT_USAGE
    counts = Counts()
    errors = ErrorLog(err, output + ERRORS_SUFFIX if output else None)
    stdin = sys.stdin if "-" in paths else None
    own = {output, output + ERRORS_SUFFIX} if output else set()
    items = iter_articles(paths, stdin=stdin, fetch=fetch or DEFAULT_FETCH)
    if metadata:
        items = metadata.over(items)
    articles = admit(without_own_files(items, own), done, counts, errors)
    bar = show_progress and err.is_terminal
    progress = batch_progress(err, enabled=bar)
    started = time.monotonic()
    fp: IO[str] | None = None
    writer: ReportWriter | None = None
    try:
        with progress:
            total = estimate_total(paths) if bar else None
            task = progress.add_task("", total=total, errors=0)

            def seen() -> int:
                return counts.written + counts.failed + counts.skipped

            # Up to the first readable article before spaCy is imported: inputs that are
            # all unreadable are reported in a moment, with no model loaded.
            first = next(articles, None)
            pipeline = None
            if first is not None:
                try:
                    pipeline = pipeline_factory(options) if pipeline_factory else options.build()
                except ConfigError as exc:
                    err.print(Text(f"error: {exc}", style="red"))
                    return EXIT_USAGE
            try:
                fp, writer = open_writer(output, fmt, append=resume)
            except OSError as exc:
                err.print(Text(f"error: {output or 'stdout'}: cannot write: "
                               f"{exc.strerror or exc}", style="red"))
                return EXIT_USAGE
            if pipeline is None or first is None:
                stream: Iterator[tuple[Article, Analysis | Exception]] = iter(())
            else:
                from .pipeline import describe_error, failure_reason

                stream = _analyze(pipeline, chain([first], articles), workers, options)
            for article, result in stream:
                if total is not None and seen() >= total:
                    total = None  # more than counted (a URL list in a .txt): no total
                    progress.update(task, total=None)
                progress.update(task, description=printable_path(article.path),
                                errors=counts.failed, completed=seen())
                if isinstance(result, Exception):
                    errors.report(article.path, failure_reason(result))
                    counts.failed += 1
                    continue
                try:
                    writer.write(result)
                except OSError:
                    raise
                except Exception as exc:
                    logger.debug("writing %s failed", article.path, exc_info=True)
                    errors.report(article.path, describe_error(exc))
                    counts.failed += 1
                    continue
                counts.written += 1
                progress.update(task, completed=seen())
    except KeyboardInterrupt:
        hint = " (rerun with --resume to continue)" if output and fmt in RESUMABLE else ""
        err.print(Text(f"interrupted after {counts.written} articles{hint}", style="yellow"))
        return EXIT_INTERRUPTED
    except ConfigError as exc:
        err.print(Text(f"error: {exc}", style="red"))
        return EXIT_USAGE
    except (SourcetraceError, WorkerDied) as exc:
        if not isinstance(exc, WorkerDied) and not _pipeline_broken(exc):
            raise
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
        if writer is not None:
            with contextlib.suppress(OSError):
                writer.close()
        if fp is not None and fp is not sys.stdout:
            fp.close()

    logger.info(
        "%d articles written, %d skipped, %d failed", counts.written, counts.skipped, counts.failed
    )
    if counts.written + counts.skipped + counts.failed == 0:
        err.print(Text("error: no articles found in the given paths", style="red"))
    elif output or (err.is_terminal and show_progress):
        # Written to a file, a run would otherwise end in silence; to stdout on a pipe,
        # stderr stays clean for scripts that read it.
        line = summary_line(counts, time.monotonic() - started, output)
        err.print(f"{line}; {note}" if note else line)
    return counts.exit_code()


def _cannot_create(output: str) -> str | None:
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        return "No such file or directory"
    if os.path.isdir(output):
        return "Is a directory"
    if not os.access(folder, os.W_OK) and not os.access(output, os.W_OK):
        return "Permission denied"
    return None


def _pipeline_broken(exc: BaseException) -> bool:
    # Imported only here: a run that never analysed never imported the pipeline (spaCy).
    from .pipeline import PipelineBroken

    return isinstance(exc, PipelineBroken)


def summary_line(counts: Counts, seconds: float, output: str | None) -> str:
    """``N articles, F failed, in T s -> OUTPUT`` (plus ``S already done`` on resume)."""
    done = f", {counts.skipped} already done" if counts.skipped else ""
    plural = "" if counts.written == 1 else "s"
    return (f"{counts.written} article{plural}, {counts.failed} failed{done}, "
            f"in {seconds:.1f} s -> {output or 'stdout'}")


def _silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def open_writer(output: str | None, fmt: str, *, append: bool) -> tuple[IO[str], ReportWriter]:
    """The file (stdout when ``output`` is None) and the report writer on it.

    RAISES OSError: stdout is closed (``>&-``) and no ``output`` was given.
    """
    if output is None and sys.stdout is None:
        raise OSError(errno.EBADF, "stdout is closed; write to a file with -o FILE")
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


def without_own_files(items: Iterable[object], own: set[str]) -> Iterator[object]:
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


def resume_key(path: str) -> str:
    """What --resume matches an article by: its file's absolute path (plus ``#N`` for a
    record of a JSONL or WARC file), so ``in/a.txt`` and ``/abs/in/a.txt`` are one article.
    Works on the printable form, which is what the output holds."""
    from .ingest import STDIN_PATH, is_url  # here: ingest loads trafilatura

    if is_url(path):
        return printable_path(path)  # a URL is its own key ("#" may be its fragment)
    base, sep, record = path.rpartition("#") if "#" in path else (path, "", "")
    if base != STDIN_PATH:
        base = os.path.abspath(base)
    return printable_path(base + sep + record)


def admit(
    items: Iterable[object], done: set[str], counts: Counts, errors: ErrorLog
) -> Iterator[Article]:
    """Articles from ingest, minus failed inputs (reported here) and ones already done
    (``done`` holds ``resume_key``s). Imports nothing heavy: it runs before spaCy is."""
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
            reason = item.reason if isinstance(item, BadInputError) else _describe(item)
            errors.report(str(getattr(item, "path", "<input>")), reason)
            counts.failed += 1
        elif resume_key(item.path) in done:  # type: ignore[attr-defined]
            counts.skipped += 1
        else:
            yield item  # type: ignore[misc]


def _describe(exc: BaseException) -> str:
    # pipeline.describe_error's wording, without importing the pipeline.
    msg = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def _analyze(
    pipeline: Pipeline, articles: Iterator[Article], workers: int, options: PipelineOptions
) -> Iterator[tuple[Article, Analysis | Exception]]:
    if workers <= 1:
        from .pipeline import analyze_safely

        return analyze_safely(pipeline, articles)
    from .engine.local import analyze_parallel

    return analyze_parallel(articles, workers=workers, options=options)
