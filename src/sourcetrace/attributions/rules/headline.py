"""Headline cues on the title line: a source, a reporting word or a colon, and content.

"Inspectors Warn Reservoir Walls Are Cracking" (source "Inspectors", cue "Warn");
"Mayor Ortiz: Tram Line Will Open in June" (cue ":"). A line that parses with a verb in
its source part is a sentence, not a headline.
"""

from __future__ import annotations

import re

from ..confidence import CONF_HEADLINE
from ..context import Context, RawAttribution

TITLE_CUES = (
    "Says|Say|Said|Claims|Claim|Discloses|Disclose|Reveals|Reveal|Warns|Warn|Reports|"
    "Admits|Denies|Confirms|Suggests|Shows|Finds|Insists|Accuses|Alleges|Vows|Urges"
)
_TITLE_VERB = re.compile(rf"^(?P<src>.{{2,80}}?)\s+(?P<cue>{TITLE_CUES}):?\s+(?P<con>.+)$")
_TITLE_COLON = re.compile(r"^(?P<src>[A-Z][^:\n]{1,60}?)(?P<cue>:)\s+(?P<con>\S.+)$")


def find(ctx: Context) -> None:
    """The title line's attribution, if the first line reads as a headline."""
    title = ctx.title
    line_start = 0
    for m in re.finditer(r"[^\n]*", ctx.text):
        if m.group().strip() and not ctx.is_excluded(m.start() + _lead(m.group())):
            line_start = m.start()
            break
    else:
        return
    line_end = ctx.text.find("\n", line_start)
    line_end = line_end if line_end >= 0 else len(ctx.text)
    line = ctx.text[line_start:line_end]
    if title and not line.strip().startswith(title.strip()[:20]):
        return
    if not line.strip() or len(line.split()) > 25:
        return
    lead = line_start + _lead(line)
    body = line.strip()
    for pat, kind in ((_TITLE_VERB, "headline"), (_TITLE_COLON, "headline")):
        m = pat.match(body)
        if not m:
            continue
        src = (lead + m.start("src"), lead + m.end("src"))
        src_toks = ctx.toks_between(*src)
        if any(t.pos_ in ("VERB", "AUX") for t in src_toks):
            continue  # "The coach said: ..." is a sentence, not a headline
        if pat is _TITLE_COLON and (
            len(m.group("src").split()) > 5 or any(ch.isdigit() for ch in m.group("src"))
        ):
            continue
        cue = (lead + m.start("cue"), lead + m.end("cue"))
        con_end = lead + m.end("con")
        if body.endswith("."):
            con_end -= 1
        content = [(lead + m.start("con"), con_end)]
        toks = ctx.toks_between(*cue)
        ctx.add(
            RawAttribution(
                cue=[cue], content=content, source=src, kind=kind,
                confidence=CONF_HEADLINE, cue_head=cue[0],
            ),
            toks,
        )
        return


def _lead(line: str) -> int:
    return len(line) - len(line.lstrip())
