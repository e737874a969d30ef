"""The highlighted article text, built from offsets into plain-text segments.

The article text is never inserted as HTML: it is cut at every span boundary into
pieces, and each piece is handed to the template as a string (autoescaped there) with the
classes and the attribution it belongs to. Works on ``Analysis.to_dict()`` records, so a
corpus article and a text analysed on the fly render the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..reports._common import LAYERS, Layer, segments

# Layers that belong to one attribution; their Layer.note holds the attribution id.
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


def article_layers(record: Mapping[str, Any]) -> Iterator[Layer]:
    """Every highlighted range in a record; ``note`` is a key ("t3", "u0", "l2", "x1")."""
    for i, ex in enumerate(record.get("excluded") or ()):
        yield Layer(int(ex["start"]), int(ex["end"]), "excluded", f"x{i}")
    for att in record.get("attributions") or ():
        aid = str(att["id"])
        for s, e in att["content"]["spans"]:
            yield Layer(s, e, "content", aid)
        for s, e in att["cue"]["spans"]:
            yield Layer(s, e, "cue", aid)
        if att.get("source"):
            for s, e in att["source"]["spans"]:
                yield Layer(s, e, "source", aid)
        for relay in att.get("relayed_by") or ():
            for s, e in relay["spans"]:
                yield Layer(s, e, "source", f"{aid}|relay")
    for i, asr in enumerate(record.get("unattributed") or ()):
        for s, e in asr["spans"]:
            yield Layer(s, e, "unattributed", f"u{i}")
    for i, lb in enumerate(record.get("labels") or ()):
        for s, e in lb["spans"]:
            yield Layer(s, e, "label", f"l{i}")


def highlight_segments(record: Mapping[str, Any]) -> list[Segment]:
    """Cut a record's text into segments; joined, their texts give back ``record["text"]``."""
    text = record["text"]
    atts = {str(a["id"]): a for a in record.get("attributions") or ()}
    excluded = record.get("excluded") or ()
    unattributed = record.get("unattributed") or ()
    labels = record.get("labels") or ()
    content_size = {
        aid: sum(e - s for s, e in a["content"]["spans"]) for aid, a in atts.items()
    }
    out: list[Segment] = []
    for piece, active in segments(text, list(article_layers(record))):
        if not active:
            out.append(Segment(piece, (), None, ""))
            continue
        classes = list(dict.fromkeys(layer.name for layer in active))
        notes: list[str] = []
        owner: str | None = None
        inner_content: str | None = None
        for layer in active:
            key = layer.note
            if layer.name in _ATTRIBUTION_LAYERS:
                aid, _, relay = key.partition("|")
                if relay:
                    classes.append("relay")
                if layer.name == "content":
                    if inner_content is None or content_size[aid] < content_size[inner_content]:
                        inner_content = aid
                else:
                    owner = aid  # a source or cue names its attribution outright
                notes.append(_attribution_note(layer.name, atts.get(aid), bool(relay)))
            elif layer.name == "excluded":
                notes.append(f"page furniture ({excluded[int(key[1:])]['kind']}), not analysed")
            elif layer.name == "unattributed":
                notes.append(f"unattributed: {unattributed[int(key[1:])]['reason']}")
            elif layer.name == "label":
                lb = labels[int(key[1:])]
                classes.append(f"label-{lb['voice']}")
                notes.append(f"label '{lb['label']}' ({lb['voice']} voice)")
        out.append(
            Segment(
                piece,
                tuple(dict.fromkeys(classes)),
                owner or inner_content,
                "; ".join(dict.fromkeys(notes)),
            )
        )
    return out


def _attribution_note(layer: str, att: Mapping[str, Any] | None, relay: bool) -> str:
    if att is None:
        return layer
    if relay:
        return f"relays {att['id']}"
    if layer == "source":
        return f"source of {att['id']} ({att['source']['type']})"
    if layer == "cue":
        return f"cue of {att['id']}"
    return f"content of {att['id']} ({att['kind']})"


__all__ = ["LAYERS", "Segment", "article_layers", "highlight_segments"]
