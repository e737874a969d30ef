"""Source typing and source coreference.

``type_source`` says what kind of source a mention is (person, organisation,
government, news outlet, document, anonymous, vague). ``SourceResolver`` walks
the attributions in text order and links back-references to what they mean:
"the source" to the unnamed source introduced before, "the report" to the report
named before (and so to the body that issued it), "it" to the government or
organisation last cited, "he"/"she" to the last person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.spans import Offsets

if TYPE_CHECKING:  # the corpus reads ORG_HEADS without loading spaCy
    from spacy.tokens import Doc, Span, Token


ANON_MODS = {"unnamed", "anonymous", "unidentified", "undisclosed"}
ANON_HEADS = {
    "source", "official", "insider", "aide", "person", "diplomat", "officer", "staffer",
    "adviser", "advisor", "employee", "member", "operative", "confidant", "associate",
    "people", "spokesman", "spokeswoman", "spokesperson", "lawmaker", "strategist",
}
ANON_PHRASES = re.compile(
    r"(asked|requested|spoke|speaking) (not to be (named|identified)|on (the )?condition of"
    r" anonymity)|declined to be (named|identified)|not authori[sz]ed to (speak|discuss|comment)",
    re.I,
)
VAGUE_HEADS = {
    "report", "observer", "critic", "expert", "analyst", "people", "some", "many", "other",
    "rumor", "rumour", "media", "press", "account", "claim", "speculation", "commentator",
    "pundit", "voice", "circle", "quarter", "resident", "witness", "everyone", "someone",
    "they", "supporter", "opponent", "skeptic", "sceptic", "conservative", "liberal",
}
DOC_HEADS = {
    "report", "study", "poll", "survey", "statement", "document", "letter", "memo",
    "analysis", "data", "record", "filing", "complaint", "lawsuit", "book", "article",
    "video", "ad", "advertisement", "tweet", "post", "email", "transcript", "release",
    "indictment", "ruling", "assessment", "review", "audit", "paper", "cable", "dossier",
    "research", "investigation", "figure", "estimate", "census", "chart", "website",
}
GOV_WORDS = re.compile(
    r"\b(government|ministry|minister|department|administration|police|army|military|"
    r"council|parliament|congress|senate|white house|kremlin|pentagon|court|commission|"
    r"embassy|cabinet|presidency|authorities|authority|state department|prosecutors?|"
    r"regime|foreign office|interior|defen[cs]e|security forces|forces|agency of the)\b",
    re.I,
)
OUTLET_WORDS = re.compile(
    r"\b(news|agency|times|post|tv|television|radio|press|journal|daily|herald|tribune|"
    r"network|broadcast\w*|newspaper|magazine|gazette|telegraph|guardian|reuters|"
    r"associated press|afp|cnn|bbc|fox|msnbc|nbc|abc|cbs|npr|politico|bloomberg|"
    r"al jazeera|channel|outlet|website|wire|tabloid)\b",
    re.I,
)
ORG_HEADS = {
    "group", "organization", "organisation", "party", "campaign", "committee", "center",
    "centre", "company", "union", "coalition", "movement", "foundation", "institute",
    "association", "firm", "bank", "corporation", "university", "network", "front", "cell",
    "council", "board", "team", "club", "alliance", "federation", "charity", "ngo",
}
OUTLET_HEADS = {"agency", "newspaper", "network", "channel", "outlet", "paper", "website",
                "broadcaster", "magazine", "tabloid", "daily", "station"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "we", "you"}
ROLE_DEPS = {"appos"}
TITLE_WORDS = re.compile(
    r"^(?:(?i:former|then|acting|deputy|vice|chief|senior|top|US|U\.S\.|Iraqi|Iranian|"
    r"British|American|Russian|Chinese|French|German|Israeli|Syrian|the)\s+)*"
    r"(?:President|Prime Minister|PM|Minister|Secretary|Ambassador|Sen\.|Senator|Rep\.|"
    r"Representative|Gov\.|Governor|Gen\.|General|Dr\.|Mr\.|Mrs\.|Ms\.|Mayor|Judge|Justice|"
    r"Chairman|Chairwoman|Director|Spokesman|Spokeswoman|Commander|King|Queen|Prince|"
    r"Attorney General|Foreign Minister|Defen[cs]e Minister|Speaker|Leader|Chancellor|"
    r"Pope|Cardinal|Bishop|Rabbi|Imam|Sheikh|Ayatollah|Professor|Prof\.)"
    r"(?:\s+(?:of|to|for)\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)?\s+",
)


@dataclass(frozen=True, slots=True)
class TypedSource:
    type: str
    role: str | None = None


def type_source(span: Span, alias_type: str | None = None) -> TypedSource:
    """Say what kind of source a mention is.

    span (Span): the source mention in the parsed doc.
    alias_type (str): the type from the alias table, when the mention is a known actor.
    RETURNS (TypedSource): type and, for people, the role or title given.
    """
    text = span.text
    low = text.lower()
    root = _head(span)
    lemma = root.lemma_.lower()
    has_propn = any(t.pos_ == "PROPN" for t in span)
    sent = span.sent.text if span.doc.has_annotation("SENT_START") else text
    role = _role(span)

    anon_mod = any(t.lower_ in ANON_MODS for t in span)
    if anon_mod or (ANON_PHRASES.search(sent) and not has_propn):
        return TypedSource("anonymous", role)
    has_person = any(t.ent_type_ == "PERSON" for t in span)
    if (
        lemma in ANON_HEADS
        and root.pos_ != "PROPN"
        and not has_person
        and not any(c.dep_ == "compound" and c.ent_type_ == "PERSON" for c in root.children)
        and _indefinite_or_bare(root)
    ):
        # "a member of the group", "a State Department official": no name is given.
        return TypedSource("anonymous", role or _affiliation(span, root))
    if lemma in {"report", "rumor", "rumour", "speculation"} and root.tag_ in ("NNS",):
        return TypedSource("vague")  # "reports", "media reports"
    if alias_type:
        return TypedSource(alias_type, role if alias_type == "person" else None)
    ent = _entity(span)
    if lemma in DOC_HEADS and root.pos_ == "NOUN":
        return TypedSource("document")
    if ent == "PERSON" and lemma in ORG_HEADS | OUTLET_HEADS:
        ent = "ORG"  # "Didehban Center" tagged PERSON: the head noun knows better
    if ent == "PERSON" or (root.lower_ in PERSON_PRONOUNS):
        return TypedSource("person", role)
    if ent in ("ORG", "FAC", "WORK_OF_ART") or (has_propn and lemma in ORG_HEADS | OUTLET_HEADS):
        if OUTLET_WORDS.search(low):
            return TypedSource("news_outlet")
        if GOV_WORDS.search(low):
            return TypedSource("government")
        return TypedSource("organization")
    if ent in ("GPE", "NORP"):
        return TypedSource("government")
    if GOV_WORDS.search(low) and lemma not in ANON_HEADS:
        return TypedSource("government")
    if lemma in OUTLET_HEADS:
        return TypedSource("news_outlet")
    if lemma in ORG_HEADS:
        return TypedSource("organization")
    if lemma in VAGUE_HEADS or root.pos_ == "PRON":
        return TypedSource("vague")
    if lemma in ANON_HEADS:
        return TypedSource("anonymous" if not has_propn else "person", role)
    if has_propn:
        return TypedSource("person", role)
    return TypedSource("vague")


def _head(span: Span) -> Token:
    root = span.root
    # "one of the sources": the head is "one"; the noun that counts is its pobj.
    if root.lower_ in ("one", "some", "many", "several", "two", "three", "few"):
        for c in root.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
    return root


def _indefinite_or_bare(tok: Token) -> bool:
    dets = [c.lower_ for c in tok.children if c.dep_ in ("det", "nummod", "amod")]
    return not any(d in ("the", "this", "that", "these", "those") for d in dets)


def _entity(span: Span) -> str | None:
    """The entity label of the mention's head word (not of a name inside a modifier)."""
    return _head(span).ent_type_ or None


