"""JSON Lines report: one ``Analysis.to_dict()`` per line (schema/sourcetrace-analysis.v1)."""

from __future__ import annotations

import json
import os

from ..model.errors import SourcetraceError
from ..model.record import Analysis
from ._base import ReportWriter


class JsonlWriter(ReportWriter):
    """One JSON object per article per line, UTF-8 kept as is, flushed per article."""

    def write(self, analysis: Analysis) -> None:
        # Serialise first, then write once: a failure never leaves half a record.
        line = json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n"
        self.fp.write(line)
        self.fp.flush()


def recover(path: str) -> set[str]:
    """Prepare an interrupted JSONL output for appending; return the paths it holds.

    A last line without its newline (or one that is not valid JSON) is what an
    interrupted run leaves behind: it is cut off so the article is written again
    whole. Any other unreadable line raises ``SourcetraceError``.
    """
    if not os.path.exists(path):
        return set()
    with open(path, "rb") as fp:
        data = fp.read()
    done: set[str] = set()
    keep = 0  # bytes of complete, valid records
    pos = 0
    lineno = 0
    while pos < len(data):
        nl = data.find(b"\n", pos)
        end = len(data) if nl < 0 else nl + 1
        lineno += 1
        raw = data[pos:end]
        record = _parse(raw) if nl >= 0 else None
        if record is None:
            if raw.strip() and end < len(data):
                raise SourcetraceError(
                    f"{path}: line {lineno} is not a sourcetrace record; cannot resume"
                )
            if raw.strip():
                break  # the broken last line: truncate here
        else:
            done.add(record["path"])
        keep = end
        pos = end
    if keep < len(data):
        with open(path, "r+b") as fp:
            fp.truncate(keep)
    return done


def _parse(raw: bytes) -> dict | None:
    if not raw.strip():
        return None
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("path"), str):
        return None
    return record
