"""JSON Lines input: one article per line, streamed.

Each line is an object with ``text`` or ``html`` and optionally ``url``, ``title``,
``published``, ``outlet``, ``author`` and ``id``. The article path is ``file#N`` with N
the 1-based line number; a bad line gives a BadInputError for that line and the rest
still come out. Blank lines are skipped (they keep their number).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import IO, Any

from ..model.article import Article
from ..model.errors import BadInputError
from ..model.validate import no_surrogate, string_field
from . import text as _text
from .html import article_from_html
from .text import build_article, check_text, os_error, sniff_binary

logger = logging.getLogger(__name__)

__all__ = ["article_from_record", "read_jsonl_file"]

# Fields copied into Article.metadata when present.
META_KEYS = ("url", "title", "published", "outlet", "author")
# Lines are read in chunks of this size when skipping an oversized one.
_SKIP_CHUNK = 1 << 16


def read_jsonl_file(
    path: str, *, select: Callable[[int], bool] | None = None
) -> Iterator[Article | BadInputError]:
    """Yield one Article (or BadInputError) per non-blank line of a .jsonl file.

    select: read only the lines whose 1-based number it accepts (None: all).
    """
    try:
        with open(path, "rb") as f:
            yield from _read_lines(f, path, select)
    except OSError as e:
        yield os_error(path, e)


def article_from_record(record: dict[str, Any], path: str) -> Article:
    """Article from one decoded JSONL object; RAISES BadInputError."""
    text, html = record.get("text"), record.get("html")
    for key, value in (("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            raise BadInputError(path, f'"{key}" is not a string')
        no_surrogate(key, value, path)
    metadata: dict[str, Any] = {}
    for key in (*META_KEYS, "id"):
        # The one field rule (model.validate), shared with corpus record intake.
        value = string_field(record.get(key), key, path)
        if value is not None:
            metadata[key] = value
    if text and text.strip():
        check_text(text, path)
        # The given text is analysed as is (a title field is metadata only), so offsets
        # match what the producer of the file holds.
        return build_article(text, path, metadata, defaults={"format": "jsonl"})
    if html and html.strip():
        return article_from_html(html, path, metadata, defaults={"format": "jsonl"})
    raise BadInputError(path, 'neither "text" nor "html"')


def _read_lines(
    f: IO[bytes], path: str, select: Callable[[int], bool] | None = None
) -> Iterator[Article | BadInputError]:
    head = f.read(_text.SNIFF_BYTES)
    f.seek(0)
    if not head:
        yield BadInputError(path, "empty file")
        return
    if (reason := sniff_binary(head)) is not None:
        yield BadInputError(path, reason)
        return

    seen = False
    for lineno, offset, raw in _iter_lines(f, _text.MAX_FILE_BYTES):
        rec_path = f"{path}#{lineno}"
        if select is not None and not select(lineno):
            seen = seen or raw is None or bool(raw.strip())
            continue
        if raw is None:
            seen = True
            yield BadInputError(rec_path, f"line too large (> {_text.MAX_FILE_BYTES} byte limit)")
            continue
        if not raw.strip():
            continue
        seen = True
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield BadInputError(rec_path, f"invalid UTF-8 at byte {offset + e.start}")
            continue
        yield _from_line(line, rec_path)
    if not seen:
        yield BadInputError(path, "whitespace-only file")


def _from_line(line: str, path: str) -> Article | BadInputError:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        return BadInputError(path, f"not JSON ({e.msg} at column {e.colno})")
    except RecursionError:  # json nests by recursion: [[[[... thousands deep
        return BadInputError(path, "not JSON we read (nested too deeply)")
    if not isinstance(record, dict):
        return BadInputError(path, f"not a JSON object (got {type(record).__name__})")
    try:
        return article_from_record(record, path)
    except BadInputError as e:
        return e
    except Exception as e:  # one odd line must not cost the rest of the file
        logger.debug("%s: unexpected error", path, exc_info=True)
        return BadInputError(path, f"unexpected error: {type(e).__name__}: {e}")


def _iter_lines(f: IO[bytes], limit: int) -> Iterator[tuple[int, int, bytes | None]]:
    # readline() with a limit, so one enormous line never sits whole in memory; such a
    # line is skipped in chunks and reported as None.
    lineno = offset = 0
    while line := f.readline(limit + 1):
        lineno += 1
        start = offset
        offset += len(line)
        if len(line) > limit and not line.endswith(b"\n"):
            while chunk := f.readline(_SKIP_CHUNK):
                offset += len(chunk)
                if chunk.endswith(b"\n"):
                    break
            yield lineno, start, None
            continue
        yield lineno, start, line
