"""The record validator: field rules for records where they enter sourcetrace.

One set of rules for both places records come in:

- article JSONL lines (``ingest``) and every ingested article's metadata:
  ``string_field`` / ``check_metadata``;
- analysis records read by ``corpus build`` (sourcetrace JSONL or Parquet output, or
  records handed to ``build``): ``validate_record``.

The rules: ``url``, ``title``, ``published``, ``outlet``, ``author`` and ``id`` are
strings; a number is written out (``3.5`` -> ``"3.5"``), anything else (list, object,
true/false) is refused. No string may hold a lone surrogate (``"\\ud800"``: JSON allows
it, UTF-8 cannot carry it). An analysis record also has the shape ``Analysis.to_dict``
writes: lists of objects where lists belong, every span ``[start, end]`` inside the text,
confidences in 0..1, a ``tier`` (1.2 on; optional) that is a short lower-case name,
and a ``schema_version`` of our major version. A record that breaks
a rule is refused as a whole with one ``BadInputError(where, reason)`` naming the field;
its batch goes on. Keys the validator does not know are kept as they are (newer minor
versions may add fields).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from .errors import BadInputError
from .record import SCHEMA_VERSION

__all__ = [
    "METADATA_STRINGS",
    "SUPPORTED_MAJOR",
    "check_metadata",
    "check_schema_version",
    "find_surrogate",
    "no_surrogate",
    "string_field",
    "validate_record",
]

# Metadata fields that are strings in every record (the corpus stores them as VARCHAR).
METADATA_STRINGS = ("url", "title", "published", "outlet", "author", "id")
SUPPORTED_MAJOR = SCHEMA_VERSION.split(".")[0]
_SURROGATE = re.compile("[\ud800-\udfff]")
# A tier name: today fast, default, accurate or custom; a later minor version may add one.
TIER_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")

Record = dict[str, Any]


def string_field(value: Any, key: str, where: str) -> str | None:
    """``value`` as a string: a number is written out, None or "" is None, and anything
    else but a string is refused. RAISES BadInputError (where, naming ``key``)."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise BadInputError(where, f'"{key}" must be a string (got {value})')
        value = str(value)
    if not isinstance(value, str):
        raise BadInputError(where, f'"{key}" must be a string (got {_kind(value)})')
    no_surrogate(key, value, where)
    return value


def no_surrogate(key: str, value: str | None, where: str) -> None:
    """RAISES BadInputError when ``value`` holds a lone surrogate."""
    # json.loads accepts "\ud800" alone; no UTF-8 writer downstream would.
    if value and (m := _SURROGATE.search(value)):
        raise BadInputError(
            where, f'"{key}" holds a lone surrogate (U+{ord(m.group()):04X}) at character '
            f"{m.start()}")


def check_metadata(metadata: Mapping[str, Any], where: str) -> dict[str, Any]:
    """A copy of ``metadata`` with METADATA_STRINGS as strings (numbers written out).

    RAISES BadInputError: a field of the wrong type, or a lone surrogate anywhere.
    """
    out = dict(metadata)
    for key in METADATA_STRINGS:
        value = out.get(key)
        if value is not None and not isinstance(value, str):
            out[key] = string_field(value, key, where)
    _no_surrogate_in("metadata", out, where)
    return out


def check_schema_version(record: Mapping[str, Any], where: str) -> None:
    """RAISES BadInputError when the record's schema major version is not ours."""
    version = record.get("schema_version")
    if not isinstance(version, str) or version.split(".")[0] != SUPPORTED_MAJOR:
        shown = version if isinstance(version, str) else _kind(version)
        raise BadInputError(
            where,
            f"schema_version {shown!r} is not supported "
            f"(this sourcetrace reads {SUPPORTED_MAJOR}.x); record skipped",
        )


