"""Only regular files (and "-") are read: a FIFO, given or found in a folder, is one error
line and never blocks the batch; a folder with no article files is said, not skipped."""

from __future__ import annotations

import os
import threading

from sourcetrace.ingest import iter_articles
from sourcetrace.model.article import Article
from sourcetrace.model.errors import BadInputError

TEXT = "The bakery on Quay Street reopened on Sunday, its owner told customers.\n"


def _read_within(paths: list[str], seconds: float = 20) -> list[Article | BadInputError]:
    out: list[Article | BadInputError] = []
    worker = threading.Thread(target=lambda: out.extend(iter_articles(paths)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "reading blocked"
    return out


def test_irregular_fifo_given_is_one_error_and_the_next_file_is_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text(TEXT)
    items = _read_within([str(fifo), str(good)])
    assert isinstance(items[0], BadInputError) and "not a regular file" in str(items[0])
    assert isinstance(items[1], Article) and items[1].text == TEXT


def test_irregular_fifo_in_a_folder_does_not_block_the_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "a-pipe.txt")
    (folder / "b-good.txt").write_text(TEXT)
    items = _read_within([str(folder)])
    assert [type(i) for i in items] == [BadInputError, Article]


def test_irregular_empty_folder_beside_a_good_file_is_reported(tmp_path):
    (tmp_path / "empty").mkdir()
    good = tmp_path / "good.txt"
    good.write_text(TEXT)
    items = _read_within([str(tmp_path / "empty"), str(good)])
    assert isinstance(items[0], BadInputError) and "no article files" in str(items[0])
    assert isinstance(items[1], Article)
