"""The alias table: canonical name -> (type, aliases), built-in and from user files.

``AliasTable`` holds the built-in table (``data/aliases.yaml``) plus user files (YAML or
CSV, formats below). ``lookup`` tries the exact key, then a secondary key without
generic trailing words ("Organization"), then a rapidfuzz near-spelling match (names of
5+ characters only).

User alias files
----------------
YAML: a list of entries::

    - name: Front for the Liberation of Xandaria   # canonical name (required)
      type: organization          # a SOURCE_TYPES value; default organization
      aliases: [FLX, Xandar Front]
      label: ORG                  # optional spaCy label for patterns(); default
                                  # PERSON for persons, ORG otherwise
      split: false                # optional; see "merging" below

CSV: UTF-8, a header row naming the columns ``name,type,alias`` (any order; ``type``
may be left out or blank), then one alias per row. Rows with the same name build one
entry; a row with an empty alias only declares the entry. Lines starting with ``#``
are comments::

    name,type,alias
    Front for the Liberation of Xandaria,organization,FLX
    Front for the Liberation of Xandaria,organization,Xandar Front

Merging: an entry whose name matches (after normalisation) the name or an alias of an
entry already in the table adds its aliases to that entry, and its type and label
replace the old ones when given. With ``split: true`` (YAML only) it becomes a separate
entry that takes over its own surfaces instead ("NCRI" out of the built-in MEK entry).
Later files win over earlier ones and over the built-in table.

A file that cannot be used raises ``ConfigError("<path>: <reason>")``.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import process

from ..model.errors import ConfigError
from ..model.types import SOURCE_TYPES
from .names import (
    FUZZY_MIN_LENGTH,
    FUZZY_MIN_SCORE,
    compact_key,
    dedupe,
    fuzzy_score,
    normalise_name,
    secondary_key,
)

logger = logging.getLogger(__name__)


_PATTERN_LABELS = frozenset({"ORG", "PERSON", "GPE", "NORP", "FAC", "LOC"})
DEFAULT_TYPE = "organization"


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One actor of the alias table.

    name: canonical name. type: a SOURCE_TYPES value. aliases: other surface forms.
    label: spaCy entity label used by ``AliasTable.patterns()``.
    """

    name: str
    type: str = DEFAULT_TYPE
    aliases: tuple[str, ...] = ()
    label: str = "ORG"

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _default_label(type_: str) -> str:
    return "PERSON" if type_ == "person" else "ORG"


