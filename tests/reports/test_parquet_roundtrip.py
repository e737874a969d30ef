"""Parquet report: rows read back equal the JSONL records (the corpus contract)."""

from __future__ import annotations

import json
from importlib import resources

import pyarrow.parquet as pq
import pytest
from sample_analysis import build_analysis, build_empty_analysis, build_hostile_analysis

from sourcetrace.reports import get_writer
from sourcetrace.reports.parquet import ARROW_SCHEMA, read_parquet, write_parquet


@pytest.fixture(scope="module")
def example_records():
    """Analysis.to_dict() of the shipped examples (rule-only path, to stay quick)."""
    from sourcetrace.ingest import iter_articles
    from sourcetrace.pipeline import Pipeline

    folder = resources.files("sourcetrace") / "data" / "examples"
    with resources.as_file(folder) as path:
        articles = [a for a in iter_articles([str(path)]) if not isinstance(a, Exception)]
    assert articles
    return [r.to_dict() for r in Pipeline(fast=True).analyze_many(articles)]


def _hand_built():
    return [b().to_dict() for b in (build_analysis, build_hostile_analysis, build_empty_analysis)]


def test_examples_round_trip(tmp_path, example_records):
    out = tmp_path / "out.parquet"
    assert write_parquet(example_records, out) == len(example_records)
    assert list(read_parquet(out)) == example_records
    # The JSON text of each record is the same, so nothing changed type (int vs float).
    back = list(read_parquet(out))
    assert [json.dumps(r) for r in back] == [json.dumps(r) for r in example_records]


def test_hand_built_round_trip_covers_nested_nulls(tmp_path):
    records = _hand_built()
    # Sanity: the sample really has the shapes worth testing.
    atts = records[0]["attributions"]
    assert any(a["source"] is None for a in atts)
    assert any(a["relayed_by"] for a in atts)
    out = tmp_path / "hand.parquet"
    write_parquet(records, out)
    assert list(read_parquet(out)) == records


def test_contract_columns_and_types(tmp_path):
    records = _hand_built()
    for r in records:  # as analysis writes them since 1.1: every attribution says
        for a in r["attributions"]:
            a["proposition"] = len(a["content"]["text"]) % 2 == 0
        r["tier"] = "default"  # and since 1.2 every record names its tier (last)
    out = tmp_path / "c.parquet"
    write_parquet(records, out)
    table = pq.read_table(out)
    assert table.column_names == list(records[0])
    assert table.schema.field("metadata").type == "string"
    assert str(table.schema.field("excluded").type).startswith("list<")
    # Read with pyarrow alone, as the corpus engineer does: json.loads two columns.
    rows = table.to_pylist()
    for row in rows:
        row["metadata"] = json.loads(row["metadata"])
        row["profile"] = json.loads(row["profile"])
    assert rows == records


def test_empty_file_has_the_schema(tmp_path):
    out = tmp_path / "empty.parquet"
    assert write_parquet([], out) == 0
    assert pq.read_schema(out).remove_metadata().equals(ARROW_SCHEMA.remove_metadata())
    assert list(read_parquet(out)) == []


def test_streaming_writer_matches_write_parquet(tmp_path):
    analyses = [build_analysis(f"a{i}.txt") for i in range(600)]  # more than a row group
    out = tmp_path / "w.parquet"
    with open(out, "wb") as fp:
        writer = get_writer("parquet", fp)
        for a in analyses:
            writer.write(a)
        writer.close()
    assert pq.ParquetFile(out).metadata.num_row_groups > 1
    assert list(read_parquet(out)) == [a.to_dict() for a in analyses]


def test_folder_of_parts_reads_in_name_order(tmp_path):
    records = _hand_built()
    folder = tmp_path / "spark.parquet"
    folder.mkdir()
    write_parquet(records[1:], folder / "part-00001-x.parquet")
    write_parquet(records[:1], folder / "part-00000-x.parquet")
    (folder / "_SUCCESS").write_text("")
    assert list(read_parquet(folder)) == records
