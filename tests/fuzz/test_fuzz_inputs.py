"""Fuzz harness (Hypothesis) over the input readers, the record validator and the alias
parser. What must hold for any input:

- a reader yields Articles and BadInputErrors and raises nothing;
- an Article's offsets (furniture ranges) lie inside its text and its metadata fields are
  strings (``model.validate``); an error is one line naming the file;
- the record validator returns a record or raises BadInputError, and what it returns
  reads back with ``Analysis.from_dict``, has every span inside the text and encodes as
  UTF-8 JSON;
- an alias file loads or raises ConfigError (one line).

Time is bounded for CI: examples are derandomised (the same inputs every run) and
counted (``FUZZ_EXAMPLES`` scales them; e.g. ``FUZZ_EXAMPLES=20`` for a long local run).
Crashing inputs found here are kept as explicit regression tests in
``test_fuzz_regressions.py``.
"""

from __future__ import annotations

import copy
import gzip
import itertools
import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sourcetrace.actors import AliasTable, parse_yaml
from sourcetrace.ingest import read_path
from sourcetrace.model.article import Article
from sourcetrace.model.errors import BadInputError, ConfigError
from sourcetrace.model.record import Analysis
from sourcetrace.model.validate import METADATA_STRINGS, validate_record

SCALE = float(os.environ.get("FUZZ_EXAMPLES", "1"))


def bounded(n: int):
    """Settings for one fuzz target: n examples (times FUZZ_EXAMPLES), same every run."""
    return settings(
        max_examples=max(1, int(n * SCALE)), deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.function_scoped_fixture],
    )


_names = itertools.count()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _file(folder, suffix: str, data: bytes) -> str:
    path = folder / f"in{next(_names)}{suffix}"
    path.write_bytes(data)
    return str(path)


def check_read(path: str) -> list[Article | BadInputError]:
    items = list(read_path(path))
    assert items, path
    for item in items:
        if isinstance(item, BadInputError):
            assert str(item).startswith(path) and "\n" not in item.reason, item
            continue
        assert isinstance(item, Article), item
        assert isinstance(item.text, str) and item.text
        item.text.encode("utf-8")  # no lone surrogate reaches an output
        assert isinstance(item.id, str) and item.id
        for ex in item.excluded:
            assert 0 <= ex.start <= ex.end <= len(item.text), ex
        for key in METADATA_STRINGS:
            assert item.metadata.get(key) is None or isinstance(item.metadata[key], str)
    return items


# -- values --------------------------------------------------------------------------------

SURROGATES = st.sampled_from(["\ud800", "a\udfffb"])
scalars = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12) | SURROGATES)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=8,
)
words = st.lists(st.sampled_from(
    ["the", "harbour", "said", "Mayor", "Osk", '"', "\u201c", "\u201d", ".", ",", "\n",
     "\n\n", "Home", ">", "|", "http://x.example/a", "Reuters", "2025-05-01", "\u00a0",
     "\ufeff", "\x00", "'", "''", "\u2014"]), max_size=60).map(" ".join)


# -- readers ---------------------------------------------------------------------------------


@bounded(80)
@given(data=st.binary(max_size=400) | words.map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_text_reader(folder, data):
    check_read(_file(folder, ".txt", data))


html_docs = st.builds(
    lambda title, body, junk: (
        f"<html><head><title>{title}</title><meta property='og:url' content='{junk}'></head>"
        f"<body><nav>Home | News</nav><article><h1>{title}</h1><p>{body}</p></article>"
        f"</body></html>"
    ),
    words, words, st.text(max_size=10),
) | st.text(max_size=200)


@bounded(25)
@given(doc=html_docs, cut=st.integers(0, 400))
def test_html_reader(folder, doc, cut):
    data = doc.encode("utf-8", "surrogatepass")
    check_read(_file(folder, ".html", data[: cut or None]))


jsonl_records = st.fixed_dictionaries(
    {},
    optional={
        "text": words | json_values,
        "html": st.just("<p>The harbour said so.</p>") | json_values,
        **{key: json_values for key in METADATA_STRINGS},
    },
)
jsonl_lines = (
    jsonl_records.map(json.dumps)
    | json_values.map(json.dumps)
    | st.text(max_size=30)
    | st.just("[" * 5000)
)


@bounded(80)
@given(lines=st.lists(jsonl_lines, max_size=5))
def test_jsonl_reader(folder, lines):
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    items = check_read(_file(folder, ".jsonl", data))
    numbered = [i for i in items if "#" in i.path]
    assert len(numbered) <= sum(1 for line in data.split(b"\n") if line.strip())


def _warc_record(url: str, html: str) -> bytes:
    body = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{html}".encode()
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Record-ID: <urn:uuid:{next(_names):08d}-0000-0000-0000-000000000000>\r\n"
            "WARC-Date: 2025-05-01T00:00:00Z\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    return head + body + b"\r\n\r\n"


@bounded(50)
@given(
    bodies=st.lists(words, min_size=1, max_size=3),
    packing=st.sampled_from(["plain", "member", "whole"]),
    cut=st.integers(0, 2000),
    flip=st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 255)), max_size=3),
)
def test_warc_reader(folder, bodies, packing, cut, flip):
    records = [_warc_record(f"http://x.example/{i}", f"<p>{b}</p>")
               for i, b in enumerate(bodies)]
    if packing == "plain":
        data = b"".join(records)
    elif packing == "member":
        data = b"".join(gzip.compress(r) for r in records)
    else:
        data = gzip.compress(b"".join(records))
    buf = bytearray(data[: cut or None] if cut < len(data) else data)
    for at, byte in flip:
        if at < len(buf):
            buf[at] = byte
    suffix = ".warc" if packing == "plain" else ".warc.gz"
    check_read(_file(folder, suffix, bytes(buf)))


