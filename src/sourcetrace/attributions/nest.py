"""Which attribution sits inside another one's content.

"The ministry said [a guard had told inspectors that the gate was open]": the guard's
attribution is nested in the ministry's, whose source relays it. ``nest`` marks each
attribution with the smallest other attribution whose content holds its cue.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from ..model.spans import Offsets
from .context import RawAttribution


class SpanIndex:
    """(start, end) ranges sorted by start: which ranges hold a position, in a window."""

    def __init__(self, items: Sequence[tuple[Offsets, int]]) -> None:
        self.items = sorted(items)
        self.starts = [s for (s, _e), _i in self.items]
        self.longest = max((e - s for (s, e), _i in self.items), default=0)

    def holding(self, pos: int) -> list[int]:
        lo = bisect.bisect_left(self.starts, pos - self.longest)
        hi = bisect.bisect_right(self.starts, pos)
        return [i for (s, e), i in self.items[lo:hi] if s <= pos < e]


def nest(rels: list[RawAttribution]) -> None:
    """Mark each attribution whose cue sits inside another's content (the smallest such)."""
    contents = SpanIndex([(frag, j) for j, r in enumerate(rels) for frag in r.content])
    sizes = [sum(b - a for a, b in r.content) for r in rels]
    for i, inner in enumerate(rels):
        outers = [j for j in contents.holding(inner.cue_head) if j != i]
        inner.nested_in = min(outers, key=lambda j: (sizes[j], j)) if outers else None
