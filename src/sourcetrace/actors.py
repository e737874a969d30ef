"""Actors: one actor under all its names.

The stages, each a plain function or a small object:

1. ``normalise_name(s)``: the matching key. Case, diacritics, apostrophes, dashes,
   a leading "the", Arabic "al-"/"el-" prefixes, Persian ezafe joiners and common
   transliteration variants are folded ("Mojahedin-e Khalq" == "Mujahedeen Khalq").
2. ``AliasTable``: canonical name -> (type, aliases), the built-in table
   (``data/aliases.yaml``) plus user files (YAML or CSV, formats below). ``lookup`` tries
   the exact key, then a secondary key without generic trailing words ("Organization"),
   then a rapidfuzz near-spelling match (names of 5+ characters only).
3. ``find_defined_aliases(text)``: names the article defines itself:
   "Full Name (ABBR)", "Full Name (ABBR, also known as X, Y and Z)", "(aka X)",
   "Full Name, also known as X", "X, also called Y".
4. ``role_and_name(s)``: split titles and roles off a person mention.
5. ``resolve_actors(text, mentions, table)``: group mentions into ``Actor`` records.

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

import bisect
import csv
import io
import logging
import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from .model.errors import ConfigError
from .model.record import Actor
from .model.spans import Offsets, TextSpan, excluded_ranges, meets
from .model.types import SOURCE_TYPES

__all__ = [
    "LABEL_TYPES",
    "AliasEntry",
    "AliasTable",
    "Mention",
    "actor_lookup",
    "find_defined_aliases",
    "mentions_from_doc",
    "normalise_name",
    "resolve_actors",
    "role_and_name",
]

logger = logging.getLogger(__name__)

# Near-spelling fallback: max(fuzz.ratio, fuzz.token_sort_ratio) on normalised keys.
# Hand-set, not benchmark-tuned: one wrong or dropped letter in a name of 10+ letters
# ("Mujahedin Khalk Organisation") scores 93-97, while distinct place names that differ
# by a syllable ("Austria"/"Australia", 87.5) stay below.
FUZZY_MIN_SCORE = 90.0
# Keys shorter than this (without spaces) only match exactly: one letter is too much of
# a difference in "Iran"/"Iraq", "MEK"/"MKO", "Hamas"/"Hamad".
FUZZY_MIN_LENGTH = 5

# spaCy entity label or source-type hint -> actor type, when the alias table says nothing.
LABEL_TYPES: dict[str, str] = {
    "PERSON": "person",
    "PER": "person",
    "ORG": "organization",
    # A country or city named as an actor ("Iraq said ...") speaks through its
    # government. The caller decides which GPE mentions are actors at all.
    "GPE": "government",
    # Nationalities and groups used as actors ("the Kurds said"); loose, the caller may
    # prefer not to pass NORP mentions.
    "NORP": "organization",
    "FAC": "organization",
    **{t: t for t in SOURCE_TYPES},
}

_PATTERN_LABELS = frozenset({"ORG", "PERSON", "GPE", "NORP", "FAC", "LOC"})
_DEFAULT_TYPE = "organization"

# --------------------------------------------------------------------------------------
# 1. Normalisation
# --------------------------------------------------------------------------------------

_APOSTROPHES_RE = re.compile("['\u2018\u2019\u02bc\u02bb\u02bf\u02be`\u00b4\u2032]")
_DASHES_RE = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_NON_WORD_RE = re.compile(r"[^\w\s-]|_")
_DOUBLE_RE = re.compile(r"(\w)\1+")
# Arabic article before a hyphen: al-Maliki, el-Sisi, ash-Shabaab, ad-Dawla.
_HYPHEN_ARTICLES = frozenset({"al", "el", "ul", "ad", "an", "ar", "as", "ash", "at", "az"})
# The same as a separate word ("Al Qaeda"); only al/el, "as"/"an"/"at" are English.
_WORD_ARTICLES = frozenset({"al", "el"})
# Persian ezafe joiners: Mojahedin-e Khalq, Hizb-i Islami, Khaneh-ye.
_EZAFE = frozenset({"e", "i", "ye", "y"})
_WORD_EZAFE = frozenset({"e", "ye"})
_VOWEL_FOLD = str.maketrans({"o": "u", "e": "i"})


def _fold(token: str) -> str:
    """Fold transliteration variants: ee/oo/ou, o->u, e->i, doubled letters."""
    token = token.replace("ee", "i").replace("oo", "u").replace("ou", "u")
    token = token.translate(_VOWEL_FOLD)
    return _DOUBLE_RE.sub(r"\1", token)


def normalise_name(name: str) -> str:
    """Matching key for a name: space-separated folded tokens.

    Casefolds; strips diacritics and apostrophes; unifies dashes; drops dots ("U.N."),
    a leading "the", Arabic article prefixes ("al-", "al ", "el-"...) and ezafe joiners
    ("-e", "-i", "-ye"); then folds vowels (o->u, e->i, ee->i, ou->u) and doubled letters,
    so Mojahedin/Mujahedin/Mujahedeen/Mujahideen all give "mujahidin".

    name (str): a surface form.
    RETURNS (str): the key ("" when nothing is left).
    """
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = _APOSTROPHES_RE.sub("", s)
    s = _DASHES_RE.sub("-", s)
    s = s.replace("&", " and ").replace(".", "")
    s = _NON_WORD_RE.sub(" ", s)
    tokens: list[str] = []
    for word in s.split():
        parts = [p for p in word.split("-") if p]
        if not parts:
            continue
        if len(parts) > 1 and parts[0] in _HYPHEN_ARTICLES:
            parts = parts[1:]
        tokens.append(parts[0])
        tokens.extend(p for p in parts[1:] if p not in _EZAFE)
    out: list[str] = []
    for i, tok in enumerate(tokens):
        last = i == len(tokens) - 1
        if tok in _WORD_ARTICLES and not last:
            continue
        if tok in _WORD_EZAFE and i > 0 and not last:
            continue
        out.append(tok)
    if len(out) > 1 and out[0] == "the":
        out = out[1:]
    return " ".join(_fold(t) for t in out)


_GENERIC_TRAILING = frozenset(
    _fold(w)
    for w in ("organization", "organisation", "organizations", "group", "movement", "agency")
)


def _secondary_key(key: str) -> str:
    """The key without generic trailing words ("... Organization", "... Group")."""
    toks = key.split()
    while len(toks) > 1 and toks[-1] in _GENERIC_TRAILING:
        toks.pop()
    return " ".join(toks)


def _compact(key: str) -> str:
    """Key without spaces: "Press TV" == "PressTV", "Mc Cain" == "McCain"."""
    return key.replace(" ", "")


def _fuzzy_score(a: str, b: str, **_: Any) -> float:
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))


def _fuzzy_ok(a: str, b: str) -> bool:
    if min(len(_compact(a)), len(_compact(b))) < FUZZY_MIN_LENGTH:
        return False
    return _fuzzy_score(a, b) >= FUZZY_MIN_SCORE


# --------------------------------------------------------------------------------------
# 2. Alias table
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One actor of the alias table.

    name: canonical name. type: a SOURCE_TYPES value. aliases: other surface forms.
    label: spaCy entity label used by ``AliasTable.patterns()``.
    """

    name: str
    type: str = _DEFAULT_TYPE
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
            type_ = type or _DEFAULT_TYPE
            old = self._entries.pop(name, None)  # split: replace an entry of the same name
            if old is not None:
                logger.debug("alias entry %r replaced", name)
            self._entries[name] = AliasEntry(
                name,
                type_,
                _dedupe(a for a in aliases if a != name),
                label or _default_label(type_),
            )
        else:
            old = self._entries[target]
            type_ = type or old.type
            extra = [name, *aliases] if name != old.name else list(aliases)
            self._entries[target] = AliasEntry(
                old.name,
                type_,
                _dedupe(a for a in (*old.aliases, *extra) if a != old.name),
                label or (old.label if type is None else _default_label(type_)),
            )
        self._dirty = True

    def _canonical_for(self, name: str) -> str | None:
        if name in self._entries:
            return name
        self._reindex()
        return self._index.get(_compact(normalise_name(name)))

    def _reindex(self) -> None:
        if not self._dirty:
            return
        index: dict[str, str] = {}
        secondary: dict[str, str | None] = {}
        # Aliases first, then names, so that a canonical name beats another entry's alias;
        # within each pass later entries win.
        for entry in self._entries.values():
            for alias in entry.aliases:
                key = _compact(normalise_name(alias))
                if key:
                    index[key] = entry.name
        for entry in self._entries.values():
            key = _compact(normalise_name(entry.name))
            if key:
                index[key] = entry.name
        fuzzy_keys: list[str] = []
        fuzzy_names: list[str] = []
        for entry in self._entries.values():
            for surface in entry.surfaces:
                key = normalise_name(surface)
                if index.get(_compact(key)) != entry.name:
                    continue
                sk = _compact(_secondary_key(key))
                if sk in secondary and secondary[sk] != entry.name:
                    secondary[sk] = None  # ambiguous: two entries share it
                else:
                    secondary[sk] = entry.name
                if len(_compact(key)) >= FUZZY_MIN_LENGTH:
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
        compact = _compact(key)
        if not compact:
            return None
        name = self._index.get(compact)
        if name is None:
            for probe in (compact, _compact(_secondary_key(key))):
                name = self._secondary.get(probe)
                if name is not None:
                    break
        if name is None and fuzzy and len(compact) >= FUZZY_MIN_LENGTH and self._fuzzy_keys:
            best = process.extractOne(
                key, self._fuzzy_keys, scorer=_fuzzy_score, score_cutoff=FUZZY_MIN_SCORE
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
                if self._index.get(_compact(normalise_name(surface))) != entry.name:
                    continue
                if (entry.label, surface) in seen:
                    continue
                seen.add((entry.label, surface))
                out.append({"label": entry.label, "pattern": surface, "id": entry.name})
        return out


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        item = item.strip()
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return tuple(out)


# -- alias files --------------------------------------------------------------------------

_YAML_KEYS = frozenset({"name", "type", "aliases", "label", "split"})
_CSV_COLUMNS = frozenset({"name", "type", "alias"})


@lru_cache(maxsize=1)
def _builtin_records() -> tuple[dict[str, Any], ...]:
    resource = resources.files("sourcetrace") / "data" / "aliases.yaml"
    text = resource.read_text(encoding="utf-8")
    return tuple(_parse_yaml(text, "sourcetrace/data/aliases.yaml"))


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
    return _parse_yaml(text, str(path))


def _check_type(type_: Any, where: str, path: str) -> str | None:
    if type_ is None or type_ == "":
        return None
    if type_ not in SOURCE_TYPES:
        raise ConfigError(
            f"{path}: {where}: unknown type {type_!r} (one of {', '.join(SOURCE_TYPES)})"
        )
    return str(type_)


def _parse_yaml(text: str, path: str) -> list[dict[str, Any]]:
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


# --------------------------------------------------------------------------------------
# 3. Aliases the article defines
# --------------------------------------------------------------------------------------

# Words of a name: "U.S.", "Mojahedin-e", "People's", "al-Qaeda", "Mc".
_WORD_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W_](?:[\w'\u2019\-]*[^\W_])?")
# Lower-case words allowed inside a multi-word name.
_CONNECTORS = frozenset(
    {
        "of",
        "for",
        "the",
        "and",
        "&",
        "de",
        "du",
        "des",
        "la",
        "le",
        "al",
        "el",
        "e",
        "i",
        "ye",
        "von",
        "van",
        "der",
        "den",
        "bin",
        "ibn",
        "in",
        "on",
        "del",
        "di",
        "da",
        "y",
    }
)
_ARTICLE_WORD_RE = re.compile(r"(?:al|el|ad|an|ar|as|ash|at|az)[-\u2010\u2011][A-Z]")
_ACRONYM_RE = re.compile(r"(?:[A-Z]\.){2,}|[A-Z][A-Za-z0-9&/\-]{1,11}")
_AKA_RE = re.compile(
    r"(?:(?:also|better|commonly|widely|sometimes|otherwise|popularly|formerly)\s+)?"
    r"(?:known\s+as|called|referred\s+to\s+as|a\.k\.a\.?|aka)\s+",
    re.IGNORECASE,
)
# Outside parentheses: "Name, also known as X"; bare "called" needs the adverb
# ("Hill called Smith a liar" defines nothing).
_AKA_OUTSIDE_RE = re.compile(
    r",?\s+(?:(?:also|better|commonly|widely|sometimes|otherwise|popularly|formerly)\s+"
    r"(?:known\s+as|called|referred\s+to\s+as)|known\s+as|a\.k\.a\.?|aka)\s+",
    re.IGNORECASE,
)
_LIST_SEP_RE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|;\s*|\s+and\s+|\s+or\s+)")
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
_MAX_NAME_WORDS = 12


def _is_acronym(token: str) -> bool:
    if not _ACRONYM_RE.fullmatch(token):
        return False
    if sum(c.isupper() for c in token) < 2:
        return False
    return re.search(r"[a-z]{3,}", token) is None


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or bool(_ARTICLE_WORD_RE.match(word))


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def _trim_name(text: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop connectors and "the" at either end of a run of name words."""
    while words and (text[words[0][0] : words[0][1]].lower() in _CONNECTORS):
        words = words[1:]
    while words and not _is_name_word(text[words[-1][0] : words[-1][1]]):
        words = words[:-1]
    return words


def _name_before(text: str, words: list[tuple[int, int]], pos: int) -> list[tuple[int, int]]:
    """The run of name words ending right before ``pos`` (only spaces between)."""
    i = _last_word_before(words, pos)
    run: list[tuple[int, int]] = []
    cur = pos
    while i >= 0 and len(run) < _MAX_NAME_WORDS:
        s, e = words[i]
        gap = text[e:cur]
        if gap.strip() or "\n" in gap:
            break
        w = text[s:e]
        if not (_is_name_word(w) or w.lower() in _CONNECTORS):
            break
        run.append((s, e))
        cur = s
        i -= 1
    run.reverse()
    return _trim_name(text, run)


def _name_after(text: str, words: list[tuple[int, int]], pos: int) -> list[tuple[int, int]]:
    """The run of name words starting at ``pos`` (a leading "the" and quotes skipped)."""
    i = _first_word_at(words, pos)
    run: list[tuple[int, int]] = []
    cur = pos
    while i < len(words) and len(run) < _MAX_NAME_WORDS:
        s, e = words[i]
        gap = text[cur:s]
        if gap.strip(_QUOTES + " \t") or "\n" in gap:
            break
        w = text[s:e]
        if not run and w.lower() == "the":
            cur = e
            i += 1
            continue
        if not (_is_name_word(w) or (run and w.lower() in _CONNECTORS)):
            break
        run.append((s, e))
        cur = e
        i += 1
    return _trim_name(text, run)


def _last_word_before(words: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi) // 2
        if words[mid][1] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


def _first_word_at(words: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi) // 2
        if words[mid][0] < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _initials(word: str) -> list[str]:
    parts = [p for p in re.split(r"[-\u2010\u2011'\u2019]", word) if p]
    return [p[0].lower() for p in parts if p[0].isalnum()]


def _is_subsequence(needle: Sequence[str], hay: Sequence[str]) -> bool:
    it = iter(hay)
    return all(any(c == h for h in it) for c in needle)


def _match_acronym(
    text: str, run: list[tuple[int, int]], acronym: str
) -> list[tuple[int, int]] | None:
    """The part of a name run whose initials spell ``acronym`` (loosely), or None.

    Loose: the first letter must start the name and every letter must appear, in order,
    among the initials of the words (connectors and hyphen parts included). Of the runs
    that fit, the one with as many capitalised words as letters wins, then the longest.
    """
    letters = [c.lower() for c in acronym if c.isalnum()]
    if not letters or not run:
        return None
    best: tuple[int, int] | None = None
    best_run = None
    for k in range(len(run)):
        sub = run[k:]
        first = text[sub[0][0] : sub[0][1]]
        if not _is_name_word(first) or first.lower() == "the":
            continue
        inits = [c for s, e in sub for c in _initials(text[s:e])]
        first_inits = _initials(first)
        if letters[0] not in first_inits[:2] or not _is_subsequence(letters, inits):
            continue
        caps = sum(1 for s, e in sub if text[s : s + 1].isupper())
        score = (abs(caps - len(letters)), -len(sub))
        if best is None or score < best:
            best, best_run = score, sub
    return best_run


def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Items of "X, Y and Z" between start and end, each without "the" and quotes."""
    items: list[tuple[int, int]] = []
    pos = start
    for m in [*_LIST_SEP_RE.finditer(text, start, end), None]:
        stop = m.start() if m is not None else end
        s, e = pos, stop
        while s < e and (text[s].isspace() or text[s] in _QUOTES):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in _QUOTES + ".,;"):
            e -= 1
        if text[s:e].lower().startswith("the "):
            s += 4
        if s < e and len(text[s:e].split()) <= 8:
            items.append((s, e))
        if m is not None:
            pos = m.end()
    return items


def find_defined_aliases(text: str) -> list[tuple[Offsets, Offsets]]:
    """Aliases the text defines: ``[(alias_span, full_span), ...]`` in text order.

    Recognised:
      "Full Name (ABBR)" and "Full Name (ABBR, also known as X, Y and Z)": ABBR must
        match the initials of the full name loosely (see ``_match_acronym``);
      "Full Name (also known as X)", "(aka X)", "(known as X)": every listed item;
      "Full Name, also known as X and Y", "X, also called Y", "X, aka Y": the capitalised
        names that follow.
    The full name is the run of capitalised words (with "of", "the", "al-", "-e"...)
    right before the definition.

    text (str): article text.
    RETURNS (list[tuple[Offsets, Offsets]]): (alias, full name) character ranges.
    """
    words = _words(text)
    pairs: list[tuple[Offsets, Offsets]] = []

    for m in re.finditer(r"\(([^()\n]{1,200})\)", text):
        inner_start, inner_end = m.start(1), m.end(1)
        run = _name_before(text, words, m.start())
        if not run:
            continue
        inner = text[inner_start:inner_end]
        aka = _AKA_RE.search(inner)
        head_end = inner_start + (aka.start() if aka else len(inner))
        head = text[inner_start:head_end].strip(" ,;")
        full: list[tuple[int, int]] | None = None
        if head and _is_acronym(head):
            full = _match_acronym(text, run, head)
            if full is not None:
                a_s = inner_start + inner.index(head)
                pairs.append(((a_s, a_s + len(head)), (full[0][0], full[-1][1])))
        if aka is None:
            continue
        if full is None:
            if head:  # "(something else, also known as ...)": not a definition we trust
                continue
            full = run
        for item in _list_items(text, inner_start + aka.end(), inner_end):
            pairs.append((item, (full[0][0], full[-1][1])))

    for m in _AKA_OUTSIDE_RE.finditer(text):
        if text.rfind("(", 0, m.start()) > text.rfind(")", 0, m.start()):
            continue  # inside parentheses: done above
        run = _name_before(text, words, m.start())
        if not run:
            continue
        pos = m.end()
        while True:
            item = _name_after(text, words, pos)
            if not item:
                break
            pairs.append(((item[0][0], item[-1][1]), (run[0][0], run[-1][1])))
            sep = _LIST_SEP_RE.match(text, item[-1][1])
            if sep is None:
                break
            pos = sep.end()

    out: list[tuple[Offsets, Offsets]] = []
    seen: set[tuple[Offsets, Offsets]] = set()
    for alias, full in sorted(pairs):
        if alias != full and (alias, full) not in seen:
            seen.add((alias, full))
            out.append((alias, full))
    return out


# --------------------------------------------------------------------------------------
# 4. Roles and titles of persons
# --------------------------------------------------------------------------------------

# Words of titles and roles (casefolded, without dots). Used to find where a title ends
# and a name begins: "Iranian Foreign Minister Mohammad Javad Zarif".
_TITLE_TEXT = """
    president vice prime minister premier chancellor pm mr mrs ms miss mx messrs dr prof
    professor sen senator rep representative congressman congresswoman gov governor gen
    general lt lieutenant col colonel maj major capt captain cmdr commander adm admiral
    sgt sergeant brig brigadier marshal secretary ambassador envoy spokesman spokeswoman
    spokesperson chairman chairwoman chair director chief head king queen prince princess
    crown emir sheikh shaikh sultan ayatollah grand imam mullah cardinal pope rev reverend
    father bishop rabbi judge justice mayor officer deputy foreign defense defence interior
    finance economy health trade energy oil intelligence security state attorney adviser
    advisor speaker leader supreme mp lawmaker former late acting then new lord lady sir
    dame hon councillor councilman commissioner inspector superintendent detective agent
    undersecretary under assistant executive senior top coach striker goalkeeper
    midfielder defender manager economist engineer analyst lawyer doctor spokesmen
"""
_TITLE_WORDS = frozenset(_TITLE_TEXT.split())
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "messrs", "the"})
_NAME_PARTICLES = frozenset(
    {
        "al",
        "el",
        "bin",
        "ibn",
        "bint",
        "van",
        "von",
        "de",
        "da",
        "di",
        "du",
        "del",
        "della",
        "der",
        "den",
        "ter",
        "la",
        "le",
        "dos",
        "das",
        "abu",
        "ul",
    }
)
_POSSESSIVE_RE = re.compile(r"['\u2019]s?$")


