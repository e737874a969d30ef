"""The domain types every stage shares: the article, spans of its text, the record of one
analysis, the source-type vocabularies and the error tree."""

from .article import Article, Excluded, article_id
from .errors import BadInputError, ConfigError, SourcetraceError
from .record import SCHEMA_VERSION, Actor, Analysis, Assertion, Attribution, Label, Source
from .spans import Offsets, TextSpan
from .types import KINDS, NAMED_TYPES, SOURCE_TYPES, UNNAMED_TYPES

__all__ = [
    "KINDS",
    "NAMED_TYPES",
    "SCHEMA_VERSION",
    "SOURCE_TYPES",
    "UNNAMED_TYPES",
    "Actor",
    "Analysis",
    "Article",
    "Assertion",
    "Attribution",
    "BadInputError",
    "ConfigError",
    "Excluded",
    "Label",
    "Offsets",
    "Source",
    "SourcetraceError",
    "TextSpan",
    "article_id",
]
