"""TextSpan: a piece of article text with its character offsets."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Offsets = tuple[int, int]


@dataclass(frozen=True, slots=True)
class TextSpan:
    """Text made of one or more [start, end) ranges of the article text.

    A split quote ("A," he said, "B") is one TextSpan with two ranges.
    ``text`` joins the ranges with a space, for display; the offsets are the truth.
    """

    text: str
    spans: tuple[Offsets, ...]

    @classmethod
    def from_offsets(cls, doc_text: str, spans: Iterable[Offsets]) -> TextSpan:
        merged = merge_offsets(doc_text, spans)
        return cls(" ".join(doc_text[s:e] for s, e in merged), merged)

    @property
    def start(self) -> int:
        return self.spans[0][0] if self.spans else 0

    @property
    def end(self) -> int:
        return self.spans[-1][1] if self.spans else 0

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "spans": [list(s) for s in self.spans]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> TextSpan:
        """The span of ``to_dict()`` (or of any dict with "text" and "spans"), as given:
        the ranges are not merged again."""
        return cls(d.get("text", ""), tuple((int(s), int(e)) for s, e in d.get("spans") or ()))


def merge_offsets(doc_text: str, spans: Iterable[Offsets]) -> tuple[Offsets, ...]:
    """Sort ranges, drop empty ones, and join ranges separated only by whitespace."""
    out: list[list[int]] = []
    for s, e in sorted((int(s), int(e)) for s, e in spans):
        if e <= s:
            continue
        if out and (s <= out[-1][1] or not doc_text[out[-1][1] : s].strip()):
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def merge_ranges(ranges: Iterable[Offsets]) -> list[Offsets]:
    """Sort ranges and join the ones that overlap or touch (for bisect lookups)."""
    out: list[list[int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def excluded_ranges(excluded: Iterable[Any]) -> list[Offsets]:
    """(start, end) tuples or objects with .start/.end, as sorted, merged ranges."""
    raw: list[Offsets] = []
    for item in excluded:
        if isinstance(item, tuple | list):
            raw.append((int(item[0]), int(item[1])))
        else:
            raw.append((int(item.start), int(item.end)))
    return merge_ranges(raw)


def meets(start: int, end: int, merged: Sequence[Offsets]) -> bool:
    """Whether [start, end) meets a range of ``merged`` (sorted, disjoint): one bisect."""
    i = bisect_left(merged, (end, end)) - 1
    return i >= 0 and merged[i][1] > start
