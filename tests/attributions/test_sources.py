"""Source typing and source coreference on hand-written sentences."""

from __future__ import annotations

import pytest

from sourcetrace.attributions.sources import SourceResolver, type_source


def _span(doc, words: str):
    start = doc.text.index(words)
    return doc.char_span(start, start + len(words))


@pytest.mark.parametrize(
    ("sentence", "source", "expected"),
    [
        ("An unnamed diplomat said the talks had failed.", "An unnamed diplomat", "anonymous"),
        ("Two officials said the talks had failed.", "Two officials", "anonymous"),
        ("Media reports said the talks had failed.", "Media reports", "vague"),
        ("Critics say the talks had failed.", "Critics", "vague"),
        ("The study found that the talks had failed.", "The study", "document"),
        ("The Ministry of Transport said the talks had failed.", "The Ministry of Transport",
         "government"),
        ("Reuters reported that the talks had failed.", "Reuters", "news_outlet"),
        ("Anna Berg said the talks had failed.", "Anna Berg", "person"),
        ("Officials who spoke on condition of anonymity said the talks had failed.",
         "Officials who spoke on condition of anonymity", "anonymous"),
    ],
)
def test_sources_type_source(nlp, sentence, source, expected):
    doc = nlp(sentence)
    assert type_source(_span(doc, source)).type == expected


def test_sources_alias_type_wins_over_guess(nlp):
    doc = nlp("Tasnim said the talks had failed.")
    assert type_source(_span(doc, "Tasnim"), "news_outlet").type == "news_outlet"


def test_sources_role_from_title_and_appositive(nlp):
    doc = nlp("Deputy Mayor Ivo Lind said it. Ivo Lind, a retired judge, said it.")
    assert type_source(_span(doc, "Deputy Mayor Ivo Lind")).role == "Deputy Mayor"
    assert type_source(_span(doc, "Ivo Lind, a retired judge,")).role == "a retired judge"


def test_sources_definite_description_refers_back(nlp):
    doc = nlp("A senior aide said the vote was close. The aide added that more was to come.")
    resolver = SourceResolver(doc)
    first = _span(doc, "A senior aide")
    resolver.resolve(first, type_source(first))
    second = _span(doc, "The aide")
    typed, ante = resolver.resolve(second, type_source(second))
    assert typed.type == "anonymous"
    assert doc.text[ante[0] : ante[1]] == "A senior aide"


def test_sources_pronoun_refers_to_last_person(nlp):
    doc = nlp("Marta Quell said fares would rise. She added that routes could close.")
    resolver = SourceResolver(doc)
    first = _span(doc, "Marta Quell")
    resolver.resolve(first, type_source(first))
    she = _span(doc, "She")
    typed, ante = resolver.resolve(she, type_source(she))
    assert typed.type == "person" and doc.text[ante[0] : ante[1]] == "Marta Quell"
