"""Mentions and their grouping: the candidate names of an article, joined by evidence.

``doc_mentions`` collects the candidate actor mentions of a parsed article (entities and
the proper-noun sources of its attributions); ``retype_actors`` corrects person actors
whose names end like an organisation's or an outlet's. The mention records and the
union-find below hold the grouping ``resolve_actors`` builds: alias-table entries, equal
keys, surnames, acronyms and near spellings join mentions into one actor.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..attributions.sources import ORG_HEADS, OUTLET_HEADS, type_source
from ..model.record import Actor
from ..model.spans import Offsets
from ..model.types import SOURCE_TYPES
from .aliases import AliasEntry, AliasTable
from .names import (
    FUZZY_MIN_LENGTH,
    acronym_initials,
    after_honorific,
    compact_key,
    fuzzy_ok,
    is_acronym,
    normalise_name,
)
from .roles import role_and_name

if TYPE_CHECKING:  # annotations only: the grouping needs no spaCy at import
    from spacy.tokens import Doc

    from ..attributions.extract import RawAttribution

logger = logging.getLogger(__name__)


# spaCy entity label or source-type hint -> actor type, when the alias table says nothing.
LABEL_TYPES: dict[str, str] = {
    "PERSON": "person",
    "PER": "person",
    "ORG": "organization",
    # A country or city named as an actor ("Iraq said ...") speaks through its
    # government. The caller decides which GPE mentions are actors at all.
    "GPE": "government",
    # Nationalities and groups used as actors ("the Kurds said"); loose, the caller may
    # prefer not to pass NORP mentions.
    "NORP": "organization",
    "FAC": "organization",
    **{t: t for t in SOURCE_TYPES},
}


# spaCy entity labels whose entities are candidate actor mentions (``doc_mentions``).
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}


# Last words of company names the small NER model calls persons ("Nordhavn Shipping").
_COMPANY_TEXT = """shipping holding holdings motors airlines airways industries energy systems
    partners capital insurance logistics foods pharma pharmaceuticals technologies telecom mining
    steel oil gas inc ltd corp co plc llc gmbh ag sa"""
COMPANY_NAME_WORDS = frozenset(_COMPANY_TEXT.split())
# Last words of proper names that mark a news outlet ("Harbour Gazette", "Lerin News Agency").
OUTLET_NAME_WORDS = OUTLET_HEADS | {
    "gazette", "times", "post", "herald", "tribune", "journal", "telegraph", "news", "tv",
    "observer", "guardian", "chronicle", "courier", "express", "mirror", "standard", "today",
}


@dataclass(frozen=True, slots=True)
class Mention:
    """A candidate actor mention: [start, end) of the text and a label.

    label: a spaCy entity label (PERSON, ORG, GPE, NORP...) or a source-type hint
      ("person", "organization", ...); "" when unknown. Labels that are neither
      (DATE, MONEY...) are ignored by ``resolve_actors``.
    """

    start: int
    end: int
    label: str = ""


def mentions_from_doc(
    doc: Any, labels: Iterable[str] = ("PERSON", "ORG", "GPE", "NORP")
) -> list[Mention]:
    """Mentions for the named entities of a spaCy Doc with the given labels."""
    wanted = set(labels)
    return [Mention(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in wanted]


@dataclass(slots=True)
class MentionRecord:
    """One mention while grouping: its range, name without title, key and alias entry."""

    start: int
    end: int
    label: str
    person: bool
    name: str
    key: str  # spaced normalised key of name
    entry: AliasEntry | None
    keys: list[Offsets] = field(default_factory=list)
    dropped: bool = False
    scanned: bool = False

    @property
    def compact(self) -> str:
        return compact_key(self.key)


class UnionFind:
    """Disjoint sets over 0..n-1 (``add`` grows it); the smaller index is a set's root."""

    def __init__(self, n: int = 0) -> None:
        self.parent: list[int] = list(range(n))

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


_PERSON_LABELS = frozenset({"PERSON", "PER", "person"})
_TRIM_LEFT = " \t\n\"'([{\u201c\u2018"
_TRIM_RIGHT = " \t\n\"',;:)]}\u201d\u2019"
_LEADING_THE_RE = re.compile(r"(?i)the\s+")


def trim_range(text: str, s: int, e: int) -> Offsets:
    """Cut a mention at "(" and strip quotes, brackets and a trailing possessive."""
    seg = text[s:e]
    cut = seg.find("(", 1)
    if cut > 0:
        e = s + cut
    while s < e and text[s] in _TRIM_LEFT:
        s += 1
    while e > s and text[e - 1] in _TRIM_RIGHT:
        e -= 1
    m = re.search(r"['\u2019]s$", text[s:e])
    if m and e - s > 2:
        e = s + m.start()
    return s, e


def is_person_label(label: str) -> bool:
    return label in _PERSON_LABELS


def make_record(text: str, s: int, e: int, label: str, table: AliasTable) -> MentionRecord:
    surface = text[s:e]
    person = is_person_label(label)
    if person:
        _role, name = role_and_name(surface)
        name = name or surface
    else:
        name = (
            _LEADING_THE_RE.sub("", surface, count=1) if _LEADING_THE_RE.match(surface) else surface
        )
    key = normalise_name(name)
    entry = table.lookup(name, fuzzy=not person) if key else None
    return MentionRecord(s, e, label, person, name, key, entry)


