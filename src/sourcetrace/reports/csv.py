"""CSV report: one row per finding (an attribution, an unattributed assertion, a label),
offsets as ``start-end;start-end``.

Layout (one table, so a spreadsheet filters and sorts it as it is):

- ``row_type``: attribution | unattributed | label; each article's rows come in that
  order, each type in record order.
- ``text``, ``start``, ``end``, ``offsets``: the row's own words and where they are
  (an attribution's content, the unattributed sentence, the label's words); ``start``
  and ``end`` are numbers, to sort by position.
- the attribution columns (``attribution_id`` ... ``confidence``) as they have always
  been; on a label row ``attribution_id`` is the attribution whose words the label is
  (empty for the writer's own).
- ``label``, ``voice`` (writer | attributed), ``label_actor``: label rows; ``reason``:
  why an unattributed sentence counts as an assertion.
- ``tier``: the attribution tier that ran (fast, default, accurate, custom), on every
  row; added last so the columns before it keep their places.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from typing import IO

from ..model.errors import SourcetraceError
from ..model.record import Analysis
from ._base import ReportWriter
from ._common import actor_names, format_offsets, refers_to, relay_chain

COLUMNS = (
    "article_id",
    "path",
    "row_type",
    "attribution_id",
    "kind",
    "text",
    "start",
    "end",
    "offsets",
    "source_text",
    "source_type",
    "source_actor",
    "source_refers_to",
    "relayed_by",
    "cue_text",
    "content_text",
    "source_offsets",
    "cue_offsets",
    "content_offsets",
    "confidence",
    "label",
    "voice",
    "label_actor",
    "reason",
    "tier",
)
# The columns before ``tier`` was added (sourcetrace before schema 1.2).
COLUMNS_BEFORE_TIER = COLUMNS[:-1]

ROW_TYPES = ("attribution", "unattributed", "label")


class CsvWriter(ReportWriter):
    """Rows of attributions, unattributed assertions and labels; an article with none
    of them adds no row.

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
        for row in rows(analysis):
            out.writerow(row.get(col, "") for col in COLUMNS)
        if buf.tell():
            self.fp.write(buf.getvalue())
            self.fp.flush()

    def close(self) -> None:
        if self._header and not self.closed:
            # No article had a row: still leave a well-formed CSV.
            csv.writer(self.fp, lineterminator="\n").writerow(COLUMNS)
            self._header = False
        super().close()


def rows(analysis: Analysis) -> Iterator[dict[str, str | int]]:
    """The article's rows as dicts keyed by COLUMNS (absent keys are empty cells)."""
    names = actor_names(analysis)
    art = analysis.article
    base = {"article_id": art.id, "path": art.path, "tier": analysis.tier or ""}

    def where(spans: tuple[tuple[int, int], ...]) -> dict[str, str | int]:
        if not spans:
            return {"offsets": ""}
        return {"start": spans[0][0], "end": spans[-1][1], "offsets": format_offsets(spans)}

    for att in analysis.attributions:
        src = att.source
        yield {
            **base,
            "row_type": "attribution",
            "attribution_id": att.id,
            "kind": att.kind,
            "text": att.content.text,
            **where(att.content.spans),
            "source_text": src.mention.text if src else "",
            "source_type": src.type if src else "",
            "source_actor": names.get(src.actor, src.actor) if src and src.actor else "",
            "source_refers_to": refers_to(src, names) if src else "",
            "relayed_by": relay_chain(att),
            "cue_text": att.cue.text,
            "content_text": att.content.text,
            "source_offsets": format_offsets(src.mention.spans) if src else "",
            "cue_offsets": format_offsets(att.cue.spans),
            "content_offsets": format_offsets(att.content.spans),
            "confidence": f"{att.confidence:.3f}",
        }
    for asr in analysis.unattributed:
        yield {
            **base,
            "row_type": "unattributed",
            "text": asr.sentence.text,
            **where(asr.sentence.spans),
            "reason": asr.reason,
        }
    for lb in analysis.labels:
        yield {
            **base,
            "row_type": "label",
            "attribution_id": lb.attribution or "",
            "text": lb.mention.text,
            **where(lb.mention.spans),
            "label": lb.label,
            "voice": lb.voice,
            "label_actor": names.get(lb.actor, lb.actor) if lb.actor else "",
        }


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
        if tuple(header[:3]) == ("article_id", "path", "attribution_id"):
            raise SourcetraceError(
                f"{path}: a CSV report in the older attributions-only layout; cannot "
                "resume it (write to a new file)"
            )
        if tuple(header) == COLUMNS_BEFORE_TIER:
            raise SourcetraceError(
                f"{path}: a CSV report from before the tier column; cannot resume it "
                "(write to a new file)"
            )
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
