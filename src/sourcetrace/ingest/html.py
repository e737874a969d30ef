"""HTML input: body text and metadata through trafilatura.

Extraction is an ordered cascade; each step runs only when the one before came up short:

1. ``trafilatura.bare_extraction`` (its own fallbacks on): article body + metadata;
2. ``trafilatura.baseline``: the page's paragraphs, for pages the main extractor rejects;
3. nothing with at least MIN_ARTICLE_WORDS words: the page is a bad input.

The text is the extracted body with the title put first (then a blank line) when the body
does not already start with it, so headline cues reach the analysis.
"""

from __future__ import annotations

import logging
from typing import Any

import trafilatura

from ..model.article import Article
from ..model.errors import BadInputError
from . import text as _text
from .text import build_article, read_bytes

logger = logging.getLogger(__name__)

__all__ = ["MIN_ARTICLE_WORDS", "article_from_html", "read_html_file"]

# Below this many words an extraction is navigation or a teaser, not an article: one
# news sentence runs ~20 words.
MIN_ARTICLE_WORDS = 20

NO_ARTICLE = "HTML has no article text"

# trafilatura metadata field -> our metadata key
_META_FIELDS = (
    ("title", "title"),
    ("date", "published"),
    ("author", "author"),
    ("sitename", "outlet"),
    ("url", "url"),
)


def article_from_html(
    html: bytes | str,
    path: str,
    metadata: dict[str, Any] | None = None,
    *,
    defaults: dict[str, Any] | None = None,
) -> Article:
    """Make an Article from an HTML page.

    html (bytes | str): the page; bytes let trafilatura detect the encoding.
    path (str): where it came from ("file.html", "crawl.warc.gz#3").
    metadata (dict | None): known metadata (e.g. url, id); wins over what is extracted.
    defaults (dict | None): metadata used only where extraction found nothing (e.g. the
        WARC-Date as "published").
    RETURNS (Article): the article.
    RAISES BadInputError: no article text, or the text is too large.
    """
    metadata = dict(metadata or {})
    if not html.strip():
        raise BadInputError(path, NO_ARTICLE)
    if isinstance(html, bytes) and _is_binary_html(html):
        raise BadInputError(path, "binary file, not text")

    url = metadata.get("url")
    body, found = _try_trafilatura(html, url, path)
    if _word_count(body) < MIN_ARTICLE_WORDS:
        logger.debug("%s: trafilatura found %d words, trying baseline", path, _word_count(body))
        body = _try_baseline(html, path)
        if _word_count(body) < MIN_ARTICLE_WORDS:
            raise BadInputError(path, NO_ARTICLE)
        logger.debug("%s: baseline extraction used", path)
    else:
        logger.debug("%s: trafilatura extraction used", path)

    title = found.get("title")
    text = body if not title or _starts_with(body, title) else f"{title}\n\n{body}"
    if len(text) > _text.MAX_TEXT_CHARS:
        raise BadInputError(
            path, f"text too large ({len(text)} chars > {_text.MAX_TEXT_CHARS} limit)"
        )

    base = dict(defaults or {})
    base.setdefault("format", "html")
    # Extracted values beat the defaults and whatever the text's furniture suggests;
    # caller-given metadata beats everything.
    return build_article(text, path, {**found, **metadata}, defaults=base)


def read_html_file(path: str) -> Article:
    """Article from an .html/.htm file; RAISES BadInputError."""
    data = read_bytes(path)
    if not data:
        raise BadInputError(path, "empty file")
    if not data.strip():
        raise BadInputError(path, "whitespace-only file")
    return article_from_html(data, path)


def _try_trafilatura(html: bytes | str, url: str | None, path: str) -> tuple[str, dict[str, Any]]:
    # A failure inside trafilatura gives an empty result, so the next fallback runs.
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, output_format="python"
        )
    except Exception as e:  # a third-party failure must not stop the batch
        logger.debug("%s: trafilatura failed: %s", path, e)
        return "", {}
    if doc is None:
        return "", {}
    found: dict[str, Any] = {}
    for attr, key in _META_FIELDS:
        value = getattr(doc, attr, None)
        if isinstance(value, str) and value.strip():
            found[key] = value.strip()
    return (doc.text or "").strip(), found


def _try_baseline(html: bytes | str, path: str) -> str:
    try:
        _, text, _ = trafilatura.baseline(html)
    except Exception as e:  # a third-party failure must not stop the batch
        logger.debug("%s: baseline failed: %s", path, e)
        return ""
    return (text or "").strip()


def _is_binary_html(data: bytes) -> bool:
    # Pages come in many encodings (cp1251, UTF-16...) that trafilatura decodes, so the
    # UTF-8 test used for .txt would refuse good pages; only NUL bytes outside UTF-16 mark
    # a binary file (an image or archive saved as .html).
    head = data[: _text.SNIFF_BYTES]
    return b"\0" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _word_count(text: str) -> int:
    return len(text.split())


def _starts_with(body: str, title: str) -> bool:
    norm_title = " ".join(title.split()).casefold()
    head = " ".join(body[: len(title) * 2 + 20].split()).casefold()
    return head.startswith(norm_title)
