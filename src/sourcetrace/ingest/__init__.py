"""Ingest: turn files, directories and stdin into Articles.

Inputs are dispatched by extension:

    .txt (and any unknown extension named explicitly)  -> text.read_text_file
    .html, .htm                                        -> html.read_html_file
    .jsonl                                             -> jsonl.read_jsonl_file (one per line)
    .warc, .warc.gz                                    -> warc.read_warc_file (one per record)
    .pdf                                               -> pdf.read_pdf_file (pypdf)
    .docx                                              -> word.read_docx_file (python-docx)
    http:// or https:// URL                            -> fetch.read_url (a feed: its items)
    .urls, or a .txt holding only URLs                 -> fetch.read_url_list
    a directory                                        -> its known files, recursively, sorted
    "-"                                                -> stdin as one text article

An input that cannot become an Article is *yielded* as a BadInputError (path + reason),
never raised, so a batch always runs to the end. Output order is deterministic and every
Article.path is unique ("file", or "file#N" for the Nth JSONL line / WARC record), so a
stopped batch resumes by skipping the paths already done. Everything streams: one file,
line or record at a time.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, TextIO

from ..model.article import Article
from ..model.errors import BadInputError
from . import text as _text
from .fetch import (
    DEFAULT_FETCH,
    FetchOptions,
    is_url,
    is_url_list,
    looks_like_url_list,
    read_url,
    read_url_list,
)
from .html import read_html_file
from .jsonl import read_jsonl_file
from .pdf import read_pdf_file
from .text import article_from_bytes, article_from_text, os_error, read_bytes, read_text_file
from .walk import KNOWN_EXTENSIONS, READABLE, URL_LIST_EXTENSION, list_files, walk_files
from .warc import read_warc_file
from .word import read_docx_file

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_FETCH",
    "FetchOptions",
    "KNOWN_EXTENSIONS",
    "READABLE",
    "STDIN_PATH",
    "article_from_text",
    "is_splittable",
    "is_url",
    "iter_articles",
    "list_files",
    "not_regular",
    "read_path",
    "walk_files",
]

STDIN_PATH = "<stdin>"

Result = Article | BadInputError
Select = Callable[[int], bool]


def iter_articles(
    paths: Iterable[str],
    *,
    stdin: TextIO | BinaryIO | None = None,
    fetch: FetchOptions = DEFAULT_FETCH,
) -> Iterator[Result]:
    """Yield Articles (and BadInputErrors for inputs that fail) from paths, in order.

    paths (Iterable[str]): files, directories, http(s) URLs, or "-" for stdin.
    stdin (TextIO | BinaryIO | None): stream read for "-". Defaults to sys.stdin.
    fetch (FetchOptions): timeout, size cap and redirects for URLs.
    RETURNS (Iterator[Article | BadInputError]): one item per article or failed input.
    """
    for path in paths:
        if path == "-":
            yield _guarded(STDIN_PATH, lambda: iter([_read_stdin(stdin)]))
        else:
            yield from read_path(path, fetch=fetch)


def read_path(
    path: str, *, select: Select | None = None, fetch: FetchOptions = DEFAULT_FETCH
) -> Iterator[Result]:
    """Yield Articles (and BadInputErrors) from one file, directory or URL ("-": stdin).

    select (Callable[[int], bool] | None): for a WARC or JSONL file, read only the records
        (lines) whose 1-based number it accepts; the others are skipped before any
        extraction. Engines use it to split one file across tasks.
    fetch (FetchOptions): how URLs (given, or in a URL list) are fetched.
    """
    if path == "-":
        yield from iter_articles(["-"])
        return
    if is_url(path):
        yield from _guarded_iter(path, lambda p: read_url(p, fetch))
        return
    if os.path.isdir(path):
        yield from _walk(path)
        return
    if not os.path.lexists(path):
        yield _report(BadInputError(path, "no such file or directory"))
        return
    if (error := not_regular(path)) is not None:
        yield _report(error)
        return
    yield from _guarded_iter(path, _reader_for(path, select, fetch))


def not_regular(path: str) -> BadInputError | None:
    """An error for anything but a regular file (a FIFO would block the batch forever)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        return os_error(path, e)
    if stat.S_ISREG(mode):
        return None
    return BadInputError(path, "not a regular file (FIFOs, devices and sockets are not read)")


