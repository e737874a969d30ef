"""The corpus at a glance: table counts, per-outlet sourcing shares, what to look at first."""

from __future__ import annotations

from typing import Any

import duckdb

from ...model.types import NAMED_TYPES
from .articles import articles
from .claims import with_outlet_counts
from .disputes import count_disputes
from .rows import CLUSTER_COLS, one, rows


def stats(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of the main tables (``corpus report``'s header), with ``outlets``
    (known outlets) and ``no_outlet`` (articles with no known outlet)."""
    out = {}
    for table in ("articles", "duplicates", "claims", "clusters", "actors"):
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        out[table] = int(row[0]) if row else 0
    out.update(outlet_counts(con))
    return out


def outlet_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """``outlets``: distinct known outlets; ``no_outlet``: articles with none (they are
    not counted as outlets)."""
    row = con.execute(
        "SELECT count(DISTINCT outlet), count(*) FILTER (WHERE outlet IS NULL) FROM articles"
    ).fetchone()
    return {"outlets": int(row[0]) if row else 0, "no_outlet": int(row[1]) if row else 0}


def overview(con: duckdb.DuckDBPyConnection, *, limit: int = 20) -> dict[str, Any]:
    """Counts (``disputes`` among them), per-outlet sourcing shares, and the claims worth a
    look first."""
    counts = one(
        con,
        """SELECT
             (SELECT count(*) FROM articles) AS articles,
             (SELECT count(*) FROM duplicates) AS duplicates,
             (SELECT count(DISTINCT outlet) FROM articles WHERE outlet IS NOT NULL)
               AS outlets,
             (SELECT count(*) FROM articles WHERE outlet IS NULL) AS no_outlet,
             (SELECT count(*) FROM actors) AS actors,
             (SELECT count(*) FROM claims) AS claims,
             (SELECT count(*) FROM clusters) AS clusters""",
    )
    if counts is not None:
        counts["disputes"] = count_disputes(con)
    return {
        "counts": counts,
        "tiers": tier_counts(con),
        "outlets": outlet_profiles(con),
        "top_claims": with_outlet_counts(con, rows(
            con,
            f"SELECT {CLUSTER_COLS} FROM clusters "
            "ORDER BY n_articles DESC, independent_origins ASC, id LIMIT ?",
            [limit],
        )),
        "fewest_origins": with_outlet_counts(con, rows(
            con,
            f"SELECT {CLUSTER_COLS} FROM clusters WHERE n_articles > 1 "
            "ORDER BY independent_origins ASC, n_articles DESC, id LIMIT ?",
            [limit],
        )),
        "articles": articles(con, limit=limit)["articles"],
        "actors": rows(
            con,
            "SELECT id, name, type, n_articles, n_mentions FROM actors "
            "ORDER BY n_articles DESC, n_mentions DESC, id LIMIT ?",
            [limit],
        ),
    }


def tier_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Articles per attribution tier that analysed them, most first; "unknown" for those
    stored before tiers were (a corpus before 1.3, records from an older sourcetrace)."""
    has_tier = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'articles' "
        "AND column_name = 'tier'"
    ).fetchone()
    column = "tier" if has_tier and has_tier[0] else "NULL"
    found = con.execute(
        f"SELECT coalesce({column}, 'unknown') AS tier, count(*) AS n FROM articles "
        "GROUP BY 1 ORDER BY n DESC, tier"
    ).fetchall()
    return {str(tier): int(n) for tier, n in found}


def outlet_profiles(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Per outlet: shares of named, anonymous, vague (or no source) and unattributed.

    The denominator is every attribution plus every unattributed assertion, so the
    four shares add up to 1. Articles with no outlet share one row, "(unknown outlet)",
    with ``known`` false: it names no outlet, so nothing can be listed by it.
    """
    found = rows(
        con,
        f"""WITH a AS (
              SELECT coalesce(ar.outlet, '(unknown outlet)') AS outlet,
                count(*) FILTER (WHERE t.source_type IN {NAMED_TYPES}) AS named,
                count(*) FILTER (WHERE t.source_type = 'anonymous') AS anonymous,
                count(*) FILTER (WHERE t.source_type IS NULL
                  OR t.source_type NOT IN {NAMED_TYPES + ('anonymous',)}) AS vague
              FROM attributions t JOIN articles ar ON ar.id = t.article_id
              GROUP BY 1),
            u AS (
              SELECT coalesce(ar.outlet, '(unknown outlet)') AS outlet,
                count(*) AS unattributed
              FROM claims c JOIN articles ar ON ar.id = c.article_id
              WHERE c.kind = 'unattributed' GROUP BY 1),
            n AS (
              SELECT coalesce(outlet, '(unknown outlet)') AS outlet,
                bool_or(outlet IS NOT NULL) AS known, count(*) AS articles
              FROM articles GROUP BY 1)
            SELECT n.outlet, n.known, n.articles,
              coalesce(a.named, 0) AS named_n, coalesce(a.anonymous, 0) AS anonymous_n,
              coalesce(a.vague, 0) AS vague_n, coalesce(u.unattributed, 0) AS unattributed_n
            FROM n LEFT JOIN a USING (outlet) LEFT JOIN u USING (outlet)
            ORDER BY n.articles DESC, n.outlet""",
    )
    for r in found:
        total = r["named_n"] + r["anonymous_n"] + r["vague_n"] + r["unattributed_n"]
        for key in ("named", "anonymous", "vague", "unattributed"):
            r[key] = round(r[f"{key}_n"] / total, 4) if total else 0.0
        r["statements"] = total
    return found


__all__ = ["outlet_counts", "outlet_profiles", "overview", "stats", "tier_counts"]
