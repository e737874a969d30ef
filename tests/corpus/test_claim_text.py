"""Claim texts: figures, negation, shared words, and which contents are claims."""

from __future__ import annotations

import pytest

from sourcetrace.corpus.claim_text import claims_from_record, conflict, lexical_support, numbers

from .test_claims import _record


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the plant will cut 2,400 jobs", {2400.0}),
        ("two thousand four hundred jobs will go", {2400.0}),
        ("a hundred and five boats", {105.0}),
        ("one of the ministers resigned", set()),
        ("forty-two people and 7.5 percent", {42.0, 7.5}),
    ],
)
def test_numbers_read_digits_and_words(text, expected):
    assert numbers(text) == expected


def test_conflict_on_denial_and_on_different_figures():
    assert conflict("the mine will close", "the mine will not close")
    assert conflict("the mine won't close", "the mine will close next year")
    assert not conflict("the mine won't close", "the mine will not shut")
    assert conflict("twelve miners were hurt", "30 miners were hurt")
    assert not conflict("twelve miners were hurt", "12 miners were injured")
    assert not conflict("the mine had no water left", "the mine ran out of water")


def test_lexical_support_needs_several_shared_content_words():
    assert lexical_support(
        "the ferry strike will end on Tuesday", "striking ferry crews end their walkout Tuesday"
    )
    assert not lexical_support("ferry crews strike", "the ferry timetable changes in May")



def test_outer_relay_sentence_is_not_a_second_claim():
    text = "The institute said an officer had told it that the ferry tickets were forged."
    outer = "an officer had told it that the ferry tickets were forged"
    inner = "that the ferry tickets were forged"
    rec = _record("r", text, [outer, inner], "Post")
    rec["attributions"][1]["cue"] = {"text": "had told", "spans": [[text.index("had told"),
                                                                    text.index("had told") + 8]]}
    assert [c["text"] for c in claims_from_record(rec)] == [inner]
