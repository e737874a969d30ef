"""Headline cues on the title line."""

from __future__ import annotations

from ..extract_cases import parts as _parts
from ..extract_cases import run as _run


def test_extract_headline_cue(nlp):
    text = "Audit Reveals Tram Budget Was Padded\n\nThe city council met on Monday."
    text, rels = _run(nlp, text)
    head = _parts(text, rels[0])
    assert head["kind"] == "headline"
    assert (head["source"], head["cue"]) == ("Audit", "Reveals")
    assert head["content"] == ["Tram Budget Was Padded"]
