"""Analyse a pasted text, an uploaded file or pasted HTML on the fly.

Nothing here touches the corpus: the result is an ``Analysis.to_dict()`` record that the
article view renders. One ``Pipeline`` is loaded on first use and shared; analyses run one
at a time (spaCy pipelines are not meant to be shared across threads mid-call).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..model.article import Article
from ..model.errors import BadInputError

# Upload names ending in these are read as HTML; everything else as UTF-8 text.
HTML_SUFFIXES = (".html", ".htm")


class Analyzer:
    """Turns text, HTML or an uploaded file into an analysis record.

    make_pipeline (Callable | None): builds the pipeline on first use. Defaults to
        ``Pipeline()``; tests pass a lighter one.
    """

    def __init__(self, make_pipeline: Callable[[], Any] | None = None) -> None:
        self._make = make_pipeline
        self._pipeline: Any = None
        self._lock = threading.Lock()

    def _get_pipeline(self) -> Any:
        if self._pipeline is None:
            if self._make is None:
                from ..pipeline import Pipeline

                self._pipeline = Pipeline()
            else:
                self._pipeline = self._make()
        return self._pipeline

    def analyze_article(self, article: Article) -> dict[str, Any]:
        """RAISES BadInputError when the article cannot be analysed."""
        with self._lock:
            return self._get_pipeline().analyze(article).to_dict()

    def analyze_text(self, text: str, *, title: str | None = None) -> dict[str, Any]:
        from ..ingest.text import article_from_text, check_text

        path = "<pasted text>"
        if not text.strip():
            raise BadInputError(path, "empty text")
        check_text(text, path)
        meta = {"format": "text", "title": title} if title else {"format": "text"}
        return self.analyze_article(article_from_text(text, path, meta))

    def analyze_html(self, html: str | bytes, *, path: str = "<pasted HTML>") -> dict[str, Any]:
        from ..ingest.html import article_from_html

        if not (html.strip() if isinstance(html, str) else html.strip()):
            raise BadInputError(path, "empty HTML")
        return self.analyze_article(article_from_html(html, path, {"format": "html"}))

    def analyze_upload(self, filename: str, data: bytes) -> dict[str, Any]:
        """An uploaded file by its name's extension; the name is only a label, never opened."""
        from ..ingest.text import article_from_bytes

        path = f"<upload: {filename or 'unnamed'}>"
        if not data:
            raise BadInputError(path, "empty file")
        if (filename or "").lower().endswith(HTML_SUFFIXES):
            return self.analyze_html(data, path=path)
        return self.analyze_article(article_from_bytes(data, path))


__all__ = ["HTML_SUFFIXES", "Analyzer"]
