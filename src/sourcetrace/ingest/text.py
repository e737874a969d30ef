"""Plain-text input: read bytes safely, decode strictly, find furniture.

The analysed text is the input decoded as UTF-8 and nothing else: newlines, a BOM and
every other character stay, so offsets match the file byte for byte once decoded.
"""

from __future__ import annotations

import logging
import os
from typing import Any, BinaryIO

from ..model.article import Article, article_id
from ..model.errors import BadInputError
from ..model.validate import check_metadata
from .furniture import find_furniture

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "article_from_bytes",
    "article_from_text",
    "build_article",
    "check_text",
    "decode_text",
    "os_error",
    "read_bytes",
    "read_stream",
    "read_text_file",
    "sniff_binary",
]

# Longest text we analyse. A long-form feature is ~60k characters; 2M is far past any
# article and keeps a runaway input (a log, a dump) from stalling the NLP stages.
MAX_TEXT_CHARS = 2_000_000
# UTF-8 needs at most 4 bytes a character, so a file over this many bytes is surely over
# MAX_TEXT_CHARS and is refused from its size alone, without reading it.
MAX_FILE_BYTES = 4 * MAX_TEXT_CHARS
# Binary sniffing looks at the start of the input only.
SNIFF_BYTES = 8192
# Share of control / undecodable characters above which the input is not text. Real
# text has next to none; 10% is far from both ends.
MAX_JUNK_RATIO = 0.10

_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1b")
_BOM = "\ufeff"


def read_bytes(path: str, limit: int | None = None) -> bytes:
    """Read a whole (small) file, refusing missing, unreadable and oversized ones.

    path (str): the file.
    limit (int | None): most bytes accepted. Defaults to MAX_FILE_BYTES.
    RETURNS (bytes): the file content.
    RAISES BadInputError: the file cannot be used.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        size = os.stat(path).st_size
        if size > limit:
            raise BadInputError(path, _too_large_bytes(size, limit))
        with open(path, "rb") as f:
            # Read one byte past the limit: the file may have grown since stat().
            data = f.read(limit + 1)
    except OSError as e:
        raise os_error(path, e) from None
    if len(data) > limit:
        raise BadInputError(path, _too_large_bytes(len(data), limit))
    return data


def read_stream(stream: BinaryIO, path: str, limit: int | None = None) -> bytes:
    """Read a byte stream (stdin) up to a limit; RAISES BadInputError past it."""
    limit = MAX_FILE_BYTES if limit is None else limit
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise BadInputError(path, _too_large_bytes(len(data), limit))
    return data


def os_error(path: str, e: OSError) -> BadInputError:
    """Turn an OSError from opening or reading ``path`` into a BadInputError."""
    if isinstance(e, FileNotFoundError):
        return BadInputError(path, "no such file or directory")
    if isinstance(e, PermissionError):
        return BadInputError(path, "permission denied")
    if isinstance(e, IsADirectoryError):
        return BadInputError(path, "is a directory")
    return BadInputError(path, f"cannot read file: {e.strerror or e}")


def sniff_binary(data: bytes) -> str | None:
    """Reason ``data`` is not text (judged from its start), or None if it may be text."""
    head = data[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text, not UTF-8"
    if b"\0" in head:
        return "binary file, not text"
    sample = head.decode("utf-8", errors="replace")
    junk = sum(1 for ch in sample if ch == "\ufffd" or (ch < " " and ch not in _TEXT_CONTROLS))
    if sample and junk / len(sample) > MAX_JUNK_RATIO:
        return "binary file, not text"
    return None


def decode_text(data: bytes, path: str) -> str:
    """Decode bytes as UTF-8 strictly and check the result is usable text.

    RAISES BadInputError: empty, binary, not UTF-8, whitespace only, or too large.
    """
    if not data:
        raise BadInputError(path, "empty file")
    if (reason := sniff_binary(data)) is not None:
        raise BadInputError(path, reason)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadInputError(path, f"invalid UTF-8 at byte {e.start}") from None
    check_text(text, path)
    return text


def check_text(text: str, path: str) -> None:
    """RAISES BadInputError: ``text`` is empty, whitespace only or over MAX_TEXT_CHARS."""
    if not text:
        raise BadInputError(path, "empty file")
    if not text.replace(_BOM, "").strip():
        raise BadInputError(path, "whitespace-only file")
    if len(text) > MAX_TEXT_CHARS:
        raise BadInputError(path, f"text too large ({len(text)} chars > {MAX_TEXT_CHARS} limit)")


def article_from_text(
    text: str, path: str = "<text>", metadata: dict[str, Any] | None = None
) -> Article:
    """Make an Article from plain text, marking furniture and lifting metadata from it.

    text (str): the article text; kept exactly as given.
    path (str): where it came from. Defaults to "<text>".
    metadata (dict | None): known metadata; it wins over anything lifted from the text.
        An "id" key, if given, becomes Article.id instead of the content hash.
    RETURNS (Article): the article, with furniture in ``excluded``.
    """
    return build_article(text, path, metadata)


def build_article(
    text: str,
    path: str,
    metadata: dict[str, Any] | None = None,
    defaults: dict[str, Any] | None = None,
) -> Article:
    """Article from text; metadata precedence: ``metadata`` > lifted from text > ``defaults``.

    RAISES BadInputError: a metadata field breaks ``model.validate``'s rules."""
    excluded, lifted = find_furniture(text)
    meta: dict[str, Any] = dict(defaults or {})
    meta.update({k: v for k, v in lifted.items() if v})
    meta.update({k: v for k, v in (metadata or {}).items() if v is not None})
    # Every reader's metadata passes the one field rule, so no output carries a list
    # where a string belongs; RAISES BadInputError.
    meta = check_metadata(meta, path)
    given_id = meta.pop("id", None)
    if text.startswith(_BOM):
        # Kept so offsets match the file; noted so consumers know char 0 is not content.
        meta["bom"] = True
    ident = str(given_id) if given_id not in (None, "") else article_id(text, path)
    return Article(id=ident, path=path, text=text, metadata=meta, excluded=excluded)


def article_from_bytes(data: bytes, path: str) -> Article:
    """Article from the raw bytes of a text file or stream; RAISES BadInputError."""
    text = decode_text(data, path)
    return build_article(text, path, {"format": "text"})


def read_text_file(path: str) -> Article:
    """Article from a UTF-8 text file; RAISES BadInputError."""
    article = article_from_bytes(read_bytes(path), path)
    logger.debug("%s: text, %d chars, %d excluded", path, len(article.text), len(article.excluded))
    return article


def _too_large_bytes(size: int, limit: int) -> str:
    return f"file too large ({size} bytes > {limit} byte limit)"
