"""Row plumbing shared by the read API: cursor rows as dicts, paging, JSON cells, LIKE
escaping."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb

from ..outlets import outlet_label

# The columns of a claim-cluster row wherever a list of clusters is shown.
CLUSTER_COLS = (
    "id, text, n_claims, n_articles, n_outlets, independent_origins, circular, "
    "circular_reason, first_seen, first_article_id, last_seen"
)


def paged(
    sql: str, params: list[Any], limit: int | None, offset: int | None
) -> tuple[str, list[Any]]:
    """``sql`` and ``params`` with ``LIMIT``/``OFFSET`` added where given."""
    if limit is not None:
        sql += " LIMIT ?"
        params = [*params, limit]
    if offset is not None:
        sql += " OFFSET ?"
        params = [*params, offset]
    return sql, params


def dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The rows of an executed cursor, as dicts keyed by column name."""
    cols = [d[0] for d in cur.description or ()]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    """``sql`` run with ``params`` (always SQL parameters, never spliced in), as dicts."""
    return dicts(con.execute(sql, list(params)))


def one(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()
) -> dict[str, Any] | None:
    """The first row of ``sql``, or None."""
    found = rows(con, sql, params)
    return found[0] if found else None


def json_value(value: Any) -> Any:
    """A JSON cell decoded (DuckDB hands JSON columns back as text)."""
    return json.loads(value) if isinstance(value, str) else value


def name_outlets(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Set ``outlet_label`` on each row (``outlet_label`` of its ``outlet``, ``url``,
    ``path`` and ``title``): what every view shows for the outlet, never an article id.
    A duplicate's row (``kind`` "copy") has no URL or title of its own here."""
    for r in found:
        own = r.get("kind") != "copy"
        r["outlet_label"] = outlet_label(
            r.get("outlet"), r.get("url") if own else None, r.get("path") if own else None,
            r.get("title") if own else None,
        )
    return found


def like_escape(q: str) -> str:
    """``q`` with LIKE wildcards taken literally (used with ``ESCAPE '\\'``)."""
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


__all__ = ["CLUSTER_COLS", "dicts", "json_value", "like_escape", "name_outlets", "one", "rows"]
