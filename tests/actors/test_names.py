"""Tests for sourcetrace.actors.names: the name key.

All example sentences are invented.
"""

from __future__ import annotations

import pytest

from sourcetrace.actors import normalise_name

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
