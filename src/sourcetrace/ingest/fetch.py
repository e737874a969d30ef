"""Web input: fetch an http(s) URL and read what comes back.

``read_url`` fetches one URL (httpx, with a timeout, a size cap, a limited number of
redirects, http and https only, a User-Agent naming sourcetrace) and reads the body by
its type: HTML through the HTML ingest (url, outlet from the site name or else the
domain, published), an RSS/Atom feed expanded to its items (each fetched in turn), a PDF
or plain text through their readers. Every failure is one ``BadInputError`` naming the
URL; the rest of the batch goes on.

A URL list is a ``.urls`` file, or a ``.txt`` file whose every non-blank line (``#``
comments aside) is one http(s) URL: each URL is read as if given on the command line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..model.article import Article
from ..model.errors import BadInputError
from ..model.version import VERSION
from .feeds import FeedItem, is_feed, parse_feed
from .html import article_from_html
from .text import article_from_bytes

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_FETCH",
    "USER_AGENT",
    "FetchOptions",
    "Fetched",
    "fetch",
    "is_url",
    "is_url_list",
    "looks_like_url_list",
    "read_url",
    "read_url_list",
    "url_list",
]

USER_AGENT = f"sourcetrace/{VERSION} (news attribution tool)"
# Per network step (connect, each read): news sites answer in well under a second; 20 s
# lets a slow one through and still ends a dead one.
DEFAULT_TIMEOUT_S = 20.0
# Largest body read: a heavy news page is 1-3 MB of HTML and a report PDF rarely over
# 20 MB; past 32 MB it is not an article.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
# Redirects followed (http -> https -> canonical host -> article is three).
DEFAULT_MAX_REDIRECTS = 5
# Items taken from one feed (news feeds carry 10-100).
MAX_FEED_ITEMS = 500

Result = Article | BadInputError


@dataclass(frozen=True)
class FetchOptions:
    """How URLs are fetched (tests pass small limits here).

    timeout: seconds for each network step, and for the whole body.
    max_bytes: largest body read.
    max_redirects: redirects followed before giving up.
    """

    timeout: float = DEFAULT_TIMEOUT_S
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    user_agent: str = USER_AGENT
    headers: dict[str, str] = field(default_factory=dict)


DEFAULT_FETCH = FetchOptions()


@dataclass(frozen=True)
class Fetched:
    """A fetched body: the final URL (after redirects), its content type, the bytes."""

    url: str
    content_type: str
    body: bytes


def is_url(path: str) -> bool:
    """Whether an input names a web page (http or https) rather than a file."""
    return path[:8].lower().startswith(("http://", "https://"))


def fetch(url: str, options: FetchOptions = DEFAULT_FETCH) -> Fetched:
    """GET ``url``; RAISES BadInputError (naming ``url``) for anything but a 2xx body."""
    import httpx  # here: only runs that read the web pay for it

    if not is_url(url):
        raise BadInputError(url, "only http and https URLs are fetched")
    headers = {"User-Agent": options.user_agent, **options.headers}
    deadline = time.monotonic() + options.timeout
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=options.max_redirects,
                timeout=options.timeout,
                headers=headers,
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                phrase = response.reason_phrase or ""
                raise BadInputError(url, f"HTTP {response.status_code} {phrase}".strip())
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > options.max_bytes:
                raise BadInputError(url, _too_large(options.max_bytes))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > options.max_bytes:
                    raise BadInputError(url, _too_large(options.max_bytes))
                if time.monotonic() > deadline:
                    raise BadInputError(url, f"timed out after {options.timeout:g} s")
                chunks.append(chunk)
            return Fetched(
                str(response.url), response.headers.get("content-type", ""), b"".join(chunks)
            )
    except httpx.TooManyRedirects:
        raise BadInputError(url, f"more than {options.max_redirects} redirects") from None
    except httpx.TimeoutException:
        raise BadInputError(url, f"timed out after {options.timeout:g} s") from None
    except httpx.UnsupportedProtocol as exc:
        raise BadInputError(url, f"redirected off http(s): {exc}") from None
    except httpx.InvalidURL as exc:
        raise BadInputError(url, f"invalid URL: {exc}") from None
    except httpx.HTTPError as exc:  # connection refused, DNS, TLS, protocol errors
        raise BadInputError(url, f"cannot fetch: {exc or type(exc).__name__}") from None


def read_url(url: str, options: FetchOptions = DEFAULT_FETCH) -> Iterator[Result]:
    """Articles from a URL: one for a page, PDF or text; one per item for a feed."""
    try:
        got = fetch(url, options)
    except BadInputError as exc:
        yield exc
        return
    if is_feed(got.body, got.content_type):
        try:
            items = parse_feed(got.body, got.url)
        except BadInputError as exc:
            yield BadInputError(url, exc.reason)
            return
        logger.info("%s: feed with %d items", url, len(items))
        if not items:
            yield BadInputError(url, "feed has no items")
        for item in items[:MAX_FEED_ITEMS]:
            yield from _read_item(item, options)
        return
    try:
        yield article_from_fetched(got, url)
    except BadInputError as exc:
        yield exc


def article_from_fetched(
    got: Fetched, path: str, defaults: dict[str, Any] | None = None
) -> Article:
    """The Article in a fetched body (HTML, PDF or plain text); RAISES BadInputError."""
    kind = got.content_type.split(";")[0].strip().lower()
    meta = {"url": got.url}
    base = {"outlet": _domain(got.url), **(defaults or {})}
    if kind == "application/pdf" or got.body.startswith(b"%PDF-"):
        from .pdf import article_from_pdf

        return article_from_pdf(got.body, path, meta, defaults=base)
    if kind == "text/plain":
        article = article_from_bytes(got.body, path)
        merged = {**base, **article.metadata, **meta, "format": "web"}
        return Article(article.id, article.path, article.text, merged, article.excluded)
    if kind and "html" not in kind and "xml" not in kind:
        raise BadInputError(path, f"unsupported content type {kind} (reads HTML, PDF, text)")
    article = article_from_html(got.body, path, meta, defaults={**base, "format": "web"})
    outlet = article.metadata.get("outlet")
    if defaults and defaults.get("outlet") and _is_host_of(outlet, got.url):
        # trafilatura names a page with no site name after its host; a feed knows better.
        article = Article(article.id, article.path, article.text,
                          {**article.metadata, "outlet": defaults["outlet"]}, article.excluded)
    return article


def _read_item(item: FeedItem, options: FetchOptions) -> Iterator[Result]:
    try:
        got = fetch(item.link, options)
        defaults = {k: v for k, v in (("title", item.title), ("published", item.published),
                                      ("outlet", item.outlet)) if v}
        yield article_from_fetched(got, item.link, defaults)
    except BadInputError as exc:
        yield BadInputError(item.link, exc.reason)


def url_list(data: bytes) -> list[str] | None:
    """The URLs of a URL list (one a line, ``#`` comments), or None if it is not one."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    urls = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line) or any(ch.isspace() for ch in line):
            return None
        urls.append(line)
    return urls or None


def looks_like_url_list(head: bytes) -> bool:
    """Whether a file's first line with content (``#`` comments aside) is a URL."""
    for raw in head.splitlines():
        line = raw.strip().lstrip(b"\xef\xbb\xbf")
        if line and not line.startswith(b"#"):
            return is_url(line[:8].decode("ascii", "replace"))
    return False


def is_url_list(path: str, data: bytes) -> bool:
    """A ``.urls`` file, or a ``.txt`` holding only URLs."""
    return path.lower().endswith((".urls", ".txt")) and url_list(data) is not None


def read_url_list(
    path: str, data: bytes, options: FetchOptions = DEFAULT_FETCH
) -> Iterator[Result]:
    """Articles from every URL of a URL list file, in order."""
    urls = url_list(data)
    if urls is None:
        yield BadInputError(path, "not a URL list (one http(s) URL a line, # comments)")
        return
    for url in urls:
        yield from read_url(url, options)


def _domain(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def _is_host_of(name: object, url: str) -> bool:
    netloc = urlsplit(url).netloc.lower()
    return isinstance(name, str) and name.lower().removeprefix("www.") in (
        netloc, netloc.removeprefix("www."), _domain(url))


def _too_large(limit: int) -> str:
    return f"response too large (over {limit} bytes)"
