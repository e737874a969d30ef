"""Actors: who matches a name, and one actor's names, statements by and about it, labels.

``actor(con, key, by="name")`` is the ``corpus actor`` card (best match for a name);
``by="id"`` is the web page (one corpus actor id, lists capped at STATEMENT_LIMIT).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, Literal

import duckdb
from rapidfuzz import fuzz, process

from ...model.spans import meets, merge_ranges
from ..actors import key_of
from .rows import dicts, json_value, name_outlets, one, rows

# Articles read to find statements *about* an actor (mentions inside others' contents).
ABOUT_ARTICLE_LIMIT = 200
STATEMENT_LIMIT = 200  # rows per list on the actor page


def find_actors(con: duckdb.DuckDBPyConnection, name: str, limit: int = 5) -> list[dict]:
    """Actors whose name or an alias matches ``name`` (exact key first, then near)."""
    key = key_of(name)
    exact = dicts(
        con.execute(
            "SELECT DISTINCT a.id, a.name, a.type, a.n_articles FROM actors a "
            "JOIN actor_aliases al ON al.actor_id = a.id "
            "WHERE lower(al.alias) = lower(?) OR lower(a.name) = lower(?) "
            "ORDER BY a.n_articles DESC",
            [name, name],
        )
    )
    if exact:
        return exact
    aliases = con.execute("SELECT actor_id, alias FROM actor_aliases").fetchall()
    by_key: dict[str, set[str]] = {}
    for aid, alias in aliases:
        by_key.setdefault(key_of(alias), set()).add(aid)
    ids: list[str] = sorted(by_key.get(key, set()))
    if not ids and by_key:
        keys = list(by_key)
        for _k, score, i in process.extract(key, keys, scorer=fuzz.ratio, limit=limit):
            if score >= 85:
                ids.extend(sorted(by_key[keys[i]]))
    if not ids:
        return []
    return dicts(
        con.execute(
            "SELECT id, name, type, n_articles FROM actors WHERE list_contains(?, id) "
            "ORDER BY n_articles DESC",
            [ids[:limit]],
        )
    )


def list_actors(
    con: duckdb.DuckDBPyConnection, limit: int | None = 50, *, offset: int = 0,
    type_: str | None = None,
) -> list[dict[str, Any]]:
    """Corpus actors, in most articles first: ``id``, ``name``, ``type``, ``n_aliases``
    (names it goes by), ``n_articles``, ``n_mentions`` and ``n_claims`` (statements it is
    the source of).

    type_: only actors of this type (person, organization...).
    """
    where, params = ("WHERE a.type = ?", [type_]) if type_ else ("", [])
    sql = f"""WITH page AS (
          SELECT id, name, type, n_articles, n_mentions FROM actors a {where}
          ORDER BY n_articles DESC, n_mentions DESC, name, id
          {"LIMIT ?" if limit is not None else ""} OFFSET ?),
        al AS (SELECT actor_id, count(*) AS n FROM actor_aliases
               WHERE actor_id IN (SELECT id FROM page) GROUP BY actor_id),
        cl AS (SELECT aa.actor_id, count(*) AS n FROM claims c
               JOIN article_actors aa ON aa.article_id = c.article_id
                 AND aa.local_id = c.source_local_actor
               WHERE aa.actor_id IN (SELECT id FROM page) GROUP BY aa.actor_id)
        SELECT p.id, p.name, p.type, coalesce(al.n, 0) AS n_aliases, p.n_articles,
          p.n_mentions, coalesce(cl.n, 0) AS n_claims
        FROM page p LEFT JOIN al ON al.actor_id = p.id LEFT JOIN cl ON cl.actor_id = p.id
        ORDER BY p.n_articles DESC, p.n_mentions DESC, p.name, p.id"""
    params += [limit] if limit is not None else []
    return rows(con, sql, [*params, offset])


def count_actors(con: duckdb.DuckDBPyConnection, type_: str | None = None) -> int:
    """How many actors ``list_actors(con, None, type_=type_)`` would list."""
    where, params = ("WHERE type = ?", [type_]) if type_ else ("", [])
    total = one(con, f"SELECT count(*) AS n FROM actors {where}", params)
    return total["n"] if total else 0


def actor(
    con: duckdb.DuckDBPyConnection, key: str, *, by: Literal["name", "id"] = "name"
) -> dict[str, Any] | None:
    """One actor, or None when nothing matches.

    by: "name" -- the best match for a name or alias (see ``find_actors`` for candidates):
        aliases, evidence, what it says (``says``), claims about it (``said_about``),
        labels; "id" -- the actor with that corpus id: aliases, merge evidence with
        titles, ``statements``, ``relayed``, ``about``, labels by writer and by sources.
    """
    return _actor_card(con, key) if by == "name" else _actor_page(con, key)


def _actor_card(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any] | None:
    """The best-matching actor: aliases with evidence, what it says, what is said of it."""
    found = find_actors(con, name, limit=1)
    if not found:
        return None
    out = found[0]
    aid = out["id"]
    out["aliases"] = dicts(
        con.execute(
            "SELECT alias, n_articles FROM actor_aliases WHERE actor_id = ? "
            "ORDER BY n_articles DESC, alias",
            [aid],
        )
    )
    out["evidence"] = dicts(
        con.execute(
            "SELECT alias, other, article_id, kind, detail FROM actor_evidence "
            "WHERE actor_id = ? ORDER BY kind, alias",
            [aid],
        )
    )
    out["says"] = name_outlets(dicts(
        con.execute(
            "SELECT t.article_id, t.id AS attribution_id, t.content_text AS text, "
            "t.content_spans AS spans, t.kind, t.source_text, c.cluster_id, a.outlet, "
            "a.url, a.path, a.title "
            "FROM attributions t JOIN article_actors aa ON aa.article_id = t.article_id "
            "AND aa.local_id = t.source_actor JOIN articles a ON a.id = t.article_id "
            "LEFT JOIN claims c ON c.article_id = t.article_id AND c.attribution_id = t.id "
            "WHERE aa.actor_id = ? ORDER BY a.seq, t.id",
            [aid],
        )
    ))
    local = con.execute(
        "SELECT aa.article_id, aa.local_id, aa.mentions, a.outlet, a.url, a.path, a.title "
        "FROM article_actors aa JOIN articles a ON a.id = aa.article_id "
        "WHERE aa.actor_id = ?", [aid]
    ).fetchall()
    about = []
    for art, _lid, mentions, *where in local:
        spans = merge_ranges(
            (s[0], s[1]) for m in json.loads(mentions or "[]") for s in m.get("spans", [])
        )
        for row in dicts(
            con.execute(
                "SELECT c.id, c.kind, c.text, c.spans, c.source_text, c.cluster_id "
                "FROM claims c WHERE c.article_id = ?",
                [art],
            )
        ):
            cspans = json.loads(row.pop("spans") or "[]")
            if any(meets(cs, ce, spans) for cs, ce in cspans):
                row["article_id"] = art
                row.update(zip(("outlet", "url", "path", "title"), where, strict=True))
                about.append(row)
    out["said_about"] = name_outlets(about)
    out["labels"] = name_outlets(dicts(
        con.execute(
            "SELECT l.label, l.voice, l.text, l.article_id, a.outlet, a.url, a.path, "
            "a.title FROM labels l "
            "JOIN article_actors aa ON aa.article_id = l.article_id "
            "AND aa.local_id = l.local_actor JOIN articles a ON a.id = l.article_id "
            "WHERE aa.actor_id = ? ORDER BY l.label",
            [aid],
        )
    ))
    return out


def _actor_page(con: duckdb.DuckDBPyConnection, actor_id: str) -> dict[str, Any] | None:
    """Names with merge evidence, statements by and about the actor, labels on it."""
    actor = one(
        con,
        "SELECT id, name, type, n_articles, n_mentions FROM actors WHERE id = ?", [actor_id]
    )
    if actor is None:
        return None
    actor["aliases"] = rows(
        con,
        "SELECT alias, n_articles FROM actor_aliases WHERE actor_id = ? "
        "ORDER BY n_articles DESC, alias",
        [actor_id],
    )
    actor["evidence"] = rows(
        con,
        """SELECT e.alias, e.other, e.kind, e.detail, e.article_id, ar.title
           FROM actor_evidence e LEFT JOIN articles ar ON ar.id = e.article_id
           WHERE e.actor_id = ? ORDER BY e.kind, e.alias, e.other""",
        [actor_id],
    )
    actor["statements"] = _statements(con, actor_id, "t.source_actor = aa.local_id")
    # Statements it passed on: its local id among the attribution's relays.
    actor["relayed"] = _statements(
        con, actor_id,
        "list_contains(json_extract_string(t.relayed_by, '$[*].actor'), aa.local_id)",
    )
    actor["about"] = _about(con, actor_id)
    labels = name_outlets(rows(
        con,
        f"""SELECT l.article_id, ar.title, ar.outlet, ar.url, ar.path, l.label, l.voice,
              l.text, l.attribution, t.source_text AS said_by
           FROM article_actors aa
           JOIN labels l ON l.article_id = aa.article_id AND l.local_actor = aa.local_id
           JOIN articles ar ON ar.id = l.article_id
           LEFT JOIN attributions t ON t.article_id = l.article_id
             AND t.id = l.attribution
           WHERE aa.actor_id = ?
           ORDER BY l.voice DESC, l.label, ar.seq LIMIT {STATEMENT_LIMIT}""",
        [actor_id],
    ))
    actor["labels_by_writer"] = [lb for lb in labels if lb["voice"] == "writer"]
    actor["labels_by_sources"] = [lb for lb in labels if lb["voice"] != "writer"]
    return actor


def _statements(
    con: duckdb.DuckDBPyConnection, actor_id: str, link: str
) -> list[dict[str, Any]]:
    """Attributions joined to the actor's article-local ids by ``link`` (a constant)."""
    found = rows(
        con,
        f"""SELECT t.article_id, ar.title, ar.outlet, ar.url, ar.path, ar.published,
              t.id AS attribution,
              t.kind, t.source_text, t.cue_text, t.content_text, t.relayed_by,
              c.cluster_id
           FROM article_actors aa
           JOIN attributions t ON t.article_id = aa.article_id AND {link}
           JOIN articles ar ON ar.id = t.article_id
           LEFT JOIN claims c ON c.article_id = t.article_id AND c.attribution_id = t.id
           WHERE aa.actor_id = ?
           ORDER BY ar.published_ts NULLS LAST, ar.seq, t.id LIMIT {STATEMENT_LIMIT}""",
        [actor_id],
    )
    for r in found:
        r["relayed_by"] = [x.get("text") for x in json_value(r["relayed_by"]) or ()]
    return name_outlets(found)


