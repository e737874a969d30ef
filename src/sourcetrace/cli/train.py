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
) -> None:
    """Train the attribution model."""
    try:
        from ..train import main as train_main
    except ImportError:
        logger.debug("train import failed", exc_info=True)
        unavailable("training is not available in this build")
    options = {k: v for k, v in (("epochs", epochs), ("seed", seed)) if v is not None}
    raise typer.Exit(train_main(data, out, **options))


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
) -> None:
    """Train the claim pair model (same claim or not)."""
    try:
        from ..train.claims import main as claims_main
    except ImportError:
        logger.debug("train import failed", exc_info=True)
        unavailable("training is not available in this build")
    options = {k: v for k, v in (("polnear", polnear), ("seed", seed)) if v is not None}
    raise typer.Exit(claims_main(mrpc, out, **options))
