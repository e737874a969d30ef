"""Tests for the source-type heuristic of gold sources."""

from __future__ import annotations

import pytest

from sourcetrace.evaluate.polnear.gold_types import guess_source_type


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("he", "person"),
        ("Sen. Ada Quill", "person"),
        ("Quill", "person"),
        ("a source", "anonymous"),
        ("officials who asked not to be named", "anonymous"),
        ("reports", "vague"),
        ("critics", "vague"),
        ("many", "vague"),
        ("the poll", "document"),
        ("the study", "document"),
        ("The New York Times", "news_outlet"),
        ("Reuters", "news_outlet"),
        ("the White House", "government"),
        ("the State Department", "government"),
        ("the Bridge Preservation Committee", "organization"),
        ("the Quill campaign", "organization"),
    ],
)
def test_polnear_guess_source_type(mention: str, expected: str):
    assert guess_source_type(mention) == expected

