"""Helpers the report formats share: summary counts, source labels, headers, profiles.

The highlight layers are in ``reports.layers`` (the web pages use them too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model.record import Analysis, Attribution, Label, Source
from ..model.types import NAMED_TYPES
from .words import plural

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
            plural(self.attributions, "attribution"),
            f"{self.named} named",
            f"{self.vague} anonymous/vague",
        ]
        if self.no_source:
            parts.append(f"{self.no_source} without source")
        parts.append(plural(self.unattributed, "unattributed assertion"))
        if self.labels:
            parts.append(plural(self.labels, "label"))
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


def describe_source(att: Attribution, names: dict[str, str] | None = None) -> str:
    """ "Jane Roe (person) via Daily Planet > Wire Service", or "(no source)".

    names (dict | None): actor id -> name (``actor_names``); given, a mention that
    stands for something else reads "the report (document) → refers to: Didehban
    Center", relays too.
    """
    src = att.source
    out = f"{src.mention.text} ({src.type})" if src else "(no source)"
    if src and names is not None and (ref := refers_to(src, names)):
        out += f" {REFERS} {ref}"
    hops = []
    for relay in att.relayed_by:
        ref = refers_to(relay, names) if names is not None else ""
        hops.append(f"{relay.mention.text} {REFERS} {ref}" if ref else relay.mention.text)
    return f"{out} via {' > '.join(hops)}" if hops else out


# How every human-readable report words a mention's referent.
REFERS = "→ refers to:"


def _same_name(a: str, b: str) -> bool:
    fold = [" ".join(x.casefold().split()).removeprefix("the ") for x in (a, b)]
    return fold[0] == fold[1]


def _names_it(mention: str, name: str) -> bool:
    """The mention spells the name out ("Prime Minister Nouri al-Maliki")."""
    return " ".join(name.casefold().split()) in " ".join(mention.casefold().split())


def refers_to(src: Source, names: dict[str, str]) -> str:
    """What a source mention stands for, or "" when it names itself.

    The earlier mention it refers back to (``antecedent``: "The source" -> "an unnamed
    source in Iraq"), else the actor's canonical name when the mention words it
    differently ("the MKO" -> "Mojahedin-e Khalq Organization"); both when they differ.
    """
    actor = names.get(src.actor or "", "")
    ante = src.antecedent.text if src.antecedent else ""
    if ante and _same_name(ante, src.mention.text):
        ante = ""
    if actor and (_names_it(src.mention.text, actor) or (ante and _names_it(ante, actor))):
        actor = ""
    if ante and actor:
        return f"{ante} ({actor})"
    return ante or actor


@dataclass(frozen=True, slots=True)
class Reference:
    """A source or relay mention and what it refers to (``refers_to``), for the lists
    of references in the reports."""

    mention: str
    spans: tuple[tuple[int, int], ...]
    refers_to: str
    antecedent_spans: tuple[tuple[int, int], ...]
    role: str  # "source of t6", "relay in t5"


def references(analysis: Analysis) -> list[Reference]:
    """Every source and relay mention that refers to something it does not name, in
    text order, each mention once."""
    names = actor_names(analysis)
    seen: dict[tuple[tuple[int, int], ...], Reference] = {}
    for att in analysis.attributions:
        mentions = [(att.source, f"source of {att.id}")] if att.source else []
        mentions += [(relay, f"relay in {att.id}") for relay in att.relayed_by]
        for src, role in mentions:
            ref = refers_to(src, names)
            if not ref:
                continue
            key = src.mention.spans
            if key in seen:
                old = seen[key]
                seen[key] = Reference(old.mention, old.spans, old.refers_to,
                                      old.antecedent_spans, f"{old.role}, {role}")
                continue
            seen[key] = Reference(
                src.mention.text, src.mention.spans, ref,
                src.antecedent.spans if src.antecedent else (), role,
            )
    return sorted(seen.values(), key=lambda r: r.spans[:1])


def voice_text(label: Label, analysis: Analysis) -> str:
    """Whose words a label is, as readers see it: "writer's own words", or "source's
    words (t6: Maliki)"."""
    if label.voice == "writer":
        return "writer's own words"
    att = next((a for a in analysis.attributions if a.id == label.attribution), None)
    if att is None:
        return "source's words"
    who = att.source.mention.text if att.source else "no named source"
    return f"source's words ({att.id}: {who})"


def label_target(label: Label, names: dict[str, str]) -> str:
    """The actor a label is applied to, by name ("" when it applies to none found)."""
    return names.get(label.actor or "", "") if label.actor else ""


def span_range(spans: tuple[tuple[int, int], ...]) -> str:
    """``((3, 9), (20, 31))`` -> ``"chars 3–31"`` for readers ("" when no span)."""
    return f"chars {spans[0][0]}–{spans[-1][1]}" if spans else ""


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


