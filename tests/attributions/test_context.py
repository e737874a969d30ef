"""What ``Context.add`` does to every finder's relation: a source cited by an outlet becomes
the source, relayed by the outlet."""

from __future__ import annotations

from .extract_cases import only as _only


def test_extract_source_cited_by_outlet_becomes_a_relay(nlp):
    p = _only(nlp, "A diplomat cited by the Eastvale Herald said the ceasefire had broken down.")
    assert p["source"] == "A diplomat"
    assert p["relayed_by"] == ["the Eastvale Herald"]
    assert p["content"] == ["the ceasefire had broken down"]
