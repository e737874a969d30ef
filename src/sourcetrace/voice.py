"""The writer's own voice: sentences that assert things with no source."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span

from .model.record import Assertion, Attribution
from .model.spans import Offsets, TextSpan, meets, merge_ranges

# Sentences shorter than this (in words) are headings, captions or fragments.
MIN_WORDS = 4
FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
REASON = "asserted in the writer's voice; no source"


def find_unattributed(
    doc: Doc, attributions: Sequence[Attribution], excluded: Sequence[Offsets] = ()
) -> list[Assertion]:
    """Sentences that assert something and carry no attribution.

    A sentence counts when it has a finite verb, is not a question, is not
    furniture, and no part of it is an attribution's source, cue or content.
    RETURNS (list[Assertion]): in text order.
    """
    covered: list[Offsets] = []
    for a in attributions:
        covered.extend(a.cue.spans)
        covered.extend(a.content.spans)
        if a.source:
            covered.extend(a.source.mention.spans)
    covered = merge_ranges(covered)
    excluded = merge_ranges(excluded)
    text = doc.text  # Doc.text rebuilds the string on every access
    out = []
    for sent in _sentences(doc):
        s, e = _trim(text, sent.start_char, sent.end_char)
        if e <= s or meets(s, e, excluded) or meets(s, e, covered):
            continue
        words = [t for t in sent if not t.is_punct and not t.is_space]
        if len(words) < MIN_WORDS or text[s:e].rstrip().endswith("?"):
            continue
        if not any(t.tag_ in FINITE_TAGS for t in sent):
            continue
        out.append(Assertion(TextSpan(text[s:e], ((s, e),)), REASON))
    return out


def _sentences(doc: Doc) -> list[Span]:
    """Sentences, split again at line breaks (headlines and captions have no full stop)."""
    out: list[Span] = []
    for sent in doc.sents:
        start = sent.start
        for t in sent:
            if t.is_space and "\n" in t.text and t.i > start:
                out.append(doc[start : t.i])
                start = t.i + 1
        if start < sent.end:
            out.append(doc[start : sent.end])
    return [s for s in out if len(s)]


def _trim(text: str, s: int, e: int) -> Offsets:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e

