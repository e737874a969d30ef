"""What every finder works on and adds to: the raw attribution record, and one context per
document holding the parse, the cue lexicon, the quotations, the tagger's spans, and what
the finders have claimed so far (relations, cue tokens, content ranges).

The context's methods are the parse helpers all finders share: a cue verb's subject, the
source span under a token, the cue words around a verb, and ``add``, the one way a
finder records a relation (it cleans the content, splits "a source cited by X" into a
relay, and claims the cue tokens so that a later, weaker rule never re-reads them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..model.spans import Offsets
from .cues import CueLexicon
from .quotes import Quote, find_quotes
from .tokens import clean_content, token_frags

# Children of a cue verb that belong to the cue span.
CUE_DEPS = {"aux", "auxpass", "neg", "advmod", "prt"}

RECIPIENT_VERBS = {"tell", "ask", "remind", "assure", "inform", "warn", "urge", "brief"}

# Participles that make a source's noun phrase a relay: "a diplomat cited by Reuters".
RELAY_PARTICIPLES = frozenset({"quote", "cite", "interview"})


@dataclass(slots=True)


class RawAttribution:
    """An attribution before sources are typed and resolved (offsets only)."""

    cue: list[Offsets]
    content: list[Offsets]
    source: Offsets | None
    kind: str
    confidence: float
    cue_head: int  # char offset of the cue's head word, for ordering and nesting
    relayed_by: list[Offsets] = field(default_factory=list)
    nested_in: int | None = None  # index of the attribution whose content holds this cue
    source_token: int | None = None  # token index of the source head, for typing


class Context:
    """One document's parse and inputs, and what the finders have found so far.

    doc, lex, excluded, title and tagged are the inputs (tagged: the encoder's
    (start, end, label) spans, None on the rule-only path); quote_list is derived from
    them once. out, used (cue token indices) and used_content grow as finders run;
    tag_groups caches ``rules.tagged.group_tagged`` for the document.
    """

    def __init__(
        self,
        doc: Doc,
        lex: CueLexicon,
        excluded: Sequence[Offsets],
        *,
        title: str | None = None,
        tagged: Sequence[tuple[int, int, str]] | None = None,
    ) -> None:
        self.doc = doc
        self.text = doc.text
        self.lex = lex
        self.excluded = sorted(excluded)
        self.title = title
        self.tagged = tagged
        self.out: list[RawAttribution] = []
        self.used: set[int] = set()  # token indices claimed as cues
        self.used_content: list[Offsets] = []
        self.quote_list = [q for q in find_quotes(self.text) if not self.is_excluded(q.start)]
        self.tag_groups: dict[Offsets, tuple[Offsets | None, list[Offsets]]] | None = None

    def is_excluded(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.excluded)

    def tok_at(self, pos: int) -> Token | None:
        span = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def toks_between(self, start: int, end: int) -> list[Token]:
        """Tokens starting in [start, end), found by offset rather than a scan of the doc."""
        if end <= start:
            return []
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return []
        return [t for t in span if start <= t.idx < end]

    def in_quote(self, pos: int) -> Quote | None:
        for q in self.quote_list:
            if q.start <= pos < q.end:
                return q
        return None

    def is_cue_verb(self, t: Token) -> bool:
        return t.pos_ in ("VERB", "AUX") and self.lex.is_verb_cue(t.lemma_.lower())

    def add(self, rel: RawAttribution, cue_tokens: Iterable[Token]) -> None:
        rel.content = clean_content(self.text, rel.content)
        if not rel.content or not rel.cue:
            return
        if rel.source and not self.text[rel.source[0] : rel.source[1]].strip():
            rel.source = None
        self.split_relay(rel)
        for t in cue_tokens:
            self.used.add(t.i)
        self.out.append(rel)
        self.used_content.extend(rel.content)

    def split_relay(self, rel: RawAttribution) -> None:
        """"a diplomat cited by Reuters", "a source quoted by the Centre": the source is
        the diplomat, relayed by Reuters (the innermost relay, so it goes last)."""
        if rel.source_token is None or rel.source is None:
            return
        tok = self.doc[rel.source_token]
        acl = next(
            (c for c in tok.children if c.dep_ == "acl" and c.lemma_.lower() in RELAY_PARTICIPLES),
            None,
        )
        agent = next((c for c in acl.children if c.dep_ == "agent"), None) if acl else None
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        relay = self.source_span(pobj)
        if acl is None or relay is None:
            return
        stop = {x.i for x in acl.subtree}
        toks = [t for t in tok.subtree if t.i not in stop]
        while toks and toks[-1].is_punct:
            toks.pop()
        if not toks or toks[-1].i > acl.i:
            return  # "a source, quoted by X, who ...": leave the span alone
        rel.source = (toks[0].idx, toks[-1].idx + len(toks[-1]))
        rel.relayed_by = [*rel.relayed_by, relay]

    def subject(self, verb: Token, depth: int = 0) -> Token | None:
        """The subject of a cue verb, climbing through participles and conjuncts."""
        for c in verb.children:
            if c.dep_ in ("nsubj", "csubj"):
                return c
        for c in verb.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if depth < 3 and verb.dep_ in ("conj", "advcl", "xcomp", "dep") and verb.head is not verb:
            # "X said ..., adding that": the participle shares the main verb's subject.
            if verb.dep_ == "advcl" and verb.tag_ not in ("VBG", "VBN"):
                return None
            head = verb.head
            if (
                verb.dep_ == "advcl"
                and head.dep_ == "ccomp"
                and self.is_cue_verb(head.head)
                and verb.i > 0
                and self.doc[verb.i - 1].text == ","
            ):
                head = head.head  # parsed under the reported clause; it is the speaker's
            return self.subject(head, depth + 1)
        return None

    def source_span(self, subj: Token | None) -> Offsets | None:
        if subj is None:
            return None
        toks = [t for t in subj.subtree if not self.is_excluded(t.idx)]
        if not toks:
            return None
        s, e = toks[0].idx, toks[-1].idx + len(toks[-1])
        # A subject never reaches into a quotation that is the content.
        q = self.in_quote(s)
        if q is not None and q.start < s:
            return None
        return (s, e)

    def cue_tokens(
        self, verb: Token, skip: Iterable[Token] = (), extra: Iterable[Token] = ()
    ) -> list[Token]:
        """The cue: the verb with its auxiliaries, adverbs and adjuncts.

        PolNeAR-style cues take in what hangs on the verb besides source and
        content: "has also said", "said Tuesday in a statement", "pointed out".
        Only the block contiguous with the verb is kept.
        """
        skip_ids = {t.i for t in skip}
        keep = {verb.i} | {t.i for t in extra}
        for c in verb.children:
            if c.i in skip_ids or c.dep_ not in CUE_DEPS:
                continue
            if c.dep_ in ("dobj", "dative") and verb.lemma_.lower() not in RECIPIENT_VERBS:
                continue
            keep.update(x.i for x in c.subtree)
        lo = hi = verb.i
        while lo - 1 in keep:
            lo -= 1
        while hi + 1 in keep:
            hi += 1
        toks = [self.doc[i] for i in range(lo, hi + 1)]
        while len(toks) > 1 and toks[-1].is_punct:
            toks.pop()
        while len(toks) > 1 and toks[0].is_punct:
            toks.pop(0)
        return toks

    def subtree_span(self, tok: Token, stop: set[int] | None = None) -> list[Offsets]:
        """Character ranges of a token's subtree, skipping tokens in ``stop``."""
        return token_frags([t for t in tok.subtree if not (stop and t.i in stop)])

    def expand_to_quotes(self, frags: list[Offsets]) -> list[Offsets]:
        out = list(frags)
        for q in self.quote_list:
            for s, e in frags:
                if s < q.end and q.start < e and (q.start < s or q.end > e):
                    # Only widen when the clause starts or ends inside the quote.
                    out.append((min(s, q.start), max(e, q.end)))
        return out


# A finder reads the context and records what it finds with ``Context.add``.
Finder = Callable[[Context], None]
