"""``sourcetrace eval polnear`` (attribution extraction against PolNeAR) and ``eval claims``
(the same-claim decision against MRPC-format pairs; links and clusters against judged
real-news pairs)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.console import Console

from .common import MODEL_HELP, model_choice, resolve_tier, unavailable

logger = logging.getLogger(__name__)

app = typer.Typer(help="Score sourcetrace against annotated corpora.", no_args_is_help=True)


@app.command("polnear")
def eval_polnear(
    ctx: typer.Context,
    directory: Annotated[str, typer.Argument(metavar="DIR", help="The PolNeAR corpus folder.")],
    split: Annotated[
        str, typer.Option("--split", metavar="NAME", help="Which split to score (e.g. test).")
    ],
    fast: Annotated[
        bool, typer.Option("--fast", help="Score the rule-only path (= --model fast).")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", metavar="N", min=1, help="Score only the first N documents."),
    ] = None,
    json_out: Annotated[
        str | None, typer.Option("--json", metavar="FILE", help="Also write the scores as JSON.")
    ] = None,
    model: Annotated[
        str | None,
        # No $SOURCETRACE_MODEL here: an evaluation names the tier it scores.
        typer.Option("--model", metavar="TIER|DIR", help=MODEL_HELP.split(" Default:")[0]
                     + " Default: default."),
    ] = None,
) -> None:
    """Score attribution extraction against the PolNeAR corpus and print the tables (the
    summary line names the tier scored)."""
    choice, folder = model_choice(ctx, model, fast, default="default")
    tier = resolve_tier(choice, [directory])
    try:
        from ..evaluate.polnear import evaluate as polnear_evaluate
    except ImportError as exc:
        logger.debug("evaluate.polnear import failed", exc_info=True)
        unavailable(f"evaluation is not available in this build ({exc})")
    options = {
        k: v
        for k, v in (("limit", limit), ("json_out", json_out), ("model", folder))
        if v is not None
    }
    raise typer.Exit(polnear_evaluate(directory, split, fast=tier == "fast", console=Console(),
                                      tier=tier, **options))


@app.command("claims")
def eval_claims(
    file: Annotated[
        str | None,
        typer.Argument(metavar="[FILE.tsv]", help="Sentence pairs in MRPC format."),
    ] = None,
    through_corpus: Annotated[
        bool,
        typer.Option("--through-corpus", help="Build a corpus, one article per sentence, "
                     "and count a pair linked when its two share a cluster."),
    ] = False,
    judged: Annotated[
        str | None,
        typer.Option("--judged", metavar="FILE",
                     help="Claim pairs judged by reading (article stem and offsets)."),
    ] = None,
    polnear: Annotated[
        str | None,
        typer.Option("--polnear", metavar="DIR",
                     help="Folder holding the judged articles (searched at any depth)."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="FILE",
                     help="Score this corpus (built from the judged articles when missing)."),
    ] = None,
    embedder: Annotated[
        str, typer.Option("--embedder", help="minilm (default) or hashing (no model; tests).")
    ] = "minilm",
) -> None:
    """Score the corpus's same-claim decision on MRPC-format sentence pairs (FILE.tsv),
    and its links and clusters on judged real-news pairs (--judged with --polnear or --db)."""
    if file is None and judged is None:
        unavailable("give FILE.tsv (MRPC format) or --judged FILE (with --polnear or --db)")
    code = 0
    if file is not None:
        try:
            from ..evaluate.claims import mrpc
        except ImportError as exc:
            logger.debug("evaluate.claims import failed", exc_info=True)
            unavailable(f"evaluation is not available in this build ({exc})")
        code = mrpc.main(file, through_corpus=through_corpus)
        if judged is None:
            raise typer.Exit(code)
    from ..corpus.embed import HashingEmbedder, MiniLMEmbedder
    from ..evaluate.claims.judged import JudgedFileError, evaluate_judged
    from ..model.errors import SourcetraceError

    if embedder not in ("minilm", "hashing"):
        unavailable(f"--embedder: unknown embedder {embedder!r} (minilm or hashing)")
    enc = HashingEmbedder() if embedder == "hashing" else MiniLMEmbedder()
    try:
        scores = evaluate_judged(judged, polnear=polnear, db=db, embedder=enc)
    except (JudgedFileError, SourcetraceError) as exc:
        unavailable(str(exc))
    typer.echo(judged_summary(scores.to_dict()))
    raise typer.Exit(code)


def judged_summary(s: dict) -> str:
    """The judged scores as the lines ``eval claims --judged`` prints."""

    def pct(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.3f}"

    kinds = ", ".join(f"{k} {n}" for k, n in sorted(s["by_judgement"].items()))
    return "\n".join([
        f"judged pairs: {s['pairs']} ({kinds}); located in the corpus: {s['located']}"
        f" (not located: {s['not_located']})",
        f"link precision: {pct(s['link_precision'])} ({s['linked_same']} of {s['linked']}"
        " linked pairs judged same)",
        f"link recall:    {pct(s['link_recall'])} ({s['linked_same']} of {s['same']}"
        " same pairs linked)",
        f"cluster purity: {pct(s['cluster_purity'])} ({s['clusters_pure']} of"
        f" {s['clusters_judged']} multi-article clusters with a judged pair;"
        f" {s['clusters_unjudged']} without one not counted)",
    ])