def _title_key(word: str) -> str:
    return word.strip(".,;:").casefold()


def _is_person_token(word: str) -> bool:
    w = word.strip(",;:")
    if not w:
        return False
    if _ARTICLE_WORD_RE.match(w):
        return True
    if not w[:1].isupper():
        return w.casefold() in _NAME_PARTICLES
    letters = [c for c in w if c.isalpha()]
    # All-caps words of 2+ letters are acronyms ("US", "UN", "PM"), not names;
    # initials ("J.", "J.R.") are fine.
    return not (len(letters) >= 2 and all(c.isupper() for c in letters) and "." not in w)


def _split_title(s: str) -> tuple[str | None, str]:
    toks = [(m.start(), m.end()) for m in re.finditer(r"\S+", s)]
    i = len(toks)
    while i > 0 and _is_person_token(s[toks[i - 1][0] : toks[i - 1][1]]):
        i -= 1
    run = toks[i:]
    while (
        run
        and not s[run[0][0] : run[0][0] + 1].isupper()
        and not _ARTICLE_WORD_RE.match(s[run[0][0] : run[0][1]])
    ):
        run = run[1:]  # leading particles belong to the title part
    if not run:
        return (s.strip() or None), ""
    keys = [_title_key(s[a:b]) for a, b in run]
    titled = [k for k in range(len(run) - 1) if keys[k] in _TITLE_WORDS]
    if titled:
        run = run[titled[-1] + 1 :]
    elif all(k in _TITLE_WORDS for k in keys) and len(run) > 1:
        return s.strip(), ""
    name_start, name_end = run[0][0], run[-1][1]
    name = _POSSESSIVE_RE.sub("", s[name_start:name_end].rstrip(",;:"))
    role = s[:name_start].strip().rstrip(",;:").strip()
    if role and all(_title_key(w) in _HONORIFICS for w in role.split()):
        role = ""
    return (role or None), name


