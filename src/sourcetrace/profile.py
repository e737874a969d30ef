"""The sourcing profile: one article's sourcing in a handful of figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from .model.record import Assertion, Attribution, Label
from .model.types import NAMED_TYPES, SOURCE_TYPES, UNNAMED_TYPES


def sourcing_profile(
    attributions: Sequence[Attribution],
    unattributed: Sequence[Assertion],
    labels: Sequence[Label],
) -> dict[str, Any]:
    """Summarise how an article is sourced.

    A source counts as *named* when its type is a person, organisation,
    government, outlet or document and it (or what it refers back to) names
    someone; anonymous and vague sources, and attributions with no source, are
    not named. Relayed sources count under the innermost source: "X quoted an
    unnamed source" is one anonymous attribution relayed by X.
    """
    by_type: Counter[str] = Counter()
    named = unnamed = 0
    for a in attributions:
        t = a.source.type if a.source else "article"
        by_type[t] += 1
        if a.source and t in NAMED_TYPES:
            named += 1
        elif t in UNNAMED_TYPES or a.source is None:
            unnamed += 1
    n = len(attributions)
    depth = max((len(a.relayed_by) + (1 if a.source else 0) for a in attributions), default=0)
    writer_labels = Counter(lb.label for lb in labels if lb.voice == "writer")
    return {
        "attributions": n,
        "by_source_type": {t: by_type.get(t, 0) for t in SOURCE_TYPES},
        "by_kind": dict(Counter(a.kind for a in attributions)),
        "named_share": round(named / n, 3) if n else None,
        "anonymous_or_vague_share": round(unnamed / n, 3) if n else None,
        "relayed": sum(1 for a in attributions if a.relayed_by),
        "deepest_chain": depth,
        "unattributed_assertions": len(unattributed),
        "writer_labels": dict(writer_labels),
        "attributed_labels": dict(Counter(lb.label for lb in labels if lb.voice != "writer")),
    }
