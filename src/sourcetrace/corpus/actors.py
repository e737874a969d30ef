"""Actors across articles: one corpus actor for every name it goes by, with evidence.

Each article already grouped its own mentions into actors (``sourcetrace.actors``).
Article actors with one description (name, type, every surface, whether it speaks) are
one node, so memory follows the corpus's distinct names rather than its size; a bare
surname stays one node per article. Nodes are joined by union-find, in order of the
strength of the evidence:

1. user alias files (``--aliases``): entries force merges, ``forbid`` groups keep names apart;
2. the alias table (built-in plus user files): surfaces that look up to one entry;
3. the same name: the same normalised key (transliteration folding, ``MKO``/``M.K.O.``);
   an article that defines "MKO" as an alias of a full name ties both keys everywhere;
4. near spellings (rapidfuzz, same thresholds as within an article), blocked by key
   prefix and suffix so the cost stays near-linear;
5. a bare surname ("Dovrek") joins the one full-name person with that surname, and
   only when there is exactly one.

Every union is checked first: two persons with one surname but different first names
(after folding) are never joined, nor names a user ``forbid`` group keeps apart. Each
accepted union leaves an ``actor_evidence`` row: which article (or file) said so; each
further article using a node's exact description leaves a ``same_name`` row.

User alias file (YAML): either the list format of ``sourcetrace.actors.aliases`` (force merges),
or a mapping::

    merge:                          # same entries as the list format
      - name: Front for the Liberation of Xandaria
        aliases: [FLX, Xandar Front]
    forbid:                         # names that must stay different actors
      - [Karim Haddad, Karim Hadad]
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa
from rapidfuzz import fuzz, process

from ..actors import (
    FUZZY_MIN_LENGTH,
    FUZZY_MIN_SCORE,
    TITLE_WORDS,
    AliasEntry,
    AliasTable,
    UnionFind,
    find_defined_aliases,
    fuzzy_score,
    load_yaml,
    normalise_name,
    parse_entries,
    role_and_name,
)
from ..attributions.sources import ORG_HEADS
from ..model.errors import ConfigError
from .db import insert_rows, join_stepwise, one_thread, run_in_slices

logger = logging.getLogger(__name__)

# Largest block of keys compared pairwise by near spelling; bigger blocks (very common
# prefixes) are skipped rather than making the cost quadratic.
MAX_FUZZY_BLOCK = 150
# Article actors read per fetch, and articles per range (their texts held at once) when
# reading texts for evidence.
NODE_CHUNK = 10_000
ARTICLE_CHUNK = 500
UPDATE_CHUNK = 50_000  # article actors given their actor (or same-name rows) per statement
SAME_NAME = "same name after folding case, diacritics and transliteration"
_PERSON = "person"
# Types that name the same kind of thing across articles ("Iraq" the government and
# "Iraq" the organisation are one actor; a person never is an organisation).
_FAMILY = {
    "person": "person",
    "organization": "org",
    "government": "org",
    "news_outlet": "org",
    "document": "doc",
}


@lru_cache(maxsize=200_000)
def key_of(surface: str) -> str:
    return normalise_name(surface).replace(" ", "")


@lru_cache(maxsize=200_000)
def _tokens(surface: str) -> tuple[str, ...]:
    return tuple(normalise_name(surface).split())


@dataclass
class AliasRules:
    """What the user's alias files say: a table of forced merges, and forbidden ones."""

    table: AliasTable = field(default_factory=lambda: AliasTable.load([]))
    user: AliasTable = field(default_factory=AliasTable)
    forbid: list[list[str]] = field(default_factory=list)
    files: tuple[str, ...] = ()