def role_and_name(text: str) -> tuple[str | None, str]:
    """Split a person mention into (role or title, name).

    "former US Ambassador to the UN John Bolton" -> ("former US Ambassador to the UN",
    "John Bolton"); "Prime Minister Nouri al-Maliki" -> ("Prime Minister",
    "Nouri al-Maliki"); "Hugh Hill, a doctor" -> ("a doctor", "Hugh Hill");
    "Mr. Hill" -> (None, "Hill"): honorifics are not roles. When no name is found the
    whole text is the role: "the president" -> ("the president", "").

    text (str): the mention.
    RETURNS (tuple[str | None, str]): role (None if none) and name ("" if none).
    """
    s = " ".join(text.split())
    if "," in s:
        left, right = (p.strip() for p in s.split(",", 1))
        right = right.strip(" ,;")
        lrole, lname = _split_title(left)
        if lname and right and not _is_bare_name(right):
            role = ", ".join(r for r in (lrole, right) if r)
            return (role or None), lname
        rrole, rname = _split_title(right)
        if rname and left and not _is_bare_name(left):
            role = ", ".join(r for r in (left, rrole) if r)
            return (role or None), rname
    return _split_title(s)


def _is_bare_name(s: str) -> bool:
    role, name = _split_title(s)
    return role is None and name == s.strip()


