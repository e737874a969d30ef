"""Tests for sourcetrace.actors.resolve: mentions grouped into actors.

All example sentences are invented.
"""

from __future__ import annotations

from sourcetrace.actors import LABEL_TYPES, Mention, actor_lookup, resolve_actors

from .helpers import MEK, by_name, mention

# -- resolve_actors --------------------------------------------------------------------


def test_actors_resolve_person_title_and_surname(builtin):
    text = (
        "Interior Minister Hugh Hill spoke on Monday. Hill said the talks failed. "
        "Later Mr. Hill left, and Ann Ostrava stayed."
    )
    mentions = [
        mention(text, "Interior Minister Hugh Hill", "person"),
        mention(text, "Hugh Hill", "PERSON"),
        mention(text, "Hill", "PERSON", 1),
        mention(text, "Ann Ostrava", "PERSON"),
    ]
    actors, ids = resolve_actors(text, mentions, builtin)
    assert [(a.id, a.name, a.type) for a in actors] == [
        ("a1", "Hugh Hill", "person"),
        ("a2", "Ann Ostrava", "person"),
    ]
    hill = actors[0]
    # "Mr. Hill" was not tagged: the surname scan finds it
    assert [m.text for m in hill.mentions] == ["Interior Minister Hugh Hill", "Hill", "Hill"]
    assert hill.aliases == ("Hugh Hill", "Hill")
    for m in mentions[:3]:
        assert ids[(m.start, m.end)] == "a1"
    assert ids[(mentions[3].start, mentions[3].end)] == "a2"


def test_actors_resolve_ambiguous_surname_stays_apart(builtin):
    text = "Hugh Hill and Ann Hill disagreed. Hill said no."
    mentions = [
        mention(text, "Hugh Hill", "PERSON"),
        mention(text, "Ann Hill", "PERSON"),
        mention(text, "Hill", "PERSON", 2),
    ]
    actors, ids = resolve_actors(text, mentions, builtin)
    assert [a.name for a in actors] == ["Hugh Hill", "Ann Hill", "Hill"]


def test_actors_resolve_surname_not_inside_longer_name(builtin):
    text = "Hugh Hill spoke. Capitol Hill reacted."
    actors, ids = resolve_actors(text, [mention(text, "Hugh Hill", "PERSON")], builtin)
    assert [m.text for m in actors[0].mentions] == ["Hugh Hill"]


def test_actors_resolve_defined_aliases_and_scan(builtin):
    text = (
        "The outlawed Front for the Liberation of Xandaria (FLX, also known as the XLF "
        "and PFX) ordered attacks. The FLX denied it. Later the PFX said so, "
        "according to Reuters."
    )
    mentions = [
        # spaCy-like: the name with the open parenthesis, and an inner GPE
        Mention(text.index("Front"), text.index("FLX,") + 3, "ORG"),
        mention(text, "Xandaria", "GPE"),
        mention(text, "FLX", "ORG", 1),
        mention(text, "Reuters", "ORG"),
    ]
    actors, ids = resolve_actors(text, mentions, builtin)
    assert [(a.id, a.name, a.type) for a in actors] == [
        ("a1", "Front for the Liberation of Xandaria", "organization"),
        ("a2", "Reuters", "news_outlet"),
    ]
    flx = actors[0]
    assert flx.aliases == ("Front for the Liberation of Xandaria", "FLX", "XLF", "PFX")
    assert [m.text for m in flx.mentions] == [
        "Front for the Liberation of Xandaria",
        "FLX",
        "XLF",
        "PFX",
        "FLX",
        "PFX",
    ]
    last_pfx = text.rindex("PFX")
    assert ids[(last_pfx, last_pfx + 3)] == "a1"  # untagged, found by the scan
    assert ids[(mentions[0].start, mentions[0].end)] == "a1"  # as given
    assert (mentions[1].start, mentions[1].end) not in ids  # a word of the FLX's name