def load_alias_rules(paths: Sequence[str | Path]) -> AliasRules:
    """RAISES ConfigError "<path>: <reason>" for a file that cannot be used."""
    user = AliasTable()
    forbid: list[list[str]] = []
    for p in paths:
        path = Path(p)
        if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
            try:
                # Bounded loading (nesting, anchor expansion): actors.load_yaml.
                data = load_yaml(path.read_text(encoding="utf-8-sig"), str(path))
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{path}: cannot read ({exc})") from None
            if isinstance(data, dict):
                unknown = set(data) - {"merge", "forbid"}
                if unknown:
                    raise ConfigError(
                        f"{path}: unknown key {sorted(map(str, unknown))[0]!r} "
                        "(expected 'merge' and/or 'forbid')"
                    )
                for rec in parse_entries(data.get("merge"), str(path)):
                    user._add_record(**rec)
                groups = data.get("forbid") or []
                if not isinstance(groups, list):
                    raise ConfigError(f"{path}: 'forbid' must be a list of name lists")
                for n, g in enumerate(groups, 1):
                    if not isinstance(g, list) or len(g) < 2 or not all(
                        isinstance(x, str) and x.strip() for x in g
                    ):
                        raise ConfigError(
                            f"{path}: forbid entry {n}: expected a list of 2+ names"
                        )
                    forbid.append([x.strip() for x in g])
                continue
        user.add_file(path)  # list YAML or CSV: the sourcetrace.actors format
    table = AliasTable.load([])
    for entry in user:
        table.add(entry)
    return AliasRules(table, user, forbid, tuple(str(p) for p in paths))


@dataclass(slots=True)
class _Node:
    """One distinct actor description: every article actor with the same name, type,
    surfaces and speaking role is one node (the same names recur across articles, so a
    corpus holds far fewer nodes than article actors)."""

    article_id: str  # where the description is first seen
    name: str
    type: str
    surfaces: list[str]
    n_mentions: int  # summed over the article actors it stands for
    speaks: bool  # the source of some attribution in its article
    count: int = 1  # article actors it stands for


class _Linker:
    """Union-find over per-article actors with cannot-link checks and evidence."""

    def __init__(self, nodes: list[_Node], rules: AliasRules) -> None:
        self.nodes = nodes
        self.sets = UnionFind(len(nodes))
        self.find = self.sets.find
        # per component: person surname -> first-name keys; forbid tags (group, member)
        # None where empty: most nodes have neither.
        self.persons: list[dict[str, set[str]] | None] = []
        self.tags: list[set[tuple[int, int]] | None] = []
        forbid_keys: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for g, names in enumerate(rules.forbid):
            for m, name in enumerate(names):
                forbid_keys[key_of(name)].append((g, m))
        for node in nodes:
            persons: dict[str, set[str]] = {}
            if node.type == _PERSON:
                for s in node.surfaces:
                    toks = _tokens(role_and_name(s)[1] or s)
                    if len(toks) >= 2:
                        persons.setdefault(toks[-1], set()).add(" ".join(toks[:-1]))
            self.persons.append(persons or None)
            tags: set[tuple[int, int]] = set()
            for s in node.surfaces:
                tags.update(forbid_keys.get(key_of(s), ()))
            self.tags.append(tags or None)
        self.evidence: list[tuple[int, str, str, str | None, str, str]] = []

    def _conflict(self, a: int, b: int) -> bool:
        pa_, pb = self.persons[a] or {}, self.persons[b] or {}
        for surname, firsts in pa_.items():
            other = pb.get(surname)
            if other is None:
                continue
            for f1 in firsts:
                for f2 in other:
                    if f1 != f2 and not _same_first(f1, f2):
                        return True
        ta, tb = self.tags[a], self.tags[b]
        if ta and tb:
            groups_a = defaultdict(set)
            for g, m in ta:
                groups_a[g].add(m)
            for g, m in tb:
                if g in groups_a and groups_a[g] - {m}:
                    return True
        return False

    def union(
        self, i: int, j: int, kind: str, alias: str, other: str, article: str | None, detail: str
    ) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return True
        if self._conflict(a, b):
            logger.debug("not merging %r and %r (%s): conflicting names", alias, other, kind)
            return False
        self.sets.union(a, b)  # the smaller root is kept
        keep, gone = min(a, b), max(a, b)
        gone_persons, gone_tags = self.persons[gone], self.tags[gone]
        if gone_persons:
            kept = self.persons[keep] or {}
            for surname, firsts in gone_persons.items():
                kept.setdefault(surname, set()).update(firsts)
            self.persons[keep] = kept
        if gone_tags:
            self.tags[keep] = (self.tags[keep] or set()) | gone_tags
        self.persons[gone] = self.tags[gone] = None
        self.evidence.append((keep, alias, other, article, kind, detail))
        return True


