"""How an article's outlet is named wherever the corpus shows one: the outlet when the
input gave it, else a readable stand-in marked "(unknown outlet)", never an article id.

Only known outlets are counted as outlets; articles with none are counted apart.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

UNKNOWN = "unknown outlet"
TITLE_CHARS = 60  # a stand-in title is cut here: it sits in tables and graph nodes


def outlet_label(
    outlet: str | None,
    url: str | None = None,
    path: str | None = None,
    title: str | None = None,
) -> str:
    """The outlet, or "<domain of the URL> (unknown outlet)", else the file name (the
    title first for a record of a JSONL or WARC file), else "(unknown outlet)"."""
    if outlet and outlet.strip():
        return " ".join(outlet.split())
    # A record inside a file ("feed.jsonl#12") reads better by its title.
    record = bool(path and "#" in os.path.basename(path))
    if record:
        stand_in = _domain(url) or _clip(title) or _file_name(path)
    else:
        stand_in = _domain(url) or _file_name(path) or _clip(title)
    return f"{stand_in} ({UNKNOWN})" if stand_in else f"({UNKNOWN})"


def _domain(url: str | None) -> str:
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _file_name(path: str | None) -> str:
    if not path or path.strip() in ("-", "<stdin>"):
        return ""
    name = os.path.basename(path.replace("\\", "/").rstrip("/"))
    return " ".join(name.split())


def _clip(title: str | None) -> str:
    t = " ".join((title or "").split())
    return t if len(t) <= TITLE_CHARS else t[: TITLE_CHARS - 1].rstrip() + "…"


__all__ = ["UNKNOWN", "outlet_label"]