def _about(con: duckdb.DuckDBPyConnection, actor_id: str) -> list[dict[str, Any]]:
    """Claims whose text mentions the actor, said by someone else (or by no one)."""
    mentions = rows(
        con,
        f"""SELECT article_id, local_id, mentions FROM article_actors
            WHERE actor_id = ? LIMIT {ABOUT_ARTICLE_LIMIT}""",
        [actor_id],
    )
    if not mentions:
        return []
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    local: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        local[m["article_id"]].add(m["local_id"])
        for mention in json_value(m["mentions"]) or ():
            spans[m["article_id"]].extend((s, e) for s, e in mention.get("spans", ()))
    ids = list(spans)
    merged = {aid: merge_ranges(found) for aid, found in spans.items()}
    out = []
    for c in rows(
        con,
        """SELECT c.article_id, ar.title, ar.outlet, ar.url, ar.path, c.kind,
             c.attribution_id, c.text,
             c.spans, c.source_text, c.source_local_actor, c.cluster_id
           FROM claims c JOIN articles ar ON ar.id = c.article_id
           WHERE c.article_id IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY ar.seq, c.start_offset""",
        [ids],
    ):
        if c["source_local_actor"] in local[c["article_id"]]:
            continue  # its own statement, listed under "statements"
        claim_spans = [(s[0], s[1]) for s in json_value(c["spans"]) or ()]
        if any(meets(s, e, merged[c["article_id"]]) for s, e in claim_spans):
            c.pop("spans")
            c.pop("source_local_actor")
            out.append(c)
            if len(out) >= STATEMENT_LIMIT:
                break
    return name_outlets(out)


__all__ = ["ABOUT_ARTICLE_LIMIT", "STATEMENT_LIMIT", "actor", "count_actors", "find_actors",
           "list_actors"]
