"""Walking directories for input files: the one walker of ingest and the corpus.

``walk_files`` lists the files under a directory, sorted by name, hidden entries
skipped, never following a directory symlink (no loops), an unreadable directory
given as ``(dir, error)``. ``scandir`` lists names only, so memory stays small.
Two orders are kept because two callers have always used them and their outputs
(article order, corpus order) depend on it:

- name order (``files_first=False``, what ``read_path`` reads): a directory's files and
  subdirectories sorted together by name, each subdirectory walked where it sorts;
  a directory symlink counts as a file (kept when its name has a known extension);
- files first (``files_first=True``, what ``corpus build`` reads): a directory's files
  sorted, then its subdirectories sorted and walked (``os.walk``'s order); a directory
  symlink is neither listed nor entered.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

# Extensions picked up when walking a directory (longest first: ".warc.gz" before ".gz").
KNOWN_EXTENSIONS = (".warc.gz", ".jsonl", ".warc", ".html", ".htm", ".txt", ".pdf", ".docx")
# Read when named, never picked up from a folder: a URL list reaches the network.
URL_LIST_EXTENSION = ".urls"
# What the error for an unreadable file and --help list.
READABLE = (
    ".txt, .html/.htm, .jsonl, .warc/.warc.gz, .pdf, .docx, .urls (a URL list), "
    "http(s) URLs and RSS/Atom feeds, folders, - (stdin)"
)


def walk_files(
    directory: str,
    *,
    extensions: tuple[str, ...] | None = KNOWN_EXTENSIONS,
    files_first: bool = False,
) -> Iterator[tuple[str, OSError | None]]:
    """(path, None) per file under ``directory``; (dir, error) per unreadable directory.

    extensions (tuple[str, ...] | None): keep only files whose lower-cased name ends with
        one of these; None keeps every file.
    files_first (bool): a directory's files before its subdirectories (see the module
        docstring); by default files and subdirectories are taken in one name order.
    """
    if files_first:
        yield from _files_first(directory, extensions)
    else:
        yield from _name_order(directory, extensions)


def list_files(path: str) -> Iterator[str]:
    """The files ``ingest.read_path(path)`` would read, in the same order (directories
    walked)."""
    if not os.path.isdir(path):
        yield path
        return
    for file, _error in walk_files(path):
        yield file  # an unreadable directory too: read_path reports it


def _wanted(name: str, extensions: tuple[str, ...] | None) -> bool:
    return extensions is None or name.lower().endswith(extensions)


def _name_order(
    directory: str, extensions: tuple[str, ...] | None
) -> Iterator[tuple[str, OSError | None]]:
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        yield directory, e
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _name_order(entry.path, extensions)
        elif _wanted(entry.name, extensions):
            yield entry.path, None


def _files_first(
    directory: str, extensions: tuple[str, ...] | None
) -> Iterator[tuple[str, OSError | None]]:
    try:
        with os.scandir(directory) as it:
            entries = list(it)
    except OSError as e:
        yield directory, e
        return
    dirs, files = [], []
    for entry in entries:
        try:
            is_dir = entry.is_dir()  # a directory symlink too: listed as neither
        except OSError:
            is_dir = False
        (dirs if is_dir else files).append(entry)
    for entry in sorted(files, key=lambda e: e.name):
        if not entry.name.startswith(".") and _wanted(entry.name, extensions):
            yield entry.path, None
    for entry in sorted(dirs, key=lambda e: e.name):
        if not entry.name.startswith(".") and not os.path.islink(entry.path):
            yield from _files_first(entry.path, extensions)
