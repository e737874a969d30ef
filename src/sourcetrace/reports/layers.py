"""Highlight layers: the ranges of an article's text that the reports and the web pages
mark (furniture, content, cues, sources, unattributed assertions, labels), and the text
cut at their boundaries.

``iter_layers`` reads an ``Analysis``; a stored record becomes one with
``Analysis.from_dict``. Each Layer keeps the object it marks, so a view can word its
own tooltips.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ..model.record import Analysis

# Highlight layers, bottom to top: a later layer is drawn over an earlier one where
# they overlap (a source named inside another attribution's content stays visible).
LAYERS = ("excluded", "content", "unattributed", "cue", "source", "label")


@dataclass(frozen=True, slots=True)
class Layer:
    """One highlighted range: layer name (one of LAYERS), a tooltip note, and what it marks."""

    start: int
    end: int
    name: str
    note: str = ""
    # The record object highlighted (Excluded, Attribution, Assertion or Label), and
    # whether the range is a source relaying it; not part of a layer's equality.
    item: Any = field(default=None, compare=False)
    relay: bool = field(default=False, compare=False)


def iter_layers(analysis: Analysis) -> Iterator[Layer]:
    """Every highlighted range of the article, clipped to the text, in no set order."""
    n = len(analysis.article.text)

    def clip(
        s: int, e: int, name: str, note: str, item: Any, relay: bool = False
    ) -> Iterator[Layer]:
        s, e = max(0, min(s, n)), max(0, min(e, n))
        if e > s:
            yield Layer(s, e, name, note, item, relay)

    for ex in analysis.article.excluded:
        yield from clip(ex.start, ex.end, "excluded", f"furniture: {ex.kind}", ex)
    for att in analysis.attributions:
        for s, e in att.content.spans:
            yield from clip(s, e, "content", f"content of {att.id} ({att.kind})", att)
        for s, e in att.cue.spans:
            yield from clip(s, e, "cue", f"cue of {att.id}", att)
        if att.source:
            for s, e in att.source.mention.spans:
                yield from clip(s, e, "source", f"source of {att.id} ({att.source.type})",
                                att)
        for relay in att.relayed_by:
            for s, e in relay.mention.spans:
                yield from clip(s, e, "source", f"relay in {att.id} ({relay.type})", att,
                                True)
    for asr in analysis.unattributed:
        for s, e in asr.sentence.spans:
            yield from clip(s, e, "unattributed", f"unattributed: {asr.reason}", asr)
    for lb in analysis.labels:
        for s, e in lb.mention.spans:
            yield from clip(s, e, "label", f"label '{lb.label}' ({lb.voice} voice)", lb)


def segments(text: str, layers: list[Layer]) -> Iterator[tuple[str, list[Layer]]]:
    """Cut the text at every layer boundary.

    Yields (piece, active layers) in text order; the pieces joined give back ``text``.
    Active layers come in LAYERS order, so overlaps and nesting need no special case.
    """
    n = len(text)
    starts: dict[int, list[Layer]] = {}
    ends: dict[int, list[Layer]] = {}
    for layer in layers:
        s, e = max(0, layer.start), min(n, layer.end)
        if e <= s:
            continue
        if (s, e) != (layer.start, layer.end):
            layer = replace(layer, start=s, end=e)
        starts.setdefault(layer.start, []).append(layer)
        ends.setdefault(layer.end, []).append(layer)
    cuts = sorted({0, n, *starts, *ends})
    active: list[Layer] = []
    rank = {name: i for i, name in enumerate(LAYERS)}
    for left, right in zip(cuts, cuts[1:], strict=False):
        for layer in ends.get(left, ()):
            active.remove(layer)
        active.extend(starts.get(left, ()))
        if right > left:
            yield text[left:right], sorted(active, key=lambda lay: rank.get(lay.name, 0))


__all__ = ["LAYERS", "Layer", "iter_layers", "segments"]
