"""Inputs of a corpus build as analysis records (``Analysis.to_dict()`` dicts).

Three kinds of input, told apart by their content, not only their name:

- sourcetrace JSONL output (lines with ``schema_version`` and ``attributions``): loaded;
- Parquet written by ``sourcetrace analyze`` (one row per article, see contracts):
  loaded, ``metadata``/``profile`` JSON-decoded;
- anything else (``.txt``, ``.html``, article ``.jsonl``, WARC, folders): read by
  ``sourcetrace.ingest`` and analysed with ``Pipeline``.

Like ingest, a bad input is *yielded* as a ``BadInputError`` and the stream goes on.
Every record is checked where it enters by the record validator
(``model.validate.validate_record``: field types, spans inside the text, a
``schema_version`` of our major version): a bad record is one error naming ``file#N``
(the Nth line or row) and the rest of the file is read.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..model.errors import BadInputError
from ..model.validate import validate_record

if TYPE_CHECKING:
    from ..pipeline import Pipeline

logger = logging.getLogger(__name__)

Record = dict[str, Any]
RECORD_KEYS = ("schema_version", "id", "text", "attributions")


def is_analysis_record(obj: Any) -> bool:
    return isinstance(obj, dict) and all(k in obj for k in RECORD_KEYS)


def checked_records(
    items: Iterable[Record | BadInputError], where: str = "<records>"
) -> Iterator[Record | BadInputError]:
    """Each record validated (``where#N``, N from 1); a bad one becomes its error."""
    for n, item in enumerate(items, 1):
        if isinstance(item, BadInputError):
            yield item
            continue
        try:
            yield validate_record(item, f"{where}#{n}")
        except BadInputError as exc:
            yield exc


def _first_json_line(path: str) -> Any:
    try:
        with open(path, "rb") as f:
            for raw in f:
                if raw.strip():
                    return json.loads(raw)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return None


def is_record_file(path: str) -> bool:
    """True for a .jsonl file of sourcetrace analysis records (sniffs the first line)."""
    from ..ingest import not_regular

    return (path.lower().endswith(".jsonl") and not_regular(path) is None
            and is_analysis_record(_first_json_line(path)))


def read_record_jsonl(path: str) -> Iterator[Record | BadInputError]:
    """Records from a sourcetrace JSONL file; a bad line is one error, the rest go on."""
    try:
        with open(path, "rb") as f:
            for n, raw in enumerate(f, 1):
                if not raw.strip():
                    continue
                where = f"{path}#{n}"
                try:
                    obj = json.loads(raw)
                except (ValueError, UnicodeDecodeError) as exc:
                    yield BadInputError(where, f"not JSON ({exc})")
                    continue
                except RecursionError:  # json nests by recursion
                    yield BadInputError(where, "not JSON we read (nested too deeply)")
                    continue
                if not is_analysis_record(obj):
                    yield BadInputError(where, "not a sourcetrace analysis record")
                    continue
                try:
                    yield validate_record(obj, where)
                except BadInputError as exc:
                    yield exc
    except OSError as exc:
        yield BadInputError(path, f"cannot read ({exc.strerror or exc})")


def read_record_parquet(path: str) -> Iterator[Record | BadInputError]:
    """Records from a Parquet file of analyses (the ``scale`` layout)."""
    try:
        from ..reports.parquet import read_parquet  # type: ignore[import-not-found]
    except ImportError:
        read_parquet = _read_parquet_arrow
    try:
        for n, row in enumerate(read_parquet(path), 1):
            if not is_analysis_record(row):
                yield BadInputError(path, "not a sourcetrace analysis Parquet file")
                return
            try:
                yield validate_record(row, f"{path}#{n}")
            except BadInputError as exc:
                yield exc
    except BadInputError as exc:
        yield exc
    except Exception as exc:  # pyarrow raises many types for a damaged file
        logger.debug("parquet read failed", exc_info=True)
        yield BadInputError(path, f"cannot read Parquet ({type(exc).__name__}: {exc})")


def _read_parquet_arrow(path: str) -> Iterator[Record]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    for batch in pf.iter_batches(batch_size=256):
        for row in batch.to_pylist():
            for key in ("metadata", "profile"):
                if isinstance(row.get(key), str):
                    row[key] = json.loads(row[key])
            yield row


def _expand(paths: Iterable[str]) -> Iterator[str]:
    """Files under the given paths, sorted; folders recursively (hidden entries skipped)."""
    from ..ingest.walk import walk_files

    for path in paths:
        if os.path.isdir(path):
            # os.walk's order, unreadable folders passed over (as os.walk did).
            for file, error in walk_files(path, extensions=None, files_first=True):
                if error is None:
                    yield file
        else:
            yield path


def iter_records(
    paths: Iterable[str], pipeline: Callable[[], Pipeline]
) -> Iterator[Record | BadInputError]:
    """Analysis records (or errors) for every input, in order.

    pipeline: called once, only when some input needs analysing (spaCy loads slowly).
    """
    from ..ingest import KNOWN_EXTENSIONS, iter_articles

    paths = list(paths)
    raw: list[str] = []  # article inputs, analysed together for batching

    def flush() -> Iterator[Record | BadInputError]:
        if not raw:
            return
        articles = iter_articles(list(raw))
        raw.clear()
        pipe = pipeline()
        good = []
        for item in articles:
            if isinstance(item, BadInputError):
                yield item
            else:
                good.append(item)
        for result in pipe.analyze_many(good):
            yield result if isinstance(result, BadInputError) else result.to_dict()

    for path in _expand(paths):
        lower = path.lower()
        if lower.endswith(".parquet"):
            yield from flush()
            yield from read_record_parquet(path)
        elif is_record_file(path):
            yield from flush()
            yield from read_record_jsonl(path)
        elif os.path.isfile(path) and not lower.endswith(KNOWN_EXTENSIONS) and path not in paths:
            continue  # an unknown file found inside a folder: not ours
        else:
            raw.append(path)
    yield from flush()
