"""Article: the unit every stage after ingest works on."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Offsets = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Excluded:
    """A range of the text that is page furniture (breadcrumbs, related links, dateline...).

    The text itself is never changed; analysis skips these ranges.
    """

    start: int
    end: int
    kind: str  # breadcrumb | related | comment | dateline | url | heading_repeat ...

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "kind": self.kind}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Excluded:
        return cls(int(d["start"]), int(d["end"]), d.get("kind", ""))


@dataclass(frozen=True, slots=True)
class Article:
    """One news article.

    id (str): stable identifier (content hash unless the input gives one).
    path (str): input file, or URL for web/WARC input; with "#N" for the Nth record of a file.
    text (str): the analysed text; every offset in the output indexes this string.
    metadata (dict): title, published, author, outlet, url... whatever the input gave.
    excluded (tuple[Excluded]): ranges of furniture, in text order.
    """

    id: str
    path: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    excluded: tuple[Excluded, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": printable_path(self.path),
            "text": self.text,
            "metadata": dict(self.metadata),
            "excluded": [e.to_dict() for e in self.excluded],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Article:
        """The article of ``to_dict()``, or of a whole analysis record (other keys ignored)."""
        return cls(
            id=d.get("id", ""),
            path=d.get("path", ""),
            text=d["text"],
            metadata=dict(d.get("metadata") or {}),
            excluded=tuple(Excluded.from_dict(e) for e in d.get("excluded") or ()),
        )


def article_id(text: str, path: str = "") -> str:
    """Stable id from the path and the text, so re-runs give the same id."""
    h = hashlib.sha1()
    h.update(path.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


def printable_path(path: str) -> str:
    """``path`` as UTF-8 can carry it: a file name's undecodable bytes (held as lone
    surrogates by ``os.fsdecode``) become ``\\xNN``, so reports and error files can write it."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path