# --------------------------------------------------------------------------------------
# 5. Resolving mentions into actors
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """A candidate actor mention: [start, end) of the text and a label.

    label: a spaCy entity label (PERSON, ORG, GPE, NORP...) or a source-type hint
      ("person", "organization", ...); "" when unknown. Labels that are neither
      (DATE, MONEY...) are ignored by ``resolve_actors``.
    """

    start: int
    end: int
    label: str = ""


def mentions_from_doc(
    doc: Any, labels: Iterable[str] = ("PERSON", "ORG", "GPE", "NORP")
) -> list[Mention]:
    """Mentions for the named entities of a spaCy Doc with the given labels."""
    wanted = set(labels)
    return [Mention(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in wanted]


@dataclass(slots=True)
class _Rec:
    start: int
    end: int
    label: str
    person: bool
    name: str
    key: str  # spaced normalised key of name
    entry: AliasEntry | None
    keys: list[Offsets] = field(default_factory=list)
    dropped: bool = False
    scanned: bool = False

    @property
    def compact(self) -> str:
        return _compact(self.key)


class UnionFind:
    """Disjoint sets over 0..n-1 (``add`` grows it); the smaller index is a set's root."""

    def __init__(self, n: int = 0) -> None:
        self.parent: list[int] = list(range(n))

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


_PERSON_LABELS = frozenset({"PERSON", "PER", "person"})
_TRIM_LEFT = " \t\n\"'([{\u201c\u2018"
_TRIM_RIGHT = " \t\n\"',;:)]}\u201d\u2019"
_LEADING_THE_RE = re.compile(r"(?i)the\s+")



def _trim_range(text: str, s: int, e: int) -> Offsets:
    """Cut a mention at "(" and strip quotes, brackets and a trailing possessive."""
    seg = text[s:e]
    cut = seg.find("(", 1)
    if cut > 0:
        e = s + cut
    while s < e and text[s] in _TRIM_LEFT:
        s += 1
    while e > s and text[e - 1] in _TRIM_RIGHT:
        e -= 1
    m = re.search(r"['\u2019]s$", text[s:e])
    if m and e - s > 2:
        e = s + m.start()
    return s, e


def _is_person_label(label: str) -> bool:
    return label in _PERSON_LABELS


def _make_rec(text: str, s: int, e: int, label: str, table: AliasTable) -> _Rec:
    surface = text[s:e]
    person = _is_person_label(label)
    if person:
        _role, name = role_and_name(surface)
        name = name or surface
    else:
        name = (
            _LEADING_THE_RE.sub("", surface, count=1) if _LEADING_THE_RE.match(surface) else surface
        )
    key = normalise_name(name)
    entry = table.lookup(name, fuzzy=not person) if key else None
    return _Rec(s, e, label, person, name, key, entry)


def _acronym_initials(name: str) -> str:
    """Initials of the capitalised words: "Front for the Liberation of Xandaria" -> "flx"."""
    out = []
    for w in _WORD_RE.findall(name):
        if w.lower() in _CONNECTORS:
            continue
        if w[:1].isupper() or _ARTICLE_WORD_RE.match(w):
            parts = [p for p in re.split(r"[-\u2010\u2011]", w) if p]
            parts = [p for p in parts if p[:1].isupper()] or parts
            out.append(parts[0][0].lower())
    return "".join(out)


def resolve_actors(
    text: str,
    mentions: Iterable[Mention],
    aliases: AliasTable,
    *,
    excluded: Iterable[Any] = (),
) -> tuple[list[Actor], dict[Offsets, str]]:
    """Group mentions into actors.

    Mentions join one actor when (in this order):
      1. they resolve to the same alias-table entry;
      2. the text defines one as an alias of the other (``find_defined_aliases``);
      3. their normalised names are equal (transliteration folded; for organisations
         also with generic trailing words dropped); persons are compared by name
         without title ("Prime Minister Nouri al-Maliki" == "Nouri al-Maliki");
      4. a one-word person name equals the last word of exactly one multi-word person
         name ("Maliki", "Mr. Maliki" -> "Nouri al-Maliki"); ambiguous ones stay apart;
      5. an all-caps acronym equals the initials of exactly one organisation's name;
      6. (organisations only) their keys are near spellings (``FUZZY_MIN_SCORE``),
         unless they belong to two different alias-table entries.
    Then every known surface of each actor (its mentions, its alias-table aliases, the
    defined aliases, and for persons an unambiguous surname) is searched in the text
    (whole words, case-sensitive) and new occurrences become mentions too.

    Canonical name: the alias-table name, else the longest name mentioned (titles and a
    leading "the" removed; acronyms only if nothing else). Type: from the table, else the
    commonest LABEL_TYPES value of the mentions' labels ("organization" by default).
    Ids "a1", "a2"... follow the first mention. Mentions overlapping ``excluded`` ranges
    are ignored, and so are mentions strictly inside a defined full name ("Xandaria" in
    "Front for the Liberation of Xandaria (FLX)").

    text (str): the article text.
    mentions (Iterable[Mention]): candidate mentions (entities, source mentions).
    aliases (AliasTable): the alias table.
    excluded (Iterable): (start, end) tuples or objects with .start/.end to skip.
    RETURNS (tuple[list[Actor], dict[Offsets, str]]): the actors, and the actor id of
      every mention range (as given, as trimmed, and those found by the text scan).
    """
    excl = excluded_ranges(excluded)
    uf = UnionFind()
    recs: list[_Rec] = []
    by_range: dict[Offsets, int] = {}

    def ensure(s: int, e: int, label: str, orig: Offsets | None = None) -> int | None:
        ts, te = _trim_range(text, s, e)
        if te <= ts or not text[ts:te].strip():
            return None
        idx = by_range.get((ts, te))
        if idx is None:
            rec = _make_rec(text, ts, te, label, aliases)
            if not rec.key:
                return None
            recs.append(rec)
            idx = uf.add()
            by_range[(ts, te)] = idx
        elif label and not recs[idx].label:
            fresh = _make_rec(text, ts, te, label, aliases)
            fresh.keys, fresh.dropped = recs[idx].keys, recs[idx].dropped
            recs[idx] = fresh
        rec = recs[idx]
        for key in (orig, (ts, te)):
            if key is not None and key not in rec.keys:
                rec.keys.append(key)
        return idx

    for m in mentions:
        label = m.label or ""
        if label and label not in LABEL_TYPES:
            continue
        if m.end <= m.start or meets(m.start, m.end, excl):
            continue
        if not _is_person_label(label) and _title_key(text[m.start : m.end]) in _TITLE_WORDS:
            continue  # a stray title word tagged as an entity ("Interior" Minister)
        ensure(m.start, m.end, label, (m.start, m.end))

    # 2. Definitions in the text.
    defined_surfaces: dict[int, list[str]] = defaultdict(list)
    for (a_s, a_e), (f_s, f_e) in find_defined_aliases(text):
        if meets(min(a_s, f_s), max(a_e, f_e), excl):
            continue
        overlapping = [
            i
            for i, r in enumerate(recs)
            if r.start < f_e and f_s < r.end and (r.start, r.end) != (f_s, f_e)
        ]
        label = next((recs[i].label for i in overlapping if recs[i].label), "ORG")
        fi = ensure(f_s, f_e, label)
        ai = ensure(a_s, a_e, recs[fi].label if fi is not None else label)
        if fi is None or ai is None:
            continue
        uf.union(fi, ai)
        defined_surfaces[fi].append(text[a_s:a_e])
        for i in overlapping:
            r = recs[i]
            inter = min(r.end, f_e) - max(r.start, f_s)
            if inter * 2 >= max(r.end - r.start, f_e - f_s):
                uf.union(fi, i)
            elif f_s <= r.start and r.end <= f_e:
                r.dropped = True  # a word inside the defined name, not an actor

    live = [i for i, r in enumerate(recs) if not r.dropped]

    # 1. Alias-table entries.
    first_of_entry: dict[str, int] = {}
    for i in live:
        entry = recs[i].entry
        if entry is not None:
            j = first_of_entry.setdefault(entry.name, i)
            uf.union(i, j)

    # 3. Equal keys.
    first_of_key: dict[tuple[bool, str], int] = {}
    for i in live:
        r = recs[i]
        keys = {r.compact}
        if not r.person:
            sk = _compact(_secondary_key(r.key))
            if len(sk) >= 4:
                keys.add(sk)
        for k in keys:
            j = first_of_key.setdefault((r.person, k), i)
            uf.union(i, j)

    # 4. Person surnames.
    _join_surnames(text, recs, live, uf)

    # 5. Acronyms of organisation names.
    _join_acronyms(recs, live, uf)

    # 6. Near spellings of organisation names.
    _join_fuzzy(recs, live, uf)

    # Scan the text for every known surface of each actor.
    _scan_surfaces(text, recs, uf, excl, defined_surfaces, ensure)

    return _build_actors(text, recs, uf)


def _group_of(recs: list[_Rec], uf: UnionFind) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(recs):
        if not r.dropped:
            groups[uf.find(i)].append(i)
    return groups


def _join_surnames(text: str, recs: list[_Rec], live: list[int], uf: UnionFind) -> None:
    by_surname: dict[str, set[int]] = defaultdict(set)
    for i in live:
        r = recs[i]
        toks = r.key.split()
        if r.person and len(toks) > 1:
            by_surname[toks[-1]].add(i)
    for i in live:
        r = recs[i]
        toks = r.key.split()
        if len(toks) != 1 or r.entry is not None:
            continue
        if not (r.person or _after_honorific(text, r.start)):
            continue
        cands = by_surname.get(toks[0], set())
        roots = {uf.find(j) for j in cands}
        if len(roots) == 1:
            uf.union(i, next(iter(cands)))
        elif len(roots) > 1:
            logger.debug("surname %r is ambiguous (%d persons)", r.name, len(roots))


_HONORIFIC_BEFORE_RE = re.compile(r"(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?\s+$")


def _after_honorific(text: str, start: int) -> bool:
    return bool(_HONORIFIC_BEFORE_RE.search(text[max(0, start - 6) : start]))


def _join_acronyms(recs: list[_Rec], live: list[int], uf: UnionFind) -> None:
    by_initials: dict[str, set[int]] = defaultdict(set)
    for i in live:
        r = recs[i]
        if not r.person and len(r.name.split()) > 1:
            ini = _acronym_initials(r.name)
            if len(ini) >= 2:
                by_initials[ini].add(i)
    for i in live:
        r = recs[i]
        if r.person or r.entry is not None or not _is_acronym(r.name):
            continue
        cands = by_initials.get("".join(c.lower() for c in r.name if c.isalnum()), set())
        roots = {uf.find(j) for j in cands}
        if len(roots) == 1:
            uf.union(i, next(iter(cands)))


def _join_fuzzy(recs: list[_Rec], live: list[int], uf: UnionFind) -> None:
    first_of_key: dict[str, int] = {}
    for i in live:
        r = recs[i]
        if not r.person and len(r.compact) >= FUZZY_MIN_LENGTH:
            first_of_key.setdefault(r.key, i)  # equal keys are already joined
    orgs = list(first_of_key.values())
    entries: dict[int, set[str]] = defaultdict(set)
    for i in live:
        if recs[i].entry is not None:
            entries[uf.find(i)].add(recs[i].entry.name)
    for n, i in enumerate(orgs):
        for j in orgs[n + 1 :]:
            ri, rj = uf.find(i), uf.find(j)
            if ri == rj:
                continue
            if entries[ri] and entries[rj] and not entries[ri] & entries[rj]:
                continue  # two different alias-table actors
            if _fuzzy_ok(recs[i].key, recs[j].key):
                logger.debug("actors %r and %r joined by near spelling", recs[i].name, recs[j].name)
                uf.union(i, j)
                merged = entries.pop(ri, set()) | entries.pop(rj, set())
                entries[uf.find(i)] = merged


def _surface_regex(surface: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(p) for p in surface.split())
    return re.compile(rf"(?<![\w\-]){body}(?![\w]|-\w)")


class _RecIndex:
    """Mention records sorted by start: overlap queries read a window, not every record."""

    def __init__(self, recs: list[_Rec]) -> None:
        self.recs = recs
        self.keys: list[tuple[int, int]] = sorted((r.start, k) for k, r in enumerate(recs))
        self.longest = max((r.end - r.start for r in recs), default=0)
        self.known = {k for _s, k in self.keys}

    def add(self, k: int) -> None:
        if k in self.known:
            return
        r = self.recs[k]
        bisect.insort(self.keys, (r.start, k))
        self.longest = max(self.longest, r.end - r.start)
        self.known.add(k)

    def overlapping(self, s: int, e: int) -> list[int]:
        lo = bisect.bisect_left(self.keys, (s - self.longest, -1))
        hi = bisect.bisect_left(self.keys, (e, -1))
        out = []
        for _start, k in self.keys[lo:hi]:
            r = self.recs[k]
            if not r.dropped and r.start < e and s < r.end:
                out.append(k)
        return sorted(out)


def _scan_surfaces(
    text: str,
    recs: list[_Rec],
    uf: UnionFind,
    excl: list[Offsets],
    defined: dict[int, list[str]],
    ensure: Callable[..., int | None],
) -> None:
    groups = _group_of(recs, uf)
    # Surnames shared by two person actors are not searched.
    surname_owner: dict[str, set[int]] = defaultdict(set)
    for root, members in groups.items():
        for i in members:
            r = recs[i]
            if r.person and len(r.name.split()) > 1:
                surname_owner[_strip_particle(r.name.split()[-1])].add(root)
    jobs: list[tuple[str, int, bool]] = []  # (surface, root, one-word person name)
    for root, members in groups.items():
        surfaces: set[str] = set()
        for i in members:
            r = recs[i]
            surfaces.add(r.name)
            surfaces.update(defined.get(i, ()))
            if r.entry is not None:
                surfaces.update(r.entry.surfaces)
        person = any(recs[i].person for i in members)
        for s in surfaces:
            s = s.strip()
            # Only names are searched: "the source", "a doctor" are not.
            if s[:1].isupper() or s[:1].isdigit() or _ARTICLE_WORD_RE.match(s):
                jobs.append((s, root, person and len(s.split()) == 1))
        if person:
            for i in members:
                parts = recs[i].name.split()
                if len(parts) > 1:
                    sur = _strip_particle(parts[-1])
                    if len(sur) >= 3 and surname_owner.get(sur) == {root}:
                        jobs.append((sur, root, True))
    jobs.sort(key=lambda j: -len(j[0]))
    index = _RecIndex(recs)
    for surface, root, one_word_person in jobs:
        for m in _surface_regex(surface).finditer(text):
            s, e = m.span()
            if meets(s, e, excl):
                continue
            if one_word_person and _inside_longer_name(text, s, e):
                continue
            inside = index.overlapping(s, e)
            if any(
                (recs[k].start, recs[k].end) == (s, e)
                or not (s <= recs[k].start and recs[k].end <= e)
                for k in inside
            ):
                continue  # already a mention, or crosses / lies inside another mention
            label = recs[root].label or ("PERSON" if recs[root].person else "ORG")
            idx = ensure(s, e, label, (s, e))
            if idx is None:
                continue
            recs[idx].scanned = True
            index.add(idx)
            uf.union(root, idx)
            # Mentions inside the hit ("Khalq" in "Mujahedin-e Khalq"): a lone one joins
            # the actor; one that belongs to another actor was a word of this name.
            for k in inside:
                rk = uf.find(k)
                if rk == uf.find(root):
                    continue
                if sum(1 for j, r in enumerate(recs) if not r.dropped and uf.find(j) == rk) == 1:
                    uf.union(root, k)
                else:
                    recs[k].dropped = True


def _strip_particle(word: str) -> str:
    m = _ARTICLE_WORD_RE.match(word)
    return word[m.end() - 1 :] if m else word


# Capitalised words that open sentences rather than names ("Later Hill said").
_SENTENCE_OPENERS_TEXT = """
    a an the and but or so yet then later earlier meanwhile however also still now today
    yesterday tomorrow when while after before since as if though although because once
    instead asked speaking last next this that these those there here in on at for with
    by from to of what why how where who whom whose which both either neither nor only
"""
_SENTENCE_OPENERS = frozenset(_SENTENCE_OPENERS_TEXT.split())


def _inside_longer_name(text: str, s: int, e: int) -> bool:
    """True when a surname hit is part of a longer proper name ("Capitol Hill")."""
    before = re.search(r"(\S+)[ \t]+$", text[max(0, s - 40) : s])
    if before:
        w = before.group(1)
        if (
            w[:1].isupper()
            and w[-1] not in ".,;:!?\"'\u201d"
            and _title_key(w) not in _TITLE_WORDS
            and _title_key(w) not in _SENTENCE_OPENERS
        ):
            return True
        if w[:1].isupper() and w.endswith(".") and _title_key(w) in _TITLE_WORDS:
            return False
    after = re.match(r"[ \t]+([A-Z]\w*)", text[e : e + 40])
    return bool(after)


def _build_actors(
    text: str, recs: list[_Rec], uf: UnionFind
) -> tuple[list[Actor], dict[Offsets, str]]:
    groups = _group_of(recs, uf)
    ordered = sorted(groups.values(), key=lambda ms: min(recs[i].start for i in ms))
    actors: list[Actor] = []
    mapping: dict[Offsets, str] = {}
    for n, members in enumerate(ordered, 1):
        aid = f"a{n}"
        members.sort(key=lambda i: (recs[i].start, -recs[i].end))
        entry = next((recs[i].entry for i in members if recs[i].entry is not None), None)
        if entry is not None:
            name, type_ = entry.name, entry.type
        else:
            name = _canonical_name([recs[i] for i in members])
            type_ = _actor_type([recs[i] for i in members])
        ranges = sorted({(recs[i].start, recs[i].end) for i in members})
        kept = [
            (s, e)
            for s, e in ranges
            if not any(os <= s and e <= oe and (os, oe) != (s, e) for os, oe in ranges)
        ]
        spans = tuple(TextSpan(text[s:e], ((s, e),)) for s, e in kept)
        kept_set = set(kept)
        aliases = _dedupe(recs[i].name for i in members if (recs[i].start, recs[i].end) in kept_set)
        actors.append(Actor(aid, name, type_, aliases, spans))
        for i in members:
            for key in recs[i].keys:
                mapping[key] = aid
    return actors, mapping


def _canonical_name(members: list[_Rec]) -> str:
    names = [r.name for r in members if not _is_acronym(r.name)] or [r.name for r in members]
    return max(names, key=len)  # max keeps the first of equal lengths


def _actor_type(members: list[_Rec]) -> str:
    """The commonest type of the mentions' labels (the earliest wins a tie)."""
    counts = Counter(LABEL_TYPES[r.label] for r in members if r.label in LABEL_TYPES)
    return counts.most_common(1)[0][0] if counts else _DEFAULT_TYPE


def actor_lookup(mapping: Mapping[Offsets, str]) -> Callable[[int, int], str | None]:
    """``actor_of(start, end)`` for ``find_labels``: the actor whose mention covers or
    overlaps [start, end); the smallest covering mention wins, then the largest overlap.
    """
    items = sorted((s, e, aid) for (s, e), aid in mapping.items())
    starts = [s for s, _, _ in items]
    longest = max((e - s for s, e, _ in items), default=0)

    def actor_of(start: int, end: int) -> str | None:
        best: tuple[int, int] | None = None
        found: str | None = None
        # only mentions starting within `longest` before `start` can reach it
        for k in range(bisect_left(starts, start - longest), bisect_left(starts, end)):
            s, e, aid = items[k]
            if e <= start:
                continue
            covers = s <= start and end <= e
            score = (0 if covers else 1, (e - s) if covers else -(min(e, end) - max(s, start)))
            if best is None or score < best:
                best, found = score, aid
        return found

    return actor_of
