"""Passive reporting with no stated source.

"It is believed that the ship sank in the storm." / "The ferry is expected to resume
service next week." (content "The ferry ... to resume service next week"). A passive
with an agent ("was reported by the Gazette") is a reporting verb: see ``verbs``.
"""

from __future__ import annotations

from ..confidence import CONF_PASSIVE
from ..context import Context, RawAttribution
from ..tokens import tok_offsets

PASSIVE_REPORT = {"report", "say", "believe", "expect", "think", "know", "claim", "allege",
                  "rumor", "rumour", "understand", "estimate", "feel", "consider"}


def find(ctx: Context) -> None:
    """Agentless passives of reporting verbs with a clausal complement."""
    for t in ctx.doc:
        if t.i in ctx.used or t.lemma_.lower() not in PASSIVE_REPORT:
            continue
        subjpass = next((c for c in t.children if c.dep_ == "nsubjpass"), None)
        if subjpass is None or any(c.dep_ == "agent" for c in t.children):
            continue
        clause = next((c for c in t.children if c.dep_ in ("ccomp", "xcomp")), None)
        if clause is None:
            continue
        frags = ctx.subtree_span(clause)
        if subjpass.lower_ not in ("it",):
            frags = ctx.subtree_span(subjpass) + frags  # "X is expected | to win"
        aux = [c for c in t.children if c.dep_ == "auxpass"]
        cue_toks = sorted(aux + [t], key=lambda x: x.i)
        ctx.add(
            RawAttribution(
                cue=[tok_offsets(x) for x in cue_toks],
                content=ctx.expand_to_quotes(frags),
                source=None,
                kind="no_source",
                confidence=CONF_PASSIVE,
                cue_head=t.idx,
            ),
            cue_toks,
        )
