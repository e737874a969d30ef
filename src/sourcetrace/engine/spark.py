"""Spark engine: the same analysis on PySpark, Parquet out.

    sourcetrace analyze --engine spark [--master URL] INPUT... -o OUT.parquet
    spark-submit --master yarn .../sourcetrace/engine/spark_submit.py INPUT... -o OUT.parquet

How the work is cut (the driver lists inputs, the executors read them):

- **Units**: one task unit per input file. A WARC or JSONL file is split into several
  units by record number (unit k of n takes records k+1, k+1+n, ...): every unit reads
  the file through (cheap: headers and gzip) but extracts and analyses only its own
  records, which is where the time goes. Local paths (visible to every executor, e.g. a
  shared filesystem) are split so there are at least as many units as task slots.
- **Hadoop URIs** (hdfs://, s3a://, gs://, file://...) are listed with Hadoop's FileSystem
  and read by Spark itself (``binaryFiles``), one unit per file; the task copies the file
  to local disk and reads it with the same ingest code.
- **One pipeline per Python worker**: ``mapPartitions`` loads it on first use and keeps it
  for every later partition the worker runs (Spark reuses Python workers).
- **Output**: Parquet with the JSONL schema (``reports.parquet.ARROW_SCHEMA``), ordered as
  the local engine orders it (input order, then record number). Failed articles and
  inputs go to ``OUT.errors.jsonl`` and stderr, as locally.
- **Failures**: a task that fails is retried by Spark (``spark.task.maxFailures``; for a
  ``local[N]`` master this engine asks for ``local[N,4]``). When the job still fails, each
  unit is run again as its own job and the units that fail again are recorded as failed
  inputs, so nothing is lost silently.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from rich.console import Console
from rich.text import Text

from ..attributions.tiers import TierUnavailable, parse_model, resolve
from ..pipeline import PipelineOptions, analyze_safely, failure_reason
from ..reports.parquet import ARROW_SCHEMA, to_row

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

    from ..model.article import Article
    from ..pipeline import Pipeline

logger = logging.getLogger(__name__)

__all__ = ["Unit", "main", "plan_units", "run_spark", "spark_schema"]

# Retries of a failed task before the job gives up (Spark's cluster default too).
TASK_MAX_FAILURES = 4
# A splittable local file gets one unit per this many bytes (at least), so big WARCs
# spread over the cluster even when there are more files than task slots.
BYTES_PER_UNIT = 64 << 20
ERRORS_SUFFIX = ".errors.jsonl"
_ORDER_COLUMNS = ("_input", "_record")
_URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # hdfs://..., s3a://..., file:/...
_LOCAL_MASTER_RE = re.compile(r"^local\[(\d+|\*)\]$")


@dataclass(frozen=True, slots=True)
class Unit:
    """One task's share of the input: records ``shard+1, shard+1+shards, ...`` of ``path``."""

    index: int  # the input file's place in the run (output order)
    path: str
    shard: int = 0
    shards: int = 1
    remote: bool = False  # a Hadoop URI, read through Spark


# ------------------------------------------------------------------------- driver


def run_spark(
    paths: Sequence[str],
    output: str,
    *,
    options: PipelineOptions | None = None,
    master: str | None = None,
    console: Console | None = None,
    spark: SparkSession | None = None,
) -> int:
    """Analyse ``paths`` on Spark into Parquet at ``output``; return the CLI exit code.

    options: the pipeline each Python worker builds once and reuses (default: the defaults).
    """
    err = console or Console(stderr=True, highlight=False, soft_wrap=True)
    options = options or PipelineOptions()
    if spark is not None:
        return _run(spark, paths, output, options, err)
    try:
        spark = _session(master)
    except Exception as exc:  # no Java, bad master URL...
        err.print(Text(f"error: cannot start Spark: {_one_line(exc)}", style="red"))
        return 2
    try:
        return _run(spark, paths, output, options, err)
    finally:
        spark.stop()


def _run(
    spark: SparkSession,
    paths: Sequence[str],
    output: str,
    options: PipelineOptions,
    err: Console,
) -> int:
    started = time.monotonic()
    sc = spark.sparkContext
    files = _list_inputs(spark, paths)
    units = plan_units(files, slots=sc.defaultParallelism)
    if not units:
        err.print(Text("error: no articles found in the given paths", style="red"))
        return 3
    logger.info("spark: %d inputs in %d units", len(files), len(units))
    rows = _analyze_units(spark, units, options)
    try:
        written, errors = _write(spark, rows, output, partitions=len(units))
    except Exception as exc:  # the job failed even after Spark's retries
        logger.debug("spark job failed", exc_info=True)
        err.print(Text(f"spark: job failed ({_one_line(exc)}); rerunning unit by unit",
                       style="yellow"))
        try:
            written, errors = _write_unit_by_unit(spark, units, options, output)
        except Exception as exc2:  # e.g. the output cannot be written at all
            logger.debug("spark rerun failed", exc_info=True)
            err.print(Text(f"error: {output}: Spark job failed: {_one_line(exc2)}",
                           style="red"))
            return 3
    finally:
        rows.unpersist()

    _write_errors(output, errors, err)
    seconds = time.monotonic() - started
    rate = written / seconds if seconds > 0 else 0.0
    err.print(
        f"spark: {written} articles written to {output}, {len(errors)} failed, "
        f"{len(units)} tasks, {seconds:.1f} s ({rate:.1f} articles/s)"
    )
    if written == 0:
        return 3
    return 1 if errors else 0