def validate_record(obj: Any, where: str) -> Record:
    """A checked copy of one analysis record (``Analysis.to_dict()``'s shape).

    Coerces what has one meaning (numbers in string fields, null for an empty list,
    ``chain_depth`` recomputed as it is derived); refuses everything else.
    RETURNS (dict): the record to store. RAISES BadInputError (where, reason).
    """
    if not isinstance(obj, dict):
        raise BadInputError(where, f"not a JSON object (got {_kind(obj)})")
    check_schema_version(obj, where)
    out = dict(obj)
    text = obj.get("text")
    if not isinstance(text, str):
        raise BadInputError(where, f'"text" must be a string (got {_kind(text)})')
    no_surrogate("text", text, where)
    ident = string_field(obj.get("id"), "id", where)
    if ident is None:
        raise BadInputError(where, '"id" is missing or empty')
    out["id"] = ident
    if "path" in obj:
        out["path"] = string_field(obj["path"], "path", where) or ""
    meta = obj.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        raise BadInputError(where, f'"metadata" must be an object (got {_kind(meta)})')
    out["metadata"] = check_metadata(meta or {}, where)
    tier = obj.get("tier")
    if tier is None:
        out.pop("tier", None)  # records before 1.2 have none; null says the same
    elif not isinstance(tier, str) or not TIER_NAME.fullmatch(tier):
        shown = repr(tier[:40]) if isinstance(tier, str) else f"got {_kind(tier)}"
        raise BadInputError(where, f'"tier" must be a tier name ({shown})')
    if obj.get("profile") is not None and not isinstance(obj["profile"], dict):
        raise BadInputError(where, f'"profile" must be an object (got {_kind(obj["profile"])})')
    check = _Checker(len(text), where)
    out["excluded"] = check.items(obj, "excluded", check.excluded)
    out["attributions"] = check.items(obj, "attributions", check.attribution)
    out["actors"] = check.items(obj, "actors", check.actor)
    out["unattributed"] = check.items(obj, "unattributed", check.assertion)
    out["labels"] = check.items(obj, "labels", check.label)
    # Keys the checks keep as they are (and profile) may hold one too.
    _no_surrogate_in("record", out, where)
    return out


