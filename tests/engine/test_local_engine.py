"""Local engine: N worker processes give the single-process results, in input order."""

from __future__ import annotations

from engine_inputs import write_jsonl

from sourcetrace.engine.local import analyze_parallel
from sourcetrace.ingest import read_path
from sourcetrace.model.errors import BadInputError
from sourcetrace.pipeline import Pipeline, PipelineOptions, analyze_safely


def test_two_workers_match_one_process_in_order(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", 21, seed=4)
    articles = [a for a in read_path(str(src)) if not isinstance(a, BadInputError)]
    # One article the analysis cannot take: it must come back as an error, in its place.
    from dataclasses import replace

    broken = replace(articles[10], text=None)  # type: ignore[arg-type]
    articles[10] = broken
    single = [
        (a.path, r.to_dict() if not isinstance(r, Exception) else "error")
        for a, r in analyze_safely(Pipeline(fast=True), iter(articles))
    ]
    parallel = [
        (a.path, r.to_dict() if not isinstance(r, Exception) else "error")
        for a, r in analyze_parallel(
            articles, workers=2, options=PipelineOptions(fast=True), chunk_size=4
        )
    ]
    assert [p for p, _ in parallel] == [a.path for a in articles]
    assert parallel == single
    assert parallel[10][1] == "error"
    assert sum(r == "error" for _, r in parallel) == 1
