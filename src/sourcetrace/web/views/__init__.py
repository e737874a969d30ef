"""One view per page, Datasette's way: each builds one context and renders it by format.

A view takes the ``Site`` (store, templates, settings), the request and the format:
``"json"`` returns the context as the ``/api/...`` body, ``"html"`` renders it with the
page's template (adding what only the page draws: charts, graph table rows). ``app.py``
wires the URLs to these views; the questions are ``sourcetrace.corpus.query`` functions.
"""

from __future__ import annotations

from .actor import actor
from .analyze import AnalyzeRequest, analyze_api, analyze_form, analyze_page, analyze_upload
from .articles import article, article_context, articles
from .base import Format, Site, found
from .claims import claim, claims
from .index import api_index
from .overview import overview
from .search import search

__all__ = [
    "AnalyzeRequest",
    "Format",
    "Site",
    "actor",
    "analyze_api",
    "analyze_form",
    "analyze_page",
    "analyze_upload",
    "api_index",
    "article",
    "article_context",
    "articles",
    "claim",
    "claims",
    "found",
    "overview",
    "search",
]
