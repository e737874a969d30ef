"""What every view shares: the ``Site`` it serves (and renders pages with), 404 on a miss."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from ..add import CorpusAdder
from ..analyze import Analyzer
from ..store import CorpusStore

Format = Literal["html", "json"]
T = TypeVar("T")


@dataclass
class Site:
    """The server's parts a view reads: corpus store, templates and settings."""

    store: CorpusStore
    env: Environment
    analyzer: Analyzer
    adder: CorpusAdder | None
    max_body_bytes: int

    def page(self, request: Request, template: str, code: int = 200, **context: Any
             ) -> HTMLResponse:
        """``template`` rendered with ``context`` (autoescaped) as an HTML response."""
        html = self.env.get_template(template).render(request=request, **context)
        return HTMLResponse(html, status_code=code)



def found(value: T | None, missing: str) -> T:
    """``value``, or a 404 saying ``missing`` when the lookup found nothing."""
    if value is None:
        raise HTTPException(404, missing)
    return value


__all__ = ["Format", "Site", "found"]
