"""Scaling benchmark: articles/s for 1 and 2 local workers and Spark local[1], local[2].

All four run in one process, on the same generated JSONL of invented articles, in the
same run. Throughput is steady state by a two-point measure: each engine runs a short
input (16 articles) and the full one, and articles/s = (n_full - 16) / (t_full - t_short),
so fixed costs (spawning workers, loading models, Spark job set-up) cancel out.

  local N workers: ``engine.local.analyze_parallel`` (the path behind
      ``sourcetrace analyze --workers N``), a fresh pool per run.
  Spark local[N]: ``engine.spark.run_spark`` (ordered Parquet write included) on one
      local[N] session, after a warm-up run that loads the pipeline in the (reused)
      Python workers.

It prints articles/s, the scaling efficiencies (2-worker / (2 x 1-worker)) for both
engines and Spark local[2] / local 2-worker, against the targets of issue 7 (>= 0.85,
>= 0.8, >= 0.8). Efficiency only means something on an otherwise idle machine with at
least two free cores; the script prints the load average before and after.

    python benchmarks/scaling.py                   # 1,200 articles, rule-only (--fast) path
    python benchmarks/scaling.py --n 600 --full    # the full pipeline with the encoder

With a short input, the spread of model-loading time (several seconds per run) swamps
the difference the two-point measure relies on: at 240 articles the local efficiency
read 0.64 on an idle machine, at 1,200 it read 0.93.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

NAMES = ("Ilse Marr", "Tomas Vey", "Rhea Oduya", "Karl Denn", "Mira Solt", "Odile Brant")
PLACES = ("harbour", "orchard", "library", "bridge", "market", "tram depot")
SMALL = 16  # articles in the short run whose time is subtracted
ORGS = ("the Valley Gazette", "the regional water board", "the transport ministry")


def article(i: int, rng: random.Random) -> str:
    """An invented news story of about 150 words with quotes, relays and vague sources."""
    name, place, org = rng.choice(NAMES), rng.choice(PLACES), rng.choice(ORGS)
    other = rng.choice([n for n in NAMES if n != name])
    return (
        f"Council delays {place} repairs for the {i}th time\n\n"
        f"The {place} will stay closed until spring, the town council said on Tuesday, "
        f"after engineers found more damage than expected.\n\n"
        f'"We cannot open a structure that is not safe," said {name}, the council\'s chief '
        f"engineer. {other} told {org} that the repairs would cost {i + 3} million, "
        f"according to documents seen by the paper.\n\n"
        f"Residents said the closure had cut them off from the town centre. Officials, "
        f"speaking on condition of anonymity, said the budget had been spent elsewhere. "
        f"{org.capitalize()} quoted a contractor as saying that work could start in "
        f"March.\n\nThe {place} was built in 1904. It carries about {i * 7 % 900 + 100} "
        f"people a day."
    )


def write_input(path: Path, n: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"text": article(i, rng), "id": f"bench-{seed}-{i}"}) + "\n")


def _timed_local(articles: list, workers: int, fast: bool) -> float:
    from sourcetrace.engine.local import analyze_parallel
    from sourcetrace.pipeline import PipelineOptions

    options = PipelineOptions(fast=fast)
    t = time.perf_counter()
    for _article, result in analyze_parallel(articles, workers=workers, options=options):
        if isinstance(result, Exception):
            raise SystemExit(f"analysis failed: {result}")
    return time.perf_counter() - t


def local_rate(src: Path, small: Path, workers: int, fast: bool) -> tuple[float, int]:
    """(n_big - n_small) / (t_big - t_small): start-up (spawn, model load) cancels out."""
    from sourcetrace.ingest import read_path

    big = [a for a in read_path(str(src)) if not isinstance(a, Exception)]
    few = [a for a in read_path(str(small)) if not isinstance(a, Exception)]
    t_small = _timed_local(few, workers, fast)
    t_big = _timed_local(big, workers, fast)
    return (len(big) - len(few)) / (t_big - t_small), len(big) - len(few)


def spark_rate(src: Path, small: Path, out: Path, cores: int, fast: bool) -> tuple[float, int]:
    """Same two-point method on one warm session: job overheads and loading cancel out."""
    from pyspark.sql import SparkSession
    from rich.console import Console

    from sourcetrace.engine.spark import run_spark
    from sourcetrace.pipeline import PipelineOptions

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(f"local[{cores}]").appName(f"scaling-{cores}")
        .config("spark.ui.showConsoleProgress", "false").getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    quiet = Console(file=open(os.devnull, "w"))  # noqa: SIM115
    try:
        def timed(path: Path, name: str) -> tuple[float, int]:
            t = time.perf_counter()
            code = run_spark(
                [str(path)], str(out) + name, options=PipelineOptions(fast=fast), spark=spark,
                console=quiet,
            )
            seconds = time.perf_counter() - t
            if code != 0:
                raise SystemExit(f"spark run failed with exit code {code}")
            return seconds, spark.read.parquet(str(out) + name).count()

        timed(small, ".warm")  # loads the pipeline in the (reused) Python workers
        t_small, n_small = timed(small, ".small")
        t_big, n_big = timed(src, ".big")
    finally:
        spark.stop()
    return (n_big - n_small) / (t_big - t_small), n_big - n_small


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1200, help="articles in the timed input")
    ap.add_argument("--full", action="store_true", help="full pipeline (default: --fast)")
    ap.add_argument("--skip-spark", action="store_true")
    args = ap.parse_args()
    fast = not args.full
    print(f"cpus: {os.cpu_count()}, load average before: {os.getloadavg()}")
    print(f"input: {args.n} invented articles (~150 words), {'--fast' if fast else 'full'} path")
    rates: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        src, small = Path(tmp) / "in.jsonl", Path(tmp) / "small.jsonl"
        write_input(src, args.n)
        write_input(small, SMALL, seed=9)
        for w in (1, 2):
            rate, n = local_rate(src, small, w, fast)
            rates[f"local-{w}"] = rate
            print(f"local --workers {w}: {rate:7.2f} articles/s ({n} articles)", flush=True)
        if not args.skip_spark:
            for c in (1, 2):
                rate, n = spark_rate(src, small, Path(tmp) / f"out{c}.parquet", c, fast)
                rates[f"spark-{c}"] = rate
                print(f"Spark local[{c}]:    {rate:7.2f} articles/s ({n} articles, "
                      f"jobs incl. Parquet write)", flush=True)
    print(f"load average after: {os.getloadavg()}")
    eff_local = rates["local-2"] / (2 * rates["local-1"])
    print(f"local scaling efficiency 2w/(2x1w): {eff_local:.2f} (target >= 0.85)")
    if "spark-2" in rates:
        eff_spark = rates["spark-2"] / (2 * rates["spark-1"])
        print(f"Spark scaling efficiency local[2]/(2 x local[1]): {eff_spark:.2f} (target >= 0.8)")
        print(f"Spark local[2] / local 2 workers: {rates['spark-2'] / rates['local-2']:.2f} "
              f"(target >= 0.8)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
