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


@dataclass(slots=True)
class _Draft:
    """An entry while the table is built: aliases an insertion-ordered set, so merging
    many rows into one entry costs each alias once (AliasEntry is frozen from it)."""

    name: str
    type: str
    aliases: dict[str, None]
    label: str
    seq: int  # position in the table's order (later entries win ties)


class AliasTable:
    """Canonical name -> (type, aliases), with normalised-key lookup.

    Build with ``AliasTable.builtin()`` or ``AliasTable.load(paths)``; add entries with
    ``add`` or whole files with ``add_file``. Adding is linear: the key -> entry index a
    merge needs is kept up to date entry by entry (``_by_name_key``, ``_by_alias_key``);
    the lookup indexes are rebuilt once, at the first query after a change.
    """

    def __init__(self, entries: Iterable[AliasEntry] = ()) -> None:
        self._drafts: dict[str, _Draft] = {}
        self._seq = 0
        # compact key -> names of the entries holding it, as a name / as an alias.
        self._by_name_key: dict[str, dict[str, None]] = {}
        self._by_alias_key: dict[str, dict[str, None]] = {}
        self._entries: dict[str, AliasEntry] = {}
        self._keys: dict[str, tuple[str, str]] = {}  # surface -> (normalised, compact key)
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
            old = self._drafts.pop(name, None)  # split: replace an entry of the same name
            if old is not None:
                logger.debug("alias entry %r replaced", name)
                self._unindex(old)
            self._seq += 1
            draft = _Draft(name, type_, {}, label or _default_label(type_), self._seq)
            self._drafts[name] = draft
            self._index_key(self._by_name_key, name, name)
            self._add_aliases(draft, (a for a in aliases if a != name))
        else:
            draft = self._drafts[target]
            type_ = type or draft.type
            draft.label = label or (draft.label if type is None else _default_label(type_))
            draft.type = type_
            extra = [name, *aliases] if name != draft.name else list(aliases)
            if draft.aliases.pop(draft.name, 0) is None:
                # A padded alias (" X ") kept as the name itself at creation is dropped by
                # the next merge, as names.dedupe over the joined lists did.
                holders = self._by_alias_key.get(self._key(draft.name)[1], {})
                holders.pop(draft.name, None)
            self._add_aliases(draft, (a for a in extra if a != draft.name))
        self._dirty = True

    def _add_aliases(self, draft: _Draft, aliases: Iterable[str]) -> None:
        # names.dedupe's rule (stripped, non-empty, first kept), one alias at a time.
        for alias in aliases:
            alias = alias.strip()
            if alias and alias not in draft.aliases:
                draft.aliases[alias] = None
                self._index_key(self._by_alias_key, alias, draft.name)

    def _key(self, surface: str) -> tuple[str, str]:
        """(normalised name, compact key) of a surface, computed once per surface: name
        folding is most of the cost of loading a large alias file."""
        keys = self._keys.get(surface)
        if keys is None:
            norm = normalise_name(surface)
            keys = self._keys[surface] = (norm, compact_key(norm))
        return keys

    def _index_key(self, index: dict[str, dict[str, None]], surface: str, name: str) -> None:
        key = self._key(surface)[1]
        if key:
            index.setdefault(key, {})[name] = None

    def _unindex(self, draft: _Draft) -> None:
        for index, surfaces in ((self._by_name_key, (draft.name,)),
                                (self._by_alias_key, draft.aliases)):
            for surface in surfaces:
                holders = index.get(self._key(surface)[1])
                if holders is not None:
                    holders.pop(draft.name, None)

    def _canonical_for(self, name: str) -> str | None:
        """The entry a new name merges into: the one whose name has its key, else the one
        with such an alias; the latest in table order wins (as in ``_reindex``)."""
        if name in self._drafts:
            return name
        key = self._key(name)[1]
        if not key:
            return None
        for index in (self._by_name_key, self._by_alias_key):
            holders = index.get(key)
            if holders:
                return max(holders, key=lambda n: self._drafts[n].seq)
        return None

    def _reindex(self) -> None:
        if not self._dirty:
            return
        self._entries = {
            d.name: AliasEntry(d.name, d.type, tuple(d.aliases), d.label)
            for d in self._drafts.values()
        }
        index: dict[str, str] = {}
        secondary: dict[str, str | None] = {}
        # Aliases first, then names, so that a canonical name beats another entry's alias;
        # within each pass later entries win.
        for entry in self._entries.values():
            for alias in entry.aliases:
                key = self._key(alias)[1]
                if key:
                    index[key] = entry.name
        for entry in self._entries.values():
            key = self._key(entry.name)[1]
            if key:
                index[key] = entry.name
        fuzzy_keys: list[str] = []
        fuzzy_names: list[str] = []
        for entry in self._entries.values():
            for surface in entry.surfaces:
                key, compact = self._key(surface)
                if index.get(compact) != entry.name:
                    continue
                sk = compact_key(secondary_key(key))
                if sk in secondary and secondary[sk] != entry.name:
                    secondary[sk] = None  # ambiguous: two entries share it
                else:
                    secondary[sk] = entry.name
                if len(compact) >= FUZZY_MIN_LENGTH:
                    fuzzy_keys.append(key)
                    fuzzy_names.append(entry.name)
        self._index, self._secondary = index, secondary
        self._fuzzy_keys, self._fuzzy_names = fuzzy_keys, fuzzy_names
        self._dirty = False

    # -- queries ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._drafts)

    def __iter__(self):
        self._reindex()
        return iter(tuple(self._entries.values()))

    def __contains__(self, surface: object) -> bool:
        return isinstance(surface, str) and self.lookup(surface, fuzzy=False) is not None

    def get(self, name: str) -> AliasEntry | None:
        """The entry with this canonical name, or None."""
        self._reindex()
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
                if self._index.get(self._key(surface)[1]) != entry.name:
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
    if not isinstance(type_, str) or type_ not in SOURCE_TYPES:
        raise ConfigError(
            f"{path}: {where}: unknown type {type_!r} (one of {', '.join(SOURCE_TYPES)})"
        )
    return str(type_)


