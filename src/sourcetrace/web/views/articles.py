"""The article list (``/articles``) and one article (``/articles/{id}``), with API twins."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from ...corpus import query
from ..highlight import highlight_segments
from ..render import highlighted_text
from .base import Format, Site, found

PAGE_SIZE = 50  # articles per page of the article list


def articles(site: Site, request: Request, fmt: Format, *, outlet: str | None = None,
             limit: int = PAGE_SIZE, offset: int = 0) -> Response:
    """A page of articles, newest first, optionally of one outlet."""
    data = site.store.read(query.articles, outlet=outlet, limit=limit, offset=offset)
    if fmt == "json":
        return JSONResponse(data)
    return site.page(request, "articles.html", data=data, outlet=outlet, offset=offset,
                     page_size=PAGE_SIZE)


def article(site: Site, request: Request, fmt: Format, article_id: str) -> Response:
    """One article: its analysis record, highlighted, with links to actors and claims."""
    data = found(site.store.read(query.article, article_id),
                 f"no article with id {article_id!r}")
    if fmt == "json":
        return JSONResponse(data)
    return site.page(request, "article.html", **article_context(data))


def article_context(data: dict[str, Any]) -> dict[str, Any]:
    """The article template's context for ``query.article``'s result (or an analysis)."""
    record = data["record"]
    segments = highlight_segments(record)
    local_actors = {a["id"]: a for a in record.get("actors") or ()}
    return {
        "data": data,
        "record": record,
        "text_html": highlighted_text(record, segments=segments),
        "local_actors": local_actors,
        "title": (record.get("metadata") or {}).get("title") or record.get("path") or "",
    }


__all__ = ["PAGE_SIZE", "article", "article_context", "articles"]
