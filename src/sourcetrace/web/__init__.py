"""Web explorer over a corpus: ``sourcetrace serve --db corpus.duckdb``.

``create_app(db)`` builds the FastAPI app; ``views`` holds one view per page (HTML or JSON
from one context, read through ``corpus.query``); ``store.CorpusStore`` holds the read-only
connection; ``highlight``/``render`` turn analysis offsets into escaped HTML; ``security``
holds the body limit, response headers and control-character handling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(*args: Any, **kwargs: Any) -> FastAPI:
    """Build the explorer app (see ``sourcetrace.web.app.create_app``)."""
    from .app import create_app as _create

    return _create(*args, **kwargs)
