"""The record of one article: Source, Attribution, Actor, Assertion, Label and Analysis.

These frozen objects cross every stage boundary; ``to_dict`` gives the JSONL record and
``from_dict`` reads it back: ``Analysis.from_dict(a.to_dict()).to_dict() == a.to_dict()``.
What ``to_dict`` leaves out does not come back: ``Attribution.extra`` (extractor notes,
never written) is empty, and ``chain_depth`` is not read (it is derived from the source
and ``relayed_by``); a record's ``schema_version`` is not kept (``to_dict`` writes
SCHEMA_VERSION).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .article import Article
from .spans import TextSpan

# 1.1.0: attributions carry "proposition" (optional; absent in 1.0 records).
# 1.2.0: a top-level "tier", the attribution tier that ran (optional; absent before 1.2).
SCHEMA_VERSION = "1.2.0"


@dataclass(frozen=True, slots=True)
class Source:
    """Who is said to have said it.

    mention: the words in the text that name the source (for coreferent mentions
      such as "the source", the mention at this attribution, not the antecedent).
    type: one of SOURCE_TYPES.
    actor: id of the actor this source resolves to, or None.
    role: role or title given for a person ("a doctor", "Prime Minister").
    antecedent: the earlier mention this one refers back to, when resolved.
    """

    mention: TextSpan
    type: str
    actor: str | None = None
    role: str | None = None
    antecedent: TextSpan | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.mention.text,
            "spans": [list(s) for s in self.mention.spans],
            "type": self.type,
            "actor": self.actor,
            "role": self.role,
        }
        d["antecedent"] = self.antecedent.to_dict() if self.antecedent else None
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Source:
        ante = d.get("antecedent")
        return cls(
            mention=TextSpan.from_dict(d),
            type=d["type"],
            actor=d.get("actor"),
            role=d.get("role"),
            antecedent=TextSpan.from_dict(ante) if ante else None,
        )


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attributed statement: source, cue, content.

    relayed_by: sources that pass the content on, outermost first
      ("X quoted Y as saying C": source Y, relayed_by (X,)).
    confidence: 0..1, the extractor's estimate that the relation is right.
    proposition: whether the content states something that can be true or false (a
      finite declarative clause) rather than a thing, a topic or a question ("criticism
      of the plan", "whether he would run"); None when not checked (records before 1.1).
    """

    id: str
    source: Source | None
    cue: TextSpan
    content: TextSpan
    kind: str
    relayed_by: tuple[Source, ...] = ()
    confidence: float = 0.5
    extra: dict[str, Any] = field(default_factory=dict)
    proposition: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict(),
            "content": self.content.to_dict(),
            "kind": self.kind,
            "relayed_by": [s.to_dict() for s in self.relayed_by],
            "chain_depth": len(self.relayed_by) + (1 if self.source else 0),
            "confidence": round(self.confidence, 3),
        }
        if self.proposition is not None:
            d["proposition"] = self.proposition
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Attribution:
        """``chain_depth`` is not read (derived); ``extra`` is empty (never written)."""
        src = d.get("source")
        return cls(
            id=d["id"],
            source=Source.from_dict(src) if src else None,
            cue=TextSpan.from_dict(d["cue"]),
            content=TextSpan.from_dict(d["content"]),
            kind=d["kind"],
            relayed_by=tuple(Source.from_dict(r) for r in d.get("relayed_by") or ()),
            confidence=d.get("confidence", 0.5),
            proposition=d.get("proposition"),
        )


@dataclass(frozen=True, slots=True)
class Actor:
    """One actor under all its names.

    id: stable within the article ("a1", "a2"...).
    name: canonical name (from the alias table, or the longest full mention).
    type: a source type (person, organization, government, news_outlet...).
    aliases: distinct surface forms seen in this article.
    mentions: every mention, in text order.
    """

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: tuple[TextSpan, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Actor:
        return cls(
            id=d["id"],
            name=d["name"],
            type=d["type"],
            aliases=tuple(d.get("aliases") or ()),
            mentions=tuple(TextSpan.from_dict(m) for m in d.get("mentions") or ()),
        )


@dataclass(frozen=True, slots=True)
class Assertion:
    """A sentence that asserts something in the writer's own voice, with no source."""

    sentence: TextSpan
    reason: str  # why it counts as an assertion (e.g. "factual claim, no attribution")

    def to_dict(self) -> dict[str, Any]:
        return {**self.sentence.to_dict(), "reason": self.reason}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Assertion:
        return cls(TextSpan.from_dict(d), d.get("reason", ""))


@dataclass(frozen=True, slots=True)
class Label:
    """An evaluative label ("terrorist", "regime") applied to an actor.

    voice: "writer" when the article says it itself, "attributed" when it sits
      inside attributed content (then ``attribution`` names which one).
    """

    mention: TextSpan
    label: str
    actor: str | None
    voice: str
    attribution: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.mention.to_dict(),
            "label": self.label,
            "actor": self.actor,
            "voice": self.voice,
            "attribution": self.attribution,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Label:
        return cls(
            mention=TextSpan.from_dict(d),
            label=d["label"],
            actor=d.get("actor"),
            voice=d["voice"],
            attribution=d.get("attribution"),
        )


@dataclass(frozen=True, slots=True)
class Analysis:
    """The result for one article.

    tier: the attribution tier that found the attributions ("fast", "default",
      "accurate", or "custom" for a tagger folder of one's own); None when unknown
      (records before 1.2), and then not written.
    """

    article: Article
    attributions: tuple[Attribution, ...] = ()
    actors: tuple[Actor, ...] = ()
    unattributed: tuple[Assertion, ...] = ()
    labels: tuple[Label, ...] = ()
    profile: dict[str, Any] = field(default_factory=dict)
    tier: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        d.update(self.article.to_dict())
        d["attributions"] = [a.to_dict() for a in self.attributions]
        d["actors"] = [a.to_dict() for a in self.actors]
        d["unattributed"] = [a.to_dict() for a in self.unattributed]
        d["labels"] = [lb.to_dict() for lb in self.labels]
        d["profile"] = dict(self.profile)
        if self.tier is not None:  # last, as the Parquet column is
            d["tier"] = self.tier
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Analysis:
        """The analysis of a record (``to_dict()``'s output; see the module docstring)."""
        return cls(
            article=Article.from_dict(d),
            attributions=tuple(Attribution.from_dict(a) for a in d.get("attributions") or ()),
            actors=tuple(Actor.from_dict(a) for a in d.get("actors") or ()),
            unattributed=tuple(Assertion.from_dict(u) for u in d.get("unattributed") or ()),
            labels=tuple(Label.from_dict(lb) for lb in d.get("labels") or ()),
            profile=dict(d.get("profile") or {}),
            tier=d.get("tier"),
        )
