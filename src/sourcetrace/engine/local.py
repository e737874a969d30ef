"""Local engine: analyse a stream of articles in N worker processes.

    for article, result in analyze_parallel(articles, workers=4, options=PipelineOptions()):
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
- **No orphans**: a worker ends when the process that started it dies, even by
  ``kill -9`` (Linux's parent-death signal, and a watchdog thread where that is missing),
  so no ~800 MB worker outlives its run.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.errors import BadInputError, SourcetraceError

if TYPE_CHECKING:
    from ..model.article import Article
    from ..model.record import Analysis
    from ..pipeline import Pipeline, PipelineOptions

logger = logging.getLogger(__name__)

__all__ = ["CHUNK_SIZE", "WorkerDied", "analyze_parallel"]

# Articles per task sent to a worker: enough to fill a parser batch and make the
# pickling round trip negligible, few enough that the workers stay evenly loaded.
CHUNK_SIZE = 8
# Chunks in flight per worker: one being analysed, one queued so it never waits.
IN_FLIGHT_PER_WORKER = 2
# Thread pools inside numpy/torch would fight the other workers for the same cores.
PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies
PARENT_POLL_S = 1.0  # how often a worker's watchdog looks for its parent
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
    options: PipelineOptions,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[tuple[Article, Analysis | Exception]]:
    """Pair each article with its Analysis (or a BadInputError), in input order.

    workers (int): worker processes, each with its own Pipeline.
    options: the pipeline each worker builds.
    RAISES WorkerDied: a worker process died; what was yielded before it is complete.
    """
    from ..pipeline import batched  # here: importing this module must not load spaCy

    # spawn, not fork: the parent may already hold spaCy/torch state and threads,
    # which a fork copies half-initialised.
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(options, os.getpid()),
    )
    pending: deque[tuple[list[Article], Future[list[Analysis | _Failed]]]] = deque()
    limit = max(1, workers * IN_FLIGHT_PER_WORKER)
    try:
        for chunk in batched(articles, chunk_size):
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


# ------------------------------------------------------------------- worker process

_pipeline: Pipeline | None = None


def _init_worker(options: PipelineOptions, parent: int) -> None:
    global _pipeline
    # Ctrl-C goes to the whole process group; only the main process handles it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent)
    for name in _SINGLE_THREAD_ENV:
        os.environ.setdefault(name, "1")
    _pipeline = options.build()
    _pipeline.nlp  # noqa: B018  (load the models now, once per process)
    _pipeline.encoder  # noqa: B018


def _exit_with_parent(parent: int) -> None:
    """End this worker when ``parent`` dies (SIGKILL included)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the watchdog below alone
    if os.getppid() != parent:  # died before the signal was set
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _analyze_chunk(chunk: list[Article]) -> list[Analysis | _Failed]:
    from ..pipeline import analyze_safely, failure_reason

    assert _pipeline is not None, "worker not initialised"
    out: list[Analysis | _Failed] = []
    for _article, result in analyze_safely(_pipeline, iter(chunk)):
        out.append(_Failed(failure_reason(result)) if isinstance(result, Exception) else result)
    return out
