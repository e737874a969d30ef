"""One actor (``/actors/{id}``) and its twin ``/api/actors/{id}``."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from ...corpus import query
from .base import Format, Site, found


def actor(site: Site, request: Request, fmt: Format, actor_id: str) -> Response:
    """Names with merge evidence, statements by, relayed by and about the actor, labels."""
    data = found(site.store.read(query.actor, actor_id, by="id"),
                 f"no actor with id {actor_id!r}")
    if fmt == "json":
        return JSONResponse(data)
    return site.page(request, "actor.html", actor=data)


__all__ = ["actor"]
