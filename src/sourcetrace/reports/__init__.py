"""Report formats: one streaming writer per format.

writer = get_writer("csv", fp)
for analysis in pipeline.analyze_many(articles):
    writer.write(analysis)
writer.close()
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO, Any

from . import csv, html, jsonl, parquet, text
from ._base import ReportWriter

WRITERS: dict[str, type[ReportWriter]] = {
    "jsonl": jsonl.JsonlWriter,
    "csv": csv.CsvWriter,
    "html": html.HtmlWriter,
    "text": text.TextWriter,
    "parquet": parquet.ParquetWriter,  # takes a binary file
}

# Formats written to a binary file (the CLI opens the output with "wb").
BINARY_FORMATS = frozenset({"parquet"})

# Formats whose files can be continued after an interruption (see ``--resume``):
# format -> recover(path) that truncates broken tails and returns the paths written.
RESUMABLE: dict[str, Callable[[str], set[str]]] = {
    "jsonl": jsonl.recover,
    "csv": csv.recover,
}

EXTENSIONS = {
    ".jsonl": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".parquet": "parquet",
}

__all__ = [
    "BINARY_FORMATS",
    "EXTENSIONS",
    "RESUMABLE",
    "WRITERS",
    "ReportWriter",
    "format_for_path",
    "get_writer",
]


def get_writer(fmt: str, fp: IO[str], **options: Any) -> ReportWriter:
    """Writer for ``fmt`` (a key of WRITERS) over the open file ``fp`` (binary for
    BINARY_FORMATS, text otherwise).

    Raises ValueError for an unknown format.
    """
    try:
        cls = WRITERS[fmt]
    except KeyError:
        known = ", ".join(WRITERS)
        raise ValueError(f"unknown report format {fmt!r}; choose from {known}") from None
    return cls(fp, **options)


def format_for_path(path: str) -> str | None:
    """Report format implied by a file name's extension, or None."""
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())
