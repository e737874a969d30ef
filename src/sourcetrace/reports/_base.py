"""The writer interface every report format implements."""

from __future__ import annotations

from types import TracebackType
from typing import IO

from ..model.record import Analysis


class ReportWriter:
    """Streams analyses into an open text file, one article at a time.

    fp (IO[str]): where the report goes; the caller opens and closes it.

    ``write(analysis)`` adds one article; ``close()`` finishes the document (footer,
    flush) without closing ``fp``. Writers keep nothing per article, so memory stays
    flat however many articles pass through. Usable as a context manager.
    """

    def __init__(self, fp: IO[str]) -> None:
        self.fp = fp
        self.closed = False

    def write(self, analysis: Analysis) -> None:
        raise NotImplementedError

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.fp.flush()

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
