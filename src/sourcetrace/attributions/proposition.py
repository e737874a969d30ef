"""Is an attribution's content a proposition, something that can be true or false?

"He said the plant will close" reports a proposition; "she endorsed Hillary Clinton for
president", "they asked him about his tax returns", "criticism of the plan" and "no one
knows what's in Mr. Trump's returns" report an attitude to a thing, a question or a topic.
Such contents stay attributions, but they are not claims that one article can repeat or
another deny, so the corpus does not cluster them.

A content is a proposition when one of its sentences holds a declarative finite clause:
a finite verb (past, present or modal tag, as the writer's-voice check reads them) that is
not an indirect question ("whether he would run", "what's in the returns", "how it
works": a wh-word or whether/if heading the clause) and not a direct question (the
sentence ends in "?"). A verbless content after a naming cue is a small clause, and so a
proposition: "called the charges false", "described the raids as illegal".
``is_proposition`` reads the spaCy doc at analysis time;
``looks_like_proposition`` is the text-only fallback for records written before the field
existed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model.spans import Offsets

if TYPE_CHECKING:  # the corpus reads the text-only fallback without loading spaCy
    from spacy.tokens import Doc, Token

# Finite verb tags (the same set the writer's-voice check uses): past, present, modal.
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
# Words that head an indirect question or a free relative standing for a thing.
QUESTION_WORDS = frozenset(
    {"what", "whether", "if", "who", "whom", "whose", "which", "why", "how", "when", "where"}
)
_CLOSERS = "\"'\u201d\u2019)] "


# Cues that predicate something of their object without a verb ("called the charges
# false", "considers him a realistic option"): the content is a small clause, a
# proposition ("the charges are false") ...
NAMING_CUES = frozenset(
    {"call", "label", "brand", "dub", "deem", "term", "consider", "find", "declare",
     "pronounce"}
)
# ... and these when the content says "X as Y" ("described their actions as crimes").
AS_CUES = frozenset(
    {"describe", "characterize", "characterise", "regard", "view", "portray", "depict",
     "cast", "paint", "see", "dismiss", "denounce", "criticize", "criticise", "praise"}
)


def is_proposition(
    doc: Doc, spans: Sequence[Offsets], cue_spans: Sequence[Offsets] = ()
) -> bool:
    """True when the content at ``spans`` (offsets into ``doc.text``) states a proposition.

    cue_spans: the attribution's cue; a naming cue ("called", "described ... as") makes a
        verbless content a small clause, which is a proposition.
    """
    tokens = [t for s, e in spans for t in _tokens_in(doc, s, e)]
    if not tokens:
        return False
    inside = {t.i for t in tokens}
    # Group the content's tokens by sentence: a quote may hold a statement and a question.
    by_sent: dict[int, list[Token]] = {}
    for t in tokens:
        by_sent.setdefault(t.sent.start, []).append(t)
    if any(_declarative(toks, inside) for toks in by_sent.values()):
        return True
    return _small_clause(doc, tokens, cue_spans)


def _tokens_in(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def _small_clause(doc: Doc, tokens: list[Token], cue_spans: Sequence[Offsets]) -> bool:
    lemmas = {t.lemma_.lower() for s, e in cue_spans for t in _tokens_in(doc, s, e)
              if t.pos_ in ("VERB", "AUX")}
    first = next((t for t in tokens if not t.is_punct and not t.is_space), None)
    if first is None or first.pos_ in ("ADP", "PART") or first.lower_ in QUESTION_WORDS:
        return False  # "called for new tariffs", "to pay"
    if first.i > 0 and doc[first.i - 1].pos_ in ("ADP", "PART"):
        return False  # "called for | a special prosecutor", "called on | him"
    if any(t.lower_ == "to" and t.head.tag_ == "VB" for t in tokens):
        return False  # "urged him to run": a request, not a predication
    if lemmas & NAMING_CUES:
        return True
    return bool(lemmas & AS_CUES) and any(t.lower_ == "as" for t in tokens[1:])


def _declarative(tokens: list[Token], inside: set[int]) -> bool:
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if not words:
        return False
    last = tokens[-1]
    sent_text = last.sent.text.rstrip(_CLOSERS)
    if last.i >= last.sent.end - 3 and sent_text.endswith("?"):
        return False  # a direct question, within the last tokens of its sentence
    return any(_finite(t) and not _question_clause(t, inside) for t in words)


def _finite(t: Token) -> bool:
    """A finite verb; also a past participle with a subject and no auxiliary, which is
    a past tense the tagger misread ("that Russia hacked into the emails")."""
    if t.tag_ in FINITE_TAGS:
        return True
    return (t.tag_ == "VBN" and any(c.dep_ == "nsubj" for c in t.children)
            and not any(c.dep_ in ("aux", "auxpass") for c in t.children))


def _question_clause(verb: Token, inside: set[int]) -> bool:
    """The finite verb heads (or is the auxiliary of) a clause that is no statement: one
    opened by a question word ("whether he would run", "what he did"), or a relative
    clause on a noun inside the content ("the companies that were fined"; a clause whose
    noun lies outside, "the consensus | that Russia hacked the emails", is the content)."""
    head = verb.head if verb.dep_ in ("aux", "auxpass") and verb.head.i in inside else verb
    if head.dep_ in ("relcl", "acl") and head.head.i in inside:
        return True
    lefts = [t for t in head.lefts if t.i in inside]
    return any(t.lower_ in QUESTION_WORDS for t in lefts)


# --- text-only fallback (records without the field) -------------------------------------

_WORD_RE = re.compile(r"[A-Za-z]+(?:['\u2019][a-z]+)?")
# Words that are finite verbs (or carry one, as contractions do) wherever they stand.
_FINITE_TEXT = """is are was were am has have had will would shall should can could may might
    must does did do isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't can't
    couldn't doesn't didn't don't shouldn't says said"""
_FINITE_WORDS = frozenset(_FINITE_TEXT.split())
_SUBJECT_PRONOUNS = frozenset({"i", "he", "she", "we", "they", "it", "you"})
_CONTRACTIONS = ("'s", "'re", "'ve", "'ll", "'d", "'m", "\u2019s", "\u2019re", "\u2019ve",
                 "\u2019ll", "\u2019d", "\u2019m")


def looks_like_proposition(text: str) -> bool:
    """A guess from the words alone: a finite auxiliary, modal or copula, a subject
    pronoun followed by a word, or a past-tense "-ed" word after the first; not when the
    content opens with a question word or "to" (an indirect question, an infinitive)."""
    words = _WORD_RE.findall(text)
    if not words:
        return False
    lower = [w.lower() for w in words]
    opener = re.split("['\u2019]", lower[0])[0]
    if opener in QUESTION_WORDS or opener == "to":
        return False
    if text.rstrip(_CLOSERS).endswith("?"):
        return False
    for k, w in enumerate(lower):
        if w in _FINITE_WORDS or w.endswith(_CONTRACTIONS):
            return True
        if w in _SUBJECT_PRONOUNS and k + 1 < len(lower):
            return True
        if k > 0 and w.endswith("ed") and len(w) > 4:
            return True
    return False
