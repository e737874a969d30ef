"""Analysis records are validated where they enter a corpus build: a bad record is one
error naming ``file#N``, coerced where its meaning is clear, and the rest are written."""

from __future__ import annotations

import copy
import json

import pytest
from typer.testing import CliRunner

from sourcetrace.cli import app
from sourcetrace.corpus import query
from sourcetrace.corpus.build import build
from sourcetrace.corpus.db import connect
from sourcetrace.corpus.embed import HashingEmbedder
from sourcetrace.corpus.records import read_record_jsonl, read_record_parquet
from sourcetrace.model.errors import BadInputError
from sourcetrace.model.record import Analysis
from sourcetrace.model.validate import validate_record

TEXT = "Ferries stop at noon, the harbour office said. Repairs begin on Monday."


def hand_record(**changes) -> dict:
    """A small record in ``Analysis.to_dict()``'s shape, written by hand."""
    cue = TEXT.index("said")
    rec = {
        "schema_version": "1.0.0",
        "id": "h1",
        "path": "hand.txt",
        "text": TEXT,
        "metadata": {"url": "https://hand.example/1", "outlet": "Hand Post"},
        "excluded": [],
        "attributions": [{
            "id": "t1",
            "source": {"text": "the harbour office", "spans": [[22, 40]],
                       "type": "organization", "actor": "a1", "role": None,
                       "antecedent": None},
            "cue": {"text": "said", "spans": [[cue, cue + 4]]},
            "content": {"text": "Ferries stop at noon", "spans": [[0, 20]]},
            "kind": "indirect", "relayed_by": [], "chain_depth": 1, "confidence": 0.8,
        }],
        "actors": [{"id": "a1", "name": "harbour office", "type": "organization",
                    "aliases": ["harbour office"],
                    "mentions": [{"text": "harbour office", "spans": [[26, 40]]}]}],
        "unattributed": [{"text": "Repairs begin on Monday.", "spans": [[47, 71]],
                          "reason": "factual"}],
        "labels": [],
        "profile": {"n": 1},
    }
    rec.update(changes)
    return rec


def test_a_hand_written_record_passes_and_reads_back():
    rec = hand_record()
    out = validate_record(rec, "x#1")
    assert out == rec
    assert Analysis.from_dict(out).to_dict()["attributions"][0]["content"]["spans"] == [[0, 20]]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"schema_version": "9.0.0"}, "schema_version '9.0.0' is not supported"),
        ({"schema_version": 1}, "schema_version 'int' is not supported"),
        ({"metadata": {"url": ["http://a"]}}, '"url" must be a string (got list)'),
        ({"metadata": {"outlet": {"n": 1}}}, '"outlet" must be a string (got dict)'),
        ({"metadata": {"published": False}}, '"published" must be a string (got bool)'),
        ({"metadata": "x"}, '"metadata" must be an object (got str)'),
        ({"id": ["a"]}, '"id" must be a string (got list)'),
        ({"id": ""}, '"id" is missing or empty'),
        ({"text": 3}, '"text" must be a string (got int)'),
        ({"attributions": {"a": 1}}, '"attributions" must be a list (got dict)'),
        ({"attributions": [3]}, '"attributions[0]" must be an object (got int)'),
        ({"unattributed": "none"}, '"unattributed" must be a list (got str)'),
        ({"labels": [{"text": "x", "spans": [[0, 1]], "voice": "writer"}]},
         '"labels[0].label" is missing or empty'),
        ({"actors": [{"id": "a1", "name": "N", "type": "person", "aliases": "N"}]},
         '"actors[0].aliases" must be a list (got str)'),
        ({"excluded": [{"start": 5, "end": 2, "kind": "url"}]}, '"excluded[0]" ends before'),
        ({"profile": []}, '"profile" must be an object (got list)'),
        ({"path": "\ud800.txt"}, '"path" holds a lone surrogate (U+D800)'),
        ({"profile": {"k": ["\udfff"]}}, '"profile.k[0]" holds a lone surrogate (U+DFFF)'),
    ],
)
def test_a_bad_field_refuses_the_record_with_one_line(change, reason):
    with pytest.raises(BadInputError) as info:
        validate_record(hand_record(**change), "feed.jsonl#7")
    assert str(info.value).startswith("feed.jsonl#7: ")
    assert reason in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("part", "value", "reason"),
    [
        ("content", {"text": "x", "spans": [[0, 9999]]}, "9999 is outside the text (0..71)"),
        ("content", {"text": "x", "spans": [[-1, 3]]}, "-1 is outside the text"),
        ("content", {"text": "x", "spans": [[4, 2]]}, "ends before it starts (4, 2)"),
        ("content", {"text": "x", "spans": [[1.5, 2]]}, "must be an integer (got float)"),
        ("content", {"text": "x", "spans": [[1, 2, 3]]}, "must be a [start, end] pair"),
        ("cue", None, '"attributions[0].cue" is missing'),
        ("source", "the office", '"attributions[0].source" must be an object (got str)'),
        ("confidence", 7, "must be a number in 0..1 (got 7)"),
        ("confidence", "high", "must be a number in 0..1"),
        ("kind", ["q"], '"attributions[0].kind" must be a string (got list)'),
        ("relayed_by", [{"text": "x", "spans": []}], '"attributions[0].relayed_by[0].type"'),
    ],
)
def test_a_bad_attribution_refuses_the_record(part, value, reason):
    rec = hand_record()
    rec["attributions"][0][part] = value
    with pytest.raises(BadInputError, match="^f#2: ") as info:
        validate_record(rec, "f#2")
    assert reason in str(info.value)


