"""The web explorer: ``create_app(db)`` builds a FastAPI app over one corpus file.

Every page has a JSON twin under ``/api`` (Datasette's habit): both are served by one view
in ``views`` that builds the page's context and renders it as HTML or JSON. This module only
wires URLs to views, the middleware, the templates and the error handlers. FastAPI serves
the OpenAPI document at ``/openapi.json`` and ``/api`` lists the endpoints. Pages are Jinja
templates with autoescaping on; the highlighted article text is built in ``render.py`` from
offsets. Nothing a request sends is used as a file path: ids are looked up in the database,
and static files come from the package's own folder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import views
from .add import CorpusAdder
from .analyze import Analyzer
from .render import SHARE_PARTS
from .security import (
    DEFAULT_MAX_BODY_BYTES,
    BodyLimitMiddleware,
    HostCheckMiddleware,
    SameOriginWriteMiddleware,
    SecurityHeadersMiddleware,
    jinja_finalize,
)
from .store import CorpusStore, StoreError
from .views import AnalyzeRequest
from .views.overview import OVERVIEW_LIMIT
from .views.search import SEARCH_LIMIT

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
# Past a signed 64-bit integer DuckDB refuses an OFFSET (a 500); a page past any corpus is
# refused as a bad parameter (422) instead.
MAX_OFFSET = 2**62


def templates_env() -> Environment:
    """Jinja environment: autoescape on for every template, control characters made visible."""
    env = Environment(
        loader=PackageLoader("sourcetrace.web", "templates"),
        autoescape=True,
        finalize=jinja_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["SHARE_PARTS"] = SHARE_PARTS
    env.filters["q"] = lambda value: quote(str(value), safe="")  # one URL path segment
    env.filters["plural"] = lambda n, word: f"{n} {word}" if n == 1 else f"{n} {word}s"
    return env


def create_app(
    db: str | Path,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    analyzer: Analyzer | None = None,
    allow_add: bool = False,
    alias_files: Sequence[str] = (),
    make_embedder: Callable[[], Any] | None = None,
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """Build the explorer over the corpus at ``db`` (opened read-only).

    db (str | Path): the corpus DuckDB file.
    max_body_bytes (int): largest request body accepted (413 beyond). Defaults to 2 MiB.
    analyzer (Analyzer | None): on-the-fly analyser. Defaults to ``Analyzer()`` (one
        pipeline per attribution tier, built on first use).
    allow_add (bool): let the analyse page add its result to the corpus (through
        ``corpus build``). Defaults to False: the server never writes.
    alias_files, make_embedder: passed to the corpus builder when adding.
    allowed_hosts (Sequence[str] | None): the Host names requests may carry (400 for any
        other); ``serve`` passes the bound address, loopback and ``--allow-host``. Defaults
        to None: no Host check (an app mounted by the caller, tests).
    RETURNS (FastAPI): the app; debug is always off.
    """
    store = CorpusStore(db)
    adder = (CorpusAdder(store, alias_files=alias_files, make_embedder=make_embedder)
             if allow_add else None)
    app = FastAPI(
        title="sourcetrace explorer",
        description="Sourcing of articles, provenance of claims and actors in a corpus.",
        version="1",
        debug=False,
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: the app stays offline
        redoc_url=None,
    )
    app.state.store = store
    app.state.analyzer = analyzer or Analyzer()
    app.state.max_body_bytes = max_body_bytes
    app.state.adder = adder
    env = templates_env()
    env.globals["allow_add"] = allow_add
    app.state.env = env
    site = views.Site(store=store, env=env, analyzer=app.state.analyzer, adder=adder,
                      max_body_bytes=max_body_bytes)
    app.state.site = site

    app.add_middleware(BodyLimitMiddleware, max_bytes=max_body_bytes)
    app.add_middleware(SameOriginWriteMiddleware)
    if allowed_hosts is not None:
        app.add_middleware(HostCheckMiddleware, allowed=allowed_hosts)
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return site.page(request, "error.html", exc.status_code, status=exc.status_code,
                         detail=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        if _wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
        return site.page(request, "error.html", 422, status=422, detail=detail)

    @app.exception_handler(StoreError)
    async def corpus_gone(request: Request, exc: StoreError) -> Response:
        # The corpus file was replaced by one that does not open: say so, not "internal".
        detail = f"{exc}; rebuild the corpus or restart the server"
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=503)
        return site.page(request, "error.html", 503, status=503, detail=detail)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Never a traceback to the client, whatever the request: it is logged here instead.
        logger.exception("error serving %s", request.url.path)
        if _wants_json(request):
            return JSONResponse({"detail": "internal error"}, status_code=500)
        return site.page(request, "error.html", 500, status=500, detail="internal error")

    # ---- overview -------------------------------------------------------------------
    @app.get("/api/overview", tags=["overview"], summary="Corpus counts, outlets, top claims")
    def api_overview(request: Request, limit: Annotated[int, Query(ge=1, le=200)] = 20
                     ) -> Response:
        return views.overview(site, request, "json", limit=limit)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview_page(request: Request) -> Response:
        return views.overview(site, request, "html", limit=OVERVIEW_LIMIT)

    # ---- articles ---------------------------------------------------------------------
    @app.get("/api/articles", tags=["articles"], summary="Articles, newest first")
    def api_articles(
        request: Request,
        outlet: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> Response:
        return views.articles(site, request, "json", outlet=outlet, limit=limit, offset=offset)

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(
        request: Request,
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> Response:
        return views.articles(site, request, "html", outlet=outlet, offset=offset)

    @app.get("/api/articles/{article_id:path}", tags=["articles"],
             summary="One article: its analysis record and corpus links")
    def api_article(request: Request, article_id: str) -> Response:
        return views.article(site, request, "json", article_id)

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> Response:
        return views.article(site, request, "html", article_id)

    # ---- actors -----------------------------------------------------------------------
    @app.get("/api/actors/{actor_id:path}", tags=["actors"],
             summary="One actor: names, merge evidence, statements by and about it, labels")
    def api_actor(request: Request, actor_id: str) -> Response:
        return views.actor(site, request, "json", actor_id)

    @app.get("/actors/{actor_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, actor_id: str) -> Response:
        return views.actor(site, request, "html", actor_id)

    # ---- claims -----------------------------------------------------------------------
    @app.get("/api/claims", tags=["claims"], summary="Claims by number of articles")
    def api_claims(
        min_articles: Annotated[int, Query(ge=1)] = 1,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        disputed: Annotated[bool, Query(description="Only claims another claim disputes")]
        = False,
    ) -> Response:
        return views.claims(site, min_articles=min_articles, limit=limit, offset=offset,
                            disputed=disputed)

    @app.get("/api/claims/{claim_id:path}", tags=["claims"],
             summary="One claim: provenance graph, independent origins, timeline")
    def api_claim(request: Request, claim_id: str) -> Response:
        return views.claim(site, request, "json", claim_id)

    @app.get("/claims/{claim_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def claim_page(request: Request, claim_id: str) -> Response:
        return views.claim(site, request, "html", claim_id)

    # ---- search -----------------------------------------------------------------------
    @app.get("/api/search", tags=["search"], summary="Search articles, claims and actors")
    def api_search(
        request: Request,
        q: Annotated[str, Query(max_length=200)] = "",
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = SEARCH_LIMIT,
    ) -> Response:
        return views.search(site, request, "json", q, outlet=outlet, limit=limit)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: Annotated[str, Query(max_length=200)] = "",
        outlet: Annotated[str | None, Query(max_length=200)] = None,
    ) -> Response:
        return views.search(site, request, "html", q, outlet=outlet, limit=SEARCH_LIMIT)

    # ---- analyse on the fly -----------------------------------------------------------
    @app.post("/api/analyze", tags=["analyze"],
              summary="Analyse text or HTML without adding it to the corpus")
    async def api_analyze(
        body: AnalyzeRequest,
        add: Annotated[bool, Query(description="Also add it to the corpus "
                                               "(only when the server allows adding).")] = False,
    ) -> dict[str, Any]:
        return await views.analyze_api(site, body, add=add)

    @app.post("/api/analyze/upload", tags=["analyze"],
              summary="Analyse an uploaded .txt or .html file without adding it to the corpus")
    async def api_analyze_upload(file: Annotated[UploadFile, File()]) -> dict[str, Any]:
        return await views.analyze_upload(site, file)

    @app.get("/analyze", response_class=HTMLResponse, include_in_schema=False)
    def analyze_form(request: Request) -> HTMLResponse:
        return views.analyze_form(site, request)

    @app.post("/analyze", response_class=HTMLResponse, include_in_schema=False)
    async def analyze_page(
        request: Request,
        text: Annotated[str, Form()] = "",
        html: Annotated[str, Form()] = "",
        file: Annotated[UploadFile | None, File()] = None,
        add: Annotated[bool, Form()] = False,
        tier: Annotated[str, Form()] = "auto",
    ) -> Response:
        return await views.analyze_page(site, request, text=text, html=html, file=file,
                                        add=add, tier=tier)

    # ---- API index --------------------------------------------------------------------
    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_index(request: Request) -> HTMLResponse:
        return views.api_index(site, request, app.openapi())

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


__all__ = ["AnalyzeRequest", "create_app", "templates_env"]
