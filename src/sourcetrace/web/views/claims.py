"""The claim list (``/api/claims``) and one claim (``/claims/{id}``, its API twin)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from markupsafe import Markup

from ...corpus import query
from ...corpus.provenance_svg import provenance_svg
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
                     graph_svg=Markup(provenance_svg(data["graph"], claim_id=data["id"],
                                                     claim_text=data["text"], href=graph_link)),
                     spread=spread_chart(data["timeline"]))


def graph_link(box: Mapping[str, Any]) -> str | None:
    """Where a box of the provenance graph leads: its article's page, or its actor's."""
    if box.get("kind") == "article" and box.get("article_id"):
        return f"/articles/{quote(str(box['article_id']), safe='')}"
    if box.get("actor_id"):
        return f"/actors/{quote(str(box['actor_id']), safe='')}"
    return None


__all__ = ["claim", "claims", "graph_link"]
