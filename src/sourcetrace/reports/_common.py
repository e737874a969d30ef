"""Helpers the report formats share: summary counts, source labels, highlight layers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..model.record import Analysis, Attribution, Source
from ..model.types import NAMED_TYPES

# Source types that name who is speaking; the rest are anonymous, vague or no source.
VAGUE_TYPES = frozenset({"anonymous", "vague"})

# Highlight layers, bottom to top: a later layer is drawn over an earlier one where
# they overlap (a source named inside another attribution's content stays visible).
LAYERS = ("excluded", "content", "unattributed", "cue", "source", "label")

# Metadata keys shown in article headers, in this order.
HEADER_KEYS = ("outlet", "published", "author", "url")

CONTENT_PREVIEW = 90  # characters of content shown in attribution tables


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for the at-a-glance line at the top of each article."""

    attributions: int
    named: int
    vague: int
    no_source: int
    unattributed: int
    labels: int
    deepest_chain: int

    def line(self) -> str:
        """One line: "12 attributions · 3 named · 6 anonymous/vague · ... · deepest chain 2"."""
        parts = [
            _plural(self.attributions, "attribution"),
            f"{self.named} named",
            f"{self.vague} anonymous/vague",
        ]
        if self.no_source:
            parts.append(f"{self.no_source} without source")
        parts.append(_plural(self.unattributed, "unattributed assertion"))
        if self.labels:
            parts.append(_plural(self.labels, "label"))
        parts.append(f"deepest chain {self.deepest_chain}")
        return " · ".join(parts)


def summarize(analysis: Analysis) -> Summary:
    """Count the analysis' attributions by kind of source."""
    named = vague = no_source = deepest = 0
    for att in analysis.attributions:
        src = att.source
        if src is None or src.type not in {*NAMED_TYPES, *VAGUE_TYPES}:
            no_source += 1
        elif src.type in NAMED_TYPES:
            named += 1
        else:
            vague += 1
        deepest = max(deepest, chain_depth(att))
    return Summary(
        attributions=len(analysis.attributions),
        named=named,
        vague=vague,
        no_source=no_source,
        unattributed=len(analysis.unattributed),
        labels=len(analysis.labels),
        deepest_chain=deepest,
    )


def chain_depth(att: Attribution) -> int:
    """Same number as ``chain_depth`` in ``Attribution.to_dict()``."""
    return len(att.relayed_by) + (1 if att.source else 0)


def source_text(src: Source | None) -> str:
    return src.mention.text if src else ""


def relay_chain(att: Attribution) -> str:
    """Relaying sources joined with " > ", outermost first ("" when none)."""
    return " > ".join(s.mention.text for s in att.relayed_by)


def describe_source(att: Attribution) -> str:
    """ "Jane Roe (person) via Daily Planet > Wire Service", or "(no source)"."""
    src = att.source
    out = f"{src.mention.text} ({src.type})" if src else "(no source)"
    chain = relay_chain(att)
    return f"{out} via {chain}" if chain else out


def actor_names(analysis: Analysis) -> dict[str, str]:
    return {a.id: a.name for a in analysis.actors}


def format_offsets(spans: tuple[tuple[int, int], ...]) -> str:
    """``((3, 9), (20, 31))`` -> ``"3-9;20-31"``."""
    return ";".join(f"{s}-{e}" for s, e in spans)


def truncate(text: str, limit: int = CONTENT_PREVIEW) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def header_fields(metadata: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, value) pairs worth showing under the title, as strings."""
    out = []
    for key in HEADER_KEYS:
        value = metadata.get(key)
        if value not in (None, ""):
            out.append((key, str(value)))
    return out


def flatten_profile(profile: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Nested profile dict -> ("a.b", "value") rows; lists are comma-joined."""
    rows: list[tuple[str, str]] = []
    for key, value in profile.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows.extend(flatten_profile(value, prefix=f"{name}."))
        elif isinstance(value, (list, tuple)):
            rows.append((name, ", ".join(str(v) for v in value)))
        elif isinstance(value, float):
            rows.append((name, f"{value:.3g}"))
        else:
            rows.append((name, str(value)))
    return rows


@dataclass(frozen=True, slots=True)
class Layer:
    """One highlighted range: layer name (one of LAYERS) and a tooltip note."""

    start: int
    end: int
    name: str
    note: str = ""


def iter_layers(analysis: Analysis) -> Iterator[Layer]:
    """Every highlighted range of the article, clipped to the text, in no set order."""
    n = len(analysis.article.text)

    def clip(s: int, e: int, name: str, note: str) -> Iterator[Layer]:
        s, e = max(0, min(s, n)), max(0, min(e, n))
        if e > s:
            yield Layer(s, e, name, note)

    for ex in analysis.article.excluded:
        yield from clip(ex.start, ex.end, "excluded", f"furniture: {ex.kind}")
    for att in analysis.attributions:
        for s, e in att.content.spans:
            yield from clip(s, e, "content", f"content of {att.id} ({att.kind})")
        for s, e in att.cue.spans:
            yield from clip(s, e, "cue", f"cue of {att.id}")
        if att.source:
            for s, e in att.source.mention.spans:
                yield from clip(s, e, "source", f"source of {att.id} ({att.source.type})")
        for relay in att.relayed_by:
            for s, e in relay.mention.spans:
                yield from clip(s, e, "source", f"relay in {att.id} ({relay.type})")
    for asr in analysis.unattributed:
        for s, e in asr.sentence.spans:
            yield from clip(s, e, "unattributed", f"unattributed: {asr.reason}")
    for lb in analysis.labels:
        for s, e in lb.mention.spans:
            yield from clip(s, e, "label", f"label '{lb.label}' ({lb.voice} voice)")


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
            layer = Layer(s, e, layer.name, layer.note)
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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