def _same_first(a: str, b: str) -> bool:
    """Given names that may be one person's: spaced or joined ("abdul rahman" ~
    "abdulrahman"), one with a middle name ("john michael" ~ "john"), an initial
    ("j" ~ "jan"), or a transliteration of the same length differing by one letter
    ("yusuf" ~ "yusif"); "Paula"/"Paul" and "Maja"/"Oskar" stay different."""
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    a, b = a.split()[0], b.split()[0]
    if a == b:
        return True
    if (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    return len(a) == len(b) >= 4 and a[0] == b[0] and fuzz.ratio(a, b) >= 80


def _titled_person(name: str) -> bool:
    """"Defence Minister Gral" typed as a government is a person with a title
    ("Defence Ministry" is not: its last word is an organisation head)."""
    role, rest = role_and_name(name)
    if not role or not rest or not rest[:1].isupper():
        return False
    if rest.split()[-1].lower() in ORG_HEADS:
        return False
    return any(w.strip(".,").lower() in TITLE_WORDS for w in role.split())


def _cross_keys(node: _Node) -> list[tuple[str, str]]:
    """(key, surface) pairs that may join this actor to another article's actors."""
    out = []
    for s in node.surfaces:
        if node.type == _PERSON:
            name = role_and_name(s)[1] or s
            if len(_tokens(name)) < 2:
                continue  # a bare surname is handled last, and only when unambiguous
            out.append((key_of(name), s))
            continue
        toks = _tokens(s)
        if not toks:
            continue
        acronym = s.isupper() and len(s.replace(".", "")) >= 2
        if len(toks) >= 2 or acronym or s == node.name:
            out.append((key_of(s), s))
    return out


def _load_nodes(con: duckdb.DuckDBPyConnection) -> list[_Node]:
    """The distinct actor descriptions, in order of first appearance; the temp table
    ``_actor_node`` maps each article actor to its node (it stays in DuckDB, so memory
    follows the number of distinct names, not the size of the corpus).

    A description with no cross-article key (a bare surname such as "Haddad") stays one
    node per article: two articles' "Haddad" may be different people."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _actor_node "
        "(article_id VARCHAR, local_id VARCHAR, node INTEGER, ord BIGINT)"
    )
    # One join per statement (the speaker test was a correlated subquery beside a join
    # and a sort: it ran out of a 32 MB bound at 100k articles), then sorted into a
    # table: a sort feeding a streamed result cannot spill to disk. A plain table, since
    # a second cursor (another connection) reads it while this one writes the mapping.
    join_stepwise(con, "_actor_joined", (
        "SELECT aa.article_id, aa.local_id, aa.name, aa.type, aa.aliases, "
        "coalesce(json_array_length(aa.mentions), 0) AS n_mentions, a.seq "
        "FROM article_actors aa JOIN articles a ON a.id = aa.article_id",
        "SELECT r.*, s.article_id IS NOT NULL AS speaks FROM {prev} r LEFT JOIN "
        "(SELECT DISTINCT article_id, source_actor FROM attributions) s "
        "ON s.article_id = r.article_id AND s.source_actor = r.local_id",
    ))
    with one_thread(con):  # on two, this sort of wide rows failed at 400k under 64 MB
        con.execute(
            "CREATE OR REPLACE TABLE _actor_rows AS SELECT article_id, local_id, name, type, "
            "aliases, n_mentions, speaks FROM _actor_joined ORDER BY seq, local_id"
        )
    con.execute("DROP TABLE _actor_joined")
    cur = con.cursor().execute("SELECT * FROM _actor_rows")
    nodes: list[_Node] = []
    index: dict[tuple, int] = {}
    ord_ = 0
    while rows := cur.fetchmany(NODE_CHUNK):
        mapping = []
        for aid, lid, name, type_, aliases, n_mentions, speaks in rows:
            surfaces = [name, *[x for x in json.loads(aliases or "[]") if x != name]]
            if type_ != _PERSON and _titled_person(name):
                type_ = _PERSON
            node = _Node(aid, name, type_ or "", surfaces, int(n_mentions), bool(speaks))
            key: tuple = (name, node.type, tuple(surfaces), node.speaks)
            if not _cross_keys(node):
                key += (aid, lid)
            i = index.get(key)
            if i is None:
                i = index[key] = len(nodes)
                nodes.append(node)
            else:
                nodes[i].count += 1
                nodes[i].n_mentions += node.n_mentions
            mapping.append({"article_id": aid, "local_id": lid, "node": i, "ord": ord_})
            ord_ += 1
        insert_rows(con, "_actor_node", mapping)
    cur.close()
    con.execute("DROP TABLE _actor_rows")
    return nodes


def _within_evidence(con: duckdb.DuckDBPyConnection) -> None:
    """Evidence inside each article (the article grouped these names itself), into the
    temp table ``_within``: read one range of articles at a time, since whether a name
    was defined in the article ("MKO" in parentheses) needs the article's text."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _within (ord BIGINT, article_id VARCHAR, "
        "local_id VARCHAR, alias VARCHAR, other VARCHAR, kind VARCHAR)"
    )
    lo, hi = con.execute("SELECT min(seq), max(seq) FROM articles").fetchall()[0]
    if lo is None:
        return
    reader = con.cursor()
    ord_ = 0
    for first in range(lo, hi + 1, ARTICLE_CHUNK):
        seqs = [first, first + ARTICLE_CHUNK]
        # The texts apart from the actor rows: joined, each text came once per actor
        # with an alias, and that result outgrew a 64 MB bound on the 381 articles of
        # PolNeAR dev and PTC.
        texts = dict(reader.execute(
            "SELECT id, text FROM articles WHERE seq >= ? AND seq < ?", seqs).fetchall())
        rows = reader.execute(
            "SELECT a.id, aa.local_id, aa.name, aa.aliases "
            "FROM articles a JOIN article_actors aa ON aa.article_id = a.id "
            "WHERE a.seq >= ? AND a.seq < ? AND json_array_length(aa.aliases) > 0 "
            "ORDER BY a.seq, aa.local_id",
            seqs,
        ).fetchall()
        out = []
        current, defined, text = None, set(), ""
        for aid, lid, name, aliases in rows:
            if aid != current:  # rows come article by article
                current, defined, text = aid, set(), texts.get(aid) or ""
                for (fs, fe), (as_, ae) in find_defined_aliases(text):
                    defined.add(key_of(text[fs:fe]))
                    defined.add(key_of(text[as_:ae]))
            for s in [x for x in json.loads(aliases or "[]") if x != name]:
                kind = "defined_in_article" if key_of(s) in defined else "same_article"
                out.append({"ord": ord_, "article_id": aid, "local_id": lid, "alias": s,
                            "other": name, "kind": kind})
                ord_ += 1
        insert_rows(con, "_within", out)


