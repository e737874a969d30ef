"""The web explorer: ``create_app(db)`` builds a FastAPI app over one corpus file.

Every page has a JSON twin under ``/api`` (Datasette's habit); FastAPI serves the OpenAPI
document at ``/openapi.json`` and ``/api`` lists the endpoints. Pages are Jinja templates
with autoescaping on; the highlighted article text is built in ``render.py`` from offsets.
Nothing a request sends is used as a file path: ids are looked up in the database, and
static files come from the package's own folder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..model.errors import BadInputError, SourcetraceError
from .add import CorpusAdder
from .analyze import Analyzer
from .highlight import highlight_segments
from .render import SHARE_PARTS, highlighted_text, share_bars, spread_chart
from .security import (
    DEFAULT_MAX_BODY_BYTES,
    BodyLimitMiddleware,
    SecurityHeadersMiddleware,
    jinja_finalize,
)
from .store import CorpusStore, NotFound, graph_rows

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
GRAPH_ASSET = "vendor/cytoscape.min.js"
SEARCH_LIMIT = 50  # hits per kind on the search page
PAGE_SIZE = 50  # articles per page of the article list


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


class AnalyzeRequest(BaseModel):
    """Text or HTML to analyse; exactly one of the two."""

    text: str | None = Field(None, description="Plain article text.")
    html: str | None = Field(None, description="An HTML page (no URL is fetched).")
    title: str | None = Field(None, description="Title for plain text.")


def create_app(
    db: str | Path,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    analyzer: Analyzer | None = None,
    allow_add: bool = False,
    alias_files: Sequence[str] = (),
    make_embedder: Callable[[], Any] | None = None,
) -> FastAPI:
    """Build the explorer over the corpus at ``db`` (opened read-only).

    db (str | Path): the corpus DuckDB file.
    max_body_bytes (int): largest request body accepted (413 beyond). Defaults to 2 MiB.
    analyzer (Analyzer | None): on-the-fly analyser. Defaults to one over ``Pipeline()``.
    allow_add (bool): let the analyse page add its result to the corpus (through
        ``corpus build``). Defaults to False: the server never writes.
    alias_files, make_embedder: passed to the corpus builder when adding.
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
    app.state.graph_asset = (STATIC_DIR / GRAPH_ASSET).is_file()
    env = templates_env()
    env.globals["graph_asset"] = app.state.graph_asset
    env.globals["allow_add"] = allow_add
    app.state.env = env

    app.add_middleware(BodyLimitMiddleware, max_bytes=max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    def page(request: Request, template: str, code: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(template).render(request=request, **context)
        return HTMLResponse(html, status_code=code)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return page(request, "error.html", exc.status_code, status=exc.status_code,
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
        return page(request, "error.html", 422, status=422, detail=detail)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Never a traceback to the client, whatever the request: it is logged here instead.
        logger.exception("error serving %s", request.url.path)
        if _wants_json(request):
            return JSONResponse({"detail": "internal error"}, status_code=500)
        return page(request, "error.html", 500, status=500, detail="internal error")

    # ---- overview -------------------------------------------------------------------
    @app.get("/api/overview", tags=["overview"], summary="Corpus counts, outlets, top claims")
    def api_overview(limit: Annotated[int, Query(ge=1, le=200)] = 20) -> JSONResponse:
        return JSONResponse(store.overview(limit=limit))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview_page(request: Request) -> HTMLResponse:
        data = store.overview(limit=20)
        chart = share_bars(
            data["outlets"],
            label=lambda r: f"{r['outlet']} ({r['articles']})",
            href=lambda r: "/articles?" + urlencode({"outlet": r["outlet"]}),
        )
        return page(request, "overview.html", data=data, chart=chart)

    # ---- articles ---------------------------------------------------------------------
    @app.get("/api/articles", tags=["articles"], summary="Articles, newest first")
    def api_articles(
        outlet: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> JSONResponse:
        return JSONResponse(store.articles(outlet=outlet, limit=limit, offset=offset))

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(
        request: Request,
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> HTMLResponse:
        data = store.articles(outlet=outlet, limit=PAGE_SIZE, offset=offset)
        return page(request, "articles.html", data=data, outlet=outlet, offset=offset,
                    page_size=PAGE_SIZE)

    @app.get("/api/articles/{article_id}", tags=["articles"],
             summary="One article: its analysis record and corpus links")
    def api_article(article_id: str) -> JSONResponse:
        return JSONResponse(_found(store.article, article_id))

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        data = _found(store.article, article_id)
        return page(request, "article.html", **_article_context(data))

    # ---- actors -----------------------------------------------------------------------
    @app.get("/api/actors/{actor_id}", tags=["actors"],
             summary="One actor: names, merge evidence, statements by and about it, labels")
    def api_actor(actor_id: str) -> JSONResponse:
        return JSONResponse(_found(store.actor, actor_id))

    @app.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, actor_id: str) -> HTMLResponse:
        return page(request, "actor.html", actor=_found(store.actor, actor_id))

    # ---- claims -----------------------------------------------------------------------
    @app.get("/api/claims", tags=["claims"], summary="Claims by number of articles")
    def api_claims(
        min_articles: Annotated[int, Query(ge=1)] = 1,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> JSONResponse:
        return JSONResponse(store.claims(min_articles=min_articles, limit=limit, offset=offset))

    @app.get("/api/claims/{claim_id}", tags=["claims"],
             summary="One claim: provenance graph, independent origins, timeline")
    def api_claim(claim_id: str) -> JSONResponse:
        return JSONResponse(_found(store.claim, claim_id))

    @app.get("/claims/{claim_id}", response_class=HTMLResponse, include_in_schema=False)
    def claim_page(request: Request, claim_id: str) -> HTMLResponse:
        claim = _found(store.claim, claim_id)
        return page(request, "claim.html", claim=claim, graph_rows=graph_rows(claim["graph"]),
                    spread=spread_chart(claim["timeline"]))

    # ---- search -----------------------------------------------------------------------
    @app.get("/api/search", tags=["search"], summary="Search articles, claims and actors")
    def api_search(
        q: Annotated[str, Query(max_length=200)] = "",
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = SEARCH_LIMIT,
    ) -> JSONResponse:
        return JSONResponse(store.search(q, outlet=outlet, limit=limit))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: Annotated[str, Query(max_length=200)] = "",
        outlet: Annotated[str | None, Query(max_length=200)] = None,
    ) -> HTMLResponse:
        results = store.search(q, outlet=outlet, limit=SEARCH_LIMIT)
        return page(request, "search.html", q=q, outlet=outlet, results=results)

    # ---- analyse on the fly -----------------------------------------------------------
    @app.post("/api/analyze", tags=["analyze"],
              summary="Analyse text or HTML without adding it to the corpus")
    async def api_analyze(
        body: AnalyzeRequest,
        add: Annotated[bool, Query(description="Also add it to the corpus "
                                               "(only when the server allows adding).")] = False,
    ) -> dict[str, Any]:
        analyzer: Analyzer = app.state.analyzer
        if add and adder is None:
            raise HTTPException(403, "this server does not add to the corpus "
                                     "(start it with --allow-add)")
        try:
            if body.html is not None and body.text is None:
                record = await run_in_threadpool(analyzer.analyze_html, body.html)
            elif body.text is not None and body.html is None:
                record = await run_in_threadpool(analyzer.analyze_text, body.text,
                                                 title=body.title)
            else:
                raise HTTPException(422, "give exactly one of 'text' and 'html'")
        except BadInputError as e:
            raise HTTPException(422, e.reason) from None
        if add:
            record["corpus_id"] = await _add(record)
        return record

    async def _add(record: dict[str, Any]) -> str:
        assert adder is not None
        try:
            return await run_in_threadpool(adder.add, record)
        except SourcetraceError as e:
            raise HTTPException(409, f"not added: {e}") from None

    @app.post("/api/analyze/upload", tags=["analyze"],
              summary="Analyse an uploaded .txt or .html file without adding it to the corpus")
    async def api_analyze_upload(file: Annotated[UploadFile, File()]) -> dict[str, Any]:
        data = await file.read()
        try:
            return await run_in_threadpool(
                app.state.analyzer.analyze_upload, file.filename or "", data
            )
        except BadInputError as e:
            raise HTTPException(422, e.reason) from None

    @app.get("/analyze", response_class=HTMLResponse, include_in_schema=False)
    def analyze_form(request: Request) -> HTMLResponse:
        return page(request, "analyze.html", limit=max_body_bytes, error=None)

    @app.post("/analyze", response_class=HTMLResponse, include_in_schema=False)
    async def analyze_page(
        request: Request,
        text: Annotated[str, Form()] = "",
        html: Annotated[str, Form()] = "",
        file: Annotated[UploadFile | None, File()] = None,
        add: Annotated[bool, Form()] = False,
    ) -> Response:
        analyzer: Analyzer = app.state.analyzer
        if add and adder is None:
            raise HTTPException(403, "this server does not add to the corpus "
                                     "(start it with --allow-add)")
        try:
            if file is not None and file.filename:
                record = await run_in_threadpool(
                    analyzer.analyze_upload, file.filename, await file.read()
                )
            elif html.strip():
                record = await run_in_threadpool(analyzer.analyze_html, html)
            elif text.strip():
                record = await run_in_threadpool(analyzer.analyze_text, text)
            else:
                raise BadInputError("<form>", "nothing to analyse: paste text or HTML, "
                                    "or choose a file")
        except BadInputError as e:
            return page(request, "analyze.html", 422, limit=max_body_bytes,
                        error=f"{e.path}: {e.reason}")
        if add:
            stored = await _add(record)
            return RedirectResponse(f"/articles/{quote(stored, safe='')}", status_code=303)
        data = {"record": record, "actors": {}, "claims": {}, "in_corpus": False}
        return page(request, "article.html", **_article_context(data))

    # ---- API index --------------------------------------------------------------------
    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_index(request: Request) -> HTMLResponse:
        routes = [
            {"method": method.upper(), "path": path, "summary": op.get("summary", "")}
            for path, ops in app.openapi()["paths"].items()
            for method, op in ops.items()
        ]
        return page(request, "api.html", routes=routes)

    return app


def _found(fetch: Any, key: str) -> dict[str, Any]:
    try:
        return fetch(key)
    except NotFound as e:
        raise HTTPException(404, str(e)) from None


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _article_context(data: dict[str, Any]) -> dict[str, Any]:
    record = data["record"]
    segments = highlight_segments(record)
    local_actors = {a["id"]: a for a in record.get("actors") or ()}
    return {
        "data": data,
        "record": record,
        "text_html": highlighted_text(record, segments=segments),
        "local_actors": local_actors,
        "title": (record.get("metadata") or {}).get("title") or record.get("path") or "",
    }


__all__ = ["AnalyzeRequest", "create_app", "templates_env"]
