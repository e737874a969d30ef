"""Labels: loaded words ("terrorist", "regime", "cult") applied to actors, and whose voice.

``find_labels`` finds a lexicon term (``data/labels.yaml``) that modifies or heads a noun
phrase referring to an actor, in three ways, tried in this order:

(a) **attributive**: the term sits before an actor mention inside one noun phrase:
    "the terrorist Foo Organization", "the so-called Foo State", "dictator Foo Bar".
(c) **predicative**: the noun phrase (or the adjective) is said of an actor subject:
    "Foo is a terrorist organization", "Foo has been blacklisted as a terrorist group",
    "Foo, a militant group, ...", "the West calls Foo a terrorist outfit".
(b) **description**: term + generic head noun ("the terrorist group", "the regime",
    "the terrorists"). Its actor is, in order: an actor mention among the head's
    modifiers ("the Foo regime", "Foo's terror wing"); the object of "of" ("the regime
    of Foo"); for a definite description (the/this/that/these/those) the **nearest
    actor mention before it whose type fits** (organisation for "group", "cell",
    "outfit"...; government for "regime", "junta"...; see ``refers_to`` in the
    lexicon). An indefinite description ("terrorist groups in the region") gives a Label
    with ``actor=None``.

A term that modifies anything else ("terror attacks", "criminal investigation") is not a
label. A capitalised term inside a name ("Terrorist Screening Center") is skipped.

Label.mention is the whole noun phrase ("the terrorist group", "the terrorist Foo
Organization", "a terrorist organization"; for a predicative adjective the adjective),
and Label.label the lexicon term (lemma: "terrorist" for "terrorists"); the category
is ``LabelLexicon.category(label)``. voice is "attributed" when the term lies inside
attributed content (the innermost attribution's id goes in ``attribution``), else
"writer".
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .model.errors import ConfigError
from .model.record import Label
from .model.spans import Offsets, TextSpan, excluded_ranges

__all__ = ["LabelLexicon", "count_labels", "find_labels"]

logger = logging.getLogger(__name__)

_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# How far back a label modifier may sit from its head noun's left edge (tokens); a left
# edge further away means a parse that spans more than one noun phrase.
_MAX_NP_LEFT = 8
# spaCy entity labels an actor type accepts when no actor_types are given. "" (a token
# with no entity label, e.g. an alias found by resolve_actors' text scan) fits all.
_ENT_FITS: dict[str, frozenset[str]] = {
    "organization": frozenset({"ORG", ""}),
    "government": frozenset({"GPE", "ORG", "NORP", ""}),
    "person": frozenset({"PERSON", ""}),
}
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "advmod", "npadvmod", "nummod"})
_PREDICATE_DEPS = frozenset({"attr", "acomp", "oprd"})
_RELATIVE_PRONOUNS = frozenset({"which", "who", "that"})


# --------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------


# eq=False: compared and hashed by identity, so the compiled matcher can be cached.
@dataclass(frozen=True, slots=True, eq=False)
class LabelLexicon:
    """Loaded terms by category, generic head nouns, and what descriptions refer to.

    categories: category -> terms. heads: generic head nouns ("group", "cell").
    refers_to: term or head -> actor type a description resolves to (default
      organization).
    """

    categories: Mapping[str, tuple[str, ...]]
    heads: frozenset[str]
    refers_to: Mapping[str, str]

    @classmethod
    def builtin(cls) -> LabelLexicon:
        """The lexicon shipped in ``sourcetrace/data/labels.yaml``."""
        return _builtin_lexicon()

    @classmethod
    def from_file(cls, path: str | Path) -> LabelLexicon:
        """Read a lexicon file in the format of ``data/labels.yaml``.

        RAISES ConfigError: "<path>: <reason>" when it cannot be used.
        """
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8 text") from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
        return cls.from_yaml(text, str(path))

    @classmethod
    def from_yaml(cls, text: str, path: str = "<labels>") -> LabelLexicon:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise ConfigError(" ".join(f"{path}: invalid YAML{where}: {problem}".split())) from None
        if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
            raise ConfigError(f"{path}: expected a mapping with 'categories'")
        categories: dict[str, tuple[str, ...]] = {}
        seen: dict[str, str] = {}
        for name, body in data["categories"].items():
            terms = body.get("terms") if isinstance(body, dict) else body
            if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                raise ConfigError(f"{path}: category {name!r}: 'terms' must be a list of strings")
            clean = tuple(dict.fromkeys(t.strip().lower() for t in terms if t.strip()))
            for term in clean:
                if term in seen:
                    raise ConfigError(
                        f"{path}: term {term!r} is in both {seen[term]!r} and {name!r}"
                    )
                seen[term] = str(name)
            categories[str(name)] = clean
        heads = data.get("heads") or []
        if not isinstance(heads, list) or not all(isinstance(h, str) for h in heads):
            raise ConfigError(f"{path}: 'heads' must be a list of strings")
        refers_to: dict[str, str] = {}
        for type_, words in (data.get("refers_to") or {}).items():
            if not isinstance(words, list):
                raise ConfigError(f"{path}: refers_to {type_!r} must be a list of words")
            for w in words:
                refers_to[str(w).lower()] = str(type_)
        return cls(categories, frozenset(h.lower() for h in heads), refers_to)

    def category(self, term: str) -> str | None:
        """The category of a term ("terrorist" -> "terrorism"), or None."""
        return self._term_category().get(term.lower())

    def _term_category(self) -> dict[str, str]:
        return {t: c for c, terms in self.categories.items() for t in terms}

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(t for terms in self.categories.values() for t in terms)


@lru_cache(maxsize=1)
def _builtin_lexicon() -> LabelLexicon:
    resource = resources.files("sourcetrace") / "data" / "labels.yaml"
    return LabelLexicon.from_yaml(
        resource.read_text(encoding="utf-8"), "sourcetrace/data/labels.yaml"
    )


def _plural(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(?:s|sh|ch|x|z)$", word):
        return word + "es"
    return word + "s"


def _term_key(s: str) -> str:
    return re.sub(r"[\s\-\u2010\u2011]", "", s.lower())


@lru_cache(maxsize=8)
def _term_matcher(lexicon: LabelLexicon) -> tuple[re.Pattern[str], dict[str, str]]:
    """A regex for every term and plural, and compact surface -> term."""
    forms: dict[str, str] = {}
    alts: list[str] = []
    for term in sorted(lexicon.terms, key=len, reverse=True):
        words = term.split()
        for form in {term, " ".join([*words[:-1], _plural(words[-1])])}:
            forms.setdefault(_term_key(form), term)
            parts = [re.escape(p) for p in re.split(r"[\s\-]+", form)]
            alts.append(r"[\s\-\u2010\u2011]?".join(parts))
    alts.sort(key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w\-\u2010\u2011])(?:" + "|".join(alts) + r")(?![\w]|[\-\u2010\u2011]\w)",
        re.IGNORECASE,
    )
    return pattern, forms


# --------------------------------------------------------------------------------------
# Finding labels
# --------------------------------------------------------------------------------------


class _Finder:
    """One document's label search (caches actor lookups per token)."""

    def __init__(
        self,
        doc: Any,
        actor_of: Callable[[int, int], str | None],
        actor_types: Mapping[str, str] | None,
        lexicon: LabelLexicon,
    ) -> None:
        self.doc = doc
        self._actor_of = actor_of
        self.actor_types = actor_types
        self.lexicon = lexicon
        self._cache: dict[int, str | None] = {}

    def actor(self, tok: Any) -> str | None:
        i = tok.i
        if i not in self._cache:
            self._cache[i] = (
                None
                if tok.is_punct or tok.is_space
                else self._actor_of(tok.idx, tok.idx + len(tok))
            )
        return self._cache[i]

    def fits(self, tok: Any, aid: str, wanted: str) -> bool:
        """Whether the actor mentioned at ``tok`` can be what a description refers to."""
        if self.actor_types is not None and aid in self.actor_types:
            # Nationality adjectives ("Shiite", "Iraqi") are not antecedents of "the group".
            adjectival = tok.ent_type_ == "NORP" and tok.pos_ != "PROPN"
            return self.actor_types[aid] == wanted and not adjectival
        return tok.ent_type_ in _ENT_FITS.get(wanted, frozenset({""}))

    # -- structure -----------------------------------------------------------------------

    @staticmethod
    def head_noun(t: Any) -> Any:
        """The noun the term modifies, or the term itself when it heads its phrase."""
        tok = t
        while tok.dep_ == "conj" and tok.head.i < tok.i:
            tok = tok.head  # "extremist and terrorist groups"
        if tok is not t and tok.dep_ not in _MODIFIER_DEPS:
            tok = t
        if tok.dep_ in _MODIFIER_DEPS and tok.head.i > tok.i:
            h = tok.head
            while h.dep_ == "compound" and h.head.i > h.i:
                h = h.head
            return h
        if tok.dep_ == "punct" and tok.head.i > tok.i:  # "so - called": walk to "called"
            return _Finder.head_noun(tok.head)
        return tok

    def adjacent_actor(self, first: Any, t: Any, h: Any) -> tuple[str, int] | None:
        """(a) An actor mention between the term and its head (or just after the head)."""
        doc = self.doc
        stop = h.i if h.i > t.i else t.i
        for j in range(t.i + 1, stop + 1):
            aid = self.actor(doc[j])
            if aid is not None:
                return aid, j
        # "the terror group Foo": the name right after the head, attached to it.
        nxt = stop + 1
        if nxt < len(doc) and (doc[nxt].head.i == h.i or h.head.i == nxt):
            aid = self.actor(doc[nxt])
            if aid is not None and doc[nxt].pos_ == "PROPN":
                return aid, nxt
        return None

    def subject_actor(self, p: Any) -> str | None:
        """(c) The actor the phrase headed by ``p`` is predicated of, if any."""
        subj = None
        if p.dep_ in _PREDICATE_DEPS:
            verb = p.head
            want = ("dobj",) if p.dep_ == "oprd" else ("nsubj", "nsubjpass")
            subj = _child(verb, want)
            if subj is not None and subj.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                subj = verb.head
        elif p.dep_ == "pobj" and p.head.lower_ == "as":
            verb = p.head.head
            subj = _child(verb, ("dobj",)) or _child(verb, ("nsubjpass", "nsubj"))
        elif p.dep_ == "appos":
            subj = p.head
        else:
            appos = _child(p, ("appos",))
            if appos is not None:
                subj = appos
        if subj is None:
            return None
        return self.actor_in(subj)

    def actor_in(self, tok: Any) -> str | None:
        aid = self.actor(tok)
        if aid is not None:
            return aid
        for c in tok.children:
            if c.dep_ in ("compound", "poss", "appos") or (c.i < tok.i and c.pos_ == "PROPN"):
                aid = self.actor(c)
                if aid is not None:
                    return aid
        return None

    def description_actor(
        self, h: Any, t: Any, term: str, np_start: int
    ) -> tuple[bool, str | None]:
        """(b) (is a description, actor) for term + generic head, or the term as head."""
        lex = self.lexicon
        head_word = h.lower_
        head_lemma = h.lemma_.lower()
        term_is_head = h.i == t.i and h.pos_ in ("NOUN", "PROPN")
        if not (term_is_head or {head_word, head_lemma} & lex.heads):
            return False, None
        wanted = (
            lex.refers_to.get(head_lemma)
            or lex.refers_to.get(head_word)
            or lex.refers_to.get(term)
            or "organization"
        )
        mods = [
            c for c in h.children if c.dep_ in ("compound", "amod", "poss", "nmod") and c.i != t.i
        ]
        mod_actors = [(c, aid) for c in mods if (aid := self.actor_in(c)) is not None]
        for c, aid in mod_actors:
            if self.fits(c, aid, wanted):
                return True, aid  # "the Foo regime", "Foo's terror wing"
        of = next((c for c in h.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = _child(of, ("pobj",)) if of is not None else None
        if pobj is not None:
            aid = self.actor_in(pobj)
            if aid is not None:
                return True, aid  # "the regime of Foo"
        if mod_actors:
            return True, mod_actors[0][1]
        det = next((c for c in h.lefts if c.dep_ in ("det", "predet")), None)
        if det is None or det.lower_ not in _DEFINITE:
            return True, None
        return True, self.preceding_actor(np_start, wanted)

    def preceding_actor(self, before: int, wanted: str) -> str | None:
        """Nearest actor mention before token ``before`` whose type is ``wanted``."""
        for j in range(before - 1, -1, -1):
            tok = self.doc[j]
            aid = self.actor(tok)
            if aid is not None and self.fits(tok, aid, wanted):
                return aid
        return None

    def find(self, s: int, e: int, term: str) -> tuple[str | None, Offsets] | None:
        """(actor, NP character range) for the term at [s, e), or None if no label."""
        doc = self.doc
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or not len(span):
            return None
        first, t = span[0], span[-1]
        if first.is_title and first.ent_type_:
            return None  # part of a proper name ("Terrorist Screening Center")
        h = self.head_noun(t)
        if h.i < t.i:
            h = t
        np_start = _np_start(first, h)
        # (a) an actor mention inside the noun phrase
        hit = self.adjacent_actor(first, t, h)
        if hit is not None:
            aid, j = hit
            end = j
            while end + 1 < len(doc) and self.actor(doc[end + 1]) == aid:
                end += 1
            end = max(end, h.i)
            return aid, (doc[np_start].idx, doc[end].idx + len(doc[end]))
        np_range = (doc[np_start].idx, h.idx + len(h))
        # (c) said of an actor
        aid = self.subject_actor(h)
        if aid is not None:
            return aid, np_range
        # (b) a description: term + generic head, or the term as head
        is_desc, aid = self.description_actor(h, t, term, np_start)
        if is_desc:
            return aid, np_range
        # The term inside a mention the caller resolved ("the terrorist group" as a source)
        own = self.actor(t)
        if own is not None:
            return own, np_range
        return None


def _child(tok: Any, deps: Sequence[str]) -> Any:
    for dep in deps:
        for c in tok.children:
            if c.dep_ == dep:
                return c
    return None


def _np_start(first: Any, h: Any) -> int:
    """Start token of the noun phrase: the head's left edge, if near the term."""
    start = first.i
    if h.i >= first.i:
        left = h.left_edge.i
        if first.i - _MAX_NP_LEFT <= left < start:
            start = left
    return start


def find_labels(
    doc: Any,
    actor_of: Callable[[int, int], str | None],
    attributed: Iterable[tuple[str, Sequence[Offsets]]] = (),
    *,
    excluded: Iterable[Any] = (),
    actor_types: Mapping[str, str] | None = None,
    lexicon: LabelLexicon | None = None,
) -> list[Label]:
    """Find loaded labels applied to actors (see the module docstring for the rules).

    doc (Doc): spaCy Doc of the article text (parsed; entities help when no
      ``actor_types`` are given).
    actor_of (Callable[[int, int], str | None]): actor id whose mention covers or
      overlaps a character range (``actors.actor_lookup(mapping)`` builds one).
    attributed (Iterable[tuple[str, Sequence[Offsets]]]): (attribution id, content
      ranges) pairs.
    excluded (Iterable): (start, end) tuples or objects with .start/.end to skip.
    actor_types (Mapping[str, str] | None): actor id -> type, used to resolve
      descriptions to an organisation or a government. Defaults to spaCy entity labels.
    lexicon (LabelLexicon | None): defaults to the built-in lexicon.
    RETURNS (list[Label]): labels in text order, one per term occurrence.
    """
    lexicon = lexicon or LabelLexicon.builtin()
    pattern, forms = _term_matcher(lexicon)
    excl = excluded_ranges(excluded)
    contents = [(aid, tuple((int(s), int(e)) for s, e in spans)) for aid, spans in attributed]
    finder = _Finder(doc, actor_of, actor_types, lexicon)
    text = doc.text
    labels: list[Label] = []
    for m in pattern.finditer(text):
        s, e = m.span()
        if any(s < xe and xs < e for xs, xe in excl):
            continue
        term = forms.get(_term_key(m.group()))
        if term is None:
            continue
        found = finder.find(s, e, term)
        if found is None:
            continue
        aid, (ns, ne) = found
        attribution = _innermost(contents, s, e)
        labels.append(
            Label(
                mention=TextSpan(text[ns:ne], ((ns, ne),)),
                label=term,
                actor=aid,
                voice="attributed" if attribution else "writer",
                attribution=attribution,
            )
        )
        logger.debug("label %r -> %s at %d (%s)", term, aid, s, labels[-1].voice)
    return labels


def _innermost(contents: list[tuple[str, tuple[Offsets, ...]]], s: int, e: int) -> str | None:
    best: tuple[int, str] | None = None
    for aid, spans in contents:
        for cs, ce in spans:
            if cs <= s and e <= ce and (best is None or ce - cs < best[0]):
                best = (ce - cs, aid)
    return best[1] if best else None


def count_labels(
    labels: Iterable[Label], *, unresolved: str | None = None
) -> dict[str, dict[str, dict[str, int]]]:
    """Counts per actor, voice and label: ``{"a1": {"writer": {"terrorist": 2}}}``.

    labels (Iterable[Label]): found labels.
    unresolved (str | None): key to count labels with no actor under; they are left out
      when None. Defaults to None.
    RETURNS (dict): actor id -> voice -> label -> count (plain dicts, sorted keys).
    """
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for lb in labels:
        key = lb.actor if lb.actor is not None else unresolved
        if key is None:
            continue
        per = counts[key][lb.voice]
        per[lb.label] = per.get(lb.label, 0) + 1
    return {
        a: {v: dict(sorted(c.items())) for v, c in sorted(by_voice.items())}
        for a, by_voice in sorted(counts.items())
    }
