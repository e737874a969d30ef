"""Tests for sourcetrace.actors.roles: titles and roles of persons.

All example sentences are invented.
"""

from __future__ import annotations

import pytest

from sourcetrace.actors import role_and_name

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
