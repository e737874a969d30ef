"""Analysis on the fly: the form (``/analyze``), its result page, and the API endpoints.

The result is shown with the article template, marked as not part of the corpus; with
``serve --allow-add`` it can be added, and the page then redirects to the stored article.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from ...model.errors import BadInputError, SourcetraceError
from .articles import article_context
from .base import Site

NOT_ADDING = "this server does not add to the corpus (start it with --allow-add)"


class AnalyzeRequest(BaseModel):
    """Text or HTML to analyse; exactly one of the two."""

    text: str | None = Field(None, description="Plain article text.")
    html: str | None = Field(None, description="An HTML page (no URL is fetched).")
    title: str | None = Field(None, description="Title for plain text.")
    tier: str | None = Field(None, description="Attribution tier: auto (the default), fast, "
                             "default or accurate; the record's 'tier' says which ran.")


async def analyze_api(site: Site, body: AnalyzeRequest, *, add: bool) -> dict[str, Any]:
    """The analysis record of ``body`` (with ``corpus_id`` when added)."""
    analyzer = site.analyzer
    if add and site.adder is None:
        raise HTTPException(403, NOT_ADDING)
    try:
        if body.html is not None and body.text is None:
            record = await run_in_threadpool(analyzer.analyze_html, body.html, tier=body.tier)
        elif body.text is not None and body.html is None:
            record = await run_in_threadpool(analyzer.analyze_text, body.text,
                                             title=body.title, tier=body.tier)
        else:
            raise HTTPException(422, "give exactly one of 'text' and 'html'")
    except BadInputError as e:
        raise HTTPException(422, e.reason) from None
    if add:
        record["corpus_id"] = await _add(site, record)
    return record


async def analyze_upload(site: Site, file: UploadFile) -> dict[str, Any]:
    """The analysis record of an uploaded .txt or .html file."""
    data = await file.read()
    try:
        return await run_in_threadpool(site.analyzer.analyze_upload, file.filename or "", data)
    except BadInputError as e:
        raise HTTPException(422, e.reason) from None


def analyze_form(site: Site, request: Request) -> HTMLResponse:
    """The empty form."""
    return site.page(request, "analyze.html", limit=site.max_body_bytes, error=None,
                     tiers=site.analyzer.tier_choices(), chosen="auto")


async def analyze_page(
    site: Site, request: Request, *, text: str, html: str, file: UploadFile | None, add: bool,
    tier: str = "auto",
) -> Response:
    """The form's result: the article page over the record, or the form with the error."""
    analyzer = site.analyzer
    if add and site.adder is None:
        raise HTTPException(403, NOT_ADDING)
    try:
        if file is not None and file.filename:
            record = await run_in_threadpool(
                analyzer.analyze_upload, file.filename, await file.read(), tier=tier
            )
        elif html.strip():
            record = await run_in_threadpool(analyzer.analyze_html, html, tier=tier)
        elif text.strip():
            record = await run_in_threadpool(analyzer.analyze_text, text, tier=tier)
        else:
            raise BadInputError("<form>", "nothing to analyse: paste text or HTML, "
                                "or choose a file")
    except BadInputError as e:
        return site.page(request, "analyze.html", 422, limit=site.max_body_bytes,
                         error=f"{e.path}: {e.reason}", tiers=analyzer.tier_choices(),
                         chosen=tier)
    if add:
        stored = await _add(site, record)
        return RedirectResponse(f"/articles/{quote(stored, safe='')}", status_code=303)
    data = {"record": record, "actors": {}, "claims": {}, "in_corpus": False}
    return site.page(request, "article.html", **article_context(data))


async def _add(site: Site, record: dict[str, Any]) -> str:
    assert site.adder is not None
    try:
        return await run_in_threadpool(site.adder.add, record)
    except SourcetraceError as e:
        raise HTTPException(409, f"not added: {e}") from None


__all__ = ["NOT_ADDING", "AnalyzeRequest", "analyze_api", "analyze_form", "analyze_page",
           "analyze_upload"]