# Bounds on what one YAML file may cost (alias files, the corpus merge/forbid file). An
# alias file is three levels deep (list, entry, aliases); 64 leaves room for any layout and
# stops C-level recursion long before it could overflow the stack (libyaml's composer
# crashed the process at 100,000 levels).
MAX_YAML_DEPTH = 64
# Nodes that anchors and aliases (&a / *a, <<: *a) may add to a file beyond its own:
# one 5,000-name list reused 5,000 times (a 153 KB file) expanded to 25M names and took a
# corpus build to 2.9 GB. Ordinary reuse (shared defaults) adds a few nodes an entry.
MAX_YAML_ALIAS_NODES = 100_000

_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present


def load_yaml(text: str, path: str) -> Any:
    """``yaml.safe_load`` with bounds: nesting past MAX_YAML_DEPTH, alias expansion past
    MAX_YAML_ALIAS_NODES, a self-referring alias or invalid YAML is a ConfigError naming
    the file and line, before anything is built.

    RETURNS: the document's data (None for an empty one). RAISES ConfigError.
    """
    try:
        _check_yaml_events(text, path)
        loader = _SAFE_LOADER(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        reason = " ".join(f"invalid YAML{where}: {problem}".split())
        raise ConfigError(f"{path}: {reason}") from None


def _check_yaml_events(text: str, path: str) -> None:
    """One pass over the parser's events (iterative, so depth cannot crash it) counting
    nesting and the nodes each alias stands for; RAISES ConfigError past a bound."""
    sizes: dict[str, int] = {}  # anchor -> nodes of the anchored value, aliases expanded
    stack: list[list[Any]] = [[0, None]]  # [nodes so far, anchor] per open collection
    added = 0
    for event in yaml.parse(text, Loader=_SAFE_LOADER):
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, yaml.CollectionStartEvent):
            if len(stack) > MAX_YAML_DEPTH:
                raise ConfigError(
                    f"{path}: YAML nested deeper than {MAX_YAML_DEPTH} levels (line {line})")
            stack.append([0, event.anchor])
        elif isinstance(event, yaml.CollectionEndEvent):
            count, anchor = stack.pop()
            if anchor is not None:
                sizes[anchor] = count + 1
            stack[-1][0] += count + 1
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            stack[-1][0] += 1
        elif isinstance(event, yaml.AliasEvent):
            if any(frame[1] == event.anchor for frame in stack):
                raise ConfigError(
                    f"{path}: YAML alias *{event.anchor} refers to itself (line {line})")
            size = sizes.get(event.anchor, 1)  # an unknown anchor: the loader says so
            stack[-1][0] += size
            added += size
            if added > MAX_YAML_ALIAS_NODES:
                raise ConfigError(
                    f"{path}: YAML aliases expand past {MAX_YAML_ALIAS_NODES} nodes "
                    f"(*{event.anchor} at line {line}); write the entries out instead of "
                    "reusing anchors")


def parse_yaml(text: str, path: str) -> list[dict[str, Any]]:
    """Alias entries of a YAML alias file (see the module docstring); RAISES ConfigError."""
    return parse_entries(load_yaml(text, path), path)


def parse_entries(data: Any, path: str) -> list[dict[str, Any]]:
    """Alias entries from loaded YAML data (a list of entries, or None for none).

    RAISES ConfigError "<path>: entry N: <reason>" for the first bad entry.
    """
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
        if label is not None and (not isinstance(label, str) or label not in _PATTERN_LABELS):
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
