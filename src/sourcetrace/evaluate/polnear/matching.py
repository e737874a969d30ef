"""Span matching rules: how predicted spans and relations pair with gold ones.

Every span, gold and predicted, is first normalised: its fragments go through
``spans.merge_offsets(text, fragments)`` (sorted, empty ones dropped, fragments that
overlap, touch or are separated only by whitespace joined), then leading and trailing
whitespace is stripped from each fragment (fragments left empty are dropped). A role
that normalises to no fragments counts as absent. (``data.normalize_span`` does this.)

* **Exact**: two spans match when their normalised fragment tuples are equal.
* **Overlap**: the document text is tokenised with the regex ``\\w+|[^\\w\\s]``; a token
  is identified by its character offsets, and it belongs to a span when any of its
  characters lies inside one of the span's fragments. Two spans match when their token
  sets intersect.
* **Soft**: token-level credit, ``sum |G & P|`` over the one-to-one overlap pairs,
  divided by the predicted tokens (precision) or the gold tokens (recall).

Matching is always one-to-one within a document: exact pairs are equal spans (any
pairing of equal spans is optimal); overlap pairs are chosen greedily by decreasing token
Jaccard ``|G & P| / |G | P|`` (ties: gold order, then predicted order).

* **Univocal projection**: PolNeAR gives each token to at most one attribution, so it
  never annotates an attribution inside another's content (0 of the 2,191 dev cues lie
  inside another relation's content). sourcetrace reports nested attributions ("X
  reported that [Y disclosed ...]"); before scoring, a predicted attribution whose cue
  starts inside another predicted attribution's content is dropped, and the outer one
  is scored. ``project_univocal`` does this; nothing else is filtered.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ...model.record import Attribution
from .data import Frags

__all__ = ["Span", "Tokens", "jaccard", "match_exact", "match_greedy", "project_univocal"]

_TOKEN = re.compile(r"\w+|[^\w\s]")


class Tokens:
    """Regex tokens of one document, looked up by character range."""

    __slots__ = ("starts", "ends")

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in _TOKEN.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def of(self, frags: Frags) -> frozenset[int]:
        """Indices of tokens with at least one character inside the fragments."""
        out: set[int] = set()
        for s, e in frags:
            i = bisect.bisect_right(self.ends, s)
            while i < len(self.starts) and self.starts[i] < e:
                out.add(i)
                i += 1
        return frozenset(out)


@dataclass(frozen=True, slots=True)
class Span:
    frags: Frags
    tokens: frozenset[int]


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) if inter else 0.0


def match_exact(gold: Sequence[Any], pred: Sequence[Any]) -> list[tuple[int, int]]:
    """One-to-one pairs of equal keys (gold index, predicted index)."""
    free: dict[Any, deque[int]] = defaultdict(deque)
    for i, g in enumerate(gold):
        free[g].append(i)
    pairs = []
    for j, p in enumerate(pred):
        if free.get(p):
            pairs.append((free[p].popleft(), j))
    return pairs


def match_greedy(
    n_gold: int, n_pred: int, score_fn: Callable[[int, int], float]
) -> list[tuple[int, int]]:
    """One-to-one pairs by decreasing score; score 0 means no match."""
    cands = []
    for i in range(n_gold):
        for j in range(n_pred):
            s = score_fn(i, j)
            if s > 0:
                cands.append((-s, i, j))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def project_univocal(attributions: Sequence[Attribution]) -> list[Attribution]:
    """Drop attributions whose cue starts inside another one's content (see module doc)."""
    out = []
    for a in attributions:
        start = a.cue.spans[0][0] if a.cue.spans else -1
        inside = any(
            o is not a and any(s <= start < e for s, e in o.content.spans) for o in attributions
        )
        if not inside:
            out.append(a)
    return out
