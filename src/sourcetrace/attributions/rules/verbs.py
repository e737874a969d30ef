"""Reporting verbs and what they take: a clause, an infinitive, an object, a preposition.

"The auditor said (that) the accounts were incomplete." / "The union vowed to strike." /
"The senator called for an inquiry." / "She accused the board of lying." / "The road is
closed, the police said." / "He said: the deal is off." Also the chains a verb carries:
"The nurse told the Valley Courier that ..." (relayed by the Courier) and "The agency,
citing two officials, said ..." (the officials, relayed by the agency).
``verb_attribution`` is shared with ``tagged``, which runs it on cues only the encoder saw.
"""

from __future__ import annotations

from spacy.tokens import Token

from ...model.spans import Offsets
from ..confidence import (
    CONF_COGNITION,
    CONF_OBJECT,
    CONF_OBJECT_QUOTED,
    CONF_SPEECH,
    CONF_TAGGED,
)
from ..context import Context, RawAttribution
from ..tokens import span_of, strip_final_period, token_frags

# Verb + preposition cues whose prepositional object is the content ("called for X").
PREP_CUES = {
    "call": {"for", "on"}, "point": {"to"}, "talk": {"about"}, "speak": {"about", "of"},
    "refer": {"to"}, "focus": {"on"}, "push": {"for"}, "vote": {"for", "against"},
    "argue": {"for", "against"}, "ask": {"for", "about"}, "rail": {"against"},
    "warn": {"of", "against", "about"}, "complain": {"about"}, "hope": {"for"},
    "worry": {"about"}, "comment": {"on"}, "campaign": {"for", "against"},
    "advocate": {"for"}, "lobby": {"for", "against"}, "fight": {"for", "against"},
    "testify": {"about"}, "boast": {"about", "of"}, "joke": {"about"}, "brag": {"about"},
    "write": {"about"}, "tweet": {"about"}, "reflect": {"on"}, "insist": {"on"},
    "agree": {"with"}, "side": {"with"}, "object": {"to"}, "weigh": {"in"},
}

CLAUSE = {"ccomp"}

# Verbs of pursuing or ordering an action: "the government has been seeking the
# expulsion of the group", "the MKO has ordered its members to fuel unrest". What they
# take is a deed wanted, not a statement that can be true or false, so they are cues
# only with a that-clause ("ordered that every ship be searched").
ACTION_VERBS = {"seek", "order", "try", "attempt", "aim", "strive", "endeavor", "endeavour"}

# Verbs of attack or support take a person, group or proposal, not a building.
PHYSICAL_OBJECT_VERBS = {"attack", "hit", "blast", "target", "back", "fire", "slam"}
PROPOSITION_NOUNS = {
    "plan", "proposal", "idea", "policy", "bill", "decision", "claim", "deal", "measure",
    "candidate", "candidacy", "nominee", "law", "ban", "agreement", "approach", "move",
    "strategy", "effort", "campaign", "position", "view", "statement", "remark", "comment",
    "record", "report", "accusation", "allegation", "notion", "charge", "rule", "order",
}


def takes_a_deed(t: Token) -> bool:
    """A verb of pursuing or ordering an action with no that-clause: no cue."""
    if t.lemma_.lower() not in ACTION_VERBS:
        return False
    # Only "ordered that ..." counts: a bare clause under such a verb is a misparse
    # (scraped pages run a headline into the sentence: "has ordered its Report
    # Discloses ... members to fuel unrest").
    return not any(
        c.dep_ in CLAUSE and any(m.dep_ == "mark" and m.lower_ in ("that", "whether")
                                 for m in c.children)
        for c in t.children
    )


def _frame_start(t: Token) -> int:
    """Index of the first word of a closing frame (", the Post reported": "the")."""
    return min(x.i for x in t.subtree if not x.is_punct)


def _object_ok(obj: Token, lemma: str) -> bool:
    if lemma not in PHYSICAL_OBJECT_VERBS:
        return True
    return (
        obj.pos_ in ("PROPN", "PRON")
        or obj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or obj.lemma_.lower() in PROPOSITION_NOUNS
    )