# -- the record validator ---------------------------------------------------------------------

TEXT = "Ferries stop at noon, the harbour office said. Repairs begin on Monday."
BASE = {
    "schema_version": "1.0.0", "id": "h1", "path": "hand.txt", "text": TEXT,
    "metadata": {"url": "https://hand.example/1", "outlet": "Hand Post"},
    "excluded": [{"start": 0, "end": 7, "kind": "url"}],
    "attributions": [{
        "id": "t1",
        "source": {"text": "the harbour office", "spans": [[22, 40]], "type": "organization",
                   "actor": "a1", "role": None,
                   "antecedent": {"text": "harbour office", "spans": [[26, 40]]}},
        "cue": {"text": "said", "spans": [[41, 45]]},
        "content": {"text": "Ferries stop at noon", "spans": [[0, 20]]},
        "kind": "indirect",
        "relayed_by": [{"text": "x", "spans": [[0, 1]], "type": "person"}],
        "chain_depth": 2, "confidence": 0.8,
    }],
    "actors": [{"id": "a1", "name": "harbour office", "type": "organization",
                "aliases": ["harbour office"],
                "mentions": [{"text": "harbour office", "spans": [[26, 40]]}]}],
    "unattributed": [{"text": "Repairs begin on Monday.", "spans": [[47, 71]], "reason": "f"}],
    "labels": [{"text": "office", "spans": [[34, 40]], "label": "x", "actor": "a1",
                "voice": "writer", "attribution": None}],
    "profile": {"n": 1},
}


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


PATHS = _paths(BASE)[1:]


def check_validated(out: dict) -> None:
    analysis = Analysis.from_dict(out)
    again = analysis.to_dict()
    n = len(out["text"])
    for part in ("attributions", "actors", "unattributed", "labels"):
        for s, e in _spans(again[part]):
            assert 0 <= s <= e <= n
    json.dumps(out, ensure_ascii=False).encode("utf-8")
    for key in METADATA_STRINGS:
        assert out["metadata"].get(key) is None or isinstance(out["metadata"][key], str)


def _spans(value: Any) -> list[list[int]]:
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "spans":
                found += v
            else:
                found += _spans(v)
    elif isinstance(value, list):
        for v in value:
            found += _spans(v)
    return found


@bounded(300)
@given(changes=st.lists(st.tuples(st.sampled_from(PATHS), json_values), max_size=3))
def test_record_validator_on_mutated_records(changes):
    rec = copy.deepcopy(BASE)
    for path, value in changes:
        target = rec
        try:
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this path
    try:
        out = validate_record(rec, "f.jsonl#1")
    except BadInputError as exc:
        assert str(exc).startswith("f.jsonl#1: ") and "\n" not in exc.reason
        return
    check_validated(out)


@bounded(100)
@given(obj=json_values)
def test_record_validator_on_any_json(obj):
    try:
        check_validated(validate_record(obj, "f#2"))
    except BadInputError as exc:
        assert str(exc).startswith("f#2: ")


# -- the alias parser -------------------------------------------------------------------------

yaml_texts = st.lists(st.sampled_from(
    ["- name: Port Vell", "  aliases: [PV, &a Vell]", "  aliases: *a", "  type: person",
     "  type: [x]", "  label: ORG", "  label: {a: 1}", "  split: yes", "- {name: 3}",
     "- [", "- *b", "&b x", "merge:", "? [a]", ": b", "- name: \"\\ud800\"", "- !!binary aGk=",
     "- !!python/object:os.system x", "  aliases: [1, 2.5, true, null]", "---", "- - - -"]),
    max_size=12).map("\n".join) | st.text(max_size=80)


@bounded(150)
@given(text=yaml_texts)
def test_alias_yaml_parser(folder, text):
    try:
        records = parse_yaml(text, "f.yaml")
    except ConfigError as exc:
        assert str(exc).startswith("f.yaml: ") and "\n" not in str(exc)
        return
    for rec in records:
        assert isinstance(rec["name"], str) and all(isinstance(a, str) for a in rec["aliases"])
    path = _file(folder, ".yaml", text.encode("utf-8", "surrogatepass"))
    AliasTable.load([path], builtin=False).patterns()


csv_cells = st.sampled_from(["name", "type", "alias", "Port Vell", "person", "PV", "", "#c",
                             '"a,b"', '"open', "x\x00y", "organization", "bogus"])
csv_texts = st.lists(st.lists(csv_cells, max_size=4).map(",".join), max_size=8).map("\n".join)


@bounded(100)
@given(text=csv_texts | st.text(max_size=60))
def test_alias_csv_parser(folder, text):
    path = _file(folder, ".csv", text.encode("utf-8", "surrogatepass"))
    try:
        table = AliasTable.load([path], builtin=False)
    except ConfigError as exc:
        assert str(exc).startswith(path) and "\n" not in str(exc)
        return
    table.patterns()
