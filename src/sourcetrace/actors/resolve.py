"""Resolving mentions into actors: ``resolve_actors`` groups an article's mentions.

The driver: it records every mention, adds the aliases the text defines, joins the
records by the evidence in ``mentions`` (alias table, equal keys, surnames, acronyms, near
spellings), scans the text for further occurrences of every known surface, and builds
the ``Actor`` records. ``actor_lookup`` maps a character range back to its actor.
"""

from __future__ import annotations

import bisect
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..model.record import Actor
from ..model.spans import Offsets, TextSpan, excluded_ranges, meets
from .aliases import DEFAULT_TYPE, AliasTable
from .defined import find_defined_aliases
from .mentions import (
    LABEL_TYPES,
    Mention,
    MentionRecord,
    UnionFind,
    group_of,
    is_person_label,
    join_acronyms,
    join_fuzzy,
    join_surnames,
    make_record,
    trim_range,
)
from .names import ARTICLE_WORD_RE, compact_key, dedupe, is_acronym, secondary_key, strip_particle
from .roles import TITLE_WORDS, title_key


def resolve_actors(
    text: str,
    mentions: Iterable[Mention],
    aliases: AliasTable,
    *,
    excluded: Iterable[Any] = (),
) -> tuple[list[Actor], dict[Offsets, str]]:
    """Group mentions into actors.

    Mentions join one actor when (in this order):
      1. they resolve to the same alias-table entry;
      2. the text defines one as an alias of the other (``find_defined_aliases``);
      3. their normalised names are equal (transliteration folded; for organisations
         also with generic trailing words dropped); persons are compared by name
         without title ("Prime Minister Nouri al-Maliki" == "Nouri al-Maliki");
      4. a one-word person name equals the last word of exactly one multi-word person
         name ("Maliki", "Mr. Maliki" -> "Nouri al-Maliki"); ambiguous ones stay apart;
      5. an all-caps acronym equals the initials of exactly one organisation's name;
      6. (organisations only) their keys are near spellings (``FUZZY_MIN_SCORE``),
         unless they belong to two different alias-table entries.
    Then every known surface of each actor (its mentions, its alias-table aliases, the
    defined aliases, and for persons an unambiguous surname) is searched in the text
    (whole words, case-sensitive) and new occurrences become mentions too.

    Canonical name: the alias-table name, else the longest name mentioned (titles and a
    leading "the" removed; acronyms only if nothing else). Type: from the table, else the
    commonest LABEL_TYPES value of the mentions' labels ("organization" by default).
    Ids "a1", "a2"... follow the first mention. Mentions overlapping ``excluded`` ranges
    are ignored, and so are mentions strictly inside a defined full name ("Xandaria" in
    "Front for the Liberation of Xandaria (FLX)").

    text (str): the article text.
    mentions (Iterable[Mention]): candidate mentions (entities, source mentions).
    aliases (AliasTable): the alias table.
    excluded (Iterable): (start, end) tuples or objects with .start/.end to skip.
    RETURNS (tuple[list[Actor], dict[Offsets, str]]): the actors, and the actor id of
      every mention range (as given, as trimmed, and those found by the text scan).
    """
    excl = excluded_ranges(excluded)
    uf = UnionFind()
    recs: list[MentionRecord] = []
    by_range: dict[Offsets, int] = {}

    def ensure(s: int, e: int, label: str, orig: Offsets | None = None) -> int | None:
        ts, te = trim_range(text, s, e)
        if te <= ts or not text[ts:te].strip():
            return None
        idx = by_range.get((ts, te))
        if idx is None:
            rec = make_record(text, ts, te, label, aliases)
            if not rec.key:
                return None
            recs.append(rec)
            idx = uf.add()
            by_range[(ts, te)] = idx
        elif label and not recs[idx].label:
            fresh = make_record(text, ts, te, label, aliases)
            fresh.keys, fresh.dropped = recs[idx].keys, recs[idx].dropped
            recs[idx] = fresh
        rec = recs[idx]
        for key in (orig, (ts, te)):
            if key is not None and key not in rec.keys:
                rec.keys.append(key)
        return idx

    for m in mentions:
        label = m.label or ""
        if label and label not in LABEL_TYPES:
            continue
        if m.end <= m.start or meets(m.start, m.end, excl):
            continue
        if not is_person_label(label) and title_key(text[m.start : m.end]) in TITLE_WORDS:
            continue  # a stray title word tagged as an entity ("Interior" Minister)
        ensure(m.start, m.end, label, (m.start, m.end))

    # 2. Definitions in the text.
    defined_surfaces: dict[int, list[str]] = defaultdict(list)
    for (a_s, a_e), (f_s, f_e) in find_defined_aliases(text):
        if meets(min(a_s, f_s), max(a_e, f_e), excl):
            continue
        overlapping = [
            i
            for i, r in enumerate(recs)
            if r.start < f_e and f_s < r.end and (r.start, r.end) != (f_s, f_e)
        ]
        label = next((recs[i].label for i in overlapping if recs[i].label), "ORG")
        fi = ensure(f_s, f_e, label)
        ai = ensure(a_s, a_e, recs[fi].label if fi is not None else label)
        if fi is None or ai is None:
            continue
        uf.union(fi, ai)
        defined_surfaces[fi].append(text[a_s:a_e])
        for i in overlapping:
            r = recs[i]
            inter = min(r.end, f_e) - max(r.start, f_s)
            if inter * 2 >= max(r.end - r.start, f_e - f_s):
                uf.union(fi, i)
            elif f_s <= r.start and r.end <= f_e:
                r.dropped = True  # a word inside the defined name, not an actor

    live = [i for i, r in enumerate(recs) if not r.dropped]

    # 1. Alias-table entries.
    first_of_entry: dict[str, int] = {}
    for i in live:
        entry = recs[i].entry
        if entry is not None:
            j = first_of_entry.setdefault(entry.name, i)
            uf.union(i, j)

    # 3. Equal keys.
    first_of_key: dict[tuple[bool, str], int] = {}
    for i in live:
        r = recs[i]
        keys = {r.compact}
        if not r.person:
            sk = compact_key(secondary_key(r.key))
            if len(sk) >= 4:
                keys.add(sk)
        for k in keys:
            j = first_of_key.setdefault((r.person, k), i)
            uf.union(i, j)

    # 4. Person surnames.
    join_surnames(text, recs, live, uf)

    # 5. Acronyms of organisation names.
    join_acronyms(recs, live, uf)

    # 6. Near spellings of organisation names.
    join_fuzzy(recs, live, uf)

    # Scan the text for every known surface of each actor.
    _scan_surfaces(text, recs, uf, excl, defined_surfaces, ensure)

    return _build_actors(text, recs, uf)


