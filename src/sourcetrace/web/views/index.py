"""The API index page (``/api``): every endpoint of the OpenAPI document with its summary."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from .base import Site


def api_index(site: Site, request: Request, openapi: dict[str, Any]) -> HTMLResponse:
    """One row per method and path of ``openapi`` (the app's own document)."""
    routes = [
        {"method": method.upper(), "path": path, "summary": op.get("summary", "")}
        for path, ops in openapi["paths"].items()
        for method, op in ops.items()
    ]
    return site.page(request, "api.html", routes=routes)


__all__ = ["api_index"]
