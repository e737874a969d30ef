"""'According to X': the rest of the sentence is X's content.

"According to the fire brigade, the blaze started in the kitchen." / "The blaze,
according to the fire brigade, started in the kitchen."
"""

from __future__ import annotations

from ..confidence import CONF_ACCORDING
from ..context import Context, RawAttribution
from ..tokens import strip_final_period, token_frags


def find(ctx: Context) -> None:
    """"according to X": X is the source, the rest of the sentence the content."""
    for t in ctx.doc:
        if t.lower_ != "according" or t.i in ctx.used:
            continue
        nxt = t.nbor(1) if t.i + 1 < len(ctx.doc) else None
        if nxt is None or nxt.lower_ != "to":
            continue
        pobj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        src = ctx.source_span(pobj)
        phrase = {x.i for x in t.subtree} | {x.i for x in nxt.subtree} | {t.i, nxt.i}
        sent = t.sent
        content = []
        for tok in sent:
            if tok.i in phrase:
                continue
            content.append(tok)
        frags = token_frags(content)
        rel = RawAttribution(
            cue=[(t.idx, nxt.idx + len(nxt))],
            content=ctx.expand_to_quotes(strip_final_period(ctx.text, frags)),
            source=src,
            kind="according_to",
            confidence=CONF_ACCORDING,
            cue_head=t.idx,
            source_token=pobj.i,
        )
        ctx.add(rel, [t, nxt])
