"""The web app's hold on its corpus file: one read-only connection, a cursor per thread.

The file is opened read-only once (a missing, non-DuckDB or foreign file is refused with
``StoreError``); each server thread gets its own cursor (DuckDB connections are not shared
across threads), and a read/write lock lets ``reopen`` swap the connection after an add.
A corpus rebuilt under a running server (``corpus build`` replaces the file) is noticed
by its identity (device, inode, mtime, size), checked before each read, and reopened; if
the new file cannot be opened, the old connection keeps serving and a warning says so.
The questions themselves are ``sourcetrace.corpus.query`` functions: ``store.read(fn, ...)``
runs ``fn(cursor, ...)`` under the lock. Nothing a caller passes is ever used as a path.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from ..model.errors import SourcetraceError

T = TypeVar("T")

logger = logging.getLogger(__name__)


class StoreError(SourcetraceError):
    """The corpus file cannot be opened; str() names the file and says why, in one line."""


class NotFound(SourcetraceError):
    """No article, actor or claim with that id."""


class _ReadWriteLock:
    """Many readers or one writer (the writer swaps the connection after an add)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._writing = True
            while self._readers:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class CorpusStore:
    """The corpus at ``path``, opened read-only.

    path (str | Path): a DuckDB file written by ``sourcetrace corpus build``.
    RAISES StoreError: missing, not DuckDB, or not a sourcetrace corpus.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._identity = _identity(self.path)
        self._con: duckdb.DuckDBPyConnection | None = _connect(self.path)
        self._refused: tuple[int, ...] | None = None  # a replacement that would not open
        self._broken: str | None = None
        self._local = threading.local()
        self._lock = _ReadWriteLock()
        self._generation = 0
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._cursors_lock = threading.Lock()

    def close(self) -> None:
        with self._lock.write():
            self._close_all()

    def _close_all(self) -> None:
        with self._cursors_lock:
            for cur in self._cursors:
                cur.close()
            self._cursors.clear()
        if self._con is not None:
            self._con.close()

    def reopen(self) -> None:
        """Read the file again (after ``corpus build`` replaced it): waits for readers.

        Every cursor is closed first, since DuckDB hands a new connection the database
        instance still open for the same path.
        """
        with self._lock.write():
            self._close_all()
            self._identity = _identity(self.path)
            self._con = _connect(self.path)
            self._generation += 1

    def changed(self) -> bool:
        """Whether the file on disk is no longer the one this store has open."""
        now = _identity(self.path)
        return now is not None and now != self._identity and now != self._refused

    def _follow_file(self) -> None:
        if not self.changed():
            return
        with self._lock.write():
            now = _identity(self.path)
            if now is None or now == self._identity or now == self._refused:
                return  # another thread reopened it first
            # Closed first: DuckDB would hand back the open instance for the same path.
            self._close_all()
            self._generation += 1
            try:
                self._con = _connect(self.path)
            except StoreError as exc:
                self._refused = now
                self._con = None
                self._broken = f"{exc} (it changed under the running server)"
                logger.warning("%s", self._broken)
                return
            self._identity = now
            self._broken = None
            logger.info("%s was rebuilt: reopened", self.path)

    def _cur(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise StoreError(self._broken or f"{self.path}: corpus is closed")
        local = self._local
        if getattr(local, "generation", None) != self._generation:
            local.cur = self._con.cursor()
            local.generation = self._generation
            with self._cursors_lock:
                self._cursors.append(local.cur)
        return local.cur

    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """This thread's read-only cursor, held under the read lock while in use."""
        self._follow_file()
        with self._lock.read():
            yield self._cur()

    def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(cursor, *args, **kwargs)`` under the read lock: a ``corpus.query`` question."""
        with self.connection() as con:
            return fn(con, *args, **kwargs)


def _identity(path: str) -> tuple[int, ...] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None  # gone for a moment (being replaced): keep what is open
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size


def _connect(path: str) -> duckdb.DuckDBPyConnection:
    from ..corpus.db import CorpusError, connect

    try:
        return connect(path, read_only=True, external_access=False)  # it only queries
    except CorpusError as exc:
        raise StoreError(str(exc)) from None


__all__ = ["CorpusStore", "NotFound", "StoreError"]
