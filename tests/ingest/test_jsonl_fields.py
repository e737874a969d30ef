"""JSONL fields are checked where they enter: one line per bad record, the rest still read."""

from __future__ import annotations

import json

import pytest

from sourcetrace.ingest import read_path
from sourcetrace.model.article import Article
from sourcetrace.model.errors import BadInputError

TEXT = "The river ferry resumed service on Tuesday, the harbour office said."


def _read(tmp_path, records: list[str]) -> list[Article | BadInputError]:
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    return list(read_path(str(path)))


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("url", ["http://a.example"], '"url" must be a string (got list)'),
        ("outlet", {"name": "x"}, '"outlet" must be a string (got dict)'),
        ("published", True, '"published" must be a string (got bool)'),
        ("id", [1], '"id" must be a string (got list)'),
    ],
)
def test_jsonl_field_of_the_wrong_type_fails_its_line_only(tmp_path, field, value, reason):
    bad = json.dumps({"text": TEXT, field: value})
    good = json.dumps({"text": TEXT.replace("Tuesday", "Friday"), "url": "http://b.example"})
    items = _read(tmp_path, [bad, good])
    assert isinstance(items[0], BadInputError)
    assert str(items[0]).endswith(f"feed.jsonl#1: {reason}")
    assert isinstance(items[1], Article) and items[1].metadata["url"] == "http://b.example"


def test_jsonl_numbers_become_strings(tmp_path):
    (item,) = _read(tmp_path, [json.dumps({"text": TEXT, "title": 3.5, "published": 2024})])
    assert isinstance(item, Article)
    assert (item.metadata["title"], item.metadata["published"]) == ("3.5", "2024")


def test_jsonl_lone_surrogate_is_one_error_line(tmp_path):
    items = _read(tmp_path, ['{"text": "A lone \\ud800 half."}', json.dumps({"text": TEXT})])
    assert isinstance(items[0], BadInputError)
    assert "lone surrogate (U+D800)" in str(items[0]) and "\n" not in str(items[0])
    assert isinstance(items[1], Article)