def link_actors(con: duckdb.DuckDBPyConnection, rules: AliasRules | None = None) -> None:
    """Fill ``actors``, ``actor_aliases``, ``actor_evidence`` and ``article_actors.actor_id``."""
    rules = rules or AliasRules()
    nodes = _load_nodes(con)
    if not nodes:
        return
    _within_evidence(con)
    link = _Linker(nodes, rules)

    # 1-2. alias tables (user entries win; the combined table includes them).
    by_entry: dict[str, int] = {}
    looked: dict[str, AliasEntry | None] = {}  # surfaces repeat across articles: look each up once
    for i, node in enumerate(nodes):
        for s in node.surfaces:
            if s not in looked:
                looked[s] = rules.table.lookup(s)
            entry = looked[s]
            if entry is None:
                continue
            kind = "user_alias" if rules.user.lookup(s, fuzzy=False) else "alias_table"
            first = by_entry.setdefault(entry.name, i)
            if first != i:
                detail = f"alias table entry {entry.name!r}"
                if kind == "user_alias" and rules.files:
                    detail += f" ({', '.join(rules.files)})"
                link.union(first, i, kind, s, entry.name, None, detail)
    # 3. the same normalised name.
    by_key: dict[tuple[str, str], int] = {}
    key_surface: dict[tuple[str, str], str] = {}
    for i, node in enumerate(nodes):
        fam = _FAMILY.get(node.type, node.type)
        for key, s in _cross_keys(node):
            k = (fam, key)
            first = by_key.setdefault(k, i)
            key_surface.setdefault(k, s)
            if first != i:
                link.union(
                    first, i, "same_name", s, key_surface[k], node.article_id, SAME_NAME,
                )
    # 4. near spellings, blocked by the first and last three letters of the key.
    blocks: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for (fam, key), s in key_surface.items():
        if len(key) < FUZZY_MIN_LENGTH or fam not in ("person", "org"):
            continue
        blocks[(fam, "^" + key[:3])].append((key, s))
        blocks[(fam, "$" + key[-3:])].append((key, s))
    seen: set[tuple[str, str]] = set()
    for (fam, _b), members in blocks.items():
        if len(members) < 2 or len(members) > MAX_FUZZY_BLOCK:
            continue
        keys = [normalise_name(s) if fam != "person" else normalise_name(
            role_and_name(s)[1] or s) for _k, s in members]
        for x, kx in enumerate(keys):
            hits = process.extract(
                kx, keys, scorer=fuzzy_score, score_cutoff=FUZZY_MIN_SCORE, limit=None
            )
            for _m, score, y in hits:
                if y <= x:
                    continue
                pair = (members[x][0], members[y][0])
                if pair in seen:
                    continue
                seen.add(pair)
                if fam == _PERSON and keys[x].split()[-1] != keys[y].split()[-1] and (
                    keys[x].split()[0] != keys[y].split()[0]
                ):
                    continue  # a person differs in one name part at most
                link.union(
                    by_key[(fam, members[x][0])], by_key[(fam, members[y][0])],
                    "near_spelling", members[y][1], members[x][1], None,
                    f"near spelling ({score:.0f})",
                )
    # 5. bare surnames: the one full-name person in the corpus with that surname.
    full_by_surname: dict[str, set[int]] = defaultdict(set)
    for i, node in enumerate(nodes):
        if node.type == _PERSON:
            for s in node.surfaces:
                toks = _tokens(role_and_name(s)[1] or s)
                if len(toks) >= 2:
                    full_by_surname[toks[-1]].add(i)
    for i, node in enumerate(nodes):
        if len(_tokens(role_and_name(node.name)[1] or node.name)) != 1:
            continue
        # A one-word "organisation" that speaks ("Malik said") is a surname the tagger
        # missed; places and outlets are never surnames here.
        speaker = node.type == "organization" and node.speaks
        if node.type != _PERSON and not speaker:
            continue
        surname = _tokens(role_and_name(node.name)[1] or node.name)[0]
        roots = {link.find(j) for j in full_by_surname.get(surname, ())}
        if len(roots) == 1:
            link.union(
                roots.pop(), i, "surname", node.name, nodes[next(iter(
                    full_by_surname[surname]))].name, node.article_id,
                "the only person in the corpus with this surname",
            )

    _write(con, nodes, link, rules)


