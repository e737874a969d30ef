"""Local engine: analyse a stream of articles in N worker processes.

    for article, result in analyze_parallel(articles, workers=4, aliases=[], fast=False):
        ...  # result: Analysis, or BadInputError for an article that failed

The main process reads the inputs (ingest is cheap next to the NLP) and hands articles to
the workers in chunks; each worker loads one Pipeline, once, in its initializer.

- **Order**: results come out in input order, the same order as ``--workers 1``, so the
  output file is identical and ``--resume`` (which skips the paths already written, a
  prefix of the input) works the same way.
- **Memory**: at most ``IN_FLIGHT_PER_WORKER * workers`` chunks are out at once; the
  reader waits for the oldest chunk before sending more, so memory stays flat however
  long the input is.
- **Failures**: an article that fails comes back as a BadInputError naming it. A worker
  that dies (killed, out of memory) breaks the pool: the run stops with ``WorkerDied``
  and can be continued with ``--resume``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.progress import ProgressColumn, Task
from rich.text import Text

from ..model.errors import BadInputError, SourcetraceError

if TYPE_CHECKING:
    from ..model.article import Article
    from ..model.record import Analysis
    from ..pipeline import Pipeline

logger = logging.getLogger(__name__)

__all__ = ["CHUNK_SIZE", "WorkerDied", "analyze_parallel", "progress_columns"]

# Articles per task sent to a worker: enough to fill a parser batch and make the
# pickling round trip negligible, few enough that the workers stay evenly loaded.
CHUNK_SIZE = 8
# Chunks in flight per worker: one being analysed, one queued so it never waits.
IN_FLIGHT_PER_WORKER = 2
# Thread pools inside numpy/torch would fight the other workers for the same cores.
_SINGLE_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


class WorkerDied(SourcetraceError):
    """A worker process ended abruptly (killed, out of memory); the run cannot go on."""


@dataclass(frozen=True, slots=True)
class _Failed:
    """An article's failure as it crosses the process boundary (exceptions may not pickle)."""

    reason: str


# --------------------------------------------------------------------- main process


def analyze_parallel(
    articles: Iterable[Article],
    *,
    workers: int,
    aliases: Sequence[str] = (),
    fast: bool = False,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[tuple[Article, Analysis | Exception]]:
    """Pair each article with its Analysis (or a BadInputError), in input order.

    workers (int): worker processes, each with its own Pipeline.
    aliases, fast: as for ``Pipeline``.
    RAISES WorkerDied: a worker process died; what was yielded before it is complete.
    """
    # spawn, not fork: the parent may already hold spaCy/torch state and threads,
    # which a fork copies half-initialised.
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(tuple(aliases), fast),
    )
    pending: deque[tuple[list[Article], Future[list[Analysis | _Failed]]]] = deque()
    limit = max(1, workers * IN_FLIGHT_PER_WORKER)
    try:
        for chunk in _chunks(articles, chunk_size):
            pending.append((chunk, pool.submit(_analyze_chunk, chunk)))
            if len(pending) >= limit:
                yield from _collect(*pending.popleft())
        while pending:
            yield from _collect(*pending.popleft())
    finally:
        # Ctrl-C or the consumer stopping: drop queued chunks, let the workers exit.
        pool.shutdown(wait=False, cancel_futures=True)


def _collect(
    chunk: list[Article], future: Future[list[Analysis | _Failed]]
) -> Iterator[tuple[Article, Analysis | Exception]]:
    try:
        results = future.result()
    except BrokenProcessPool as exc:
        raise WorkerDied(f"a worker process died ({exc})") from exc
    for article, result in zip(chunk, results, strict=True):
        if isinstance(result, _Failed):
            yield article, BadInputError(article.path, result.reason)
        else:
            yield article, result


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ------------------------------------------------------------------- worker process

_pipeline: Pipeline | None = None


def _init_worker(aliases: tuple[str, ...], fast: bool) -> None:
    global _pipeline
    # Ctrl-C goes to the whole process group; only the main process handles it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in _SINGLE_THREAD_ENV:
        os.environ.setdefault(name, "1")
    from ..pipeline import Pipeline

    _pipeline = Pipeline(aliases, fast=fast)
    _pipeline.nlp  # noqa: B018  (load the models now, once per process)
    _pipeline.encoder  # noqa: B018


def _analyze_chunk(chunk: list[Article]) -> list[Analysis | _Failed]:
    from ..cli import _analyze_safely, _reason

    assert _pipeline is not None, "worker not initialised"
    out: list[Analysis | _Failed] = []
    for _article, result in _analyze_safely(_pipeline, iter(chunk)):
        out.append(_Failed(_reason(result)) if isinstance(result, Exception) else result)
    return out


# ------------------------------------------------------------------------- progress


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
