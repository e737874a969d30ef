"""Reporting verbs: their content, source, cue span and the chains they carry."""

from __future__ import annotations

import pytest

from ..extract_cases import only as _only
from ..extract_cases import parts as _parts
from ..extract_cases import run as _run


@pytest.mark.parametrize(
    "verb",
    ["said", "reported", "revealed", "disclosed", "noted", "warned", "claimed", "added",
     "insisted", "denied", "believes", "told reporters"],
)
def test_extract_indirect_speech_cue_lexicon(nlp, verb):
    text = f"The harbour authority {verb} that the cranes were unsafe."
    p = _only(nlp, text)
    assert p["source"] == "The harbour authority"
    assert p["cue"] == verb.split()[0]
    assert p["content"] == ["that the cranes were unsafe"]
    assert p["kind"] == "indirect"


def test_extract_vow_takes_infinitive_content(nlp):
    p = _only(nlp, "The general vowed to retake the valley.")
    assert (p["source"], p["cue"], p["content"]) == (
        "The general", "vowed", ["to retake the valley"],
    )


def test_extract_accused_takes_object_content(nlp):
    text, rels = _run(nlp, "The union accused the board of hiding losses.")
    assert rels and _parts(text, rels[0])["source"] == "The union"
    assert _parts(text, rels[0])["cue"] == "accused"


@pytest.mark.parametrize("participle", ["adding", "warning", "noting"])
def test_extract_participle_cue_shares_subject(nlp, participle):
    text = f"Okonye said the camp would close, {participle} that its residents would be moved."
    text, rels = _run(nlp, text)
    parts = [_parts(text, r) for r in rels]
    second = next(p for p in parts if p["cue"] == participle)
    assert second["source"] == "Okonye"
    assert second["content"] == ["that its residents would be moved"]


def test_extract_mixed_quote(nlp):
    p = _only(nlp, 'The governor said the tram was "a waste of money" and should be stopped.')
    assert p["kind"] == "mixed"
    assert p["content"] == ['the tram was "a waste of money" and should be stopped']


def test_extract_appositive_source(nlp):
    p = _only(nlp, "Hugh Hill, a doctor at the clinic, said the air was dirty.")
    assert p["source"] == "Hugh Hill, a doctor at the clinic,"
    assert p["content"] == ["the air was dirty"]


def test_extract_inverted_indirect(nlp):
    p = _only(nlp, "The plan was dead, said Anna Berg.")
    assert (p["source"], p["content"]) == ("Anna Berg", ["The plan was dead"])


def test_extract_passive_with_agent(nlp):
    p = _only(nlp, "It was reported by the Lerin News Agency that two men were arrested.")
    assert p["source"] == "the Lerin News Agency"
    assert p["content"] == ["that two men were arrested"]


def test_extract_chain_told_outlet(nlp):
    p = _only(nlp, "The official told the Harbour Gazette that the border was closed.")
    assert (p["source"], p["relayed_by"]) == ("The official", ["the Harbour Gazette"])


def test_extract_chain_citing(nlp):
    text, rels = _run(nlp, "The agency, citing police sources, said the men were arrested.")
    parts = [_parts(text, r) for r in rels]
    assert parts == [{
        "source": "police sources", "cue": "said", "content": ["the men were arrested"],
        "relayed_by": ["The agency"], "kind": "indirect",
    }]


def test_extract_fronted_content_before_told_is_content_not_the_listener(nlp):
    p = _only(
        nlp, "Wolves have returned to the northern valley, a park ranger told the Dunmore Post."
    )
    assert p["source"] == "a park ranger"
    assert p["content"] == ["Wolves have returned to the northern valley"]
    assert p["relayed_by"] == ["the Dunmore Post"]


def test_verbs_of_pursuing_or_ordering_a_deed_are_no_cues(nlp):
    for text in (
        "The ministry has been seeking the release of the detained crew.",
        "The governor ordered the police to clear the square before noon.",
        "The union tried to delay the vote on the contract.",
    ):
        _text, rels = _run(nlp, text)
        assert rels == [], [_parts(text, r) for r in rels]


def test_an_order_given_as_a_that_clause_is_reported_speech(nlp):
    text = "The court ordered that the ballots be counted again."
    p = _only(nlp, text)
    assert (p["source"], p["cue"]) == ("The court", "ordered")
    assert p["content"] == ["that the ballots be counted again"]