def find(ctx: Context) -> None:
    """Every cue verb no earlier finder used, outside quotations and excluded ranges."""
    for t in ctx.doc:
        if t.i in ctx.used or not ctx.is_cue_verb(t) or ctx.is_excluded(t.idx):
            continue
        if ctx.in_quote(t.idx) is not None:
            continue  # speech reported inside a quotation stays part of that quote
        if t.lemma_.lower() == "cite" and t.dep_ == "advcl" and ctx.is_cue_verb(t.head):
            continue  # "X, citing Y, said": a relay, handled with the main verb
        found = verb_attribution(ctx, t)
        if found is not None:
            ctx.add(*found)


def verb_attribution(
    ctx: Context, t: Token, *, tagged: bool = False
) -> tuple[RawAttribution, list[Token]] | None:
    """The attribution a cue verb heads: its content, source and cue span.

    tagged: the trained tagger marked this word as a cue, so the lexicon is not
      asked and any complement (clause, object, prepositional object) is content.
    """
    lemma = t.lemma_.lower()
    speech = tagged or lemma in ctx.lex.speech
    if any(c.dep_ == "nsubjpass" for c in t.children) and not any(
        c.dep_ == "agent" for c in t.children
    ):
        return None  # passive without agent: see passives()
    if takes_a_deed(t):
        return None
    content_tok = next((c for c in t.children if c.dep_ in CLAUSE), None)
    kind, conf = "indirect", CONF_SPEECH
    if lemma in ctx.lex.cognition and lemma not in ctx.lex.speech:
        conf = CONF_COGNITION
    if tagged:
        conf = CONF_TAGGED
    frags: list[Offsets] = []
    content_obj: Token | None = None
    cue_extra: list[Token] = []
    if content_tok is not None:
        frags = ctx.subtree_span(content_tok, stop=_participle_cues(ctx, content_tok))
    else:
        xcomp = next((c for c in t.children if c.dep_ == "xcomp"), None)
        dobj = next((c for c in t.children if c.dep_ in ("dobj", "obj")), None)
        prep = next(
            (c for c in t.children
             if c.dep_ == "prep" and (c.lower_ in PREP_CUES.get(lemma, ()) or (
                 tagged and dobj is None and lemma not in ctx.lex.speech))),
            None,
        )
        if speech and _fronted(ctx, t):
            # "Rebels moved rockets, an official told the Gazette": the clause
            # before the comma is what was said; the object is the listener.
            frags = token_frags(list(ctx.doc[t.sent.start : _frame_start(t) - 1]))
        elif xcomp is not None and xcomp.pos_ in ("VERB", "AUX"):
            frags = ctx.subtree_span(xcomp)
        elif prep is not None and any(c.dep_ in ("pobj", "pcomp") for c in prep.children):
            pobj = next(c for c in prep.children if c.dep_ in ("pobj", "pcomp"))
            frags = ctx.subtree_span(pobj)
            content_obj = pobj
            cue_extra = [prep]
            kind, conf = "indirect", min(conf, CONF_OBJECT)
        elif dobj is not None and (
            tagged or (lemma in ctx.lex.object and _object_ok(dobj, lemma))
        ):
            # "described X as Y", "called X a liar", "urged X to Y": the object
            # and its secondary predicate together are the content.
            frags = ctx.subtree_span(dobj)
            for c in t.children:
                if c.i > dobj.i and (
                    c.dep_ in ("oprd", "xcomp", "ccomp")
                    or (c.dep_ == "prep" and c.lower_ in ("as", "of", "for"))
                ):
                    frags += ctx.subtree_span(c)
            content_obj = dobj
            kind, conf = "indirect", min(conf, CONF_OBJECT)
        elif t.dep_ in ("parataxis",) and speech:
            # "The plan is dead, he said." parsed with "said" under the clause.
            head = t.head
            stop = {x.i for x in t.subtree}
            frags = ctx.subtree_span(head, stop=stop)
            frags = strip_final_period(ctx.text, frags)
        elif t.dep_ == "ROOT" and speech:
            frags = _colon_content(ctx, t)
    if not frags:
        return None
    frags = ctx.expand_to_quotes(frags)
    if any(q.start >= frags[0][0] and q.end <= frags[-1][1] for q in ctx.quote_list):
        kind = "mixed" if kind == "indirect" else kind
        if conf == CONF_OBJECT:
            conf = CONF_OBJECT_QUOTED
    subj = ctx.subject(t)
    relay: list[Offsets] = []
    if lemma == "tell":
        recipient = next((c for c in t.children if c.dep_ in ("dobj", "dative")), None)
        if recipient is not None and recipient.ent_type_ in ("ORG", "NORP", "GPE"):
            relay = [s for s in [ctx.source_span(recipient)] if s]
    citing = next(
        (c for c in t.children if c.lemma_.lower() == "cite" and c.dep_ == "advcl"), None
    )
    if citing is not None:
        cited = next((c for c in citing.children if c.dep_ in ("dobj", "obj")), None)
        if cited is not None and subj is not None:
            relay = [s for s in [ctx.source_span(subj)] if s]
            ctx.used.add(citing.i)
            subj = cited
    skip = [x for x in (subj, content_tok, content_obj) if x is not None]
    skip_toks = [y for x in skip for y in x.subtree]
    if kind == "indirect" and content_tok is None:
        skip_toks += [y for c in t.children if c.dep_ in ("dobj", "xcomp") for y in c.subtree]
    cue_toks = ctx.cue_tokens(t, skip_toks, cue_extra)
    rel = RawAttribution(
        cue=span_of(cue_toks),
        content=frags,
        source=ctx.source_span(subj),
        kind=kind,
        confidence=conf,
        cue_head=t.idx,
        relayed_by=relay,
        source_token=subj.i if subj is not None else None,
    )
    return rel, cue_toks


