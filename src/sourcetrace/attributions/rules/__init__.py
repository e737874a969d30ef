"""The rule finders, one construction per module, in the order the driver runs them.

Each finder is ``find(ctx) -> None``: it reads the document from the ``Context`` and
records what it finds with ``ctx.add``, which claims the cue tokens it used, so a later,
weaker rule never re-reads a cue an earlier one explained. The order therefore decides
ties; keep it:

1. headline       "Inspectors Warn Reservoir Walls Are Cracking" on the title line
2. quotations     a quotation plus the cue in its frame ('"...," X said.' / 'X said: "..."')
3. relays         "X quoted Y as saying that ...", "X cited Y as saying ..."
4. according      "according to X, ..."
5. verbs          X said (that) ..., X warned ..., adding that ..., X believes ...
6. tagged         cues only the trained encoder saw (runs only with its spans)
7. passives       "it was reported that ...", "X is expected to ..." (no stated source)
8. continuations  a following quotation with no cue of its own goes on the same speaker
"""

from __future__ import annotations

from ..context import Finder
from . import according, headline, passives, quotations, relays, tagged, verbs

FINDERS: tuple[Finder, ...] = (
    headline.find,
    quotations.find,
    relays.find,
    according.find,
    verbs.find,
    tagged.find,
    passives.find,
    quotations.continuations,
)
