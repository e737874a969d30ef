"""Score attribution extraction against PolNeAR (brat standoff gold).

``evaluate(directory, split)`` runs the Pipeline over a split, prints the tables and
returns the exit code; ``sourcetrace eval polnear`` calls it. The parts:

* ``data``: reading the brat standoff (``read_split``, ``GoldDoc``, ``normalize_span``);
* ``matching``: the span matching rules (exact, overlap, soft; one-to-one pairing;
  the univocal projection of nested predictions);
* ``gold_types``: the source-type heuristic for gold sources;
* ``scoring``: the score classes and the scoring of documents (``score``,
  ``score_pipeline``, ``Scorer``), per-type source recall and the reliability table;
* ``render``: the Rich tables and the JSON report.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from ...model.errors import BadInputError
from . import render as rendering
from .data import GoldDoc, GoldRelation, normalize_span, parse_ann, read_split
from .gold_types import guess_source_type
from .matching import project_univocal
from .scoring import (
    Bucket,
    Report,
    RoleScore,
    Score,
    Scorer,
    TypeRecall,
    gold_attributions,
    score,
    score_pipeline,
)

__all__ = [
    "Bucket",
    "GoldDoc",
    "GoldRelation",
    "Report",
    "RoleScore",
    "Score",
    "Scorer",
    "TypeRecall",
    "evaluate",
    "gold_attributions",
    "guess_source_type",
    "normalize_span",
    "parse_ann",
    "project_univocal",
    "read_split",
    "score",
    "score_pipeline",
]


def evaluate(
    directory: str,
    split: str,
    *,
    fast: bool = False,
    console: Any = None,
    limit: int | None = None,
    json_out: str | None = None,
    model: str | None = None,
    tier: str | None = None,
) -> int:
    """Evaluate the Pipeline on a PolNeAR split and print Rich tables.

    directory (str): PolNeAR data folder (holding SPLIT/text and SPLIT/attributions).
    split (str): split name, e.g. "dev".
    fast (bool): use Pipeline(fast=True). Defaults to False.
    console (rich.console.Console | None): where to print. Defaults to a new Console.
    limit (int | None): score only the first N documents (file-name order).
    json_out (str | None): also write the report as JSON to this path.
    model (str | None): an attribution encoder folder other than the shipped one.
    tier (str | None): the attribution tier scored (``attributions.tiers.LABELS``);
        None: "fast" when ``fast``, "custom" when ``model``, else "default".
    RETURNS (int): 0, or 2 when the split layout is missing (one-line error printed).
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = console or Console()
    try:
        docs = list(islice(read_split(directory, split), limit))
    except BadInputError as err:
        console.print(f"error: {err}", style="red", markup=False, highlight=False, soft_wrap=True)
        return 2

    from ...pipeline import Pipeline

    if tier is None:
        tier = "fast" if fast else "custom" if model is not None else "default"
    pipeline = Pipeline(fast=fast or tier == "fast", model=model, tier=tier)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(f"{split}", total=len(docs))

        def tracked() -> Iterator[GoldDoc]:
            for doc in docs:
                yield doc
                progress.advance(task)

        report = score_pipeline(pipeline, tracked())

    console.print(rendering.summary(report, split, tier=tier), highlight=False)
    rendering.render(report, console, title=f"PolNeAR {split}")
    if json_out:
        rendering.write_json(report, json_out)
    return 0