def _fronted(ctx: Context, t: Token) -> bool:
    """A speech clause after a comma that closes a sentence-initial clause, parsed
    as its conjunct or parataxis ("C, X told Y." / "C, X said.")."""
    head = t.head
    if head.i >= t.i or head.dep_ != "ROOT":
        return False
    if t.dep_ == "ccomp":
        # "X said C, the Post reported": the parse hangs the closing frame on the
        # first verb; a frame has nothing after it but punctuation.
        if any(c.dep_ in CLAUSE or c.dep_ in ("dobj", "obj", "xcomp") for c in t.children):
            return False
        if any(not x.is_punct and not x.is_space for x in t.sent if x.i > t.i):
            return False
    elif t.dep_ not in ("conj", "parataxis"):
        return False
    first = _frame_start(t)
    if first == 0 or ctx.doc[first - 1].text != ",":
        return False
    if any(c.dep_ == "cc" for c in head.children if c.i < t.i):
        return False  # "X rose and Y fell": a coordination, not a frame
    return min(x.i for x in head.subtree) == head.sent.start


def _participle_cues(ctx: Context, clause: Token) -> set[int]:
    """Tokens of ", adding that ..." phrases inside a clause: they are their own cue."""
    stop: set[int] = set()
    for t in clause.subtree:
        if (
            t.dep_ == "advcl"
            and t.tag_ == "VBG"
            and ctx.is_cue_verb(t)
            and t.i > 0
            and ctx.doc[t.i - 1].text == ","
        ):
            stop.update(x.i for x in t.subtree)
            stop.add(t.i - 1)
        elif (
            t.dep_ == "conj"
            and ctx.is_cue_verb(t)
            and t.head.i >= clause.i
            and clause.i > clause.head.i  # only a clause after its cue ("X said A but B")
        ):
            # "... would offer a prayer but did not suggest ...": the speaker's next verb
            stop.update(x.i for x in t.subtree)
            stop.update(c.i for c in t.head.children if c.dep_ == "cc" and c.i < t.i)
    right = max((x.i for x in clause.subtree), default=clause.i)
    for t in clause.subtree:
        # A trailing non-restrictive modifier (", which ...", ", doing ...") is the
        # writer's addition, not part of what was said.
        if (
            t.dep_ in ("relcl", "advcl", "acl")
            and t.i > clause.i
            and t.left_edge.i > 0
            and ctx.doc[t.left_edge.i - 1].text == ","
            and max(x.i for x in t.subtree) >= right - 1
        ):
            stop.update(x.i for x in t.subtree)
            stop.add(t.left_edge.i - 1)
    return stop


def _colon_content(ctx: Context, verb: Token) -> list[Offsets]:
    """'X said: the plan is dead.' - content runs from the colon to sentence end."""
    nxt = verb.i + 1
    while nxt < len(ctx.doc) and ctx.doc[nxt].dep_ in ("advmod", "npadvmod", "prep"):
        nxt += 1
    if nxt >= len(ctx.doc) or ctx.doc[nxt].text != ":":
        return []
    sent = verb.sent
    toks = [x for x in sent if x.i > nxt]
    return strip_final_period(ctx.text, token_frags(toks))