def test_actors_resolve_alias_table_and_transliteration(builtin):
    text = (
        "A member of the Mujahedeen Khalq Organization surrendered. The MEK said he "
        "was a spy. Hizbollah and Hezbollah, al-Qaida and Al Qaeda were named too."
    )
    mentions = [
        mention(text, "Mujahedeen Khalq Organization", "ORG"),
        mention(text, "Hizbollah", "ORG"),
        mention(text, "Hezbollah", "ORG"),
        mention(text, "al-Qaida", "ORG"),
        mention(text, "Al Qaeda", "ORG"),
    ]
    actors, ids = resolve_actors(text, mentions, builtin)
    named = by_name(actors)
    assert list(named) == [MEK, "Hezbollah", "al-Qaeda"]
    assert named[MEK].aliases == ("Mujahedeen Khalq Organization", "MEK")  # MEK by scan
    assert named["Hezbollah"].aliases == ("Hizbollah", "Hezbollah")
    assert named["al-Qaeda"].aliases == ("al-Qaida", "Al Qaeda")


def test_actors_resolve_acronym_and_near_spelling(builtin):
    text = (
        "The Xandar Peace Council met. The XPC said so. The Organisation for Xandarian "
        "Renewal and the Organisation for Xandarian Renewel are one body."
    )
    mentions = [
        mention(text, "Xandar Peace Council", "ORG"),
        mention(text, "XPC", "ORG"),
        mention(text, "Organisation for Xandarian Renewal", "ORG"),
        mention(text, "Organisation for Xandarian Renewel", "ORG"),
    ]
    actors, _ = resolve_actors(text, mentions, builtin)
    assert [(a.name, len(a.mentions)) for a in actors] == [
        ("Xandar Peace Council", 2),
        ("Organisation for Xandarian Renewal", 2),
    ]


def test_actors_resolve_skips_excluded_and_other_labels(builtin):
    text = "Related: FLX news. The FLX said on Friday that it won."
    mentions = [
        mention(text, "FLX", "ORG", 0),
        mention(text, "FLX", "ORG", 1),
        mention(text, "Friday", "DATE"),
    ]
    actors, ids = resolve_actors(text, mentions, builtin, excluded=[(0, 18)])
    assert len(actors) == 1
    assert [m.spans for m in actors[0].mentions] == [((mentions[1].start, mentions[1].end),)]
    assert (mentions[0].start, mentions[0].end) not in ids


def test_actors_resolve_type_from_labels(builtin):
    text = "Oxania said the Oxanian Workers League lied."
    mentions = [mention(text, "Oxania", "GPE"), mention(text, "Oxanian Workers League", "ORG")]
    actors, _ = resolve_actors(text, mentions, builtin)
    assert [(a.name, a.type) for a in actors] == [
        ("Oxania", "government"),
        ("Oxanian Workers League", "organization"),
    ]
    assert LABEL_TYPES["GPE"] == "government"


def test_actors_actor_lookup_prefers_smallest_cover():
    actor_of = actor_lookup({(0, 20): "a1", (5, 10): "a2", (30, 35): "a3"})
    assert actor_of(6, 8) == "a2"
    assert actor_of(0, 3) == "a1"
    assert actor_of(33, 40) == "a3"
    assert actor_of(21, 29) is None


def test_actors_resolve_scans_only_names(builtin):
    text = "An unnamed source said so. The source added that an unnamed source had lied."
    mentions = [mention(text, "An unnamed source", "anonymous")]
    actors, ids = resolve_actors(text, mentions, builtin)
    assert [(a.name, a.type, len(a.mentions)) for a in actors] == [
        ("An unnamed source", "anonymous", 1)
    ]


def test_actors_resolve_surname_after_al_prefix(builtin):
    text = "Prime Minister Nadia al-Roumi spoke. Later Roumi said the vote would go ahead."
    mentions = [mention(text, "Prime Minister Nadia al-Roumi", "person")]
    actors, ids = resolve_actors(text, mentions, builtin)
    assert [(a.name, [m.text for m in a.mentions]) for a in actors] == [
        ("Nadia al-Roumi", ["Prime Minister Nadia al-Roumi", "Roumi"])
    ]
