"""Parquet report: one row per article, columns = the keys of ``Analysis.to_dict()``.

The Arrow schema is written out here (not inferred) so every file, and every Spark part
file, has the same types whatever the first rows happen to hold. ``metadata`` and
``profile`` are open dictionaries, so they are JSON strings; everything else is a native
Arrow type (spans are ``list<list<int64>>``). ``read_parquet`` gives back records equal to
the JSONL ones. An attribution's ``proposition`` (schema 1.1) is null in the rows of
older records, which leave it out.

    write_parquet(records, "out.parquet")        # records: Analysis.to_dict() dicts
    for record in read_parquet("out.parquet"):   # a file, or a folder of part files
        ...
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..model.record import Analysis
from ._base import ReportWriter

__all__ = [
    "ARROW_SCHEMA",
    "JSON_COLUMNS",
    "ParquetWriter",
    "from_row",
    "read_parquet",
    "to_row",
    "write_parquet",
]

# Open dictionaries: stored as JSON text (see the Parquet contract in the README).
JSON_COLUMNS = ("metadata", "profile")
# Rows per row group: small enough that a streaming writer holds little, large enough
# for good compression and fast scans.
ROWS_PER_GROUP = 256

_SPANS = pa.list_(pa.list_(pa.int64()))
_TEXT_SPAN = pa.struct([("text", pa.string()), ("spans", _SPANS)])
_SOURCE = pa.struct(
    [
        ("text", pa.string()),
        ("spans", _SPANS),
        ("type", pa.string()),
        ("actor", pa.string()),
        ("role", pa.string()),
        ("antecedent", _TEXT_SPAN),
    ]
)
_ATTRIBUTION = pa.struct(
    [
        ("id", pa.string()),
        ("source", _SOURCE),
        ("cue", _TEXT_SPAN),
        ("content", _TEXT_SPAN),
        ("kind", pa.string()),
        ("relayed_by", pa.list_(_SOURCE)),
        ("chain_depth", pa.int64()),
        ("confidence", pa.float64()),
        ("proposition", pa.bool_()),  # schema 1.1; null in rows of 1.0 records
    ]
)
_ACTOR = pa.struct(
    [
        ("id", pa.string()),
        ("name", pa.string()),
        ("type", pa.string()),
        ("aliases", pa.list_(pa.string())),
        ("mentions", pa.list_(_TEXT_SPAN)),
    ]
)
_ASSERTION = pa.struct([("text", pa.string()), ("spans", _SPANS), ("reason", pa.string())])
_LABEL = pa.struct(
    [
        ("text", pa.string()),
        ("spans", _SPANS),
        ("label", pa.string()),
        ("actor", pa.string()),
        ("voice", pa.string()),
        ("attribution", pa.string()),
    ]
)
_EXCLUDED = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("kind", pa.string())])

ARROW_SCHEMA = pa.schema(
    [
        pa.field("schema_version", pa.string(), nullable=False),
        pa.field("id", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("metadata", pa.string(), nullable=False),
        pa.field("excluded", pa.list_(_EXCLUDED)),
        pa.field("attributions", pa.list_(_ATTRIBUTION)),
        pa.field("actors", pa.list_(_ACTOR)),
        pa.field("unattributed", pa.list_(_ASSERTION)),
        pa.field("labels", pa.list_(_LABEL)),
        pa.field("profile", pa.string(), nullable=False),
        pa.field("tier", pa.string()),  # 1.2.0 on; null for older records
    ],
    metadata={"sourcetrace": "analysis record, schema/sourcetrace-analysis.v1.schema.json"},
)


def to_row(record: dict[str, Any]) -> dict[str, Any]:
    """A JSONL record as a Parquet row: the open dictionaries become JSON strings."""
    row = dict(record)
    for key in JSON_COLUMNS:
        row[key] = json.dumps(record[key], ensure_ascii=False, sort_keys=False)
    return row


def from_row(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row back as the JSONL record."""
    record = dict(row)
    for key in JSON_COLUMNS:
        if isinstance(record.get(key), str):
            record[key] = json.loads(record[key])
    if record.get("tier", False) is None:
        del record["tier"]  # a record from before tiers has none
    for att in record.get("attributions") or ():
        if att.get("proposition", False) is None:
            del att["proposition"]  # the JSONL record leaves an unchecked content unsaid
    return record


def to_table(records: Iterable[dict[str, Any]]) -> pa.Table:
    """Records (``Analysis.to_dict()``) as an Arrow table with ARROW_SCHEMA."""
    return pa.Table.from_pylist([to_row(r) for r in records], schema=ARROW_SCHEMA)


def write_parquet(records: Iterable[dict[str, Any]], path: str | os.PathLike[str]) -> int:
    """Write records to a Parquet file, streaming in row groups; return the row count."""
    count = 0
    with pq.ParquetWriter(os.fspath(path), ARROW_SCHEMA) as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(record)
            if len(batch) >= ROWS_PER_GROUP:
                writer.write_table(to_table(batch))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(to_table(batch))
            count += len(batch)
    return count


def read_parquet(path: str | os.PathLike[str] | IO[bytes]) -> Iterator[dict[str, Any]]:
    """Yield the JSONL records of a Parquet file, a folder of part files (Spark), or an
    open binary file.

    Part files are read in name order, which is the order Spark wrote them in.
    """
    files = [path] if hasattr(path, "read") else _parquet_files(os.fspath(path))  # type: ignore[arg-type]
    for file in files:
        pf = pq.ParquetFile(file)
        for batch in pf.iter_batches(batch_size=ROWS_PER_GROUP):
            for row in batch.to_pylist():
                yield from_row(row)


def _parquet_files(path: str) -> list[str]:
    if not os.path.isdir(path):
        return [path]
    # Spark's folders hold _SUCCESS and .crc files beside the parts.
    names = sorted(
        n for n in os.listdir(path) if n.endswith(".parquet") and not n.startswith(("_", "."))
    )
    return [os.path.join(path, n) for n in names]


class ParquetWriter(ReportWriter):
    """Streams analyses into a Parquet file in row groups of ROWS_PER_GROUP.

    Unlike the text writers it owns its file (Parquet is binary and needs a footer):
    ``fp`` is the open binary file, and ``close()`` writes the footer.
    """

    def __init__(self, fp: IO[bytes]) -> None:  # type: ignore[override]
        super().__init__(fp)  # type: ignore[arg-type]
        self._writer = pq.ParquetWriter(fp, ARROW_SCHEMA)
        self._batch: list[dict[str, Any]] = []

    def write(self, analysis: Analysis) -> None:
        self._batch.append(analysis.to_dict())
        if len(self._batch) >= ROWS_PER_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._writer.write_table(to_table(self._batch))
            self._batch = []

    def close(self) -> None:
        if not self.closed:
            self._flush()
            self._writer.close()
            super().close()
