"""CSV report: one row per attribution, offsets as ``start-end;start-end``."""

from __future__ import annotations

import csv
import io
import os
from typing import IO

from ..model.errors import SourcetraceError
from ..model.record import Analysis
from ._base import ReportWriter
from ._common import actor_names, format_offsets, relay_chain

COLUMNS = (
    "article_id",
    "path",
    "attribution_id",
    "kind",
    "source_text",
    "source_type",
    "source_actor",
    "relayed_by",
    "cue_text",
    "content_text",
    "source_offsets",
    "cue_offsets",
    "content_offsets",
    "confidence",
)


class CsvWriter(ReportWriter):
    """Rows of attributions; articles with no attribution add no row.

    fp (IO[str]): open it with ``newline=""`` (the csv module's rule).
    header (bool): write the header row first. Defaults to True; False when appending.
    """

    def __init__(self, fp: IO[str], *, header: bool = True) -> None:
        super().__init__(fp)
        self._header = header

    def write(self, analysis: Analysis) -> None:
        # All rows of an article go out in one write, so an interrupted run leaves at
        # most one article's rows incomplete (and ``recover`` drops that article).
        buf = io.StringIO()
        out = csv.writer(buf, lineterminator="\n")
        if self._header:
            out.writerow(COLUMNS)
            self._header = False
        names = actor_names(analysis)
        art = analysis.article
        for att in analysis.attributions:
            src = att.source
            out.writerow(
                (
                    art.id,
                    art.path,
                    att.id,
                    att.kind,
                    src.mention.text if src else "",
                    src.type if src else "",
                    names.get(src.actor, src.actor) if src and src.actor else "",
                    relay_chain(att),
                    att.cue.text,
                    att.content.text,
                    format_offsets(src.mention.spans) if src else "",
                    format_offsets(att.cue.spans),
                    format_offsets(att.content.spans),
                    f"{att.confidence:.3f}",
                )
            )
        if buf.tell():
            self.fp.write(buf.getvalue())
            self.fp.flush()

    def close(self) -> None:
        if self._header and not self.closed:
            # No article had an attribution: still leave a well-formed CSV.
            csv.writer(self.fp, lineterminator="\n").writerow(COLUMNS)
            self._header = False
        super().close()


def recover(path: str) -> set[str]:
    """Prepare an interrupted CSV output for appending; return the paths it holds.

    The rows of the last article in the file are dropped (with any half-written row),
    because an interrupted run may have written only part of them; that article is
    analysed again. Raises ``SourcetraceError`` if the file is not a sourcetrace CSV.
    """
    if not os.path.exists(path):
        return set()
    with open(path, "rb") as fp:
        data = fp.read()
    records = list(_complete_records(data))
    if not records:
        keep, done = 0, set()
    else:
        header_end, header = records[0]
        if tuple(header) != COLUMNS:
            raise SourcetraceError(f"{path}: not a sourcetrace CSV report; cannot resume")
        col = COLUMNS.index("path")
        rows = [(end, row) for end, row in records[1:] if len(row) == len(COLUMNS)]
        keep, done = header_end, set()
        last = rows[-1][1][col] if rows else None
        for end, row in rows:
            if row[col] == last:
                break
            done.add(row[col])
            keep = end
    if keep < len(data):
        with open(path, "r+b") as fp:
            fp.truncate(keep)
    return done


def _complete_records(data: bytes):
    """Yield (end byte offset, fields) for each complete CSV record in ``data``.

    A record is complete when it ends with a newline outside quotes; quoted fields may
    hold newlines. Counting quote bytes is safe in UTF-8 (no multibyte char has 0x22).
    """
    start = pos = 0
    quotes = 0
    while True:
        nl = data.find(b"\n", pos)
        if nl < 0:
            return
        quotes += data.count(b'"', pos, nl)
        pos = nl + 1
        if quotes % 2 == 0:
            text = data[start:pos].decode("utf-8")
            fields = next(csv.reader(io.StringIO(text, newline="")), [])
            yield pos, fields
            start, quotes = pos, 0
