"""Quotations and the cue in their frame, and the quotes that continue a speaker.

'"The pier is closed," the harbour master said.' / 'The harbour master said: "The pier
is closed."' / '"The pier is closed." - Ines Moreau' (a dash and a name ending the line).
``continuations`` runs after every other finder: a following quotation with no cue of
its own ('"It reopens Friday."') joins the relation of the quote before it.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from ...model.spans import Offsets
from ..confidence import CONF_DASH, CONF_QUOTE
from ..context import Context, RawAttribution
from ..cues import default_lexicon
from ..quotes import Quote
from ..tokens import QUOTE_MARKS, span_of

# Words after a quote that may stand between it and its cue ("...," X said).
MAX_FRAME_TOKENS = 14

# A dash and a name closing the line after a quotation: 1-4 capitalised words (with
# particles such as "de", "al-"), no verb, then only a full stop or spaces.
_DASH_CREDIT_RE = re.compile(
    r"[ \t\u00a0]*(?P<dash>[\u2015\u2014\u2013])[ \t\u00a0]*"
    r"(?P<name>[A-Z][\w.'\u2019-]*(?:[ \u00a0](?:(?:de|da|van|von|al|el|bin)[ \u00a0])?"
    r"[A-Z][\w.'\u2019-]*){0,3})[ \t\u00a0.]*(?=\n|$)"
)

_KNOWN_FORMS = default_lexicon().speech


def find(ctx: Context) -> None:
    """Each quotation not yet claimed, with the cue verb in the words after or before it."""
    for q in ctx.quote_list:
        if any(s <= q.start < e for s, e in ctx.used_content):
            continue
        if _dash_credit(ctx, q):
            continue
        found = _quote_frame_after(ctx, q) or _quote_frame_before(ctx, q)
        if found is None:
            continue
        verb, direct = found
        subj = ctx.subject(verb)
        source = ctx.source_span(subj)
        if source is None and verb.idx > q.end:
            source = _frame_source(ctx, q, verb)
        content_start = q.start
        if verb.idx > q.end:
            lead_in = _lead_in(ctx, q)
            if lead_in is not None:
                content_start, direct = lead_in, False  # 'The MKO "is a ...," X said'
        rel = RawAttribution(
            cue=span_of(ctx.cue_tokens(verb)),
            content=[(content_start, q.end)],
            source=source,
            kind="direct" if direct else "mixed",
            confidence=CONF_QUOTE,
            cue_head=verb.idx,
            source_token=subj.i if subj is not None else None,
        )
        ctx.add(rel, ctx.cue_tokens(verb))


def _dash_credit(ctx: Context, q: Quote) -> bool:
    """'"We deserve better." ― Ana Ruiz': a quotation credited with a dash and a name
    that ends the line (reader comments, epigraphs, quote round-ups)."""
    m = _DASH_CREDIT_RE.match(ctx.text, q.end)
    if m is None or not m.group("name") or ctx.is_excluded(m.start("dash")):
        return False
    end = m.end("name")
    if ctx.text[end - 1] == "." and not re.search(r"\b\w\.$", ctx.text[:end]):
        end -= 1  # "Ana Souza." ends a sentence; "John Q." keeps its initial
    ctx.add(
        RawAttribution(
            cue=[(m.start("dash"), m.end("dash"))], content=[(q.start, q.end)],
            source=(m.start("name"), end), kind="direct",
            confidence=CONF_DASH, cue_head=m.start("dash"),
        ),
        ctx.toks_between(m.start("dash"), m.end("dash")),
    )
    return True


def continuations(ctx: Context) -> None:
    """A following quote with no cue of its own continues the same speaker."""
    ends = {q.end: i for i, q in enumerate(ctx.quote_list)}
    for rel in sorted(ctx.out, key=lambda r: r.content[-1][1]):
        qi = ends.get(rel.content[-1][1])
        if qi is None:
            continue
        j = qi + 1
        while j < len(ctx.quote_list):
            nxt = ctx.quote_list[j]
            if any(s <= nxt.start < e for s, e in ctx.used_content):
                break
            gap_start = rel.content[-1][1]
            gap = ctx.text[gap_start : nxt.start]
            split_by_cue = any(gap_start <= c[0] < nxt.start for c in rel.cue) and (
                gap.rstrip().endswith((",", ":", "\u2014"))
            )  # "A," she said, "B."
            if not split_by_cue and (
                not _only_frame(gap, ctx.text, rel) or not _quote_is_sentence(ctx.text, nxt)
            ):
                break
            if any(
                gap_start <= o.cue_head < nxt.start for o in ctx.out if o is not rel
            ):
                break  # another cue sits between: a new attribution starts
            rel.content.append((nxt.start, nxt.end))
            ctx.used_content.append((nxt.start, nxt.end))
            j += 1


def _quote_frame_after(ctx: Context, q: Quote) -> tuple[Token, bool] | None:
    """'"...," X said' / '"...," said X': a cue in the few words after the quote."""
    end = q.end
    # Text right after the quote up to sentence end or the next quote.
    stop = len(ctx.text)
    m = re.compile(r"[.!?\n]|[\u201c\"]").search(ctx.text, end)
    if m:
        stop = m.start()
    tail = ctx.text[end:stop]
    if not tail.strip() or not re.match(r"^\s*[,\u2014\u2013-]?\s*\S", tail):
        return None
    inner = ctx.text[q.start : q.end].rstrip(QUOTE_MARKS)
    if inner[-1:] not in (",", "?", "!", "\u2014", "-") and not (
        tail.lstrip().startswith(",")
    ):
        return None
    toks = ctx.toks_between(end, stop)
    if len(toks) > MAX_FRAME_TOKENS:
        toks = toks[:MAX_FRAME_TOKENS]
    for t in toks:
        if t.i in ctx.used:
            continue
        if ctx.is_cue_verb(t) or (
            t.pos_ in ("NOUN", "PROPN")
            and t.lower_ != _verb_form(t.lower_)
            and _verb_form(t.lower_) in ctx.lex.speech
            and (t.i + 1 >= len(ctx.doc) or ctx.doc[t.i + 1].is_punct)
        ):  # "Viguerie notes." is often tagged as a noun; "the report" is not a cue
            return t, True
    return None


def _lead_in(ctx: Context, q: Quote) -> int | None:
    """Start of a short subject phrase that runs into the quote in the same sentence."""
    first = ctx.tok_at(q.start)
    if first is None:
        return None
    sent = first.sent
    before = [t for t in sent if t.idx < q.start and not t.is_space]
    if not before or len(before) > 8 or before[-1].is_punct:
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in before):
        return None
    return before[0].idx


def _frame_source(ctx: Context, q: Quote, verb: Token) -> Offsets | None:
    """Parser gave no subject: the words between quote and cue, or after the cue."""
    between = [t for t in ctx.toks_between(q.end, verb.idx) if not t.is_punct]
    if 0 < len(between) <= 8:
        return (between[0].idx, between[-1].idx + len(between[-1]))
    after = []
    for t in ctx.doc[verb.i + 1 :]:
        if t.is_punct or t.is_space:
            break
        after.append(t)
    if not between and 0 < len(after) <= 6 and any(t.pos_ == "PROPN" for t in after):
        return (after[0].idx, after[-1].idx + len(after[-1]))
    return None


def _quote_frame_before(ctx: Context, q: Quote) -> tuple[Token, bool] | None:
    """'X said: "..."' / 'X said, "..."' / 'X said that "..."'."""
    start = q.start
    before = ctx.text[max(0, start - 300) : start]
    cut = max(before.rfind("."), before.rfind("\n"), before.rfind("?"), before.rfind("!"),
              before.rfind("\u201d"))
    seg_start = start - len(before) + cut + 1
    seg = ctx.text[seg_start:start]
    if not seg.strip():
        return None
    stripped = seg.rstrip()
    direct = stripped.endswith((":", ","))
    toks = ctx.toks_between(seg_start, start)
    for t in reversed(toks):
        if t.i in ctx.used or not ctx.is_cue_verb(t):
            continue
        after = ctx.text[t.idx + len(t) : start].strip()
        if direct and len(after.split()) <= 4:
            return t, True
        # Mixed: the quote sits inside the verb's complement.
        qt = ctx.tok_at(q.start + 1)
        if qt is not None and any(a.i == t.i for a in qt.ancestors):
            return None  # handled by the verb pass (mixed quote in a clause)
        return None
    return None


def _verb_form(word: str) -> str:
    """Crude lemma of an inflected speech verb the tagger missed ("notes" -> "note")."""
    irregular = {"said": "say", "says": "say", "told": "tell", "tells": "tell", "wrote": "write",
                 "writes": "write"}
    if word in irregular:
        return irregular[word]
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", "e"), ("ed", ""), ("es", ""),
                         ("s", "")):
        if word.endswith(suffix) and word[: -len(suffix)] + repl in _KNOWN_FORMS:
            return word[: -len(suffix)] + repl
    return word


def _only_frame(gap: str, text: str, rel: RawAttribution) -> bool:
    """Between two quotes of one speaker: only the cue frame, punctuation or a paragraph break."""
    if not gap.strip():
        return True  # a paragraph-long quote right after: the same speaker goes on
    return len(gap) < 200 and "\n" not in gap


def _quote_is_sentence(text: str, q: Quote) -> bool:
    """The quote opens a sentence (what follows it is only closing punctuation)."""
    before = text[: q.start].rstrip()
    if before and before[-1] not in ".!?\u201d\"\n:" and not before.endswith(("said", "says")):
        return False
    after = text[q.end : q.end + 3]
    last = text[q.start : q.end].rstrip(QUOTE_MARKS)[-1:]
    return not after.strip() or after.lstrip()[0] in ".!?\n" or last in (".", "!", "?")
