"""``sourcetrace eval polnear`` (attribution extraction against PolNeAR) and ``eval claims``
(the same-claim decision against MRPC-format pairs)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.console import Console

from .common import unavailable

logger = logging.getLogger(__name__)

app = typer.Typer(help="Score sourcetrace against annotated corpora.", no_args_is_help=True)


@app.command("polnear")
def eval_polnear(
    directory: Annotated[str, typer.Argument(metavar="DIR", help="The PolNeAR corpus folder.")],
    split: Annotated[
        str, typer.Option("--split", metavar="NAME", help="Which split to score (e.g. test).")
    ],
    fast: Annotated[bool, typer.Option("--fast", help="Score the rule-only path.")] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", metavar="N", min=1, help="Score only the first N documents."),
    ] = None,
    json_out: Annotated[
        str | None, typer.Option("--json", metavar="FILE", help="Also write the scores as JSON.")
    ] = None,
    model: Annotated[
        str | None,
        typer.Option("--model", metavar="DIR", help="An attribution model, not the shipped one."),
    ] = None,
) -> None:
    """Score attribution extraction against the PolNeAR corpus and print the tables."""
    try:
        from ..evaluate.polnear import evaluate as polnear_evaluate
    except ImportError as exc:
        logger.debug("evaluate.polnear import failed", exc_info=True)
        unavailable(f"evaluation is not available in this build ({exc})")
    options = {
        k: v
        for k, v in (("limit", limit), ("json_out", json_out), ("model", model))
        if v is not None
    }
    raise typer.Exit(polnear_evaluate(directory, split, fast=fast, console=Console(), **options))


@app.command("claims")
def eval_claims(
    file: Annotated[str, typer.Argument(metavar="FILE.tsv", help="Pairs in MRPC format.")],
    through_corpus: Annotated[
        bool,
        typer.Option("--through-corpus", help="Build a corpus, one article per sentence, "
                     "and count a pair linked when its two share a cluster."),
    ] = False,
) -> None:
    """Score the corpus's same-claim decision on sentence pairs judged same or not."""
    try:
        from ..evaluate.claims import mrpc
    except ImportError as exc:
        logger.debug("evaluate.claims import failed", exc_info=True)
        unavailable(f"evaluation is not available in this build ({exc})")
    raise typer.Exit(mrpc.main(file, through_corpus=through_corpus))
