"""Passive reporting with no stated source."""

from __future__ import annotations

from ..extract_cases import only as _only


def test_extract_no_stated_source(nlp):
    p = _only(nlp, "It was reported that the camp would close.")
    assert p["source"] is None and p["kind"] == "no_source"
    assert p["content"] == ["that the camp would close"]
