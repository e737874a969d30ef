"""WARC input (.warc, .warc.gz): HTML responses become articles, record by record.

A record's article path is ``file#N``, N the 1-based number of the record in the file
(all record types count, so numbers are stable). ``metadata["url"]`` is the
WARC-Target-URI; the WARC-Date gives ``published`` when the page itself has no date.

Damage is reported, not raised. A damaged record gets an error row ``file#N``
"corrupt WARC record skipped (...)" and reading goes on at the next record (the next gzip
member, or the next line starting a WARC record in an uncompressed file); a file that
ends inside the damage gets one BadInputError "truncated or corrupt WARC after record N".

warcio treats a truncated gzip stream as a clean end of file, so gzip is decompressed
here (``_GzipReader``), which notes truncation and corruption instead of hiding it; and
a record whose block is shorter than its Content-Length is caught from warcio's reader.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..model.article import Article
from ..model.errors import BadInputError
from . import text as _text
from .html import article_from_html
from .text import os_error

logger = logging.getLogger(__name__)

__all__ = ["read_warc_file"]

_GZIP_MAGIC = b"\x1f\x8b"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_READ_CHUNK = 1 << 16
_MEMBER_MAGIC = b"\x1f\x8b\x08"  # gzip magic + deflate: where a member can start
# A member decompressing to more than this is one huge record (video, archive) or a whole
# WARC gzipped at once; only its head is kept (an HTML page is refused far below this).
_MAX_MEMBER_BYTES = 2 * _text.MAX_FILE_BYTES + (1 << 20)
# What one record may inflate to when a WARC is one gzip stream: past it the record is a
# decompression bomb (or a video); it is reported and the rest of the file is not read.
MAX_RECORD_BYTES = _MAX_MEMBER_BYTES
# Past this a gzip member is not inflated to its end: a bomb's cost stays bounded.
MAX_INFLATE_BYTES = 4 * _MAX_MEMBER_BYTES
_INFLATE_STEP = 1 << 20  # bytes inflated per step
_MAX_LINE = 1 << 16  # longest WARC/HTTP header line read


class _GzipReader:
    """Read-only file object decompressing (multi-member) gzip, noting damage.

    At a truncated or corrupt spot it ends the stream early and sets ``damage``; the
    caller checks it after iterating, since warcio swallows end-of-file errors. It inflates
    at most ``_INFLATE_STEP`` bytes at a time and reads from an offset into one buffer, so
    a member of zeros costs time linear in what is read, never a copy of the rest per read.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._z = zlib.decompressobj(wbits=31)
        self._buf = bytearray()
        self._pos = 0
        self._eof = False
        self.damage: str | None = None

    def _avail(self) -> int:
        return len(self._buf) - self._pos

    def _take(self, end: int) -> bytes:
        out = bytes(self._buf[self._pos : end])
        self._pos = end
        if self._pos > _INFLATE_STEP and self._pos * 2 > len(self._buf):
            del self._buf[: self._pos]  # drop what was read, now and then: linear overall
            self._pos = 0
        return out

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or self._avail() < size):
            self._fill()
        n = self._avail() if size < 0 else min(size, self._avail())
        return self._take(self._pos + n)

    def readline(self, size: int = -1) -> bytes:
        # A header line is short: past _MAX_LINE bytes with no newline, what is there is
        # returned and the header parse fails as damage (a stream of zeros is not a WARC).
        cap = _MAX_LINE if size < 0 else min(size, _MAX_LINE)
        start = self._pos
        while True:
            at = self._buf.find(b"\n", start)
            if at >= 0 or self._eof or self._avail() >= cap:
                break
            start = len(self._buf)
            self._fill()
        end = at + 1 if at >= 0 else len(self._buf)
        return self._take(min(end, self._pos + cap))

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
            self._buf += self._z.decompress(data, _INFLATE_STEP)
            # Several members (one per record): start a new decompressor on the rest.
            while self._z.eof and self._z.unused_data:
                rest = self._z.unused_data
                self._z = zlib.decompressobj(wbits=31)
                self._buf += self._z.decompress(rest, _INFLATE_STEP)
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
            seen: set[str] = set()
            if head == _GZIP_MAGIC:
                yield from _read_members(f, path, select, seen)
            else:
                yield from _read_plain(f, path, select, seen)
    except OSError as e:
        yield os_error(path, e)


class _Damage(Exception):
    """Where reading a stream of records stopped: after ``done`` whole records."""

    def __init__(self, done: int, detail: str, offset: int = 0) -> None:
        super().__init__(detail)
        self.done = done
        self.detail = detail
        self.offset = offset  # warcio's offset (in the file) of the record it stopped at


