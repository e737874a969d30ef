"""The claim list (``/api/claims``) and one claim (``/claims/{id}``, its API twin)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from ...corpus import query
from ..render import spread_chart
from .base import Format, Site, found


def claims(site: Site, *, min_articles: int = 1, limit: int = 50, offset: int = 0,
           disputed: bool = False) -> Response:
    """Claim clusters by number of articles (then fewest origins), with the total.

    disputed: only clusters holding a disputed claim (with ``n_disputes``), most
        disputed first; the total is then the number of disputes.
    JSON only: the pages show claims on the overview, the search page and each claim's own.
    """
    if disputed:
        with site.store.connection() as con:
            return JSONResponse({
                "total_disputes": query.count_disputes(con),
                "claims": query.disputed_claims(con, limit, offset=offset),
            })
    with site.store.connection() as con:
        data = {
            "total": query.count_claims(con, min_articles),
            "claims": query.claims(con, min_articles, limit, order="articles", offset=offset),
        }
    return JSONResponse(data)


def claim(site: Site, request: Request, fmt: Format, claim_id: str) -> Response:
    """One claim cluster: its statements, provenance graph, origins and timeline."""
    data = found(site.store.read(query.claim, claim_id, view="page"),
                 f"no claim with id {claim_id!r}")
    if fmt == "json":
        return JSONResponse(data)
    return site.page(request, "claim.html", claim=data,
                     graph_rows=query.graph_rows(data["graph"]),
                     spread=spread_chart(data["timeline"]))


__all__ = ["claim", "claims"]
