"""Nesting: an attribution whose cue sits in another's content."""

from __future__ import annotations

from .extract_cases import parts as _parts
from .extract_cases import run as _run


def test_extract_nested_attribution_marks_outer(nlp):
    text = (
        "A former guard disclosed that the camp held two hundred people, "
        "the Lerin News Agency reported."
    )
    text, rels = _run(nlp, text)
    by_cue = {_parts(text, r)["cue"]: r for r in rels}
    inner, outer = by_cue["disclosed"], by_cue["reported"]
    assert outer.nested_in is None
    assert inner.nested_in == rels.index(outer)
