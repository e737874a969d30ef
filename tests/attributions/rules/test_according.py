""""According to X"."""

from __future__ import annotations

from ..extract_cases import only as _only


def test_extract_according_to(nlp):
    p = _only(nlp, "According to the Harbour Gazette, the port will close next week.")
    assert p["kind"] == "according_to"
    assert (p["source"], p["cue"]) == ("the Harbour Gazette", "According to")
    assert p["content"] == ["the port will close next week"]


def test_extract_according_to_mid_sentence(nlp):
    p = _only(nlp, "The port, according to officials, will close next week.")
    assert p["source"] == "officials"
    assert p["content"] == ["The port", "will close next week"]