def _affiliation(span: Span, root: Token) -> str | None:
    """'a member of the Foo Front' -> 'member of the Foo Front' (the unnamed source's role)."""
    words = [t for t in span if t.dep_ not in ("det",) and t.i >= root.i and t.dep_ != "relcl"]
    stop = next((t.i for t in span if t.dep_ == "relcl"), None)
    if stop is not None:
        words = [t for t in words if t.i < span.doc[stop].left_edge.i]
    text = " ".join(t.text for t in words).strip(" ,")
    return text if len(words) > 1 else None


def _role(span: Span) -> str | None:
    """A role given with a name: an appositive ("X, a doctor,") or a title ("Prime Minister X")."""
    root = span.root
    for c in root.children:
        if c.dep_ in ROLE_DEPS:
            if c.ent_type_ == "PERSON" and root.ent_type_ != "PERSON":
                # "its spokesman, Piet Arlen": the head is the role, the appositive the name.
                return span.doc[span.start : c.left_edge.i].text.strip(" ,") or None
            sub = list(c.subtree)
            return span.doc[sub[0].i : sub[-1].i + 1].text.strip(" ,")
    m = TITLE_WORDS.match(span.text)
    if m:
        return m.group(0).strip()
    return None


@dataclass(slots=True)
class _Seen:
    offsets: Offsets
    type: str
    lemma: str
    antecedent: Offsets | None


