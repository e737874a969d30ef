"""The directory walker: the two orders, hidden entries, extensions, symlinks, errors."""

from __future__ import annotations

import os
from pathlib import Path

from sourcetrace.ingest.walk import list_files, walk_files


def _tree(root: Path) -> None:
    for rel in ["b.txt", "a/z.txt", "a/b.html", "a/q/r.txt", "a0.txt", ".h/y.txt",
                "a/.hid.txt", "z.parquet", "c.bin"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    os.symlink(root / "a", root / "linkdir")  # a directory symlink: never entered


def _rel(root: Path, items) -> list[str]:
    return [os.path.relpath(p, root) for p, error in items if error is None]


def test_name_order_takes_known_files_where_they_sort(tmp_path):
    _tree(tmp_path)
    got = _rel(tmp_path, walk_files(str(tmp_path)))
    assert got == ["a/b.html", "a/q/r.txt", "a/z.txt", "a0.txt", "b.txt"]
    assert [os.path.relpath(p, tmp_path) for p in list_files(str(tmp_path))] == got


def test_files_first_is_os_walk_order_with_every_file(tmp_path):
    _tree(tmp_path)
    got = _rel(tmp_path, walk_files(str(tmp_path), extensions=None, files_first=True))
    assert got == ["a0.txt", "b.txt", "c.bin", "z.parquet", "a/b.html", "a/z.txt",
                   "a/q/r.txt"]


def test_an_unreadable_directory_is_given_with_its_error(tmp_path):
    missing = str(tmp_path / "gone")
    for files_first in (False, True):
        ((path, error),) = list(walk_files(missing, files_first=files_first))
        assert path == missing and isinstance(error, OSError)


def test_list_files_gives_a_file_as_is(tmp_path):
    assert list(list_files(str(tmp_path / "x.bin"))) == [str(tmp_path / "x.bin")]
