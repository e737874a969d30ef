"""The closed vocabularies every stage shares: source types and kinds of attribution."""

from __future__ import annotations

# Source types, in the order reports list them.
SOURCE_TYPES = (
    "person",
    "organization",
    "government",
    "news_outlet",
    "document",
    "anonymous",
    "vague",
    "article",  # the article itself ("this report"), or a no-source attribution
)

# Kinds of attribution.
KINDS = (
    "direct",  # a quotation
    "indirect",  # reported speech: X said that ...
    "mixed",  # paraphrase with quoted words inside
    "according_to",  # according to X, ...
    "no_source",  # "it was reported that ...", "is expected to"
    "headline",  # "Report Discloses ..."
)

# Source types that name who spoke (the rest are anonymous, vague or the article itself).
NAMED_TYPES = ("person", "organization", "government", "news_outlet", "document")
UNNAMED_TYPES = ("anonymous", "vague")