def test_numbers_in_string_fields_are_written_out_and_derived_fields_recomputed():
    rec = hand_record(id=17, metadata={"title": 3.5, "published": 2024, "x": [1]})
    rec["attributions"][0]["chain_depth"] = 10 ** 30  # derived: never trusted
    rec["actors"][0]["aliases"] = ["office", 42]
    out = validate_record(rec, "f#1")
    assert out["id"] == "17"
    assert out["metadata"] == {"title": "3.5", "published": "2024", "x": [1]}
    assert out["attributions"][0]["chain_depth"] == 1
    assert out["actors"][0]["aliases"] == ["office", "42"]
    assert rec["id"] == 17  # the input is not changed


def test_unknown_fields_are_kept():
    rec = hand_record(extra_field={"a": 1})
    rec["attributions"][0]["judgement"] = "supported"
    out = validate_record(rec, "f#1")
    assert out["extra_field"] == {"a": 1}
    assert out["attributions"][0]["judgement"] == "supported"


def test_records_of_the_real_pipeline_pass_unchanged(records):
    for rec in records:
        assert validate_record(copy.deepcopy(rec), "r#1") == rec


def _write(path, lines):
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
                    encoding="utf-8")


def test_jsonl_intake_fails_per_line_and_reads_the_rest(tmp_path):
    good = hand_record()
    lines = [
        good,
        hand_record(id="h2", metadata={"url": ["http://a"]}),
        hand_record(id="h3", schema_version="9.0.0"),
        "[" * 50_000,
        hand_record(id="h4", text=TEXT + " More."),
    ]
    path = tmp_path / "out.jsonl"
    _write(path, lines)
    out = list(read_record_jsonl(str(path)))
    kinds = [type(x).__name__ for x in out]
    assert kinds == ["dict", "BadInputError", "BadInputError", "BadInputError", "dict"]
    assert str(out[1]) == f'{path}#2: "url" must be a string (got list)'
    assert str(out[2]).startswith(f"{path}#3: schema_version '9.0.0'")
    assert str(out[3]).startswith(f"{path}#4: not")


def test_parquet_intake_names_the_row(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [hand_record(), hand_record(id="h2", schema_version="9.1.0")]
    for r in rows:
        r["metadata"] = json.dumps(r["metadata"])
        r["profile"] = json.dumps(r["profile"])
    path = tmp_path / "out.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    out = list(read_record_parquet(str(path)))
    assert isinstance(out[0], dict) and out[0]["id"] == "h1"
    assert isinstance(out[1], BadInputError) and str(out[1]).startswith(f"{path}#2: ")


def test_build_writes_the_good_records_and_counts_the_bad(tmp_path, records):
    bad_url = copy.deepcopy(records[1])
    bad_url["metadata"]["url"] = ["http://a"]
    bad_title = copy.deepcopy(records[2])
    bad_title["metadata"]["title"] = 3.5
    path = tmp_path / "out.jsonl"
    _write(path, [records[0], bad_url, hand_record(schema_version="9.0.0"), bad_title])
    stats = build(str(tmp_path / "c.duckdb"), [str(path)], embedder=HashingEmbedder())
    assert (stats.added, stats.failed) == (2, 2)
    assert [str(e).split(": ", 1)[0] for e in stats.errors] == [f"{path}#2", f"{path}#3"]
    con = connect(str(tmp_path / "c.duckdb"))
    titles = {a["title"] for a in query.articles(con)["articles"]}
    assert "3.5" in titles


def test_records_given_to_build_are_validated_too(tmp_path, records):
    bad = copy.deepcopy(records[0])
    bad["attributions"] = "none"
    stats = build(str(tmp_path / "c.duckdb"), records=[bad, records[1]],
                  embedder=HashingEmbedder())
    assert (stats.added, stats.failed) == (1, 1)
    assert str(stats.errors[0]).startswith("<records>#1: \"attributions\" must be a list")


def test_cli_build_prints_one_line_per_bad_record_and_exits_1(tmp_path, records):
    bad = copy.deepcopy(records[1])
    bad["metadata"]["url"] = ["http://a"]
    path = tmp_path / "out.jsonl"
    _write(path, [records[0], bad])
    db = tmp_path / "c.duckdb"
    res = CliRunner().invoke(app, ["corpus", "build", str(path), "--db", str(db),
                                   "--embedder", "hashing"])
    assert res.exit_code == 1, res.output
    assert f'error: {path}#2: "url" must be a string (got list)' in res.output
    assert "+1 article," in res.output and "Traceback" not in res.output
