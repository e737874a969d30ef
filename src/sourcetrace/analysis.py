"""Analysis: everything sourcetrace finds in one article, ready for the reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .article import Article
from .attributions.model import Attribution
from .spans import TextSpan

SCHEMA_VERSION = "1.0.0"


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


@dataclass(frozen=True, slots=True)
class Assertion:
    """A sentence that asserts something in the writer's own voice, with no source."""

    sentence: TextSpan
    reason: str  # why it counts as an assertion (e.g. "factual claim, no attribution")

    def to_dict(self) -> dict[str, Any]:
        return {**self.sentence.to_dict(), "reason": self.reason}


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


@dataclass(frozen=True, slots=True)
class Analysis:
    """The result for one article."""

    article: Article
    attributions: tuple[Attribution, ...] = ()
    actors: tuple[Actor, ...] = ()
    unattributed: tuple[Assertion, ...] = ()
    labels: tuple[Label, ...] = ()
    profile: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = {"schema_version": SCHEMA_VERSION}
        d.update(self.article.to_dict())
        d["attributions"] = [a.to_dict() for a in self.attributions]
        d["actors"] = [a.to_dict() for a in self.actors]
        d["unattributed"] = [a.to_dict() for a in self.unattributed]
        d["labels"] = [lb.to_dict() for lb in self.labels]
        d["profile"] = dict(self.profile)
        return d
