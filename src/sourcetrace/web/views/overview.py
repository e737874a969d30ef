"""The overview page (``/``) and its twin ``/api/overview``."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from ...corpus import query
from ..render import share_bars
from .base import Format, Site

OVERVIEW_LIMIT = 20  # rows per list on the overview page


def overview(site: Site, request: Request, fmt: Format, *, limit: int = OVERVIEW_LIMIT
             ) -> Response:
    """Corpus counts, outlets with their sourcing shares, top claims, articles, actors."""
    data = site.store.read(query.overview, limit=limit)
    if fmt == "json":
        return JSONResponse(data)
    chart = share_bars(
        data["outlets"],
        label=lambda r: f"{r['outlet']} ({r['articles']})",
        href=lambda r: "/articles?" + urlencode({"outlet": r["outlet"]}) if r["known"] else None,
    )
    return site.page(request, "overview.html", data=data, chart=chart)


__all__ = ["OVERVIEW_LIMIT", "overview"]
