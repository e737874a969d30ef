"""Each attribution construction the extractor must handle, on our own sentences."""

from __future__ import annotations

import pytest

from sourcetrace.attributions.extract import RawAttribution, extract_attributions
from sourcetrace.attributions.quotes import find_quotes


def _run(nlp, text: str) -> tuple[str, list[RawAttribution]]:
    return text, extract_attributions(nlp(text))


def _parts(text: str, rel: RawAttribution) -> dict:
    return {
        "source": text[rel.source[0] : rel.source[1]] if rel.source else None,
        "cue": " ".join(text[a:b] for a, b in rel.cue),
        "content": [text[a:b] for a, b in rel.content],
        "relayed_by": [text[a:b] for a, b in rel.relayed_by],
        "kind": rel.kind,
    }


def _only(nlp, text: str) -> dict:
    text, rels = _run(nlp, text)
    top = [r for r in rels if r.nested_in is None]
    assert len(top) == 1, [_parts(text, r) for r in rels]
    return _parts(text, top[0])


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


def test_extract_according_to(nlp):
    p = _only(nlp, "According to the Harbour Gazette, the port will close next week.")
    assert p["kind"] == "according_to"
    assert (p["source"], p["cue"]) == ("the Harbour Gazette", "According to")
    assert p["content"] == ["the port will close next week"]


def test_extract_according_to_mid_sentence(nlp):
    p = _only(nlp, "The port, according to officials, will close next week.")
    assert p["source"] == "officials"
    assert p["content"] == ["The port", "will close next week"]


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


def test_extract_no_stated_source(nlp):
    p = _only(nlp, "It was reported that the camp would close.")
    assert p["source"] is None and p["kind"] == "no_source"
    assert p["content"] == ["that the camp would close"]


def test_extract_headline_cue(nlp):
    text = "Audit Reveals Tram Budget Was Padded\n\nThe city council met on Monday."
    text, rels = _run(nlp, text)
    head = _parts(text, rels[0])
    assert head["kind"] == "headline"
    assert (head["source"], head["cue"]) == ("Audit", "Reveals")
    assert head["content"] == ["Tram Budget Was Padded"]


def test_extract_chain_quoted_as_saying(nlp):
    text = "The Meridian Centre quoted an unnamed source as saying that weapons were moved."
    p = _only(nlp, text)
    assert p["source"] == "an unnamed source"
    assert p["relayed_by"] == ["The Meridian Centre"]
    assert p["content"] == ["that weapons were moved"]


def test_extract_chain_cited_as_saying(nlp):
    p = _only(nlp, "The Times cited a senior official as saying the deal was off.")
    assert (p["source"], p["relayed_by"]) == ("a senior official", ["The Times"])


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


def test_extract_fronted_content_before_told_is_content_not_the_listener(nlp):
    p = _only(
        nlp, "Wolves have returned to the northern valley, a park ranger told the Dunmore Post."
    )
    assert p["source"] == "a park ranger"
    assert p["content"] == ["Wolves have returned to the northern valley"]
    assert p["relayed_by"] == ["the Dunmore Post"]


def test_extract_source_cited_by_outlet_becomes_a_relay(nlp):
    p = _only(nlp, "A diplomat cited by the Eastvale Herald said the ceasefire had broken down.")
    assert p["source"] == "A diplomat"
    assert p["relayed_by"] == ["the Eastvale Herald"]
    assert p["content"] == ["the ceasefire had broken down"]


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
