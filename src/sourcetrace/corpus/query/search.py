"""Search: a case-insensitive substring over article titles and texts, claims and actors."""

from __future__ import annotations

from typing import Any

import duckdb

from .claims import with_outlet_counts
from .rows import CLUSTER_COLS, like_escape, name_outlets, rows


def search(
    con: duckdb.DuckDBPyConnection, q: str, *, outlet: str | None = None, limit: int = 50
) -> dict[str, Any]:
    """Case-insensitive substring search over articles, claims and actors.

    ``q`` is taken literally (``%`` and ``_`` are no wildcards); ``outlet`` narrows the
    articles. RETURNS ``{q, outlet, articles, claims, actors}``, at most ``limit`` each.
    """
    q = q.strip()
    if not q and not outlet:
        return {"q": q, "outlet": outlet, "articles": [], "claims": [], "actors": []}
    pattern = "%" + like_escape(q) + "%"
    art_where = ["(title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\')"]
    art_params: list[Any] = [pattern, pattern]
    if outlet:
        art_where.append("outlet = ?")
        art_params.append(outlet)
    articles = name_outlets(rows(
        con,
        f"SELECT id, title, outlet, published, path, url FROM articles "
        f"WHERE {' AND '.join(art_where)} ORDER BY published_ts DESC NULLS LAST, seq LIMIT ?",
        [*art_params, limit],
    ))
    claims = actors = []
    if q:
        claims = with_outlet_counts(con, rows(
            con,
            f"""SELECT {CLUSTER_COLS} FROM clusters WHERE id IN (
                  SELECT cluster_id FROM claims WHERE text ILIKE ? ESCAPE '\\')
                ORDER BY n_articles DESC, id LIMIT ?""",
            [pattern, limit],
        ))
        actors = rows(
            con,
            """SELECT id, name, type, n_articles FROM actors WHERE name ILIKE ? ESCAPE '\\'
                 OR id IN (SELECT actor_id FROM actor_aliases
                           WHERE alias ILIKE ? ESCAPE '\\')
               ORDER BY n_articles DESC, id LIMIT ?""",
            [pattern, pattern, limit],
        )
    return {"q": q, "outlet": outlet, "articles": articles, "claims": claims,
            "actors": actors}


__all__ = ["search"]