def _surface_regex(surface: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(p) for p in surface.split())
    return re.compile(rf"(?<![\w\-]){body}(?![\w]|-\w)")


class _RecIndex:
    """Mention records sorted by start: overlap queries read a window, not every record."""

    def __init__(self, recs: list[MentionRecord]) -> None:
        self.recs = recs
        self.keys: list[tuple[int, int]] = sorted((r.start, k) for k, r in enumerate(recs))
        self.longest = max((r.end - r.start for r in recs), default=0)
        self.known = {k for _s, k in self.keys}

    def add(self, k: int) -> None:
        if k in self.known:
            return
        r = self.recs[k]
        bisect.insort(self.keys, (r.start, k))
        self.longest = max(self.longest, r.end - r.start)
        self.known.add(k)

    def overlapping(self, s: int, e: int) -> list[int]:
        lo = bisect.bisect_left(self.keys, (s - self.longest, -1))
        hi = bisect.bisect_left(self.keys, (e, -1))
        out = []
        for _start, k in self.keys[lo:hi]:
            r = self.recs[k]
            if not r.dropped and r.start < e and s < r.end:
                out.append(k)
        return sorted(out)


def _scan_surfaces(
    text: str,
    recs: list[MentionRecord],
    uf: UnionFind,
    excl: list[Offsets],
    defined: dict[int, list[str]],
    ensure: Callable[..., int | None],
) -> None:
    groups = group_of(recs, uf)
    # Surnames shared by two person actors are not searched.
    surname_owner: dict[str, set[int]] = defaultdict(set)
    for root, members in groups.items():
        for i in members:
            r = recs[i]
            if r.person and len(r.name.split()) > 1:
                surname_owner[strip_particle(r.name.split()[-1])].add(root)
    jobs: list[tuple[str, int, bool]] = []  # (surface, root, one-word person name)
    for root, members in groups.items():
        surfaces: set[str] = set()
        for i in members:
            r = recs[i]
            surfaces.add(r.name)
            surfaces.update(defined.get(i, ()))
            if r.entry is not None:
                surfaces.update(r.entry.surfaces)
        person = any(recs[i].person for i in members)
        for s in surfaces:
            s = s.strip()
            # Only names are searched: "the source", "a doctor" are not.
            if s[:1].isupper() or s[:1].isdigit() or ARTICLE_WORD_RE.match(s):
                jobs.append((s, root, person and len(s.split()) == 1))
        if person:
            for i in members:
                parts = recs[i].name.split()
                if len(parts) > 1:
                    sur = strip_particle(parts[-1])
                    if len(sur) >= 3 and surname_owner.get(sur) == {root}:
                        jobs.append((sur, root, True))
    jobs.sort(key=lambda j: -len(j[0]))
    index = _RecIndex(recs)
    for surface, root, one_word_person in jobs:
        for m in _surface_regex(surface).finditer(text):
            s, e = m.span()
            if meets(s, e, excl):
                continue
            if one_word_person and _inside_longer_name(text, s, e):
                continue
            inside = index.overlapping(s, e)
            if any(
                (recs[k].start, recs[k].end) == (s, e)
                or not (s <= recs[k].start and recs[k].end <= e)
                for k in inside
            ):
                continue  # already a mention, or crosses / lies inside another mention
            label = recs[root].label or ("PERSON" if recs[root].person else "ORG")
            idx = ensure(s, e, label, (s, e))
            if idx is None:
                continue
            recs[idx].scanned = True
            index.add(idx)
            uf.union(root, idx)
            # Mentions inside the hit ("Khalq" in "Mujahedin-e Khalq"): a lone one joins
            # the actor; one that belongs to another actor was a word of this name.
            for k in inside:
                rk = uf.find(k)
                if rk == uf.find(root):
                    continue
                if sum(1 for j, r in enumerate(recs) if not r.dropped and uf.find(j) == rk) == 1:
                    uf.union(root, k)
                else:
                    recs[k].dropped = True