def doc_mentions(doc: Doc, raws: Sequence[RawAttribution]) -> list[Mention]:
    # A lone surname the tagger calls ORG ("Dovrek said") is the person named in full before.
    ents = list(doc.ents)  # Doc.ents (and Span.ents) rebuild the list on each access
    surnames = {e.text.split()[-1] for e in ents if e.label_ == "PERSON" and " " in e.text}
    out = [
        Mention(e.start_char, e.end_char, "PERSON" if e.text in surnames else e.label_)
        for e in ents
        if e.label_ in ENTITY_LABELS
    ]
    ent_tokens = {t.i for e in ents for t in e}
    for r in raws:
        head = doc[r.source_token] if r.source_token is not None else None
        if head is not None and head.pos_ == "PROPN" and head.i not in ent_tokens:
            # "Piotr Kowalsky, a coach from Kessa, said": the NER saw only Kessa, but the
            # speaker is the proper noun heading the source.
            first = head.i
            while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].head.i == head.i:
                first -= 1
            span = doc[first : head.i + 1]
            typed = type_source(span).type
            if typed in ("person", "organization", "government", "news_outlet"):
                out.append(Mention(span.start_char, span.end_char,
                                   "PERSON" if typed == "person" else typed))
        for off in ([r.source] if r.source else []) + list(r.relayed_by):
            span = doc.char_span(off[0], off[1], alignment_mode="expand")
            if span is None:
                continue
            has_ent = any(t.ent_type_ in ENTITY_LABELS for t in span)
            typed = type_source(span).type
            # Only sources that name someone become actors: "an unnamed source" or "the
            # group" are not names (a back-reference takes its antecedent's actor).
            if (
                not has_ent
                and typed not in ("anonymous", "vague", "article", "document")
                and any(t.pos_ == "PROPN" for t in span)
            ):
                out.append(Mention(off[0], off[1], typed))
    return out


def retype_actors(actors: Sequence[Actor]) -> list[Actor]:
    """A 'person' whose name ends in Center, Agency, Group... is an organisation."""
    out = []
    for a in actors:
        last = a.name.split()[-1].lower() if a.name.split() else ""
        if a.type in ("person", "organization") and last in OUTLET_NAME_WORDS:
            a = replace(a, type="news_outlet")
        elif a.type == "person" and (last in ORG_HEADS or last in COMPANY_NAME_WORDS):
            a = replace(a, type="organization")
        out.append(a)
    return out


def group_of(recs: list[MentionRecord], uf: UnionFind) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(recs):
        if not r.dropped:
            groups[uf.find(i)].append(i)
    return groups


def join_surnames(text: str, recs: list[MentionRecord], live: list[int], uf: UnionFind) -> None:
    by_surname: dict[str, set[int]] = defaultdict(set)
    for i in live:
        r = recs[i]
        toks = r.key.split()
        if r.person and len(toks) > 1:
            by_surname[toks[-1]].add(i)
    for i in live:
        r = recs[i]
        toks = r.key.split()
        if len(toks) != 1 or r.entry is not None:
            continue
        if not (r.person or after_honorific(text, r.start)):
            continue
        cands = by_surname.get(toks[0], set())
        roots = {uf.find(j) for j in cands}
        if len(roots) == 1:
            uf.union(i, next(iter(cands)))
        elif len(roots) > 1:
            logger.debug("surname %r is ambiguous (%d persons)", r.name, len(roots))


def join_acronyms(recs: list[MentionRecord], live: list[int], uf: UnionFind) -> None:
    by_initials: dict[str, set[int]] = defaultdict(set)
    for i in live:
        r = recs[i]
        if not r.person and len(r.name.split()) > 1:
            ini = acronym_initials(r.name)
            if len(ini) >= 2:
                by_initials[ini].add(i)
    for i in live:
        r = recs[i]
        if r.person or r.entry is not None or not is_acronym(r.name):
            continue
        cands = by_initials.get("".join(c.lower() for c in r.name if c.isalnum()), set())
        roots = {uf.find(j) for j in cands}
        if len(roots) == 1:
            uf.union(i, next(iter(cands)))


def join_fuzzy(recs: list[MentionRecord], live: list[int], uf: UnionFind) -> None:
    first_of_key: dict[str, int] = {}
    for i in live:
        r = recs[i]
        if not r.person and len(r.compact) >= FUZZY_MIN_LENGTH:
            first_of_key.setdefault(r.key, i)  # equal keys are already joined
    orgs = list(first_of_key.values())
    entries: dict[int, set[str]] = defaultdict(set)
    for i in live:
        if recs[i].entry is not None:
            entries[uf.find(i)].add(recs[i].entry.name)
    for n, i in enumerate(orgs):
        for j in orgs[n + 1 :]:
            ri, rj = uf.find(i), uf.find(j)
            if ri == rj:
                continue
            if entries[ri] and entries[rj] and not entries[ri] & entries[rj]:
                continue  # two different alias-table actors
            if fuzzy_ok(recs[i].key, recs[j].key):
                logger.debug("actors %r and %r joined by near spelling", recs[i].name, recs[j].name)
                uf.union(i, j)
                merged = entries.pop(ri, set()) | entries.pop(rj, set())
                entries[uf.find(i)] = merged
