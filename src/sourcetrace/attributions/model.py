"""Source and Attribution: what the attribution stage hands on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..spans import TextSpan

# Source types, in the order reports list them.
SOURCE_TYPES = (
    "person",
    "organization",
    "government",
    "news_outlet",
    "document",
    "anonymous",
    "vague",
    "article",  # the article itself ("this report"), or a no-source attribution
)

# Kinds of attribution.
KINDS = (
    "direct",  # a quotation
    "indirect",  # reported speech: X said that ...
    "mixed",  # paraphrase with quoted words inside
    "according_to",  # according to X, ...
    "no_source",  # "it was reported that ...", "is expected to"
    "headline",  # "Report Discloses ..."
)


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


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attributed statement: source, cue, content.

    relayed_by: sources that pass the content on, outermost first
      ("X quoted Y as saying C": source Y, relayed_by (X,)).
    confidence: 0..1, the extractor's estimate that the relation is right.
    """

    id: str
    source: Source | None
    cue: TextSpan
    content: TextSpan
    kind: str
    relayed_by: tuple[Source, ...] = ()
    confidence: float = 0.5
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict(),
            "content": self.content.to_dict(),
            "kind": self.kind,
            "relayed_by": [s.to_dict() for s in self.relayed_by],
            "chain_depth": len(self.relayed_by) + (1 if self.source else 0),
            "confidence": round(self.confidence, 3),
        }