def plan_units(files: Sequence[str], *, slots: int) -> list[Unit]:
    """Cut the input files into task units (see the module doc)."""
    units = []
    local_sizes: dict[int, int] = {}
    from ..ingest import is_splittable

    for i, path in enumerate(files):
        remote = bool(_URI_RE.match(path))
        units.append(Unit(i, path, remote=remote))
        if not remote and is_splittable(path):
            try:
                local_sizes[i] = os.path.getsize(path)
            except OSError:
                continue  # the task reports it
    if not local_sizes:
        return units
    shards = {i: max(1, size // BYTES_PER_UNIT) for i, size in local_sizes.items()}
    # Too few units to fill every slot: split the biggest splittable files further.
    while len(units) - len(shards) + sum(shards.values()) < slots:
        biggest = max(shards, key=lambda i: local_sizes[i] / shards[i])
        shards[biggest] += 1
    out = []
    for unit in units:
        n = shards.get(unit.index, 1)
        out.extend(replace(unit, shard=k, shards=n) for k in range(n))
    return out


def spark_schema(schema: pa.Schema | None = None) -> Any:
    """The Spark StructType for ARROW_SCHEMA (plus the two ordering columns)."""
    from pyspark.sql import types as T

    def convert(t: pa.DataType) -> Any:
        if pa.types.is_string(t):
            return T.StringType()
        if pa.types.is_int64(t):
            return T.LongType()
        if pa.types.is_float64(t):
            return T.DoubleType()
        if pa.types.is_boolean(t):
            return T.BooleanType()
        if pa.types.is_list(t):
            return T.ArrayType(convert(t.value_type), True)
        if pa.types.is_struct(t):
            return T.StructType([T.StructField(f.name, convert(f.type), True) for f in t])
        raise TypeError(f"no Spark type for {t}")

    schema = schema or ARROW_SCHEMA
    fields = [T.StructField(f.name, convert(f.type), True) for f in schema]
    fields += [T.StructField(c, T.LongType(), False) for c in _ORDER_COLUMNS]
    return T.StructType(fields)


def _session(master: str | None) -> SparkSession:
    from pyspark.sql import SparkSession

    # The executors' Python must be the one sourcetrace is installed in.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("sourcetrace")
    if master:
        m = _LOCAL_MASTER_RE.match(master)
        # local[N] never retries a task; local[N,F] does.
        builder = builder.master(f"local[{m.group(1)},{TASK_MAX_FAILURES}]" if m else master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit
        builder = builder.master(f"local[*,{TASK_MAX_FAILURES}]")
    builder = builder.config("spark.task.maxFailures", str(TASK_MAX_FAILURES))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def _list_inputs(spark: SparkSession, paths: Sequence[str]) -> list[str]:
    from ..ingest import list_files

    files: list[str] = []
    for path in paths:
        if _URI_RE.match(path):
            files.extend(_list_hadoop(spark, path))
        else:
            files.extend(list_files(path))
    return files


def _list_hadoop(spark: SparkSession, uri: str) -> list[str]:
    """Files under a Hadoop URI (a file, a folder walked recursively, or a glob), sorted."""
    from ..ingest import KNOWN_EXTENSIONS

    jvm = spark.sparkContext._jvm  # type: ignore[attr-defined]
    conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[attr-defined]
    hpath = jvm.org.apache.hadoop.fs.Path(uri)
    fs = hpath.getFileSystem(conf)
    statuses = fs.globStatus(hpath)
    if statuses is None or len(statuses) == 0:
        return [uri]  # the task reports "no such file"
    out: list[str] = []
    for status in statuses:
        if status.isDirectory():
            it = fs.listFiles(status.getPath(), True)
            while it.hasNext():
                p = it.next().getPath()
                name = p.getName()
                if not name.startswith((".", "_")) and name.lower().endswith(KNOWN_EXTENSIONS):
                    out.append(p.toString())
        else:
            out.append(status.getPath().toString())
    return sorted(out) if len(statuses) > 1 or statuses[0].isDirectory() else out


def _analyze_units(spark: SparkSession, units: list[Unit], options: PipelineOptions) -> RDD:
    """RDD of ("ok", row) / ("error", order, path, reason) tuples, persisted."""
    from pyspark import StorageLevel

    sc = spark.sparkContext
    local = [u for u in units if not u.remote]
    remote = [u for u in units if u.remote]
    parts = []
    if local:
        rdd = sc.parallelize(local, len(local))
        parts.append(rdd.mapPartitions(lambda it: _partition(it, options)))
    if remote:
        by_path = {u.path: u for u in remote}
        files = sc.binaryFiles(",".join(by_path), minPartitions=len(remote))
        parts.append(files.mapPartitions(lambda it: _remote_partition(it, by_path, options)))
    rdd = parts[0] if len(parts) == 1 else sc.union(parts)
    return rdd.persist(StorageLevel.MEMORY_AND_DISK)


def _write(
    spark: SparkSession, rows: RDD, output: str, *, partitions: int = 1
) -> tuple[int, list[dict[str, Any]]]:
    """Sort the ok rows into input order and write them; collect the error rows."""
    errors = [
        {"path": r[2], "reason": r[3], "_order": r[1]}
        for r in rows.filter(lambda r: r[0] == "error").collect()
    ]
    errors.sort(key=lambda e: e.pop("_order"))
    ok = rows.filter(lambda r: r[0] == "ok").map(lambda r: r[1])
    df = spark.createDataFrame(ok, spark_schema())
    # One output file per unit at most (Spark's default of 200 would make 200 tasks).
    spark.conf.set("spark.sql.shuffle.partitions", str(max(1, min(partitions, 1000))))
    df = df.orderBy(*_ORDER_COLUMNS).drop(*_ORDER_COLUMNS)
    df.write.mode("overwrite").parquet(output)
    written = spark.read.parquet(output).count()
    return written, errors


def _write_unit_by_unit(
    spark: SparkSession, units: list[Unit], options: PipelineOptions, output: str
) -> tuple[int, list[dict[str, Any]]]:
    """After a failed job: each unit as its own job; the ones that fail again are errors."""
    sc = spark.sparkContext
    good = []
    failed: list[dict[str, Any]] = []
    for unit in units:
        rdd = _analyze_units(spark, [unit], options)
        try:
            rdd.count()
        except Exception as exc:
            rdd.unpersist()
            reason = f"Spark task failed after {TASK_MAX_FAILURES} attempts: {_one_line(exc)}"
            where = unit.path if unit.shards == 1 else f"{unit.path} (part {unit.shard + 1}"
            where += "" if unit.shards == 1 else f" of {unit.shards})"
            failed.append({"path": where, "reason": reason[:500]})
            continue
        good.append(rdd)
    rows = sc.union(good) if good else sc.parallelize([], 1)
    written, errors = _write(spark, rows, output, partitions=len(units))
    for rdd in good:
        rdd.unpersist()
    return written, errors + failed


def _write_errors(output: str, errors: list[dict[str, Any]], err: Console) -> None:
    target: str | None = output + ERRORS_SUFFIX
    if output.startswith("file:"):
        target = "/" + output[len("file:"):].lstrip("/") + ERRORS_SUFFIX
    elif _URI_RE.match(output):
        target = None  # a remote output: the error lines on stderr are the record
    for e in errors:
        err.print(Text(f"error: {e['path']}: {e['reason']}", style="red"))
    if target is None:
        return
    if os.path.exists(target):
        os.remove(target)  # the file describes this run only
    if errors:
        with open(target, "w", encoding="utf-8") as f:
            for e in errors:
                f.write(json.dumps(e, ensure_ascii=False) + "\n")
    logger.debug("errors written to %s", target)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


# ----------------------------------------------------------------------- executors

_pipelines: dict[PipelineOptions, Pipeline] = {}


def _pipeline(options: PipelineOptions) -> Pipeline:
    """This Python worker's pipeline, loaded on first use and kept for later tasks."""
    if options not in _pipelines:
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")
        _pipelines[options] = options.build()
    return _pipelines[options]


def _partition(units: Iterable[Unit], options: PipelineOptions) -> Iterator[tuple]:
    for unit in units:
        yield from _analyze_unit(unit, unit.path, unit.path, options)


def _remote_partition(
    files: Iterable[tuple[str, bytes]], by_path: dict[str, Unit], options: PipelineOptions
) -> Iterator[tuple]:
    for uri, data in files:
        unit = by_path.get(uri) or _match_uri(uri, by_path)
        suffix = next((e for e in (".warc.gz", ".warc", ".jsonl", ".html", ".htm", ".txt")
                       if uri.lower().endswith(e)), "")
        tmp = tempfile.mkdtemp(prefix="sourcetrace-")
        try:
            local = os.path.join(tmp, "input" + suffix)
            with open(local, "wb") as f:
                f.write(data)
            del data
            yield from _analyze_unit(unit, local, uri, options)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _match_uri(uri: str, by_path: dict[str, Unit]) -> Unit:
    # binaryFiles may spell a URI differently from the listing (file:/x vs file:///x).
    tail = uri.split(":", 1)[-1].lstrip("/")
    for path, unit in by_path.items():
        if path.split(":", 1)[-1].lstrip("/") == tail:
            return unit
    return Unit(len(by_path), uri, remote=True)


def _analyze_unit(
    unit: Unit, local: str, shown: str, options: PipelineOptions
) -> Iterator[tuple]:
    """Rows for one unit. ``local`` is read; ``shown`` is the path the output names."""
    from ..ingest import read_path
    from ..model.errors import BadInputError

    def select(number: int) -> bool:
        return (number - 1) % unit.shards == unit.shard

    def record_no(path: str) -> int:
        tail = path.rsplit("#", 1)[-1] if "#" in path else ""
        return int(tail) if tail.isdigit() else 0

    def articles() -> Iterator[Article]:
        for item in read_path(local, select=select if unit.shards > 1 else None):
            if isinstance(item, BadInputError):
                path = _rename(item.path, local, shown)
                if "#" not in path[len(shown):] and unit.shard != 0:
                    continue  # a whole-file error: the first unit of the file reports it
                order = (unit.index << 32) + record_no(path)
                pending.append(("error", order, path, item.reason))
            else:
                yield _renamed(item, local, shown)

    pending: list[tuple] = []
    pipeline = _pipeline(options)
    for article, result in analyze_safely(pipeline, articles()):
        while pending:
            yield pending.pop(0)
        if isinstance(result, Exception):
            order = (unit.index << 32) + record_no(article.path)
            yield ("error", order, article.path, failure_reason(result))
        else:
            record = to_row(result.to_dict())
            record["_input"] = unit.index
            record["_record"] = record_no(article.path)
            yield ("ok", _to_spark_row(record))
    yield from pending


def _rename(path: str, local: str, shown: str) -> str:
    return shown + path[len(local):] if local != shown and path.startswith(local) else path


def _renamed(article: Article, local: str, shown: str) -> Article:
    if local == shown:
        return article
    from ..model.article import article_id

    path = _rename(article.path, local, shown)
    ident = article.id
    if ident == article_id(article.text, article.path):  # the id was made from the path
        ident = article_id(article.text, path)
    return replace(article, path=path, id=ident)


_SCHEMA_NAMES: list[str] = [f.name for f in ARROW_SCHEMA] + list(_ORDER_COLUMNS)


def _to_spark_row(record: dict[str, Any]) -> tuple:
    """Nested dicts as tuples in schema order (what createDataFrame wants for structs)."""
    return tuple(_struct_value(record.get(name), ARROW_SCHEMA.field(name).type)
                 if name in ARROW_SCHEMA.names else record[name]
                 for name in _SCHEMA_NAMES)


def _struct_value(value: Any, t: pa.DataType) -> Any:
    if value is None:
        return None
    if pa.types.is_struct(t):
        return tuple(_struct_value(value.get(f.name), f.type) for f in t)
    if pa.types.is_list(t):
        return [_struct_value(v, t.value_type) for v in value]
    if pa.types.is_float64(t):
        return float(value)
    return value


# --------------------------------------------------------------------- spark-submit


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for ``spark-submit .../sourcetrace/engine/spark_submit.py INPUT... -o OUT``."""
    parser = argparse.ArgumentParser(prog="sourcetrace-spark", description=__doc__.split("\n")[0])
    parser.add_argument("inputs", nargs="+", metavar="INPUT")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.parquet")
    parser.add_argument("--aliases", action="append", default=[], metavar="FILE")
    parser.add_argument("--fast", action="store_true", help="the same as --model fast")
    parser.add_argument("--model", default=None, metavar="TIER|DIR",
                        help="attribution tier (fast, default, accurate; auto: default) "
                        "or a trained tagger folder")
    args = parser.parse_args(argv)
    try:
        choice, folder = parse_model(args.model or ("fast" if args.fast else "default"))
        tier = resolve(choice, args.inputs, spark=True)
    except (ValueError, TierUnavailable) as exc:
        parser.error(str(exc))
    if args.fast and tier != "fast":
        parser.error("--fast and --model disagree")
    options = PipelineOptions(aliases=tuple(args.aliases), fast=tier == "fast", model=folder,
                              tier=tier)
    return run_spark(args.inputs, args.output, options=options)

