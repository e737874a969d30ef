"""The highlighted article text, built from offsets into plain-text segments.

The article text is never inserted as HTML: it is cut at every span boundary into
pieces, and each piece is handed to the template as a string (autoescaped there) with the
classes and the attribution it belongs to. Works on ``Analysis.to_dict()`` records, so a
corpus article and a text analysed on the fly render the same way; the ranges are the
reports' (``reports.layers.iter_layers`` on ``Analysis.from_dict(record)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model.record import Analysis, Attribution
from ..reports.layers import LAYERS, iter_layers, segments

# Layers that belong to one attribution; their Layer.item is the Attribution.
_ATTRIBUTION_LAYERS = frozenset({"content", "cue", "source"})


@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of the article text and what it is part of.

    text: the piece, exactly as in the article (escaped by the template).
    classes: layer names active on it, bottom to top (LAYERS order), plus "relay" for a
      relaying source and "label-writer"/"label-attributed" for labels.
    attribution: id of the attribution it belongs to (innermost content, or the one whose
      source/cue it is), or None.
    title: tooltip text.
    """

    text: str
    classes: tuple[str, ...]
    attribution: str | None
    title: str


def highlight_segments(record: Mapping[str, Any]) -> list[Segment]:
    """Cut a record's text into segments; joined, their texts give back ``record["text"]``."""
    analysis = Analysis.from_dict(record)
    text = analysis.article.text
    atts = {str(a.id): a for a in analysis.attributions}
    content_size = {aid: sum(e - s for s, e in a.content.spans) for aid, a in atts.items()}
    out: list[Segment] = []
    for piece, active in segments(text, list(iter_layers(analysis))):
        if not active:
            out.append(Segment(piece, (), None, ""))
            continue
        classes = list(dict.fromkeys(layer.name for layer in active))
        notes: list[str] = []
        owner: str | None = None
        inner_content: str | None = None
        for layer in active:
            item = layer.item
            if layer.name in _ATTRIBUTION_LAYERS:
                aid, relay = str(item.id), layer.relay
                if relay:
                    classes.append("relay")
                if layer.name == "content":
                    if inner_content is None or content_size[aid] < content_size[inner_content]:
                        inner_content = aid
                else:
                    owner = aid  # a source or cue names its attribution outright
                notes.append(_attribution_note(layer.name, atts.get(aid), relay))
            elif layer.name == "excluded":
                notes.append(f"page furniture ({item.kind}), not analysed")
            elif layer.name == "unattributed":
                notes.append(f"unattributed: {item.reason}")
            elif layer.name == "label":
                classes.append(f"label-{item.voice}")
                notes.append(f"label '{item.label}' ({item.voice} voice)")
        out.append(
            Segment(
                piece,
                tuple(dict.fromkeys(classes)),
                owner or inner_content,
                "; ".join(dict.fromkeys(notes)),
            )
        )
    return out


def _attribution_note(layer: str, att: Attribution | None, relay: bool) -> str:
    if att is None:
        return layer
    if relay:
        return f"relays {att.id}"
    if layer == "source":
        return f"source of {att.id} ({att.source.type if att.source else None})"
    if layer == "cue":
        return f"cue of {att.id}"
    return f"content of {att.id} ({att.kind})"


__all__ = ["LAYERS", "Segment", "highlight_segments"]
