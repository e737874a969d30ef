"""Adding an article analysed on the fly to the corpus, only when the server allows it.

Off by default (``serve`` opens the corpus read-only and never writes). With
``serve --allow-add`` the analyse page offers "add to the corpus": the record goes through
``sourcetrace.corpus.build.build`` (which works on a copy and replaces the file only when
everything succeeded), then the store re-reads the file. Adds run one at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from ..corpus import query
from .store import CorpusStore, NotFound


class CorpusAdder:
    """Adds records to the corpus behind ``store`` and refreshes the store.

    store (CorpusStore): the server's store (its path is the corpus written).
    alias_files (Sequence[str]): the alias files the corpus was built with, so the
        recomputed actor merges stay the same.
    make_embedder (Callable | None): claim encoder factory. Defaults to the builder's own
        default (the bundled MiniLM encoder).
    """

    def __init__(
        self,
        store: CorpusStore,
        *,
        alias_files: Sequence[str] = (),
        make_embedder: Callable[[], Any] | None = None,
    ) -> None:
        self.store = store
        self.alias_files = list(alias_files)
        self._make_embedder = make_embedder
        self._lock = threading.Lock()

    def add(self, record: dict[str, Any]) -> str:
        """Add one analysis record; RETURNS the id it is stored under (the original's id
        when the corpus already holds the same article).

        RAISES CorpusError / ConfigError: the corpus or an alias file cannot be used; the
        corpus file is then unchanged.
        """
        from ..corpus.build import build

        embedder = self._make_embedder() if self._make_embedder else None
        with self._lock:
            build(self.store.path, records=[record], embedder=embedder,
                  alias_files=self.alias_files)
            self.store.reopen()
        stored = self.store.read(query.stored_id, record)
        if stored is None:
            raise NotFound(f"article {record['id']!r} was not stored")
        return stored


__all__ = ["CorpusAdder"]
