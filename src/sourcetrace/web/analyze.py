"""Analyse a pasted text, an uploaded file or pasted HTML on the fly.

Nothing here touches the corpus: the result is an ``Analysis.to_dict()`` record that the
article view renders. One ``Pipeline`` per attribution tier is loaded on first use and
shared; analyses run one at a time (spaCy pipelines are not meant to be shared across
threads mid-call). The tier is the caller's choice; ``auto`` (one article) is the accurate
tier where it is installed, else the default one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..attributions import tiers
from ..model.article import Article
from ..model.errors import BadInputError

# Upload names ending in these are read as HTML; everything else as UTF-8 text.
HTML_SUFFIXES = (".html", ".htm")


class Analyzer:
    """Turns text, HTML or an uploaded file into an analysis record.

    make_pipeline (Callable | None): builds the one pipeline used for every tier (tests
        pass a lighter one). Defaults to None: ``pipeline_for``.
    pipeline_for (Callable[[str], Any] | None): builds the pipeline of a tier. Defaults to
        ``PipelineOptions(tier=tier).build()``.
    available (Callable[[str], str | None] | None): tier -> why it cannot run here, or
        None (``tiers.resolve``'s seam). Defaults to ``tiers.why_unavailable``.
    """

    def __init__(
        self,
        make_pipeline: Callable[[], Any] | None = None,
        *,
        pipeline_for: Callable[[str], Any] | None = None,
        available: Callable[[str], str | None] | None = None,
    ) -> None:
        self._make = make_pipeline
        self._pipeline_for = pipeline_for
        self._available = available
        self._pipelines: dict[str, Any] = {}
        self._lock = threading.Lock()

    def tier_choices(self) -> list[tuple[str, str | None]]:
        """(choice, why it cannot run here or None) for the form, ``auto`` first."""
        check = self._available or tiers.why_unavailable
        return [(c, None if c == tiers.AUTO else check(c)) for c in tiers.CHOICES]

    def resolve(self, choice: str | None) -> str:
        """The tier a choice means for one article. RAISES BadInputError (unknown tier, or
        one that cannot run here)."""
        name = (choice or tiers.AUTO).strip().lower()
        if name not in tiers.CHOICES:
            raise BadInputError("<form>", f"unknown tier {choice!r} (choose from "
                                f"{', '.join(tiers.CHOICES)})")
        try:
            return tiers.resolve(name, ["-"], available=self._available)
        except tiers.TierUnavailable as exc:
            raise BadInputError("<form>", str(exc)) from None

    def _get_pipeline(self, tier: str) -> Any:
        if self._make is not None:
            tier = "*"
        if tier not in self._pipelines:
            if self._make is not None:
                self._pipelines[tier] = self._make()
            elif self._pipeline_for is not None:
                self._pipelines[tier] = self._pipeline_for(tier)
            else:
                from ..pipeline import PipelineOptions

                self._pipelines[tier] = PipelineOptions(fast=tier == "fast", tier=tier).build()
        return self._pipelines[tier]

    def analyze_article(self, article: Article, *, tier: str | None = None) -> dict[str, Any]:
        """RAISES BadInputError when the article cannot be analysed (or the tier run)."""
        chosen = self.resolve(tier)
        with self._lock:
            return self._get_pipeline(chosen).analyze(article).to_dict()

    def analyze_text(
        self, text: str, *, title: str | None = None, tier: str | None = None
    ) -> dict[str, Any]:
        from ..ingest.text import article_from_text, check_text

        path = "<pasted text>"
        if not text.strip():
            raise BadInputError(path, "empty text")
        check_text(text, path)
        meta = {"format": "text", "title": title} if title else {"format": "text"}
        return self.analyze_article(article_from_text(text, path, meta), tier=tier)

    def analyze_html(
        self, html: str | bytes, *, path: str = "<pasted HTML>", tier: str | None = None
    ) -> dict[str, Any]:
        from ..ingest.html import article_from_html

        if not (html.strip() if isinstance(html, str) else html.strip()):
            raise BadInputError(path, "empty HTML")
        return self.analyze_article(article_from_html(html, path, {"format": "html"}),
                                    tier=tier)

    def analyze_upload(
        self, filename: str, data: bytes, *, tier: str | None = None
    ) -> dict[str, Any]:
        """An uploaded file by its name's extension; the name is only a label, never opened."""
        from ..ingest.text import article_from_bytes

        path = f"<upload: {filename or 'unnamed'}>"
        if not data:
            raise BadInputError(path, "empty file")
        if (filename or "").lower().endswith(HTML_SUFFIXES):
            return self.analyze_html(data, path=path, tier=tier)
        return self.analyze_article(article_from_bytes(data, path), tier=tier)


__all__ = ["HTML_SUFFIXES", "Analyzer"]
