"""What the commands share: the per-invocation stderr console and pipeline factory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from ..run import EXIT_USAGE, stderr_console

if TYPE_CHECKING:
    from ..ingest.fetch import FetchOptions
    from ..ingest.metadata import MetadataDefaults
    from ..pipeline import Pipeline, PipelineOptions

EXIT_HELP = (
    "Exit status: 0 all inputs analysed; 1 some inputs failed (the rest were written); "
    "2 usage error; 3 nothing could be analysed; 130 interrupted."
)


@dataclass
class State:
    """Per-invocation state, reset by the app callback.

    pipeline_factory: the invocation's ``obj`` (``CliRunner().invoke(app, args, obj=f)``):
        builds the pipeline from its options instead of ``PipelineOptions.build``.
    """

    err: Console = field(default_factory=stderr_console)
    pipeline_factory: Callable[[PipelineOptions], Pipeline] | None = None


state = State()


def unavailable(message: str) -> None:
    state.err.print(Text(f"error: {message}", style="red"))
    raise typer.Exit(EXIT_USAGE)


# What ingest reads (ingest.walk.READABLE says the same; ingest is not imported here, so
# --help stays quick).
READABLE_HELP = (
    ".txt, .html/.htm, .jsonl, .warc/.warc.gz, .pdf, .docx, .urls (a URL list), "
    "http(s) URLs and RSS/Atom feeds, folders, - (stdin)"
)
OUTLET_HELP = "Outlet name for articles that carry none (plain text, PDF, .docx)."
PUBLISHED_HELP = "Publication date (YYYY-MM-DD) for articles that carry none."
META_HELP = (
    "CSV with a header path,outlet,published,url and one row per input file (relative "
    "paths from the CSV's folder); its values replace the file's own."
)
TIMEOUT_HELP = "Seconds to wait on each URL or feed fetch (default 20)."
MODEL_HELP = (
    "Attribution tier: auto (accurate for up to 10 inputs that are each one article, "
    "when installed; default otherwise), fast (rules only), default (MiniLM tagger and "
    "rules), accurate (MPNet tagger and rules; needs the [accurate] extra), or DIR, a "
    "trained tagger folder. Default: $SOURCETRACE_MODEL, else auto."
)

# The options several commands share, declared once.
OutletOption = Annotated[
    str | None, typer.Option("--outlet", metavar="NAME", help=OUTLET_HELP)
]
PublishedOption = Annotated[
    str | None, typer.Option("--published", metavar="DATE", help=PUBLISHED_HELP)
]
MetaOption = Annotated[
    str | None, typer.Option("--meta", metavar="FILE.csv", help=META_HELP)
]
TimeoutOption = Annotated[
    float | None, typer.Option("--timeout", metavar="SECONDS", min=0.01, help=TIMEOUT_HELP)
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", metavar="TIER|DIR", envvar="SOURCETRACE_MODEL", help=MODEL_HELP,
                 show_default=False, show_envvar=False),
]


def model_choice(
    ctx: typer.Context, model: str | None, fast: bool, *, default: str = "auto"
) -> tuple[str, str | None]:
    """``--model`` and ``--fast`` as (auto, a tier or "custom"; the folder for "custom").

    ``--fast`` is ``--model fast``; both on the command line and disagreeing is a usage
    error. A ``--model`` from $SOURCETRACE_MODEL is only a default: ``--fast`` wins.
    """
    from ..attributions.tiers import parse_model

    # By name: typer ships its own copy of click, whose enum is not click's.
    source = ctx.get_parameter_source("model")
    given = model is not None and getattr(source, "name", "") != "ENVIRONMENT"
    if fast:
        if given and model is not None and model.strip().lower() != "fast":
            raise typer.BadParameter(
                f"--fast means --model fast, not {model!r}; give one of them",
                param_hint="--model")
        return "fast", None
    try:
        return parse_model(model if model is not None else default)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--model") from None


def resolve_tier(choice: str, paths: list[str], *, workers: int = 1,
                 spark: bool = False) -> str:
    """The tier a run uses; one "error: ..." line and exit 2 when it cannot run here."""
    from ..attributions import tiers

    try:
        return tiers.resolve(choice, paths, workers=workers, spark=spark)
    except tiers.TierUnavailable as exc:
        unavailable(str(exc))
        raise  # unreachable: unavailable exits


def tier_options(aliases: tuple[str, ...], tier: str, folder: str | None) -> PipelineOptions:
    """The pipeline options of a resolved tier (``fast`` kept in step with it)."""
    # Imported here: the pipeline pulls in spaCy, which --help should not wait for.
    from ..pipeline import PipelineOptions

    return PipelineOptions(aliases=aliases, fast=tier == "fast", model=folder, tier=tier)


def metadata_defaults(
    outlet: str | None, published: str | None, meta: str | None
) -> MetadataDefaults | None:
    """The --outlet/--published/--meta defaults, checked; a bad one exits 2 in one line."""
    from ..ingest.metadata import MetadataDefaults, check_date, read_meta_csv
    from ..model.errors import ConfigError

    try:
        table = read_meta_csv(meta) if meta else {}
        date = check_date(published) if published else None
    except ConfigError as exc:
        unavailable(str(exc))
    defaults = MetadataDefaults(outlet=(outlet or "").strip() or None, published=date,
                                table=table)
    return defaults or None


def fetch_options(timeout: float | None) -> FetchOptions:
    """How URLs are fetched: the defaults, with --timeout when given."""
    from ..ingest.fetch import DEFAULT_FETCH, FetchOptions

    return DEFAULT_FETCH if timeout is None else FetchOptions(timeout=timeout)


class MetadataPipeline:
    """A pipeline whose articles first get the --outlet/--published/--meta defaults
    (what ``corpus build`` analyses through)."""

    def __init__(self, pipeline: Pipeline, defaults: MetadataDefaults | None) -> None:
        self.pipeline = pipeline
        self.defaults = defaults

    def analyze_many(self, articles):  # type: ignore[no-untyped-def]
        if self.defaults:
            articles = (self.defaults.apply(a) for a in articles)
        return self.pipeline.analyze_many(articles)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.pipeline, name)


def _argument_type(self, ctx):  # type: ignore[no-untyped-def]
    # Typer prints an argument's Python type after its metavar ("PATH <list[str]>");
    # a metavar says it better, so an argument that has one shows only that.
    return None if self.metavar else _typer_argument_type(self, ctx)


_typer_argument_type = typer.core.TyperArgument.display_type_rich
typer.core.TyperArgument.display_type_rich = _argument_type  # type: ignore[method-assign]