def _read_plain(
    f: IO[bytes], path: str, select: Callable[[int], bool] | None, seen: set[str]
) -> Iterator[Article | BadInputError]:
    """An uncompressed WARC: a damaged record gets an error row, and reading goes on at
    the next line that starts a WARC record. A file that ends inside the damage gets one
    error for the file, as before."""
    if not _looks_like_warc(f.read(64)):
        # warcio reads a few bytes of junk ("W") as no records at all: never skip quietly.
        yield BadInputError(path, "truncated or corrupt WARC after record 0")
        return
    pos, first = 0, 1
    while True:
        f.seek(pos)
        try:
            for item in _read_records(f, path, select, seen, first=first, strict=True):
                if isinstance(item, int):
                    if item == 0:
                        # A header cut before its end reads as no record at all.
                        yield BadInputError(path, "truncated or corrupt WARC after record 0")
                    return
                yield item
        except _Damage as d:
            # Always move forward, even when warcio's offset still points at the record
            # before the damage.
            nxt = _next_warc_header(f, max(d.offset, pos) + 1)
            if nxt is None or nxt <= pos:
                logger.debug("%s: damaged after record %d: %s", path, d.done, d.detail)
                yield BadInputError(path, f"truncated or corrupt WARC after record {d.done}")
                return
            number = d.done + 1
            logger.debug("%s: record %d damaged (%s); going on at byte %d",
                         path, number, d.detail, nxt)
            yield _skipped(f"{path}#{number}", d.detail)
            pos, first = nxt, number + 1


_WARC_LINE = b"\nWARC/1."


def _next_warc_header(f: IO[bytes], start: int) -> int | None:
    """Offset of the next line starting with 'WARC/1.' at or after ``start``."""
    f.seek(max(start - 1, 0))
    carry = b""
    base = f.tell()
    while True:
        block = f.read(1 << 20)
        if not block:
            return None
        data = carry + block
        i = data.find(_WARC_LINE)
        if i >= 0:
            return base - len(carry) + i + 1
        carry = data[-(len(_WARC_LINE) - 1) :]
        base += len(block)


def _read_members(
    f: IO[bytes], path: str, select: Callable[[int], bool] | None, seen: set[str]
) -> Iterator[Article | BadInputError]:
    """A gzip WARC, one gzip member (normally one record) at a time.

    A member that does not decompress or parse is one corrupt record: it gets an error
    row and reading goes on at the next gzip member. A file that ends inside a member is
    truncated: one error for the file. A file that is a single huge member (the whole
    WARC gzipped at once) is streamed instead, without per-record recovery.
    """
    done = 0  # records numbered so far
    while True:
        start = f.tell()
        member = _next_member(f)
        if member is None:
            return
        if isinstance(member, _Oversized):
            if start == 0 and not _looks_like_warc(member.head):
                yield BadInputError(path, "not a WARC file (it does not start with a WARC record)")
                return
            if start == 0:
                f.seek(0)
                yield from _read_records(_GzipReader(f), path, select, seen)
                return
            done += 1  # one huge record (video, archive...): not an article
            if member.end is None:
                if select is None or select(done):
                    yield BadInputError(
                        f"{path}#{done}",
                        f"record inflates past {MAX_INFLATE_BYTES} bytes (a decompression "
                        "bomb?); skipped",
                    )
                if not _resync(f, f.tell()):
                    return
                continue
            if select is None or select(done):
                limit = _MAX_MEMBER_BYTES
                yield BadInputError(f"{path}#{done}", f"record too large (> {limit} bytes)")
            continue
        if isinstance(member, _Truncated):
            logger.debug("%s: gzip member at %d cut short", path, start)
            yield BadInputError(path, f"truncated or corrupt WARC after record {done}")
            return
        if isinstance(member, _Corrupt):
            logger.debug("%s: corrupt gzip member at %d: %s", path, start, member.detail)
            if not _resync(f, start + 1):  # damage to the end: the file is cut or junk
                yield BadInputError(path, f"truncated or corrupt WARC after record {done}")
                return
            done += 1
            if select is None or select(done):
                yield _skipped(f"{path}#{done}", member.detail)
            continue
        if not _looks_like_warc(member):
            # warcio would read a member of junk as one endless header line, slowly.
            done += 1
            if select is None or select(done):
                yield _skipped(f"{path}#{done}", "not a WARC record")
            continue
        try:
            for item in _read_records(io.BytesIO(member), path, select, seen, first=done + 1,
                                      strict=True):
                if isinstance(item, int):
                    done = item
                else:
                    yield item
        except _Damage as d:
            done = d.done + 1
            logger.debug("%s: record %d unreadable: %s", path, done, d.detail)
            if select is None or select(done):
                yield _skipped(f"{path}#{done}", d.detail)


def _skipped(rec_path: str, detail: str) -> BadInputError:
    return BadInputError(rec_path, f"corrupt WARC record skipped ({detail[:200]})")


def _looks_like_warc(data: bytes) -> bool:
    return data[:64].lstrip(b"\r\n")[:5] == b"WARC/"


@dataclass(frozen=True, slots=True)
class _Corrupt:
    detail: str


@dataclass(frozen=True, slots=True)
class _Truncated:
    pass


@dataclass(frozen=True, slots=True)
class _Oversized:
    head: bytes
    end: int | None  # offset after the member; None when it was not inflated to its end


