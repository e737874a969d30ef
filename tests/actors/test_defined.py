"""Tests for sourcetrace.actors.defined: aliases an article defines itself.

All example sentences are invented.
"""

from __future__ import annotations

import pytest

from sourcetrace.actors import find_defined_aliases

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
