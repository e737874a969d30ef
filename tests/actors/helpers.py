"""Helpers of the actor tests: test data, mentions by surface, actors by name."""

from __future__ import annotations

import re
from pathlib import Path

from sourcetrace.actors import Mention

DATA = Path(__file__).parent.parent / "data" / "aliases"
MEK = "Mojahedin-e Khalq Organization"


def mention(text: str, surface: str, label: str, nth: int = 0) -> Mention:
    """The nth occurrence (whole word) of surface in text, as a Mention."""
    hits = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text)]
    s, e = hits[nth]
    return Mention(s, e, label)


def by_name(actors):
    return {a.name: a for a in actors}