def is_splittable(path: str) -> bool:
    """Whether ``select`` can split this file across tasks (many records in one file)."""
    return path.lower().endswith((".warc", ".warc.gz", ".jsonl"))


def _reader_for(
    path: str, select: Select | None = None, fetch: FetchOptions = DEFAULT_FETCH
) -> Callable[[str], Iterator[Result]]:
    name = path.lower()
    if name.endswith((".warc", ".warc.gz")):
        return lambda p: read_warc_file(p, select=select)
    if name.endswith(".jsonl"):
        return lambda p: read_jsonl_file(p, select=select)
    if name.endswith((".html", ".htm")):
        return lambda p: iter([read_html_file(p)])
    if name.endswith(".pdf"):
        return lambda p: iter([read_pdf_file(p)])
    if name.endswith(".docx"):
        return lambda p: iter([read_docx_file(p)])
    # .txt, .urls, and any other file named explicitly: text or a URL list.
    return lambda p: _read_text_or_urls(p, fetch)


def _read_text_or_urls(path: str, fetch: FetchOptions) -> Iterator[Result]:
    head = _head(path)
    named_list = path.lower().endswith(URL_LIST_EXTENSION)
    if named_list or looks_like_url_list(head):
        data = read_bytes(path)
        if named_list or is_url_list(path, data):
            yield from read_url_list(path, data, fetch)
            return
    if head.startswith(b"%PDF-"):  # a PDF under another name
        yield read_pdf_file(path)
        return
    try:
        yield read_text_file(path)
    except BadInputError as exc:
        if exc.reason.startswith("binary file") and not path.lower().endswith(".txt"):
            # Named explicitly with an extension we do not read: say what we do read.
            raise BadInputError(path, f"{exc.reason}; sourcetrace reads {READABLE}") from None
        raise


def _head(path: str) -> bytes:
    if os.stat(path).st_size > _text.MAX_FILE_BYTES:
        return b""  # refused by its size alone in read_text_file, never opened
    with open(path, "rb") as f:
        return f.read(_text.SNIFF_BYTES)


def _walk(directory: str) -> Iterator[Result]:
    found = False
    others = 0
    for path, error in walk_files(directory, extensions=None):
        if error is None and not path.lower().endswith(KNOWN_EXTENSIONS):
            others += 1  # counted for the error below, never read
            continue
        found = True
        if error is not None:
            yield _report(os_error(path, error))
        elif (irregular := not_regular(path)) is not None:
            yield _report(irregular)
        else:
            yield from _guarded_iter(path, _reader_for(path))
    if not found:  # said, so a folder given beside good files is not skipped unnoticed
        seen = f"{others} file{'s' if others != 1 else ''} of other types; " if others else ""
        yield _report(BadInputError(
            directory,
            f"no article files in this folder ({seen}reads {', '.join(KNOWN_EXTENSIONS)})"))


def _read_stdin(stdin: TextIO | BinaryIO | None) -> Article:
    stream = sys.stdin if stdin is None else stdin
    binary = getattr(stream, "buffer", None)
    if binary is not None:
        stream = binary
    data = _text.read_stream(stream, STDIN_PATH)  # type: ignore[arg-type]
    if isinstance(data, str):
        # An already-decoded text stream (e.g. io.StringIO): use it as is.
        _text.check_text(data, STDIN_PATH)
        return _text.build_article(data, STDIN_PATH, {"format": "text"})
    return article_from_bytes(data, STDIN_PATH)


def _guarded(path: str, make: Callable[[], Iterator[Result]]) -> Result:
    return next(_guarded_iter(path, lambda _p: make()))


def _guarded_iter(path: str, reader: Callable[[str], Iterator[Result]]) -> Iterator[Result]:
    # The batch boundary: whatever goes wrong with one input becomes one BadInputError
    # for it, and the batch goes on.
    try:
        for item in reader(path):
            yield _report(item) if isinstance(item, BadInputError) else item
    except BadInputError as e:
        yield _report(e)
    except OSError as e:
        yield _report(os_error(path, e))
    except Exception as e:  # a bug or library failure must not stop the batch
        logger.debug("%s: unexpected error", path, exc_info=True)
        yield _report(BadInputError(path, f"unexpected error: {type(e).__name__}: {e}"))


def _report(error: BadInputError) -> BadInputError:
    logger.info("skipped %s: %s", error.path, error.reason)
    return error