class AliasTable:
    """Canonical name -> (type, aliases), with normalised-key lookup.

    Build with ``AliasTable.builtin()`` or ``AliasTable.load(paths)``; add entries with
    ``add`` or whole files with ``add_file``.
    """

    def __init__(self, entries: Iterable[AliasEntry] = ()) -> None:
        self._entries: dict[str, AliasEntry] = {}
        self._dirty = True
        self._index: dict[str, str] = {}
        self._secondary: dict[str, str | None] = {}
        self._fuzzy_keys: list[str] = []
        self._fuzzy_names: list[str] = []
        for entry in entries:
            self.add(entry)

    # -- construction -----------------------------------------------------------------

    @classmethod
    def builtin(cls) -> AliasTable:
        """The table shipped in ``sourcetrace/data/aliases.yaml``."""
        table = cls()
        for rec in _builtin_records():
            table._add_record(**rec)
        return table

    @classmethod
    def load(cls, paths: Iterable[str | Path] = (), *, builtin: bool = True) -> AliasTable:
        """The built-in table (unless ``builtin=False``) plus user files, in order.

        paths (Iterable[str | Path]): YAML (.yaml/.yml) or CSV (.csv) alias files.
        builtin (bool): start from the built-in table. Defaults to True.
        RETURNS (AliasTable): the merged table.
        RAISES ConfigError: "<path>: <reason>" for a file that cannot be used.
        """
        table = cls.builtin() if builtin else cls()
        for path in paths:
            table.add_file(path)
        return table

    def add_file(self, path: str | Path) -> None:
        """Add the entries of one user alias file (see the module docstring)."""
        records = _read_alias_file(Path(path))
        for rec in records:
            self._add_record(**rec)
        logger.debug("alias file %s: %d entries", path, len(records))

    def add(self, entry: AliasEntry, *, split: bool = False) -> None:
        """Add one entry, merging it into an existing one with the same name or alias."""
        self._add_record(entry.name, entry.type, list(entry.aliases), entry.label, split)

    def _add_record(
        self,
        name: str,
        type: str | None = None,
        aliases: Sequence[str] = (),
        label: str | None = None,
        split: bool = False,
    ) -> None:
        target = None if split else self._canonical_for(name)
        if target is None:
            type_ = type or DEFAULT_TYPE
            old = self._entries.pop(name, None)  # split: replace an entry of the same name
            if old is not None:
                logger.debug("alias entry %r replaced", name)
            self._entries[name] = AliasEntry(
                name,
                type_,
                dedupe(a for a in aliases if a != name),
                label or _default_label(type_),
            )
        else:
            old = self._entries[target]
            type_ = type or old.type
            extra = [name, *aliases] if name != old.name else list(aliases)
            self._entries[target] = AliasEntry(
                old.name,
                type_,
                dedupe(a for a in (*old.aliases, *extra) if a != old.name),
                label or (old.label if type is None else _default_label(type_)),
            )
        self._dirty = True

    def _canonical_for(self, name: str) -> str | None:
        if name in self._entries:
            return name
        self._reindex()
        return self._index.get(compact_key(normalise_name(name)))

    def _reindex(self) -> None:
        if not self._dirty:
            return
        index: dict[str, str] = {}
        secondary: dict[str, str | None] = {}
        # Aliases first, then names, so that a canonical name beats another entry's alias;
        # within each pass later entries win.
        for entry in self._entries.values():
            for alias in entry.aliases:
                key = compact_key(normalise_name(alias))
                if key:
                    index[key] = entry.name
        for entry in self._entries.values():
            key = compact_key(normalise_name(entry.name))
            if key:
                index[key] = entry.name
        fuzzy_keys: list[str] = []
        fuzzy_names: list[str] = []
        for entry in self._entries.values():
            for surface in entry.surfaces:
                key = normalise_name(surface)
                if index.get(compact_key(key)) != entry.name:
                    continue
                sk = compact_key(secondary_key(key))
                if sk in secondary and secondary[sk] != entry.name:
                    secondary[sk] = None  # ambiguous: two entries share it
                else:
                    secondary[sk] = entry.name
                if len(compact_key(key)) >= FUZZY_MIN_LENGTH:
                    fuzzy_keys.append(key)
                    fuzzy_names.append(entry.name)
        self._index, self._secondary = index, secondary
        self._fuzzy_keys, self._fuzzy_names = fuzzy_keys, fuzzy_names
        self._dirty = False

    # -- queries ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self):
        return iter(tuple(self._entries.values()))

    def __contains__(self, surface: object) -> bool:
        return isinstance(surface, str) and self.lookup(surface, fuzzy=False) is not None

    def get(self, name: str) -> AliasEntry | None:
        """The entry with this canonical name, or None."""
        return self._entries.get(name)

    def lookup(self, surface: str, *, fuzzy: bool = True) -> AliasEntry | None:
        """The entry a surface form refers to, or None.

        Tries, in order: the normalised key; the secondary key (generic trailing words
        such as "Organization" dropped, on either side); then, when ``fuzzy`` and the key
        has at least FUZZY_MIN_LENGTH characters, the closest key scoring FUZZY_MIN_SCORE.

        surface (str): a name as written.
        fuzzy (bool): allow the near-spelling fallback. Defaults to True.
        RETURNS (AliasEntry | None): the entry.
        """
        self._reindex()
        key = normalise_name(surface)
        compact = compact_key(key)
        if not compact:
            return None
        name = self._index.get(compact)
        if name is None:
            for probe in (compact, compact_key(secondary_key(key))):
                name = self._secondary.get(probe)
                if name is not None:
                    break
        if name is None and fuzzy and len(compact) >= FUZZY_MIN_LENGTH and self._fuzzy_keys:
            best = process.extractOne(
                key, self._fuzzy_keys, scorer=fuzzy_score, score_cutoff=FUZZY_MIN_SCORE
            )
            if best is not None:
                name = self._fuzzy_names[best[2]]
                logger.debug("alias %r matched %r by near spelling (%.0f)", surface, name, best[1])
        return self._entries.get(name) if name is not None else None

    def patterns(self) -> list[dict[str, str]]:
        """spaCy EntityRuler patterns for every surface of every entry.

        RETURNS (list[dict]): ``{"label": "ORG", "pattern": "MKO", "id": canonical}``
          phrase patterns (matched verbatim; use ``phrase_matcher_attr="LOWER"`` on the
          ruler for case-insensitive matching). A surface claimed by a later entry is
          only given for that entry.
        """
        self._reindex()
        out: list[dict[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for entry in self._entries.values():
            for surface in entry.surfaces:
                if self._index.get(compact_key(normalise_name(surface))) != entry.name:
                    continue
                if (entry.label, surface) in seen:
                    continue
                seen.add((entry.label, surface))
                out.append({"label": entry.label, "pattern": surface, "id": entry.name})
        return out


# -- alias files --------------------------------------------------------------------------

_YAML_KEYS = frozenset({"name", "type", "aliases", "label", "split"})
_CSV_COLUMNS = frozenset({"name", "type", "alias"})


@lru_cache(maxsize=1)
def _builtin_records() -> tuple[dict[str, Any], ...]:
    resource = resources.files("sourcetrace") / "data" / "aliases.yaml"
    text = resource.read_text(encoding="utf-8")
    return tuple(parse_yaml(text, "sourcetrace/data/aliases.yaml"))


def _read_alias_file(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise ConfigError(
            f"{path}: unknown alias file type {suffix or '(none)'!r}; use .yaml, .yml or .csv"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if suffix == ".csv":
        return _parse_csv(text, str(path))
    return parse_yaml(text, str(path))


def _check_type(type_: Any, where: str, path: str) -> str | None:
    if type_ is None or type_ == "":
        return None
    if type_ not in SOURCE_TYPES:
        raise ConfigError(
            f"{path}: {where}: unknown type {type_!r} (one of {', '.join(SOURCE_TYPES)})"
        )
    return str(type_)


def parse_yaml(text: str, path: str) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        reason = " ".join(f"invalid YAML{where}: {problem}".split())
        raise ConfigError(f"{path}: {reason}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a list of entries, got {type(data).__name__}")
    records: list[dict[str, Any]] = []
    for n, item in enumerate(data, 1):
        where = f"entry {n}"
        if not isinstance(item, dict):
            raise ConfigError(f"{path}: {where}: expected a mapping with 'name'")
        unknown = set(item) - _YAML_KEYS
        if unknown:
            raise ConfigError(f"{path}: {where}: unknown key {sorted(map(str, unknown))[0]!r}")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{path}: {where}: 'name' must be a non-empty string")
        aliases = item.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(isinstance(a, str | int) for a in aliases):
            raise ConfigError(f"{path}: {where} ({name}): 'aliases' must be a list of strings")
        label = item.get("label")
        if label is not None and label not in _PATTERN_LABELS:
            raise ConfigError(
                f"{path}: {where} ({name}): unknown label {label!r} "
                f"(one of {', '.join(sorted(_PATTERN_LABELS))})"
            )
        split = item.get("split", False)
        if not isinstance(split, bool):
            raise ConfigError(f"{path}: {where} ({name}): 'split' must be true or false")
        records.append(
            {
                "name": name.strip(),
                "type": _check_type(item.get("type"), f"{where} ({name})", path),
                "aliases": [str(a).strip() for a in aliases if str(a).strip()],
                "label": label,
                "split": split,
            }
        )
    return records


def _parse_csv(text: str, path: str) -> list[dict[str, Any]]:
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    merged: dict[str, dict[str, Any]] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [c.strip().lower() for c in row]
                unknown = [c for c in header if c not in _CSV_COLUMNS]
                if unknown:
                    raise ConfigError(
                        f"{path}: line {line}: unknown column {unknown[0]!r} "
                        "(header must name columns name,type,alias)"
                    )
                if "name" not in header or "alias" not in header:
                    raise ConfigError(
                        f"{path}: line {line}: header must name columns name,type,alias"
                    )
                continue
            if len(row) > len(header):
                raise ConfigError(
                    f"{path}: line {line}: {len(row)} fields, header has {len(header)}"
                )
            cells = dict(zip(header, (c.strip() for c in row), strict=False))
            name = cells.get("name", "")
            if not name:
                raise ConfigError(f"{path}: line {line}: empty name")
            type_ = _check_type(cells.get("type"), f"line {line}", path)
            rec = merged.setdefault(
                name, {"name": name, "type": None, "aliases": [], "label": None, "split": False}
            )
            rec["type"] = type_ or rec["type"]
            if cells.get("alias"):
                rec["aliases"].append(cells["alias"])
    except csv.Error as exc:
        raise ConfigError(f"{path}: invalid CSV: {exc}") from None
    if header is None:
        raise ConfigError(f"{path}: no header row (expected name,type,alias)")
    return list(merged.values())
