"""Linking sources to actors: source typing, the actor behind each source, relay chains.

``link_sources`` turns the raw attributions of a parsed article into ``Attribution``
records: each source mention is typed (alias table, source rules, back-references), given
the actor whose mention holds its head word (or, for "the group", the organisation named
last before it), and nested attributions become relay chains.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc

from .actors import AliasTable
from .attributions.extract import RawAttribution
from .attributions.sources import SourceResolver, type_source
from .model.record import Attribution, Source
from .model.spans import Offsets, TextSpan

# Source types that take the type of the actor found behind them ("the group" -> outlet).
ORG_LIKE = ("organization", "government", "news_outlet")


def _is_description(span) -> bool:
    root = span.root
    return root.pos_ == "NOUN" and any(c.lower_ in ("the", "this", "that") for c in root.children)


def _actor_of_head(doc: Doc, index: MentionIndex, off: Offsets) -> str | None:
    """The actor whose mention holds the head word of the span at ``off``."""
    span = doc.char_span(off[0], off[1], alignment_mode="expand")
    if span is None:
        return None
    head = span.root
    for tok in [head, *(c for c in head.children if c.dep_ == "appos")]:
        actor = index.lookup(tok.idx, tok.idx + len(tok))
        if actor is not None:
            return actor
    return None


def _previous_actor(
    index: MentionIndex, types: dict[str, str], before: int, want: str, skip: set[Offsets]
) -> str | None:
    """The actor of the wanted type mentioned last before ``before``.

    skip: mentions that name a people or creed ("Shiite", "Iraqi"): an adjective, not
    the organisation "the group" refers back to.
    """
    best: tuple[int, str] | None = None
    for (s, e), actor in index.before(before):
        if (s, e) in skip:
            continue
        if types.get(actor) == want and (best is None or s > best[0]):
            best = (s, actor)
    return best[1] if best else None


class MentionIndex:
    """Actor mentions sorted by start, so lookups read only the neighbourhood of a range."""

    # Longest mention expected; a window this wide before a range finds mentions holding it.
    MAX_MENTION_CHARS = 300

    def __init__(self, mapping: dict[Offsets, str]) -> None:
        self.items = sorted(mapping.items())
        self.starts = [s for (s, _e), _a in self.items]

    def before(self, pos: int) -> list[tuple[Offsets, str]]:
        return self.items[: bisect.bisect_left(self.starts, pos)]

    def lookup(self, start: int, end: int) -> str | None:
        """The actor whose mention lies inside [start, end) or holds it (longest wins)."""
        lo = bisect.bisect_left(self.starts, start - self.MAX_MENTION_CHARS)
        hi = bisect.bisect_right(self.starts, end)
        best: tuple[int, str] | None = None
        for (s, e), actor in self.items[lo:hi]:
            holds = start <= s and e <= end or (s <= start and end <= e)
            if holds and (best is None or e - s > best[0]):
                best = (e - s, actor)
        return best[1] if best else None


def inherit_relays(sources: Sequence[Source | None], chains: list[tuple[Source, ...]]) -> None:
    """A back-reference takes the relay chain of the mention it refers to.

    "X Center quoted an unnamed source as saying A. The source noted B": B reached the
    writer the same way A did, through X Center. An attribution with no chain of its own
    whose source refers back (``antecedent``) to an earlier relayed source gets that
    source's chain; a named source ("Smith said") refers back to nothing and keeps none.
    """
    by_mention: dict[Offsets, tuple[Source, ...]] = {}
    order = sorted(
        (i for i, s in enumerate(sources) if s is not None and s.mention.spans),
        key=lambda i: sources[i].mention.start,  # type: ignore[union-attr]
    )
    for i in order:
        src = sources[i]
        assert src is not None
        ante = src.antecedent.spans[0] if src.antecedent and src.antecedent.spans else None
        if not chains[i] and ante is not None and ante in by_mention:
            chains[i] = by_mention[ante]
        if chains[i]:
            by_mention.setdefault(src.mention.spans[0], chains[i])
            if ante is not None:
                by_mention.setdefault(ante, chains[i])


def link_sources(
    doc: Doc,
    raws: Sequence[RawAttribution],
    index: MentionIndex,
    aliases: AliasTable,
    actor_types: dict[str, str],
) -> list[Attribution]:
    """Type and resolve sources, then turn nesting into relay chains."""
    text = doc.text  # once: Doc.text rebuilds the string on each access
    resolver = SourceResolver(doc)
    norp = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == "NORP"}

    def make_source(off: Offsets) -> Source | None:
        span = doc.char_span(off[0], off[1], alignment_mode="expand")
        if span is None or not span.text.strip():
            return None
        entry = aliases.lookup(span.text)
        typed = type_source(span, entry.type if entry else None)
        typed, ante = resolver.resolve(span, typed)
        actor = _actor_of_head(doc, index, off)
        if actor is None and ante is not None:
            actor = _actor_of_head(doc, index, ante)
        if actor is None and ante is None and typed.type in ORG_LIKE and _is_description(span):
            # "the group said": the organisation named most recently before.
            actor = _previous_actor(index, actor_types, off[0], typed.type, norp)
        if actor is not None and typed.type in ORG_LIKE + ("person",):
            typed = replace(typed, type=actor_types.get(actor, typed.type))
        return Source(
            mention=TextSpan.from_offsets(text, [off]),
            type=typed.type,
            actor=actor,
            role=typed.role,
            antecedent=TextSpan.from_offsets(text, [ante]) if ante else None,
        )

    sources: list[Source | None] = []
    relays: list[list[Source]] = []
    for r in raws:
        relays.append([s for s in (make_source(o) for o in r.relayed_by) if s])
        sources.append(make_source(r.source) if r.source else None)

    chains: list[tuple[Source, ...]] = []
    for i, r in enumerate(raws):
        chain: list[Source] = []
        j = r.nested_in
        seen = {i}
        outer: list[list[Source]] = []
        while j is not None and j not in seen:  # walk outwards; guard against cycles
            seen.add(j)
            src = sources[j]
            outer.append([*relays[j], *([src] if src else [])])
            j = raws[j].nested_in
        for level in reversed(outer):
            chain.extend(level)
        chain.extend(relays[i])
        chains.append(tuple(chain))
    inherit_relays(sources, chains)

    out = []
    for i, r in enumerate(raws):
        out.append(
            Attribution(
                id=f"t{i + 1}",
                source=sources[i],
                cue=TextSpan.from_offsets(text, r.cue),
                content=TextSpan.from_offsets(text, r.content),
                kind=r.kind if sources[i] or r.kind != "indirect" else "no_source",
                relayed_by=chains[i],
                confidence=r.confidence,
                extra={"nested": r.nested_in is not None},
            )
        )
    return out
