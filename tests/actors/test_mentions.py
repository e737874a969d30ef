"""Tests for sourcetrace.actors.mentions: mentions from a spaCy Doc, grouped into actors.

All example sentences are invented.
"""

from __future__ import annotations

from sourcetrace.actors import mentions_from_doc, resolve_actors

from .helpers import MEK, by_name


def test_actors_resolve_with_spacy_entities(nlp, builtin):
    text = (
        "The Mujahedin-e Khalq Organization (MKO, also known as the PMOI) has denied the "
        "report, Mehr news agency said. Prime Minister Ann Ostrava vowed to expel the MKO. "
        "Ostrava said the PMOI had no future in Xandaria."
    )
    doc = nlp(text)
    actors, ids = resolve_actors(text, mentions_from_doc(doc), builtin)
    named = by_name(actors)
    assert named[MEK].type == "organization"
    assert {"MKO", "PMOI"} <= set(named[MEK].aliases)
    assert sum(m.text == "MKO" for m in named[MEK].mentions) == 2
    assert sum(m.text == "PMOI" for m in named[MEK].mentions) == 2
    assert named["Mehr News Agency"].type == "news_outlet"
    ostrava = named["Ann Ostrava"]
    assert ostrava.type == "person"
    assert [m.text for m in ostrava.mentions][-1] == "Ostrava"
    assert actors[0].name == MEK and actors[0].id == "a1"
