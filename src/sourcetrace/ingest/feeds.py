"""RSS and Atom feeds: tell a feed from a page, and list its items.

feedparser reads every RSS and Atom version and survives malformed feeds. A feed is
untrusted XML: one that declares entities (the "billion laughs" expansion, external
entities) is refused before any parser sees it, as defusedxml does by default.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass

from ..model.errors import BadInputError

__all__ = ["FeedItem", "is_feed", "parse_feed"]

# How far into a body the root element is looked for (past an XML declaration,
# comments and a stylesheet instruction).
_SNIFF = 2048
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed: its link and what the feed says about it."""

    link: str
    title: str | None = None
    published: str | None = None  # ISO 8601 (UTC) when the feed gives a date
    outlet: str | None = None  # the feed's own title


def is_feed(body: bytes, content_type: str = "") -> bool:
    """Whether a fetched body is an RSS/Atom feed (by its type, else by its root element)."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in _FEED_TYPES:
        return True
    if "html" in kind:
        return False
    head = body[:_SNIFF].lstrip()
    return bool(_FEED_ROOT.search(head)) and not head.lower().startswith((b"<!doctype html",
                                                                          b"<html"))


def parse_feed(body: bytes, url: str) -> list[FeedItem]:
    """The items of a feed, in feed order (relative links resolved against ``url``).

    RAISES BadInputError: entity declarations, or nothing readable as a feed.
    """
    import feedparser  # here: only runs that read feeds pay for it

    if _ENTITY.search(body):
        raise BadInputError(url, "feed declares XML entities (refused: entity expansion)")
    # A stream, never bytes or str: feedparser would take a string for a URL or filename.
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers={"content-location": url}, sanitize_html=False
    )
    if parsed.get("bozo") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise BadInputError(url, f"not a readable feed: {reason or 'no items'}")
    outlet = (parsed.feed.get("title") or "").strip() or None
    items = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link:
            continue
        items.append(FeedItem(
            link=link,
            title=(entry.get("title") or "").strip() or None,
            published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
            outlet=outlet,
        ))
    return items


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