# Capitalised words that open sentences rather than names ("Later Hill said").
_SENTENCE_OPENERS_TEXT = """
    a an the and but or so yet then later earlier meanwhile however also still now today
    yesterday tomorrow when while after before since as if though although because once
    instead asked speaking last next this that these those there here in on at for with
    by from to of what why how where who whom whose which both either neither nor only
"""
_SENTENCE_OPENERS = frozenset(_SENTENCE_OPENERS_TEXT.split())


def _inside_longer_name(text: str, s: int, e: int) -> bool:
    """True when a surname hit is part of a longer proper name ("Capitol Hill")."""
    before = re.search(r"(\S+)[ \t]+$", text[max(0, s - 40) : s])
    if before:
        w = before.group(1)
        if (
            w[:1].isupper()
            and w[-1] not in ".,;:!?\"'\u201d"
            and title_key(w) not in TITLE_WORDS
            and title_key(w) not in _SENTENCE_OPENERS
        ):
            return True
        if w[:1].isupper() and w.endswith(".") and title_key(w) in TITLE_WORDS:
            return False
    after = re.match(r"[ \t]+([A-Z]\w*)", text[e : e + 40])
    return bool(after)


def _build_actors(
    text: str, recs: list[MentionRecord], uf: UnionFind
) -> tuple[list[Actor], dict[Offsets, str]]:
    groups = group_of(recs, uf)
    ordered = sorted(groups.values(), key=lambda ms: min(recs[i].start for i in ms))
    actors: list[Actor] = []
    mapping: dict[Offsets, str] = {}
    for n, members in enumerate(ordered, 1):
        aid = f"a{n}"
        members.sort(key=lambda i: (recs[i].start, -recs[i].end))
        entry = next((recs[i].entry for i in members if recs[i].entry is not None), None)
        if entry is not None:
            name, type_ = entry.name, entry.type
        else:
            name = _canonical_name([recs[i] for i in members])
            type_ = _actor_type([recs[i] for i in members])
        ranges = sorted({(recs[i].start, recs[i].end) for i in members})
        kept = [
            (s, e)
            for s, e in ranges
            if not any(os <= s and e <= oe and (os, oe) != (s, e) for os, oe in ranges)
        ]
        spans = tuple(TextSpan(text[s:e], ((s, e),)) for s, e in kept)
        kept_set = set(kept)
        aliases = dedupe(recs[i].name for i in members if (recs[i].start, recs[i].end) in kept_set)
        actors.append(Actor(aid, name, type_, aliases, spans))
        for i in members:
            for key in recs[i].keys:
                mapping[key] = aid
    return actors, mapping


def _canonical_name(members: list[MentionRecord]) -> str:
    names = [r.name for r in members if not is_acronym(r.name)] or [r.name for r in members]
    return max(names, key=len)  # max keeps the first of equal lengths


def _actor_type(members: list[MentionRecord]) -> str:
    """The commonest type of the mentions' labels (the earliest wins a tie)."""
    counts = Counter(LABEL_TYPES[r.label] for r in members if r.label in LABEL_TYPES)
    return counts.most_common(1)[0][0] if counts else DEFAULT_TYPE


def actor_lookup(mapping: Mapping[Offsets, str]) -> Callable[[int, int], str | None]:
    """``actor_of(start, end)`` for ``find_labels``: the actor whose mention covers or
    overlaps [start, end); the smallest covering mention wins, then the largest overlap.
    """
    items = sorted((s, e, aid) for (s, e), aid in mapping.items())
    starts = [s for s, _, _ in items]
    longest = max((e - s for s, e, _ in items), default=0)

    def actor_of(start: int, end: int) -> str | None:
        best: tuple[int, int] | None = None
        found: str | None = None
        # only mentions starting within `longest` before `start` can reach it
        for k in range(bisect_left(starts, start - longest), bisect_left(starts, end)):
            s, e, aid = items[k]
            if e <= start:
                continue
            covers = s <= start and end <= e
            score = (0 if covers else 1, (e - s) if covers else -(min(e, end) - max(s, start)))
            if best is None or score < best:
                best, found = score, aid
        return found

    return actor_of
