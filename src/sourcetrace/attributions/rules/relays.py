"""Relay chains: one source reports what another said.

"The Coastal Tribune quoted a port worker as saying that the cranes had failed": the
source is the port worker, relayed by the Coastal Tribune. ("Y told the Tribune" and "X,
citing Y, said" are reporting verbs: see ``verbs``.)
"""

from __future__ import annotations

from ..confidence import CONF_RELAY
from ..context import Context, RawAttribution
from ..tokens import tok_offsets

RELAY_VERBS = {"quote", "cite"}


def find(ctx: Context) -> None:
    """"X quoted/cited Y as saying C": source Y, relayed by X."""
    for t in ctx.doc:
        if t.i in ctx.used or t.lemma_.lower() not in RELAY_VERBS or t.pos_ != "VERB":
            continue
        obj = next((c for c in t.children if c.dep_ in ("dobj", "obj")), None)
        as_prep = next(
            (c for c in list(t.children) + (list(obj.children) if obj else [])
             if c.lower_ == "as"),
            None,
        )
        if obj is None or as_prep is None:
            continue
        saying = next((c for c in as_prep.children if c.dep_ in ("pcomp", "pobj")), None)
        if saying is None:
            continue
        clause = next((c for c in saying.children if c.dep_ in ("ccomp", "xcomp")), None)
        if clause is None:
            continue
        content = ctx.expand_to_quotes(ctx.subtree_span(clause))
        relay_subj = ctx.subject(t)
        obj_span = ctx.subtree_span(obj, stop={x.i for x in as_prep.subtree})
        rel = RawAttribution(
            cue=[tok_offsets(t), (as_prep.idx, saying.idx + len(saying))],
            content=content,
            source=(obj_span[0][0], obj_span[-1][1]) if obj_span else None,
            kind="indirect",
            confidence=CONF_RELAY,
            cue_head=t.idx,
            relayed_by=[s for s in [ctx.source_span(relay_subj)] if s],
            source_token=obj.i,
        )
        ctx.add(rel, [t, as_prep, saying])
