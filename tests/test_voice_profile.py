"""Writer's-voice assertions and the sourcing profile."""

from __future__ import annotations

from sourcetrace.ingest import article_from_text


def test_voice_lists_unsourced_sentences_only(pipeline):
    text = (
        "The river flooded three villages on Monday. "
        "The mayor said the dam would hold. "
        "Was anyone warned? "
        "Rescue teams arrived late."
    )
    result = pipeline.analyze(article_from_text(text, "flood.txt"))
    sentences = [u.sentence.text for u in result.unattributed]
    assert sentences == [
        "The river flooded three villages on Monday.",
        "Rescue teams arrived late.",
    ]
    for u in result.unattributed:
        (s, e), = u.sentence.spans
        assert text[s:e] == u.sentence.text


def test_profile_counts_named_and_unnamed(pipeline):
    text = (
        "Anna Berg said the plan was dead. "
        "An unnamed official said talks would resume. "
        "Some analysts say the deal is unlikely."
    )
    profile = pipeline.analyze(article_from_text(text, "p.txt")).profile
    assert profile["attributions"] == 3
    assert profile["by_source_type"]["person"] == 1
    assert profile["by_source_type"]["anonymous"] == 1
    assert profile["by_source_type"]["vague"] == 1
    assert profile["named_share"] == round(1 / 3, 3)
    assert profile["anonymous_or_vague_share"] == round(2 / 3, 3)
    assert profile["deepest_chain"] == 1
