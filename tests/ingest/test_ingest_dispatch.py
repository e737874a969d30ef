"""Dispatch: extensions, sorted directory walk, stdin, and a batch that never stops."""

from __future__ import annotations

import io
import json
from pathlib import Path

import sourcetrace.ingest as ingest
from sourcetrace.ingest import iter_articles, read_path
from sourcetrace.model.article import Article
from sourcetrace.model.errors import BadInputError

DATA = Path(__file__).parent.parent / "data" / "ingest"
BODY = "The Westhaven ferry will run every twenty minutes during the repairs, officials said.\n"
HTML = (
    "<html><head><title>Ferry timetable changes</title></head><body><article><p>"
    + BODY * 3
    + "</p></article></body></html>"
)


def _tree(root: Path) -> None:
    (root / "b").mkdir()
    (root / "b" / "deep").mkdir()
    (root / ".hidden").mkdir()
    (root / "a.txt").write_text(BODY)
    (root / "c.html").write_text(HTML)
    (root / "b" / "z.txt").write_text(BODY)
    (root / "b" / "deep" / "feed.jsonl").write_text(
        json.dumps({"text": BODY}) + "\n" + json.dumps({"text": BODY}) + "\n"
    )
    (root / "b" / "empty.txt").write_text("")
    (root / "notes.md").write_text(BODY)  # unknown extension: skipped in a walk
    (root / ".secret.txt").write_text(BODY)  # hidden
    (root / ".hidden" / "x.txt").write_text(BODY)


def test_ingest_directory_walk_sorted_recursive_skips_hidden(tmp_path):
    _tree(tmp_path)
    paths = [r.path for r in read_path(str(tmp_path))]
    assert paths == [
        f"{tmp_path}/a.txt",
        f"{tmp_path}/b/deep/feed.jsonl#1",
        f"{tmp_path}/b/deep/feed.jsonl#2",
        f"{tmp_path}/b/empty.txt",
        f"{tmp_path}/b/z.txt",
        f"{tmp_path}/c.html",
    ]
    # deterministic, and every path is unique, so a stopped batch can resume by path
    assert [r.path for r in read_path(str(tmp_path))] == paths
    assert len(set(paths)) == len(paths)


def test_ingest_bad_input_does_not_stop_batch(tmp_path):
    _tree(tmp_path)
    results = list(
        iter_articles(
            [str(tmp_path / "missing.txt"), str(tmp_path), str(DATA / "bridge_page.html")]
        )
    )
    errors = [r for r in results if isinstance(r, BadInputError)]
    assert [(e.path, e.reason) for e in errors] == [
        (f"{tmp_path}/missing.txt", "no such file or directory"),
        (f"{tmp_path}/b/empty.txt", "empty file"),
    ]
    assert sum(isinstance(r, Article) for r in results) == 6
    assert results[-1].path == str(DATA / "bridge_page.html")


def test_ingest_explicit_unknown_extension_and_dispatch_formats(tmp_path):
    _tree(tmp_path)
    results = list(iter_articles([str(tmp_path / "notes.md"), str(tmp_path / "c.html")]))
    assert [r.metadata["format"] for r in results] == ["text", "html"]
    assert results[1].text.startswith("Ferry timetable changes\n\n")


def test_ingest_resume_by_skipping_done_paths(tmp_path):
    _tree(tmp_path)
    first_run = []
    for result in iter_articles([str(tmp_path)]):
        first_run.append(result.path)
        if len(first_run) == 2:
            break  # the batch stops
    rest = [r.path for r in iter_articles([str(tmp_path)]) if r.path not in set(first_run)]
    assert first_run + rest == [r.path for r in iter_articles([str(tmp_path)])]


def test_ingest_is_lazy(tmp_path, monkeypatch):
    _tree(tmp_path)
    opened: list[str] = []
    real = ingest.read_text_file

    def spy(path):
        opened.append(path)
        return real(path)

    monkeypatch.setattr(ingest, "read_text_file", spy)
    it = iter_articles([str(tmp_path)])
    first = next(it)
    assert first.path == f"{tmp_path}/a.txt"
    assert opened == [f"{tmp_path}/a.txt"]


def test_ingest_stdin_binary_text_and_default(monkeypatch):
    raw = ("Ferry timetable changes\r\n\r\n" + BODY).encode()
    (article,) = iter_articles(["-"], stdin=io.BytesIO(raw))
    assert article.path == "<stdin>"
    assert article.text == raw.decode()
    assert article.metadata["title"] == "Ferry timetable changes"

    (article,) = iter_articles(["-"], stdin=io.StringIO(BODY))
    assert article.text == BODY

    wrapped = io.TextIOWrapper(io.BytesIO(raw), encoding="latin-1")  # .buffer is used
    (article,) = iter_articles(["-"], stdin=wrapped)
    assert article.text == raw.decode()

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\xff\xfe\x00")))
    (error,) = read_path("-")
    assert isinstance(error, BadInputError)
    assert (error.path, error.reason) == ("<stdin>", "UTF-16 text, not UTF-8")


def test_ingest_stdin_empty():
    (error,) = iter_articles(["-"], stdin=io.BytesIO(b""))
    assert (error.path, error.reason) == ("<stdin>", "empty file")


def test_ingest_unexpected_error_becomes_bad_input(tmp_path, monkeypatch):
    _tree(tmp_path)

    def boom(path):
        raise RuntimeError("disk gremlins")

    monkeypatch.setattr(ingest, "read_html_file", boom)
    results = list(read_path(str(tmp_path)))
    (error,) = [r for r in results if r.path.endswith("c.html")]
    assert isinstance(error, BadInputError)
    assert error.reason == "unexpected error: RuntimeError: disk gremlins"
    assert sum(isinstance(r, Article) for r in results) == 4


def test_ingest_unreadable_directory(tmp_path, monkeypatch):
    def deny(path):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr("os.scandir", deny)
    (error,) = read_path(str(tmp_path))
    assert (error.path, error.reason) == (str(tmp_path), "permission denied")


def test_ingest_directory_symlink_not_followed(tmp_path):
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [r.path for r in read_path(str(tmp_path))] == [f"{tmp_path}/a.txt"]


def test_ingest_public_api():
    assert sorted(ingest.__all__) == ingest.__all__
    assert {"iter_articles", "read_path", "article_from_text"} <= set(ingest.__all__)
    for name in ingest.__all__:
        assert hasattr(ingest, name)