class SourceResolver:
    """Links back-referring source mentions to what they refer to, in text order."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.seen: list[_Seen] = []
        self._ents: list[Span] | None = None
        self._reports = [t for t in doc if t.lemma_.lower() in ("report", "statement", "study")]

    def resolve(self, span: Span, typed: TypedSource) -> tuple[TypedSource, Offsets | None]:
        """Return the (possibly inherited) type and the antecedent offsets, if any."""
        root = _head(span)
        lemma = root.lemma_.lower()
        low = root.lower_
        ante: _Seen | None = None
        if low == "who" and root.head.head is not root.head:
            noun = root.head.head
            sub = list(noun.subtree)
            target = self.doc[noun.left_edge.i : root.head.left_edge.i]
            if len(target) == 0:
                target = self.doc[sub[0].i : noun.i + 1]
            typed2 = type_source(target)
            self._remember(span, typed2, lemma, (target.start_char, target.end_char))
            return typed2, (target.start_char, target.end_char)
        main = self._main_subject(root)
        if main is not None and root.pos_ == "PRON" and low in ("it", "they", "he", "she"):
            # "The government has sought X, as it believes ...": the main clause's subject.
            typed_main = type_source(main)
            if (low in ("he", "she")) == (typed_main.type == "person"):
                off = (main.start_char, main.end_char)
                self._remember(span, TypedSource(typed_main.type, typed.role), lemma, off)
                return TypedSource(typed_main.type, typed.role), off
        if root.pos_ == "PRON" and low in ("he", "she", "him", "her"):
            ante = self._last(lambda s: s.type in ("person",), before=span.start_char)
            if ante is None:
                ante = self._last_entity(("PERSON",), span.start_char)
            if ante is None:
                # The tagger sometimes calls a person's name ORG ("Marta Quell said");
                # "she" then points to the last short proper name cited.
                ante = self._last(lambda s: self._short_name(s.offsets), before=span.start_char)
                if ante is not None:
                    ante = _Seen(ante.offsets, "person", ante.lemma, ante.antecedent)
        elif root.pos_ == "PRON" and low in ("it", "its"):
            ante = self._last(
                lambda s: s.type in ("government", "organization", "news_outlet", "document"),
                before=span.start_char,
            )
        elif root.pos_ == "PRON" and low in ("they", "them"):
            ante = self._last(lambda s: s.type not in ("person",), before=span.start_char)
        elif _definite(root) and root.pos_ == "NOUN":
            if lemma in ("report", "statement", "study"):
                ante = self._report_owner(span)
            if ante is None:
                ante = self._last(lambda s: s.lemma == lemma, before=span.start_char)
            if ante is None and lemma in ("government", "administration", "ministry"):
                ante = self._last(lambda s: s.type == "government", before=span.start_char)
            # "the group", "the agency": left to the actor stage, which knows every
            # organisation named before, not only the ones cited as sources.
        if ante is not None:
            inherited = typed
            if typed.type in ("vague", "person", "organization") or root.pos_ == "PRON":
                inherited = TypedSource(ante.type, typed.role)
            if lemma in DOC_HEADS and typed.type == "document":
                inherited = typed  # "the report" stays a document; its owner is the actor
            target = ante.antecedent or ante.offsets
            self._remember(span, inherited, lemma, target)
            return inherited, target
        self._remember(span, typed, lemma, None)
        return typed, None

    def _main_subject(self, pron: Token) -> Span | None:
        """The noun subject of the clause a subordinate pronoun subject hangs under."""
        verb = pron.head
        if pron.dep_ not in ("nsubj", "nsubjpass") or verb.dep_ not in ("advcl", "ccomp", "conj"):
            return None
        head = verb.head
        for c in head.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN"):
                return self.doc[c.left_edge.i : c.i + 1]
        return None

    def _remember(self, span: Span, typed: TypedSource, lemma: str, ante: Offsets | None) -> None:
        self.seen.append(_Seen((span.start_char, span.end_char), typed.type, lemma, ante))

    def _last(self, pred, before: int) -> _Seen | None:
        for s in reversed(self.seen):
            if s.offsets[0] < before and pred(s):
                return s
        return None

    def _short_name(self, off: Offsets) -> bool:
        span = self.doc.char_span(off[0], off[1], alignment_mode="expand")
        return (
            span is not None
            and 2 <= len(span) <= 3
            and all(t.pos_ == "PROPN" for t in span)
            and not any(t.lemma_.lower() in ORG_HEADS | OUTLET_HEADS for t in span)
        )

    def _last_entity(self, labels: tuple[str, ...], before: int) -> _Seen | None:
        if self._ents is None:  # Doc.ents is rebuilt on each access: read it once
            self._ents = list(self.doc.ents)
        for ent in reversed(self._ents):
            if ent.end_char <= before and ent.label_ in labels:
                return _Seen((ent.start_char, ent.end_char), "person", ent.root.lemma_, None)
        return None

    def _report_owner(self, span: Span) -> _Seen | None:
        """'In a report, X Center said...' then 'the report said': the report is X's."""
        for tok in reversed(self._reports):
            if tok.idx >= span.start_char or tok.tag_ != "NN" or tok.dep_ != "pobj":
                continue
            verb = tok.head.head if tok.dep_ == "pobj" else tok.head
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    sub = list(c.subtree)
                    off = (sub[0].idx, sub[-1].idx + len(sub[-1]))
                    typed = type_source(self.doc[sub[0].i : sub[-1].i + 1])
                    return _Seen(off, typed.type, c.lemma_.lower(), None)
        return None


def _definite(tok: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)