class _Checker:
    """Field checks for the parts of one record; ``name`` arguments are JSON paths."""

    def __init__(self, n_chars: int, where: str) -> None:
        self.n = n_chars
        self.where = where

    def fail(self, name: str, reason: str) -> BadInputError:
        return BadInputError(self.where, f'"{name}" {reason}')

    def items(self, d: Mapping[str, Any], key: str, check: Any, prefix: str = "") -> list[Any]:
        value = d.get(key)
        name = f"{prefix}{key}"
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(name, f"must be a list (got {_kind(value)})")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.fail(f"{name}[{i}]", f"must be an object (got {_kind(item)})")
            out.append(check(item, f"{name}[{i}]"))
        return out

    def string(self, d: dict[str, Any], key: str, name: str, *, required: bool = False) -> None:
        value = d.get(key)
        if value is not None and not isinstance(value, str):
            value = d[key] = string_field(value, f"{name}.{key}", self.where)
        if required and not value:
            raise self.fail(f"{name}.{key}", "is missing or empty")
        no_surrogate(f"{name}.{key}", value, self.where)

    def int_in_text(self, value: Any, name: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, f"must be an integer (got {_kind(value)})")
        if not 0 <= value <= self.n:
            raise self.fail(name, f"{value} is outside the text (0..{self.n})")
        return value

    def span(self, d: Mapping[str, Any], name: str) -> dict[str, Any]:
        """A TextSpan dict: optional "text", "spans" a list of [start, end] in the text."""
        out = dict(d)
        self.string(out, "text", name)
        if out.get("text") is None:
            out["text"] = ""
        spans = d.get("spans")
        if spans is None:
            out["spans"] = []
            return out
        if not isinstance(spans, list):
            raise self.fail(f"{name}.spans", f"must be a list (got {_kind(spans)})")
        checked = []
        for i, pair in enumerate(spans):
            where = f"{name}.spans[{i}]"
            if not isinstance(pair, list) or len(pair) != 2:
                raise self.fail(where, "must be a [start, end] pair")
            s = self.int_in_text(pair[0], where)
            e = self.int_in_text(pair[1], where)
            if e < s:
                raise self.fail(where, f"ends before it starts ({s}, {e})")
            checked.append([s, e])
        out["spans"] = checked
        return out

    def sub_span(self, d: Mapping[str, Any], key: str, name: str) -> dict[str, Any] | None:
        value = d.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(f"{name}.{key}", f"must be an object (got {_kind(value)})")
        return self.span(value, f"{name}.{key}")

    def excluded(self, d: dict[str, Any], name: str) -> dict[str, Any]:
        out = dict(d)
        for key in ("start", "end"):
            out[key] = self.int_in_text(d.get(key), f"{name}.{key}")
        if out["end"] < out["start"]:
            raise self.fail(name, "ends before it starts")
        self.string(out, "kind", name)
        if out.get("kind") is None:
            out["kind"] = ""
        return out

    def source(self, d: dict[str, Any], name: str) -> dict[str, Any]:
        out = self.span(d, name)
        self.string(out, "type", name, required=True)
        self.string(out, "actor", name)
        self.string(out, "role", name)
        out["antecedent"] = self.sub_span(d, "antecedent", name)
        return out

    def attribution(self, d: dict[str, Any], name: str) -> dict[str, Any]:
        out = dict(d)
        self.string(out, "id", name, required=True)
        self.string(out, "kind", name, required=True)
        for key in ("cue", "content"):
            span = self.sub_span(d, key, name)
            if span is None:
                raise self.fail(f"{name}.{key}", "is missing")
            out[key] = span
        src = d.get("source")
        if src is not None and not isinstance(src, dict):
            raise self.fail(f"{name}.source", f"must be an object (got {_kind(src)})")
        out["source"] = self.source(src, f"{name}.source") if src else None
        out["relayed_by"] = self.items(d, "relayed_by", self.source, f"{name}.")
        # Derived (model.record): written from what the record holds, never trusted.
        out["chain_depth"] = len(out["relayed_by"]) + (1 if out["source"] else 0)
        conf = d.get("confidence", 0.5)
        if (isinstance(conf, bool) or not isinstance(conf, int | float)
                or not 0 <= conf <= 1):
            raise self.fail(f"{name}.confidence", f"must be a number in 0..1 (got {conf!r:.40})")
        out["confidence"] = float(conf)
        return out

    def actor(self, d: dict[str, Any], name: str) -> dict[str, Any]:
        out = dict(d)
        for key in ("id", "name", "type"):
            self.string(out, key, name, required=True)
        aliases = d.get("aliases")
        if aliases is None:
            aliases = []
        if not isinstance(aliases, list):
            raise self.fail(f"{name}.aliases", f"must be a list (got {_kind(aliases)})")
        out["aliases"] = [
            string_field(a, f"{name}.aliases[{i}]", self.where) or "" for i, a in
            enumerate(aliases)
        ]
        out["mentions"] = self.items(d, "mentions", self.span, f"{name}.")
        return out

    def assertion(self, d: dict[str, Any], name: str) -> dict[str, Any]:
        out = self.span(d, name)
        self.string(out, "reason", name)
        return out

    def label(self, d: dict[str, Any], name: str) -> dict[str, Any]:
        out = self.span(d, name)
        self.string(out, "label", name, required=True)
        self.string(out, "voice", name, required=True)
        self.string(out, "actor", name)
        self.string(out, "attribution", name)
        return out


def find_surrogate(value: Any) -> tuple[str, int, str] | None:
    """(JSON path, character, the surrogate) of the first lone surrogate in a JSON value
    (keys included), or None. Iterative, so a deep value cannot exhaust the stack."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, v = stack.pop()
        if isinstance(v, str):
            if m := _SURROGATE.search(v):
                return path, m.start(), m.group()
        elif isinstance(v, dict):
            for k, item in v.items():
                sub = f"{path}.{k}" if path else str(k)
                if isinstance(k, str) and (m := _SURROGATE.search(k)):
                    return f"{sub} (key)", m.start(), m.group()
                stack.append((sub, item))
        elif isinstance(v, list | tuple):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(v))
    return None


def _no_surrogate_in(key: str, value: Any, where: str) -> None:
    if (hit := find_surrogate(value)) is not None:
        path, at, ch = hit
        shown = path if key == "record" else f"{key}.{path}" if path else key
        raise BadInputError(
            where, f'"{shown}" holds a lone surrogate (U+{ord(ch):04X}) at character {at}')


def _kind(value: Any) -> str:
    """A value's type for error lines (JSON's null, else Python's name: list, dict...)."""
    return "null" if value is None else type(value).__name__
