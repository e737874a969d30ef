"""Actors: one actor under all its names.

The stages, one module each:

1. ``names``: ``normalise_name(s)``, the matching key (case, diacritics, transliteration
   variants folded: "Mojahedin-e Khalq" == "Mujahedeen Khalq"), and ``fuzzy_score`` for
   near spellings.
2. ``aliases``: ``AliasTable``, canonical name -> (type, aliases), the built-in table
   (``data/aliases.yaml``) plus user files (YAML or CSV; the formats are described there).
3. ``defined``: ``find_defined_aliases(text)``, names the article defines itself:
   "Full Name (ABBR)", "Full Name, also known as X".
4. ``roles``: ``role_and_name(s)`` splits titles and roles off a person mention.
5. ``mentions``: ``Mention``, the candidate mentions of a parsed article
   (``doc_mentions``) and the evidence that joins them into one actor.
6. ``resolve``: ``resolve_actors(text, mentions, table)`` groups mentions into ``Actor``
   records.
"""

from __future__ import annotations

from .aliases import AliasEntry, AliasTable, load_yaml, parse_entries, parse_yaml
from .defined import find_defined_aliases
from .mentions import (
    COMPANY_NAME_WORDS,
    ENTITY_LABELS,
    LABEL_TYPES,
    OUTLET_NAME_WORDS,
    Mention,
    UnionFind,
    doc_mentions,
    mentions_from_doc,
    retype_actors,
)
from .names import FUZZY_MIN_LENGTH, FUZZY_MIN_SCORE, fuzzy_score, normalise_name
from .resolve import actor_lookup, resolve_actors
from .roles import TITLE_WORDS, role_and_name

__all__ = [
    "COMPANY_NAME_WORDS",
    "ENTITY_LABELS",
    "FUZZY_MIN_LENGTH",
    "FUZZY_MIN_SCORE",
    "LABEL_TYPES",
    "OUTLET_NAME_WORDS",
    "TITLE_WORDS",
    "AliasEntry",
    "AliasTable",
    "Mention",
    "UnionFind",
    "actor_lookup",
    "doc_mentions",
    "find_defined_aliases",
    "fuzzy_score",
    "load_yaml",
    "mentions_from_doc",
    "normalise_name",
    "parse_entries",
    "parse_yaml",
    "resolve_actors",
    "retype_actors",
    "role_and_name",
]