def _write(con: duckdb.DuckDBPyConnection, nodes: list[_Node], link: _Linker,
           rules: AliasRules) -> None:
    comps: dict[int, list[int]] = defaultdict(list)
    for i in range(len(nodes)):
        comps[link.find(i)].append(i)
    actor_id: dict[int, str] = {}
    actor_rows = []
    for n, (root, members) in enumerate(sorted(comps.items()), 1):
        aid = f"c{n}"
        actor_id[root] = aid
        names: Counter[str] = Counter()
        types: Counter[str] = Counter()
        for i in members:  # weighted by the article actors each node stands for
            names[nodes[i].name] += nodes[i].count
            types[nodes[i].type] += nodes[i].count
        entry = None
        for i in members:
            entry = rules.table.lookup(nodes[i].name, fuzzy=False)
            if entry is not None:
                break
        if entry is not None and any(
            (rules.table.lookup(nodes[i].name, fuzzy=False) or entry).name == entry.name
            for i in members
        ):
            name = entry.name
        else:
            name = max(names, key=lambda x: (names[x], len(x), x))
        actor_rows.append(
            {
                "id": aid,
                "name": name,
                "type": types.most_common(1)[0][0],
                "n_articles": 0,  # counted below, in DuckDB
                "n_mentions": sum(nodes[i].n_mentions for i in members),
            }
        )
    insert_rows(con, "actors", actor_rows)
    # node -> actor (and the node's name), a table the size of the distinct names.
    con.register("_na", pa.table({
        "node": list(range(len(nodes))),
        "actor_id": [actor_id[link.find(i)] for i in range(len(nodes))],
        "name": [node.name for node in nodes],
    }))
    # In slices: one update over every article actor failed at 400k under 64 MB.
    run_in_slices(
        con,
        "UPDATE article_actors SET actor_id = _na.actor_id FROM _actor_node m "
        "JOIN _na ON _na.node = m.node WHERE article_actors.article_id = m.article_id "
        "AND article_actors.local_id = m.local_id AND m.rowid >= $lo AND m.rowid < $hi",
        "_actor_node", UPDATE_CHUNK,
    )
    # Written into the file now: pending, an update of every article actor took the
    # memory the statements below need under a small bound.
    con.execute("CHECKPOINT")
    con.execute(
        "UPDATE actors SET n_articles = x.n FROM (SELECT actor_id, count(DISTINCT article_id) "
        "AS n FROM article_actors GROUP BY actor_id) x WHERE actors.id = x.actor_id"
    )
    # Every surface an actor goes by, with the number of articles that use it.
    con.execute(
        "INSERT INTO actor_aliases SELECT actor_id, alias, count(DISTINCT article_id) FROM ("
        "  SELECT actor_id, article_id, name AS alias FROM article_actors"
        "  UNION ALL SELECT actor_id, article_id, "
        "  unnest(CAST(coalesce(aliases, '[]') AS VARCHAR[])) FROM article_actors"
        ") WHERE actor_id IS NOT NULL GROUP BY actor_id, alias "
        "ORDER BY CAST(substr(actor_id, 2) AS INTEGER), alias"
    )
    # Evidence: what each article grouped itself; each further article using a node's
    # exact description (the same name); then the merges the linker made.
    con.execute(
        "INSERT INTO actor_evidence SELECT aa.actor_id, w.alias, w.other, w.article_id, "
        "w.kind, 'grouped by the article''s own analysis' FROM _within w "
        "JOIN article_actors aa ON aa.article_id = w.article_id AND aa.local_id = w.local_id "
        "ORDER BY w.ord"
    )
    join_stepwise(con, "_same", (
        # Every row of a node after its first; a window over every row did not fit a
        # 32 MB bound at 100k, a grouped minimum and a join do. The actor and name come
        # from the node, not from a join back to every article actor on text keys.
        "SELECT m.node, m.article_id, m.ord FROM _actor_node m JOIN (SELECT node, "
        "min(ord) AS first FROM _actor_node GROUP BY node) f ON f.node = m.node "
        "WHERE m.ord > f.first",
        "SELECT _na.actor_id, _na.name, m.article_id, m.ord FROM {prev} m "
        "JOIN _na ON _na.node = m.node",
    ))
    # A range of ords at a time: one sort of every repeat failed at 100k under 32 MB.
    run_in_slices(
        con,
        "INSERT INTO actor_evidence SELECT actor_id, name, name, article_id, 'same_name', "
        "$detail FROM _same WHERE ord >= $lo AND ord < $hi ORDER BY ord",
        "_actor_node", UPDATE_CHUNK, {"detail": SAME_NAME},
    )
    con.execute("DROP TABLE _same")
    insert_rows(con, "actor_evidence", [
        {"actor_id": actor_id[link.find(root)], "alias": alias, "other": other,
         "article_id": article, "kind": kind, "detail": detail}
        for root, alias, other, article, kind, detail in link.evidence
    ])
    con.execute("DROP TABLE _actor_node")
    con.unregister("_na")
    con.execute("DROP TABLE _within")
