"""Tests for sourcetrace.actors.aliases: the built-in table and user alias files.

All example sentences are invented.
"""

from __future__ import annotations

import pytest
import spacy

from sourcetrace.actors import AliasEntry, AliasTable
from sourcetrace.model.errors import ConfigError
from sourcetrace.model.types import SOURCE_TYPES

from .helpers import DATA, MEK

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
