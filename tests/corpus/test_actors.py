"""Cross-article actor merges on hand-made article_actors rows (no spaCy needed)."""

from __future__ import annotations

import json

import duckdb
import pytest

from sourcetrace.corpus import actors as actors_mod
from sourcetrace.corpus.actors import link_actors, load_alias_rules
from sourcetrace.corpus.schema import create_schema
from sourcetrace.model.errors import ConfigError


def _corpus(actors: list[tuple[str, str, str, list[str]]], texts: dict[str, str] | None = None):
    con = duckdb.connect(":memory:")
    create_schema(con)
    for n, art in enumerate(sorted({a for a, *_ in actors}), 1):
        con.execute(
            "INSERT INTO articles (id, seq, text) VALUES (?, ?, ?)",
            [art, n, (texts or {}).get(art, "")],
        )
    for i, (art, name, type_, aliases) in enumerate(actors, 1):
        con.execute(
            "INSERT INTO article_actors VALUES (?, ?, ?, ?, ?, ?, NULL)",
            [art, f"a{i}", name, type_, json.dumps([name, *aliases]), "[]"],
        )
    return con


def _actor(con, art: str, name: str) -> str:
    return con.execute(
        "SELECT actor_id FROM article_actors WHERE article_id = ? AND name = ?", [art, name]
    ).fetchone()[0]


def test_defined_abbreviation_links_articles_with_evidence():
    text = "The Front for the Liberation of Xandaria (FLX) said it freed two hostages."
    con = _corpus(
        [("a", "Front for the Liberation of Xandaria", "organization", ["FLX"]),
         ("b", "FLX", "organization", [])],
        {"a": text},
    )
    link_actors(con)
    assert _actor(con, "a", "Front for the Liberation of Xandaria") == _actor(con, "b", "FLX")
    kinds = {r[0] for r in con.execute("SELECT kind FROM actor_evidence").fetchall()}
    assert {"defined_in_article", "same_name"} <= kinds
    row = con.execute(
        "SELECT article_id FROM actor_evidence WHERE kind = 'defined_in_article'"
    ).fetchone()
    assert row[0] == "a"


def test_same_surname_different_first_names_stay_apart():
    con = _corpus(
        [("a", "Karim Haddad", "person", ["Haddad"]),
         ("b", "Samir Haddad", "person", ["Haddad"]),
         ("c", "Haddad", "person", [])],
    )
    link_actors(con)
    ids = {_actor(con, "a", "Karim Haddad"), _actor(con, "b", "Samir Haddad"),
           _actor(con, "c", "Haddad")}
    assert len(ids) == 3  # the bare surname is ambiguous: no merge without evidence


def test_bare_surname_joins_the_only_full_name():
    con = _corpus([("a", "Vera Malik", "person", ["Malik"]), ("b", "Malik", "person", [])])
    link_actors(con)
    assert _actor(con, "a", "Vera Malik") == _actor(con, "b", "Malik")


def test_transliteration_and_titles():
    con = _corpus(
        [("a", "Yusuf al-Harbi", "person", []),
         ("b", "Youssef Al Harbi", "person", []),
         ("c", "Defence Minister Gral", "government", []),
         ("d", "Anton Gral", "person", [])],
    )
    link_actors(con)
    assert _actor(con, "a", "Yusuf al-Harbi") == _actor(con, "b", "Youssef Al Harbi")
    assert _actor(con, "c", "Defence Minister Gral") == _actor(con, "d", "Anton Gral")


def test_user_file_forces_and_forbids(tmp_path):
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(
        "merge:\n  - name: Southern Rail Workers Association\n    aliases: [Railmen United]\n"
        "forbid:\n  - [Piotr Kowalski, Piotr Kowalsky]\n",
        encoding="utf-8",
    )
    rows = [("a", "Southern Rail Workers Association", "organization", []),
            ("b", "Railmen United", "organization", []),
            ("c", "Piotr Kowalski", "person", []),
            ("d", "Piotr Kowalsky", "person", [])]
    con = _corpus(rows)
    link_actors(con)  # without the file: near spelling joins the two Piotrs
    assert _actor(con, "c", "Piotr Kowalski") == _actor(con, "d", "Piotr Kowalsky")
    assert _actor(con, "a", rows[0][1]) != _actor(con, "b", "Railmen United")
    con = _corpus(rows)
    link_actors(con, load_alias_rules([rules_file]))
    assert _actor(con, "c", "Piotr Kowalski") != _actor(con, "d", "Piotr Kowalsky")
    assert _actor(con, "a", rows[0][1]) == _actor(con, "b", "Railmen United")
    kind = con.execute(
        "SELECT kind FROM actor_evidence WHERE alias = 'Railmen United'"
    ).fetchone()[0]
    assert kind == "user_alias"


@pytest.mark.parametrize(
    ("content", "match"),
    [("merge:\n  - name: [oops\n", "invalid YAML at line"),
     ("forbid: [Solo]\n", "forbid entry 1"),
     ("unknown: 1\n", "unknown key 'unknown'")],
)
def test_bad_alias_files_are_one_line(tmp_path, content, match):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=match) as info:
        load_alias_rules([path])
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_given_names_spaced_or_joined_are_one_person():
    con = _corpus(
        [("a", "Abdulkarim al-Nuri", "person", []),
         ("b", "Abdul Karim Nuri", "person", []),
         ("c", "Samira Nuri", "person", [])],
    )
    link_actors(con)
    assert _actor(con, "a", "Abdulkarim al-Nuri") == _actor(con, "b", "Abdul Karim Nuri")
    assert _actor(con, "c", "Samira Nuri") != _actor(con, "a", "Abdulkarim al-Nuri")


@pytest.mark.parametrize("chunk", [50_000, 2])  # article actors updated whole, in slices
def test_repeated_descriptions_are_one_node_with_per_article_counts(chunk, monkeypatch):
    monkeypatch.setattr(actors_mod, "UPDATE_CHUNK", chunk)
    rows = [(art, "Vera Malik", "person", ["Malik"]) for art in ("a", "b", "c")]
    rows += [("d", "Malik", "person", []), ("e", "Malik", "person", [])]
    con = _corpus(rows)
    link_actors(con)
    ids = {_actor(con, art, name) for art, name, *_ in rows}
    assert len(ids) == 1
    (aid,) = ids
    assert con.execute("SELECT n_articles FROM actors WHERE id = ?", [aid]).fetchone()[0] == 5
    aliases = dict(con.execute(
        "SELECT alias, n_articles FROM actor_aliases WHERE actor_id = ?", [aid]).fetchall())
    assert aliases == {"Vera Malik": 3, "Malik": 5}
    same = con.execute(
        "SELECT article_id FROM actor_evidence WHERE kind = 'same_name' ORDER BY article_id"
    ).fetchall()
    assert [r[0] for r in same] == ["b", "c"]  # each article repeating the first's name
    within = con.execute(
        "SELECT article_id FROM actor_evidence WHERE kind = 'same_article' ORDER BY article_id"
    ).fetchall()
    assert [r[0] for r in within] == ["a", "b", "c"]


def test_bare_surnames_in_different_articles_stay_apart_without_evidence():
    con = _corpus(
        [("a", "Karim Haddad", "person", []), ("b", "Samir Haddad", "person", []),
         ("c", "Haddad", "person", []), ("d", "Haddad", "person", [])],
    )
    link_actors(con)
    assert len({_actor(con, art, "Haddad") for art in ("c", "d")}) == 2
