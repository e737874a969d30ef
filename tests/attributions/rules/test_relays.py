"""Relay chains: "X quoted/cited Y as saying ..."."""

from __future__ import annotations

from ..extract_cases import only as _only


def test_extract_chain_quoted_as_saying(nlp):
    text = "The Meridian Centre quoted an unnamed source as saying that weapons were moved."
    p = _only(nlp, text)
    assert p["source"] == "an unnamed source"
    assert p["relayed_by"] == ["The Meridian Centre"]
    assert p["content"] == ["that weapons were moved"]


def test_extract_chain_cited_as_saying(nlp):
    p = _only(nlp, "The Times cited a senior official as saying the deal was off.")
    assert (p["source"], p["relayed_by"]) == ("a senior official", ["The Times"])
