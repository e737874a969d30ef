"""WARC input (.warc, .warc.gz): HTML responses become articles, record by record.

A record's article path is ``file#N``, N the 1-based number of the record in the file
(all record types count, so numbers are stable). ``metadata["url"]`` is the
WARC-Target-URI; the WARC-Date gives ``published`` when the page itself has no date.

Damage is reported, not raised: the records read before it still come out, then one
BadInputError "truncated or corrupt WARC after record N".

warcio treats a truncated gzip stream as a clean end of file, so gzip is decompressed
here (``_GzipReader``), which notes truncation and corruption instead of hiding it; and
a record whose block is shorter than its Content-Length is caught from warcio's reader.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..article import Article
from ..errors import BadInputError
from . import text as _text
from .html import article_from_html
from .text import os_error

logger = logging.getLogger(__name__)

__all__ = ["read_warc_file"]

_GZIP_MAGIC = b"\x1f\x8b"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_READ_CHUNK = 1 << 16


class _GzipReader:
    """Read-only file object decompressing (multi-member) gzip, noting damage.

    At a truncated or corrupt spot it ends the stream early and sets ``damage``; the
    caller checks it after iterating, since warcio swallows end-of-file errors.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._z = zlib.decompressobj(wbits=31)
        self._buf = b""
        self._eof = False
        self.damage: str | None = None

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._buf) < size):
            self._fill()
        if size < 0:
            out, self._buf = self._buf, b""
        else:
            out, self._buf = self._buf[:size], self._buf[size:]
        return out

    def readline(self, size: int = -1) -> bytes:
        while not self._eof and b"\n" not in self._buf and (size < 0 or len(self._buf) < size):
            self._fill()
        end = self._buf.find(b"\n") + 1 or len(self._buf)
        if size >= 0:
            end = min(end, size)
        out, self._buf = self._buf[:end], self._buf[end:]
        return out

    def close(self) -> None:
        self._raw.close()

    def _fill(self) -> None:
        data = self._z.unconsumed_tail or self._raw.read(_READ_CHUNK)
        if not data:
            if not self._z.eof:
                self.damage = "gzip stream ends mid-member"
            self._eof = True
            return
        try:
            self._buf += self._z.decompress(data)
            # Several members (one per record): start a new decompressor on the rest.
            while self._z.eof and self._z.unused_data:
                rest = self._z.unused_data
                self._z = zlib.decompressobj(wbits=31)
                self._buf += self._z.decompress(rest)
        except zlib.error as e:
            self.damage = f"gzip error: {e}"
            self._eof = True


def read_warc_file(
    path: str, *, select: Callable[[int], bool] | None = None
) -> Iterator[Article | BadInputError]:
    """Yield an Article (or BadInputError) per HTML response record of a WARC file.

    select: extract only the records whose 1-based number it accepts (None: all); the
        others are still read through, so numbering and damage checks stay the same.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(2)
            if not head:
                yield BadInputError(path, "empty file")
                return
            f.seek(0)
            stream: Any = _GzipReader(f) if head == _GZIP_MAGIC else f
            yield from _read_records(stream, path, select)
    except OSError as e:
        yield os_error(path, e)


def _read_records(
    stream: Any, path: str, select: Callable[[int], bool] | None = None
) -> Iterator[Article | BadInputError]:
    done = 0  # records read whole
    damage: str | None = None
    records = iter(ArchiveIterator(stream))
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except (ArchiveLoadFailed, EOFError, zlib.error, ValueError, AttributeError) as e:
            # AttributeError/ValueError: warcio stumbling over a header cut in half.
            damage = f"{type(e).__name__}: {e}"
            break
        number = done + 1
        if record.format != "warc":
            # warcio reads a few lines of plain text as an ARC record; we take WARC only.
            damage = f"record {number} is not a WARC record"
            break
        if not hasattr(record.raw_stream, "limit"):
            # warcio only bounds a block that has a Content-Length; without one the
            # header was cut or mangled.
            damage = f"record {number} has no Content-Length"
            break
        try:
            if select is None or select(number):
                result = _from_record(record, f"{path}#{number}")
            else:
                result = None
                _drain(record)
        except (EOFError, zlib.error, ValueError) as e:
            damage = f"{type(e).__name__}: {e}"
            break
        if record.raw_stream.limit > 0:
            # The block is shorter than its Content-Length: the file stops inside it.
            damage = f"record {number} is cut short"
            break
        done = number
        if result is not None:
            yield result
    damage = damage or getattr(stream, "damage", None)
    if damage is not None:
        logger.debug("%s: damaged after record %d: %s", path, done, damage)
        yield BadInputError(path, f"truncated or corrupt WARC after record {done}")


def _from_record(record: Any, rec_path: str) -> Article | BadInputError | None:
    # Returns None for records that are not article candidates (requests, metadata,
    # redirects, images...), after reading the block so truncation is still noticed.
    limit = _text.MAX_FILE_BYTES
    content = b""
    if _is_html_page(record):
        content = record.content_stream().read(limit + 1)
    _drain(record)
    if not _is_html_page(record):
        logger.debug("%s: skipped %s record", rec_path, record.rec_type)
        return None
    if len(content) > limit:
        return BadInputError(rec_path, f"record too large (> {limit} byte limit)")

    url = record.rec_headers.get_header("WARC-Target-URI")
    defaults: dict[str, Any] = {"format": "warc"}
    if published := _warc_date(record.rec_headers.get_header("WARC-Date")):
        defaults["published"] = published
    metadata = {"url": url} if url else {}
    try:
        return article_from_html(content, rec_path, metadata, defaults=defaults)
    except BadInputError as e:
        return e
    except Exception as e:  # one odd page must not cost the rest of the file
        logger.debug("%s: unexpected error", rec_path, exc_info=True)
        return BadInputError(rec_path, f"unexpected error: {type(e).__name__}: {e}")


def _is_html_page(record: Any) -> bool:
    if record.rec_type == "resource":
        ctype = record.rec_headers.get_header("Content-Type") or ""
        return ctype.split(";")[0].strip().lower() in _HTML_TYPES
    if record.rec_type != "response" or record.http_headers is None:
        return False
    if record.http_headers.get_statuscode() != "200":
        return False
    ctype = record.http_headers.get_header("Content-Type") or ""
    return ctype.split(";")[0].strip().lower() in _HTML_TYPES


def _drain(record: Any) -> None:
    # Read the rest of the block so the Content-Length check below sees the whole record.
    while record.raw_stream.read(_READ_CHUNK):
        pass


def _warc_date(value: str | None) -> str | None:
    # WARC-Date is ISO 8601 ("2021-04-12T08:00:00Z"); the day is what we keep.
    if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:10]
    return None
