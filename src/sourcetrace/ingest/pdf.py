"""PDF input (press releases, reports): the text layer of each page, through pypdf.

The text is the pages' extracted text joined by blank lines; offsets index that text
(a PDF has no text of its own to point into). A scanned PDF has no text layer and is
refused with a reason that says so; an encrypted one too.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from ..model.article import Article
from ..model.errors import BadInputError
from .text import build_article, check_text, read_bytes

logger = logging.getLogger(__name__)

__all__ = ["MAX_PDF_BYTES", "MAX_PDF_PAGES", "article_from_pdf", "read_pdf_file"]

# Report PDFs with images run to tens of MB; the text is what we need and 64 MB is far past
# a press release or report.
MAX_PDF_BYTES = 64 * 1024 * 1024
# Pages read: a long report is ~200 pages; past that it is a book, not an article.
MAX_PDF_PAGES = 500


def article_from_pdf(
    data: bytes,
    path: str,
    metadata: dict[str, Any] | None = None,
    *,
    defaults: dict[str, Any] | None = None,
) -> Article:
    """Article from the bytes of a PDF; RAISES BadInputError."""
    from pypdf import PdfReader  # here: only runs that read PDFs pay for it
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise BadInputError(path, "encrypted PDF (no text can be read)")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise BadInputError(path, f"PDF has {len(reader.pages)} pages (limit "
                                f"{MAX_PDF_PAGES})")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info = reader.metadata
        title = (info.title or "").strip() if info else ""
        author = (info.author or "").strip() if info else ""
    except BadInputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise BadInputError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise BadInputError(path, "PDF has no text layer (a scan? run OCR first)")
    check_text(text, path)
    found = {k: v for k, v in (("title", title), ("author", author)) if v}
    base = {"format": "pdf", **(defaults or {})}
    return build_article(text, path, {**found, **(metadata or {})}, defaults=base)


def read_pdf_file(path: str) -> Article:
    """Article from a .pdf file; RAISES BadInputError."""
    data = read_bytes(path, MAX_PDF_BYTES)
    if not data:
        raise BadInputError(path, "empty file")
    article = article_from_pdf(data, path)
    logger.debug("%s: pdf, %d chars", path, len(article.text))
    return article
