"""Spark engine on local[2]: its Parquet equals the local engine's output on the same input."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from engine_inputs import write_jsonl, write_warc
from typer.testing import CliRunner

from sourcetrace.cli import app
from sourcetrace.engine.spark import Unit, plan_units
from sourcetrace.pipeline import PipelineOptions
from sourcetrace.reports.parquet import read_parquet

pyspark = pytest.importorskip("pyspark")


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("sourcetrace-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("spark-in")
    return [
        write_warc(root / "crawl.warc.gz", 5),
        write_warc(root / "plain.warc", 3, seed=5, gzip=False),
        write_jsonl(root / "feed.jsonl", 9, bad_lines=(4,)),
    ]


@pytest.fixture(scope="module")
def local_run(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "out.jsonl"
    result = CliRunner().invoke(app, ["analyze", *map(str, inputs), "-o", str(out), "--fast"])
    assert result.exit_code == 1, result.output  # the bad JSONL line
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    errors = [json.loads(e) for e in Path(f"{out}.errors.jsonl").read_text().splitlines()]
    return records, errors


def test_spark_parquet_equals_local_engine(spark, inputs, local_run, tmp_path, capsys):
    from sourcetrace.engine.spark import run_spark

    out = tmp_path / "out.parquet"
    fast = PipelineOptions(fast=True)
    code = run_spark([str(p) for p in inputs], str(out), options=fast, spark=spark)
    records, errors = local_run
    assert len(records) >= 14
    assert list(read_parquet(out)) == records
    assert code == 1
    got_errors = [json.loads(e) for e in Path(f"{out}.errors.jsonl").read_text().splitlines()]
    assert got_errors == errors
    assert f"spark: {len(records)} articles written" in capsys.readouterr().err


def test_hadoop_uri_input_reads_the_same_articles(spark, inputs, local_run, tmp_path):
    from sourcetrace.engine.spark import run_spark

    warc = inputs[0]
    out = tmp_path / "uri.parquet"
    code = run_spark([warc.as_uri()], str(out), options=PipelineOptions(fast=True), spark=spark)
    assert code == 0
    got = list(read_parquet(out))
    want = [r for r in local_run[0] if r["path"].startswith(f"{warc}#")]
    assert [r["path"].rsplit("#", 1)[1] for r in got] == [
        r["path"].rsplit("#", 1)[1] for r in want
    ]
    assert all(r["path"].startswith("file:") for r in got)
    strip = ("id", "path")
    assert [{k: v for k, v in r.items() if k not in strip} for r in got] == [
        {k: v for k, v in r.items() if k not in strip} for r in want
    ]


def test_plan_units_splits_record_files_to_fill_slots(tmp_path):
    warc = write_warc(tmp_path / "a.warc.gz", 2)
    page = tmp_path / "b.html"
    page.write_text("<html></html>")
    units = plan_units([str(warc), str(page), "hdfs://nn/x.warc.gz"], slots=4)
    assert [u for u in units if u.path == str(page)] == [Unit(1, str(page))]
    warc_units = [u for u in units if u.path == str(warc)]
    assert [(u.shard, u.shards) for u in warc_units] == [(0, 2), (1, 2)]
    assert [u.remote for u in units if u.path.startswith("hdfs:")] == [True]
    assert len(units) == 4
