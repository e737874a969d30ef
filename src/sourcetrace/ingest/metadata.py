"""Outlet, date and URL for articles that do not carry them (plain text, PDF, .docx).

Two sources, both given on the command line (``analyze`` and ``corpus build``):

- ``--meta FILE.csv``: a header ``path,outlet,published,url`` (any subset after ``path``)
  and one row per input file; a relative path is taken from the CSV's own folder. A row's
  values replace what the file itself gave (the row is a statement about that file).
- ``--outlet NAME`` / ``--published DATE``: for every article that still has none.
"""

from __future__ import annotations

import csv
import dataclasses
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..model.article import Article
from ..model.errors import ConfigError

__all__ = ["META_COLUMNS", "MetadataDefaults", "check_date", "read_meta_csv"]

META_COLUMNS = ("outlet", "published", "url")


def check_date(value: str, what: str = "--published") -> str:
    """``value`` if it is an ISO 8601 date or date-time; RAISES ConfigError otherwise."""
    try:
        datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"{what}: {value!r} is not a date (use YYYY-MM-DD)") from None
    return value.strip()


def read_meta_csv(path: str) -> dict[str, dict[str, str]]:
    """``{absolute path or URL: {column: value}}`` from a metadata CSV.

    RAISES ConfigError: unreadable, no ``path`` column, or a bad date (one line, naming
        the file and row).
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as fp:
            reader = csv.DictReader(fp)
            columns = [c.strip() for c in reader.fieldnames or ()]
            if "path" not in columns:
                raise ConfigError(f"{path}: no 'path' column (header: path,outlet,published,url)")
            unknown = [c for c in columns if c not in ("path", *META_COLUMNS)]
            if unknown:
                raise ConfigError(f"{path}: unknown column {unknown[0]!r} "
                                  "(header: path,outlet,published,url)")
            base = os.path.dirname(os.path.abspath(path))
            table: dict[str, dict[str, str]] = {}
            for n, row in enumerate(reader, 2):
                row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
                where = row.get("path", "")
                if not where:
                    continue
                values = {k: row[k] for k in META_COLUMNS if row.get(k)}
                if "published" in values:
                    check_date(values["published"], f"{path} row {n}: published")
                table[_key(where, base)] = values
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"{path}: not a UTF-8 CSV ({exc})") from None
    return table


@dataclass(frozen=True)
class MetadataDefaults:
    """What ``apply`` adds to an article: CSV rows by path, then outlet/published defaults."""

    outlet: str | None = None
    published: str | None = None
    table: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.outlet or self.published or self.table)

    def apply(self, article: Article) -> Article:
        meta: dict[str, Any] = dict(article.metadata)
        base = article.path.rsplit("#", 1)[0] if "#" in article.path else article.path
        row = self.table.get(_key(base, os.getcwd())) if self.table else None
        if row:
            meta.update(row)
        for key, value in (("outlet", self.outlet), ("published", self.published)):
            if value and not meta.get(key):
                meta[key] = value
        if meta == article.metadata:
            return article
        return dataclasses.replace(article, metadata=meta)

    def over(self, items: Iterable[object]) -> Iterator[object]:
        """The items with every Article passed through ``apply`` (errors as they are)."""
        for item in items:
            yield self.apply(item) if isinstance(item, Article) else item


def _key(path: str, base: str) -> str:
    if path[:8].lower().startswith(("http://", "https://")):
        return path
    return os.path.normpath(os.path.join(base, path))
