"""Cues only the trained encoder saw: tagged CUE spans no rule used.

"Ruiz added in a post on Sunday: the vote was rigged." where the lexicon lacks the cue
or the parse missed it. The content comes from the parse where it can
(``verbs.verb_attribution``), else from the text after a colon, else from the encoder's
own CONTENT and SOURCE spans grouped around the cue (``group_tagged``). Runs only when
the encoder's spans are given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Span, Token

from ...model.spans import Offsets
from ..confidence import CONF_TAGGED
from ..context import Context, RawAttribution
from ..tokens import QUOTE_MARKS, clean_content
from .verbs import takes_a_deed, verb_attribution


def find(ctx: Context) -> None:
    """Cues the tagger marks that no rule used; content still comes from the parse."""
    tagged = ctx.tagged
    if not tagged:
        return
    for s, e, label in tagged:
        if label != "CUE" or ctx.is_excluded(s):
            continue
        toks = ctx.toks_between(s, e)
        if not toks or any(t.i in ctx.used for t in toks):
            continue
        if any(a <= s < b for a, b in ctx.used_content):
            continue  # inside content already claimed (univocal)
        verbs = [t for t in toks if t.pos_ in ("VERB", "AUX")]
        head = verbs[-1] if verbs else ctx.doc[toks[0].i : toks[-1].i + 1].root
        if takes_a_deed(head):
            continue  # the tagger learnt PolNeAR's intentions; a deed wanted is no claim
        found = verb_attribution(ctx, head, tagged=True)
        if found is None:
            found = _after_colon(ctx, head, s, e)
        if found is not None and any(a < e and s < b for a, b in found[0].content):
            found = None  # the parse's content runs into the tagged cue
        if found is None:
            found = _tagged_relation(ctx, tagged, head, s, e)
        if found is None:
            continue
        rel, _cue_toks = found
        rel.cue = [(s, e)]
        if rel.source is None:
            rel.source = _nearest_source(tagged, head.sent, s, e, rel.content)
        if any(a < e and s < b for a, b in rel.content):
            continue
        ctx.add(rel, toks)


def _after_colon(
    ctx: Context, head: Token, s: int, e: int
) -> tuple[RawAttribution, list[Token]] | None:
    """'PENCE: Well, ...' / 'He continued: ...': content runs from the colon to the end
    of the paragraph (or of the quotation that starts there)."""
    m = re.compile(r"\s*:?\s*").match(ctx.text, e)
    if not (ctx.text[s:e].rstrip().endswith(":") or ":" in m.group()):
        return None
    start = m.end()
    q = next((q for q in ctx.quote_list if q.start == start), None)
    if q is not None:
        end = q.end
    else:
        nl = ctx.text.find("\n", start)
        end = nl if nl >= 0 else len(ctx.text)
    frags = clean_content(ctx.text, [(start, end)])
    if not frags:
        return None
    subj = ctx.subject(head)
    source = ctx.source_span(subj)
    if source is None and head.i > 0:
        before = ctx.doc[head.sent.start : head.i]
        words = [t for t in before if not t.is_punct and not t.is_space]
        if 0 < len(words) <= 4 and all(t.pos_ == "PROPN" for t in words):
            source = (words[0].idx, words[-1].idx + len(words[-1]))
    rel = RawAttribution(
        cue=[(s, e)], content=frags, source=source, kind="direct" if q else "indirect",
        confidence=CONF_TAGGED, cue_head=head.idx,
        source_token=subj.i if subj is not None else None,
    )
    return rel, []


def _tagged_relation(
    ctx: Context, tagged: Sequence[tuple[int, int, str]], head: Token, s: int, e: int
) -> tuple[RawAttribution, list[Token]] | None:
    """A tagged cue the parse cannot explain: its content is the tagged CONTENT the
    encoder put next to it (the nearest in the paragraph), its source the nearest
    tagged SOURCE."""
    groups = _groups(ctx, tagged)
    group = groups.get((s, e))
    if not group or not group[1]:
        return None
    source, content = group
    if _clashes(ctx, content):
        return None
    quoted = any(ctx.text[c : c + 1] in QUOTE_MARKS for c, _d in content)
    rel = RawAttribution(
        cue=[(s, e)], content=list(content), source=source,
        kind="direct" if quoted else "indirect", confidence=CONF_TAGGED,
        cue_head=head.idx,
    )
    return rel, []


def _clashes(ctx: Context, content: list[Offsets]) -> bool:
    """Content that starts inside a found relation's content, unless it holds that
    relation's cue too: "Gral said C, the agency reported" nests Gral's relation in
    the agency's, which the encoder (trained on univocal PolNeAR) never tags."""
    lo, hi = content[0][0], content[-1][1]
    for rel in ctx.out:
        if any(a <= c < b for a, b in rel.content for c, _d in content) and not (
            lo <= rel.cue_head < hi
        ):
            return True
    return False


def _groups(
    ctx: Context, tagged: Sequence[tuple[int, int, str]]
) -> dict[Offsets, tuple[Offsets | None, list[Offsets]]]:
    if ctx.tag_groups is None:
        ctx.tag_groups = group_tagged(ctx.text, tagged)
    return ctx.tag_groups


def group_tagged(
    text: str, tagged: Sequence[tuple[int, int, str]]
) -> dict[Offsets, tuple[Offsets | None, list[Offsets]]]:
    """Relations from tagged spans alone: each CONTENT and SOURCE span joins the nearest
    CUE in its paragraph (PolNeAR-style text gives each token to one attribution, so
    the nearest cue is nearly always the right one).

    RETURNS {cue: (source or None, content fragments in text order)}.
    """
    cues = [(s, e) for s, e, lab in tagged if lab == "CUE"]
    found: dict[Offsets, tuple[list[Offsets], list[Offsets]]] = {c: ([], []) for c in cues}

    def paragraph(pos: int) -> int:
        return text.rfind("\n", 0, pos)

    for s, e, lab in tagged:
        if lab == "CUE":
            continue
        para = paragraph(s)
        best: tuple[int, Offsets] | None = None
        for cs, ce in cues:
            if paragraph(cs) != para:
                continue
            dist = max(cs - e if e <= cs else s - ce, 0)
            if best is None or dist < best[0]:
                best = (dist, (cs, ce))
        if best is not None:
            found[best[1]][0 if lab == "SOURCE" else 1].append((s, e))
    return {
        c: (min(srcs, key=lambda x: abs(x[0] - c[0])) if srcs else None, sorted(cont))
        for c, (srcs, cont) in found.items()
    }


def _nearest_source(
    tagged: Sequence[tuple[int, int, str]], sent: Span, s: int, e: int, content: list[Offsets]
) -> Offsets | None:
    """The tagged SOURCE span in the cue's sentence closest to the cue, outside the content."""
    best: tuple[int, Offsets] | None = None
    for a, b, lab in tagged:
        if lab != "SOURCE" or a < sent.start_char or b > sent.end_char:
            continue
        if any(x < b and a < y for x, y in content):
            continue
        dist = s - b if b <= s else a - e
        if dist >= 0 and (best is None or dist < best[0]):
            best = (dist, (a, b))
    return best[1] if best else None
