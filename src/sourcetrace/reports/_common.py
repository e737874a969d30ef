"""Helpers the report formats share: summary counts, source labels, headers, profiles.

The highlight layers are in ``reports.layers`` (the web pages use them too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model.record import Analysis, Attribution, Source
from ..model.types import NAMED_TYPES

# Source types that name who is speaking; the rest are anonymous, vague or no source.
VAGUE_TYPES = frozenset({"anonymous", "vague"})

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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
