"""Token and offset helpers the finders share: character ranges of token runs, and the
trimming that every content span goes through (edge punctuation, a closing full stop).

None of these look at a rule's state; the ones that need the document's quotations or
excluded ranges are methods of ``context.Context``.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from ..model.spans import Offsets

PUNCT_TRIM = ",;:-\u2013\u2014 \t\n"
QUOTE_MARKS = "\"\u201c\u201d\u2018\u2019'"


def span_of(toks: Sequence[Token]) -> list[Offsets]:
    return [(toks[0].idx, toks[-1].idx + len(toks[-1]))] if toks else []


def tok_offsets(t: Token) -> Offsets:
    return (t.idx, t.idx + len(t))


def token_frags(toks: Sequence[Token]) -> list[Offsets]:
    frags: list[list[int]] = []
    for t in sorted(toks, key=lambda x: x.i):
        if frags and t.i == frags[-1][2] + 1:
            frags[-1][1] = t.idx + len(t)
            frags[-1][2] = t.i
        else:
            frags.append([t.idx, t.idx + len(t), t.i])
    return [(s, e) for s, e, _ in frags]


def strip_final_period(text: str, frags: list[Offsets]) -> list[Offsets]:
    if not frags:
        return frags
    s, e = frags[-1]
    while e > s and text[e - 1].isspace():
        e -= 1
    while e > s and text[e - 1] in ".!" and text[e - 2 : e - 1] not in QUOTE_MARKS:
        e -= 1
    return [*frags[:-1], (s, e)] if e > s else frags[:-1]


def clean_content(text: str, frags: list[Offsets]) -> list[Offsets]:
    """Sort, merge and trim punctuation/whitespace at fragment edges (not quote marks)."""
    out: list[list[int]] = []
    for s, e in sorted(frags):
        while s < e and text[s] in PUNCT_TRIM:
            s += 1
        while e > s and text[e - 1] in PUNCT_TRIM:
            e -= 1
        if e <= s:
            continue
        if out and (s <= out[-1][1] or not text[out[-1][1] : s].strip()):
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]