def _next_member(f: IO[bytes]) -> bytes | _Corrupt | _Truncated | _Oversized | None:
    """Decompress the gzip member starting at f's position; leave f just after it.

    A member inflating past ``MAX_INFLATE_BYTES`` is not followed to its end (that would
    cost time in proportion to a bomb's size): it comes back as ``_Oversized`` with
    ``end`` None, and f is left where inflating stopped.
    """
    start = f.tell()
    z = zlib.decompressobj(wbits=31)
    out: list[bytes] = []
    size = 0
    consumed = 0
    oversized = False
    while not z.eof:
        data = z.unconsumed_tail
        if not data:
            data = f.read(_READ_CHUNK)
            if not data:
                if consumed == 0:
                    return None  # clean end of file
                return _Truncated()
            consumed += len(data)
        try:
            chunk = z.decompress(data, _INFLATE_STEP)
        except zlib.error as e:
            return _Corrupt(f"gzip error: {e}")
        room = _MAX_MEMBER_BYTES - size
        size += len(chunk)
        if room > 0:
            out.append(chunk[:room])  # keep the head (the headers); the body is no article
        if size > _MAX_MEMBER_BYTES:
            oversized = True
        if size > MAX_INFLATE_BYTES:
            return _Oversized(b"".join(out), end=None)
    f.seek(start + consumed - len(z.unused_data))
    head = b"".join(out)
    return _Oversized(head, end=f.tell()) if oversized else head


def _resync(f: IO[bytes], pos: int) -> bool:
    """Move f to the next gzip member header at or after pos; False when there is none."""
    f.seek(pos)
    carry = b""
    base = pos
    while True:
        data = f.read(_READ_CHUNK)
        if not data:
            return False
        window = carry + data
        at = window.find(_MEMBER_MAGIC)
        if at >= 0:
            f.seek(base - len(carry) + at)
            return True
        carry = window[-(len(_MEMBER_MAGIC) - 1):]
        base += len(data)


def _read_records(
    stream: Any,
    path: str,
    select: Callable[[int], bool] | None = None,
    seen: set[str] | None = None,
    *,
    first: int = 1,
    strict: bool = False,
) -> Iterator[Article | BadInputError | int]:
    """Records of an uncompressed stream, numbered from ``first``.

    strict (one gzip member): damage raises _Damage instead of ending the file with an
    error, and the number of the last record read is yielded (an int) when done.
    """
    done = first - 1  # records read whole
    damage: str | None = None
    seen = set() if seen is None else seen
    archive = ArchiveIterator(stream)
    records = iter(archive)
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
            wanted = select is None or select(number)
            result = _from_record(record, f"{path}#{number}", seen, wanted)
        except (EOFError, zlib.error, ValueError) as e:
            damage = f"{type(e).__name__}: {e}"
            break
        except _TooLarge:
            too_large = BadInputError(
                f"{path}#{number}",
                f"record inflates past {MAX_RECORD_BYTES} bytes (a decompression bomb?); "
                "the rest of the file is not read",
            )
            if strict:
                raise _Damage(done, str(too_large)) from None
            yield too_large
            return
        if record.raw_stream.limit > 0:
            # The block is shorter than its Content-Length: the file stops inside it.
            damage = f"record {number} is cut short"
            break
        done = number
        if result is not None:
            yield result
    damage = damage or getattr(stream, "damage", None)
    if strict:
        if damage is not None:
            raise _Damage(done, damage, getattr(archive, "offset", 0) or 0)
        yield done
        return
    if damage is not None:
        logger.debug("%s: damaged after record %d: %s", path, done, damage)
        yield BadInputError(path, f"truncated or corrupt WARC after record {done}")


def _from_record(
    record: Any, rec_path: str, seen: set[str], wanted: bool = True
) -> Article | BadInputError | None:
    # Returns None for records that are not article candidates (requests, metadata,
    # redirects, images, repeated payloads...) or not ``wanted`` (another task's), after
    # reading the block so truncation is still noticed.
    limit = _text.MAX_FILE_BYTES
    content = b""
    page = _is_html_page(record)
    if page:
        content = record.content_stream().read(limit + 1)
    _drain(record)
    if not page:
        logger.debug("%s: skipped %s record", rec_path, record.rec_type)
        return None
    # Crawls fetch the same page under several URLs; the first copy is the article.
    # Every task reads every digest, so all agree on which copy is first.
    digest = record.rec_headers.get_header("WARC-Payload-Digest") or (
        "sha1:" + hashlib.sha1(content).hexdigest()
    )
    if digest in seen:
        logger.debug("%s: skipped, same payload as an earlier record", rec_path)
        return None
    seen.add(digest)
    if not wanted:
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


class _TooLarge(Exception):
    """A record inflating past MAX_RECORD_BYTES."""


def _drain(record: Any) -> None:
    # Read the rest of the block so the Content-Length check below sees the whole record.
    read = 0
    while chunk := record.raw_stream.read(_READ_CHUNK):
        read += len(chunk)
        if read > MAX_RECORD_BYTES:
            raise _TooLarge


def _warc_date(value: str | None) -> str | None:
    # WARC-Date is ISO 8601 ("2021-04-12T08:00:00Z"); the day is what we keep.
    if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:10]
    return None
