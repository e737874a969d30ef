"""The search page (``/search``) and its twin ``/api/search``."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from ...corpus import query
from .base import Format, Site

SEARCH_LIMIT = 50  # hits per kind on the search page


def search(site: Site, request: Request, fmt: Format, q: str, *, outlet: str | None = None,
           limit: int = SEARCH_LIMIT) -> Response:
    """Articles, claims and actors containing ``q``, articles optionally of one outlet."""
    results = site.store.read(query.search, q, outlet=outlet, limit=limit)
    if fmt == "json":
        return JSONResponse(results)
    return site.page(request, "search.html", q=q, outlet=outlet, results=results)


__all__ = ["SEARCH_LIMIT", "search"]
