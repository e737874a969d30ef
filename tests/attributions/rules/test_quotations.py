"""Quotations, the cue in their frame, dash credits and continued quotes."""

from __future__ import annotations

from sourcetrace.attributions.quotes import find_quotes

from ..extract_cases import only as _only
from ..extract_cases import parts as _parts
from ..extract_cases import run as _run


def test_extract_direct_quote_straight_marks(nlp):
    p = _only(nlp, '"The dam will hold," the engineer said.')
    assert p == {
        "source": "the engineer", "cue": "said", "content": ['"The dam will hold,"'],
        "relayed_by": [], "kind": "direct",
    }


def test_extract_direct_quote_curly_marks_inverted(nlp):
    p = _only(nlp, "\u201cThe dam will hold,\u201d said Chief Engineer Lotta Varga.")
    assert p["source"] == "Chief Engineer Lotta Varga"
    assert p["content"] == ["\u201cThe dam will hold,\u201d"]
    assert p["kind"] == "direct"


def test_extract_quote_split_by_its_cue(nlp):
    p = _only(nlp, "\u201cWe are ready,\u201d she said, \u201cand the money is there.\u201d")
    assert p["source"] == "she"
    assert p["content"] == ["\u201cWe are ready,\u201d", "\u201cand the money is there.\u201d"]


def test_extract_following_quote_continues_speaker(nlp):
    text = '"We are ready," the mayor said. "The money is there."\n\nThe rain stopped.'
    p = _only(nlp, text)
    assert p["content"] == ['"We are ready,"', '"The money is there."']


def test_extract_quote_across_paragraphs(nlp):
    text = (
        'The coach said: "We trained hard all winter.\n\n'
        '"Nobody expected us to win, but we did."\n\nThe season ends in May.'
    )
    q = find_quotes(text)
    assert len(q) == 1 and text[q[0].start : q[0].end].endswith('we did."')
    p = _only(nlp, text)
    assert p["source"] == "The coach"
    assert p["content"][0].startswith('"We trained') and p["content"][-1].endswith('we did."')


def test_extract_quote_across_sentences(nlp):
    text = '"The river rose fast. Then the bridge went. Nobody was hurt," the sheriff said.'
    p = _only(nlp, text)
    assert p["content"] == ['"The river rose fast. Then the bridge went. Nobody was hurt,"']
    assert p["source"] == "the sheriff"


def test_extract_quotation_credited_with_a_dash_and_a_name(nlp):
    text = (
        "\u201cThe buses never come on time.\u201d \u2015 Mirela Kovac\n"
        "\u201cWe pay more every year.\u201d \u2014 Tomas de Vries.\n"
        "\u201cNothing works here.\u201d \u2014 and that is the problem.\n"
    )
    _text, rels = _run(nlp, text)
    got = [_parts(text, r) for r in rels]
    assert {"source": "Mirela Kovac", "cue": "\u2015",
            "content": ["\u201cThe buses never come on time.\u201d"], "relayed_by": [],
            "kind": "direct"} in got
    assert any(p["source"] == "Tomas de Vries" for p in got)
    assert not any(p["cue"] == "\u2014" and "Nothing" in p["content"][0] for p in got)
