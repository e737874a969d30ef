"""``sourcetrace corpus ...``: build a corpus and read provenance from it."""

from __future__ import annotations

import csv
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..engine.progress import batch_progress, estimate_total
from ..model.errors import ConfigError, SourcetraceError
from ..reports.words import plural
from .common import (
    MetadataPipeline,
    MetaOption,
    ModelOption,
    OutletOption,
    PublishedOption,
    metadata_defaults,
    model_choice,
    resolve_tier,
    tier_options,
)

logger = logging.getLogger(__name__)

app = typer.Typer(
    help="Corpus provenance: actors and claims linked across articles.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

DB_OPTION = typer.Option("--db", metavar="FILE", help="The corpus DuckDB file.")
EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3


class ListFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


LIST_EXTENSIONS = {".txt": "text", ".json": "json", ".csv": "csv"}
FORMAT_OPTION = typer.Option(
    "--format", "-f",
    help="text (a table), json (an array of objects) or csv. Default: from the -o "
    "extension (.txt, .json, .csv), else text.",
    show_default=False,
)
OUTPUT_OPTION = typer.Option(
    "--output", "-o", metavar="FILE", help="Write the list here (default: stdout)."
)


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    _err().print(Text(f"error: {message}", style="red"))
    raise typer.Exit(code)


def _open(db: str):
    from ..corpus.db import connect

    try:
        return connect(db)
    except SourcetraceError as exc:
        _fail(str(exc))


@app.command()
def build(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="Articles to analyse, or sourcetrace JSONL/Parquet output; folders too.",
        ),
    ],
    db: Annotated[str, DB_OPTION] = "corpus.duckdb",
    aliases: Annotated[
        list[str] | None,
        typer.Option("--aliases", metavar="FILE", help="Alias file forcing/forbidding merges."),
    ] = None,
    fast: Annotated[bool, typer.Option("--fast", help="Rule-only analysis (= --model fast).")
                    ] = False,
    model: ModelOption = None,
    embedder: Annotated[
        str, typer.Option("--embedder", help="minilm (default) or hashing (no model; tests).")
    ] = "minilm",
    no_wait: Annotated[
        bool,
        typer.Option("--no-wait", help="Fail at once if another build is writing this corpus "
                     "(default: wait for it to end)."),
    ] = False,
    outlet: OutletOption = None,
    published: PublishedOption = None,
    meta: MetaOption = None,
) -> None:
    """Add articles to a corpus (created when missing). All or nothing: a failed build
    leaves the corpus as it was. One build writes a corpus at a time; others wait. Each
    article keeps the attribution tier that analysed it (--model; the articles table's
    ``tier``)."""
    from ..corpus.build import build as run_build
    from ..corpus.embed import HashingEmbedder, MiniLMEmbedder

    if embedder not in ("minilm", "hashing"):
        _fail(f"--embedder: unknown embedder {embedder!r} (minilm or hashing)")
    enc = HashingEmbedder() if embedder == "hashing" else MiniLMEmbedder()
    err = _err()
    defaults = metadata_defaults(outlet, published, meta)
    choice, folder = model_choice(ctx, model, fast)
    tier = resolve_tier(choice, paths)

    def pipeline():
        return MetadataPipeline(tier_options(tuple(aliases or ()), tier, folder).build(),
                                defaults)

    progress = batch_progress(err, enabled=err.is_terminal)
    with progress:
        # The same bar as analyze: count, total and ETA where the inputs say how many.
        total = estimate_total(paths) if err.is_terminal else None
        task = progress.add_task("adding articles", total=total, errors=0)
        failed = 0

        def on_item(item: Any) -> None:
            nonlocal failed
            if isinstance(item, SourcetraceError):
                failed += 1
                progress.console.print(Text(f"error: {item}", style="red"))
            progress.update(task, advance=1, errors=failed)

        try:
            stats = run_build(
                db, paths, pipeline=pipeline, embedder=enc, alias_files=list(aliases or ()),
                on_item=on_item, wait=not no_wait,
            )
        except (ConfigError, SourcetraceError) as exc:
            progress.stop()
            _fail(f"{exc} (corpus left unchanged)")
        except KeyboardInterrupt:
            progress.stop()
            _fail("interrupted (corpus left unchanged)", 130)
        except Exception as exc:  # a bug must not leave a traceback or a half corpus
            progress.stop()
            logger.debug("build failed", exc_info=True)
            _fail(f"{db}: build failed ({type(exc).__name__}: {exc}); corpus left unchanged", 1)
    err.print(
        f"{db}: +{plural(stats.added, 'article')}, {plural(stats.duplicates, 'duplicate')}, "
        f"{stats.failed} failed; now {plural(stats.articles, 'article')}, "
        f"{plural(stats.claims, 'claim')} in {plural(stats.clusters, 'cluster')}, "
        f"{plural(stats.actors, 'actor')}"
    )
    if stats.added + stats.duplicates == 0 and stats.failed:
        raise typer.Exit(EXIT_NOTHING)
    raise typer.Exit(EXIT_PARTIAL if stats.failed else EXIT_OK)


@app.command()
def export(
    parquet: Annotated[str, typer.Option("--parquet", metavar="DIR", help="Output folder.")],
    db: Annotated[str, DB_OPTION] = "corpus.duckdb",
) -> None:
    """Write every corpus table to DIR/<table>.parquet."""
    from ..corpus.schema import ALL_TABLES

    con = _open(db)
    present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    tables = [t for t in ALL_TABLES if t in present]  # an older corpus lacks newer tables
    os.makedirs(parquet, exist_ok=True)
    for table in tables:
        target = str(Path(parquet) / f"{table}.parquet").replace("'", "''")
        con.execute(f"COPY {table} TO '{target}' (FORMAT PARQUET)")
    con.close()
    _err().print(f"wrote {plural(len(tables), 'table')} to {parquet}")


@app.command("claims")
def list_claims(
    db: Annotated[str, DB_OPTION] = "corpus.duckdb",
    min_articles: Annotated[
        int, typer.Option("--min-articles", min=1, help="Only claims in N+ articles.")
    ] = 2,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 50,
    fmt: Annotated[ListFormat | None, FORMAT_OPTION] = None,
    output: Annotated[str | None, OUTPUT_OPTION] = None,
    disputed: Annotated[
        bool, typer.Option("--disputed", help="Only claims another claim disputes (any "
                           "number of articles), most disputed first.")
    ] = False,
) -> None:
    """Claim clusters carried by several articles, with independent-origin counts."""
    from ..corpus import query

    chosen = _list_format(fmt, output)
    con = _open(db)
    if disputed:
        rows = query.with_outlet_counts(con, query.disputed_claims(con, limit))
    else:
        rows = query.claims(con, min_articles, limit, order="outlets")
    con.close()
    columns = (*CLAIM_COLUMNS, "n_disputes") if disputed else CLAIM_COLUMNS
    _emit(rows, columns, chosen, output, "claim", _claims_table)


# Columns of ``corpus claims --format json|csv``, in order.
CLAIM_COLUMNS = (
    "id", "text", "n_articles", "n_outlets", "n_no_outlet", "independent_origins",
    "circular", "circular_reason", "first_seen", "last_seen",
)


def _claims_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("id", "claim", "articles", "outlets", "no known outlet", "origins",
                  "circular", "first seen")
    disputed = any("n_disputes" in r for r in rows)
    if disputed:
        table.add_column("disputes")
    for r in rows:
        cells = [
            r["id"], Text(_clip(r["text"], 90)), str(r["n_articles"]), str(r["n_outlets"]),
            str(r["n_no_outlet"]), str(r["independent_origins"]),
            "yes" if r["circular"] else "", Text(str(r["first_seen"] or "")),
        ]
        if disputed:
            cells.append(str(r["n_disputes"]))
        table.add_row(*cells)
    return table


@app.command("actors")
def list_actors(
    db: Annotated[str, DB_OPTION] = "corpus.duckdb",
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 50,
    type_: Annotated[
        str | None,
        typer.Option("--type", metavar="TYPE",
                     help="Only actors of this type (person, organization, government...)."),
    ] = None,
    fmt: Annotated[ListFormat | None, FORMAT_OPTION] = None,
    output: Annotated[str | None, OUTPUT_OPTION] = None,
) -> None:
    """Actors across the corpus, in most articles first: names, aliases, articles, claims."""
    from ..corpus import query

    chosen = _list_format(fmt, output)
    con = _open(db)
    rows = query.list_actors(con, limit, type_=type_)
    con.close()
    _emit(rows, ACTOR_COLUMNS, chosen, output, "actor", _actors_table)


# Columns of ``corpus actors --format json|csv``, in order.
ACTOR_COLUMNS = ("id", "name", "type", "n_aliases", "n_articles", "n_mentions", "n_claims")


def _actors_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("id", "actor", "type", "aliases", "articles", "claims")
    for r in rows:
        table.add_row(r["id"], Text(r["name"]), Text(r["type"] or ""), str(r["n_aliases"]),
                      str(r["n_articles"]), str(r["n_claims"]))
    return table


def _list_format(fmt: ListFormat | None, output: str | None) -> str:
    """The list format: --format, else the -o extension, else text (checked before the
    corpus is opened, so a wrong extension costs nothing)."""
    if fmt is not None:
        return fmt.value
    if output in (None, "-"):
        return "text"
    ext = os.path.splitext(str(output))[1].lower()
    if ext not in LIST_EXTENSIONS:
        known = ", ".join(LIST_EXTENSIONS)
        _fail(f"{output}: unknown output extension {ext or '(none)'!r}; use {known} "
              "or --format")
    return LIST_EXTENSIONS[ext]


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _emit(
    rows: list[dict[str, Any]], columns: Sequence[str], fmt: str, output: str | None,
    noun: str, table: Callable[[list[dict[str, Any]]], Table],
) -> None:
    """Write ``rows`` as a Rich table (text), a JSON array or CSV, to stdout or ``output``."""
    to_file = output not in (None, "-")
    try:
        fp: IO[str] = sys.stdout
        if to_file:
            fp = open(str(output), "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror or exc})", EXIT_PARTIAL)
    try:
        if fmt == "json":
            json.dump([{c: r.get(c) for c in columns} for r in rows], fp, ensure_ascii=False,
                      indent=1, default=str)
            fp.write("\n")
        elif fmt == "csv":
            out = csv.writer(fp, lineterminator="\n")
            out.writerow(columns)
            for r in rows:
                out.writerow(_cell(r.get(c)) for c in columns)
        else:
            console = Console(file=fp, highlight=False, width=None if not to_file else 120)
            console.print(table(rows))
            console.print(Text(plural(len(rows), noun), style="dim"))
    finally:
        if to_file:
            fp.close()
    if to_file:
        _err().print(f"wrote {plural(len(rows), noun)} to {output}")


def _lookup(db: str, fetch: Callable[..., dict[str, Any] | None], key: str, missing: str,
            **how: Any) -> dict[str, Any]:
    """``fetch(con, key, **how)`` (a ``query`` function), or exit with ``missing``."""
    con = _open(db)
    data = fetch(con, key, **how)
    con.close()
    if data is None:
        _fail(missing, EXIT_PARTIAL)
    return data


def _clip(s: str | None, n: int) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


@app.command("claim")
def show_claim(
    cluster_id: Annotated[str, typer.Argument(metavar="ID", help="A cluster id (k12).")],
    db: Annotated[str, DB_OPTION] = "corpus.duckdb",
) -> None:
    """The provenance tree of one claim cluster."""
    from ..corpus import query
    from ..corpus.report import cluster_counts

    data = _lookup(db, query.claim, cluster_id, f"no claim cluster {cluster_id!r} in {db}",
                   view="tree")
    out = Console(highlight=False)
    head = Text(f"{data['id']}: ", style="bold")
    head.append(_clip(data["text"], 120))
    tree = Tree(head)
    summary = cluster_counts(data)
    if data["circular"]:
        summary += f"; CIRCULAR: {data['circular_reason']}"
    tree.add(Text(summary, style="yellow" if data["circular"] else "green"))
    by_id = {c["id"]: c for c in data["claims"]}

    def add(branch: Tree, item: dict[str, Any]) -> None:
        node = item["node"]
        if node.startswith("claim:"):
            c = by_id.get(node[6:], {})
            label = Text(f"[{c.get('published') or '?'}] {c.get('outlet_label')}: ")
            label.append(_clip(c.get("text"), 80), style="italic")
        else:
            label = Text(f"origin: {item['label']}", style="bold")
        if item["kind"] != "claim":
            via = f" via {', '.join(item['via'])}" if item["via"] else ""
            label = Text(f"{item['kind']}{via} → ").append_text(label)
        if item.get("cycle"):
            label.append("  (cycle)", style="red")
        sub = branch.add(label)
        for child in item["children"]:
            add(sub, child)

    claims_branch = tree.add(Text("provenance", style="bold"))
    for item in data["tree"]:
        add(claims_branch, item)
    tl = tree.add(Text("timeline", style="bold"))
    for t in data["timeline"]:
        tl.add(Text(f"{t['published'] or '?'}  {t['outlet_label']} ({t['kind']})"))
    if data.get("disputed_by"):
        _add_disputes(tree, data["disputed_by"])
    out.print(tree)


def _add_disputes(tree: Tree, disputes: list[dict[str, Any]]) -> None:
    """The "disputed by" branch: the other side's text, outlet, source and the kind."""
    branch = tree.add(Text("disputed by", style="bold red"))
    for d in disputes:
        who = d.get("source_text") or "(no source)"
        label = Text(f"{d['kind']}: {d['cluster_id']} [{d.get('published') or '?'}] "
                     f"{d.get('outlet') or d['article_id']}, {who}: ")
        label.append(_clip(d.get("text"), 80), style="italic")
        sub = branch.add(label)
        sub.add(Text("against: ").append(_clip(d.get("own_text"), 80), style="italic"))


@app.command("actor")
def show_actor(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A name or alias.")],
    db: Annotated[str, DB_OPTION] = "corpus.duckdb",
) -> None:
    """An actor's aliases (with evidence), what it says, what is said about it, labels."""
    from ..corpus import query

    data = _lookup(db, query.actor, name, f"no actor matches {name!r} in {db}", by="name")
    out = Console(highlight=False)
    out.print(Text(f"{data['name']} ({data['type']}, {plural(data['n_articles'], 'article')})",
                   style="bold"))
    out.print(Text("aliases: " + ", ".join(a["alias"] for a in data["aliases"])))
    if data["evidence"]:
        ev = Table("alias", "same as", "evidence", "article", title="merge evidence")
        for e in data["evidence"]:
            ev.add_row(Text(e["alias"]), Text(e["other"] or ""), Text(f"{e['kind']}: "
                       f"{e['detail'] or ''}"), Text(e["article_id"] or ""))
        out.print(ev)
    for title, rows in (("says", data["says"]), ("said about it", data["said_about"])):
        t = Table("outlet", "text", "cluster", title=title)
        for r in rows:
            t.add_row(Text(r["outlet_label"]), Text(_clip(r["text"], 100)),
                      Text(r.get("cluster_id") or ""))
        out.print(t)
    if data["labels"]:
        t = Table("label", "voice", "outlet", title="labels applied")
        for r in data["labels"]:
            t.add_row(Text(r["label"]), Text(r["voice"]), Text(r["outlet_label"]))
        out.print(t)


@app.command()
def report(
    output: Annotated[str, typer.Option("--output", "-o", metavar="FILE", help="HTML file.")],
    db: Annotated[str, DB_OPTION] = "corpus.duckdb",
    min_articles: Annotated[
        int, typer.Option("--min-articles", min=1, help="Only claims in N+ articles.")
    ] = 2,
) -> None:
    """Write a self-contained HTML report of the claims carried by several articles."""
    from ..corpus.report import write_report

    con = _open(db)
    tmp = output + ".tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            n = write_report(con, f, min_articles=min_articles)
        os.replace(tmp, output)
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror or exc})", EXIT_PARTIAL)
    finally:
        con.close()
        if os.path.exists(tmp):
            os.remove(tmp)
    _err().print(f"wrote {plural(n, 'claim cluster')} to {output}")


@app.command()
def score(
    folder: Annotated[
        str, typer.Argument(metavar="DIR", help="Scenario folder (scenarios/corpus).")
    ] = "scenarios/corpus",
    split: Annotated[
        list[str] | None,
        typer.Option("--split", metavar="NAME",
                     help="Splits to score (default: all in the folder)."),
    ] = None,
    show_failures: Annotated[
        bool, typer.Option("--failures", help="List every wrong link, merge and count.")
    ] = False,
) -> None:
    """Score the scenario set: claim-link and actor-merge P/R/F1, origin-count accuracy."""
    from ..corpus.scenarios import run

    try:
        results = run(folder, split or None)
    except SourcetraceError as exc:
        _fail(str(exc))
    out = Console(highlight=False)
    table = Table("split", "claim P", "claim R", "claim F1", "actor P", "actor R", "actor F1",
                  "origins exact", "circular exact")
    for name, s in results.items():
        table.add_row(
            name, f"{s.claims.precision:.3f}", f"{s.claims.recall:.3f}", f"{s.claims.f1:.3f}",
            f"{s.actors.precision:.3f}", f"{s.actors.recall:.3f}", f"{s.actors.f1:.3f}",
            f"{s.origins_exact}/{s.origins_total} = {s.origin_accuracy:.3f}",
            f"{s.circular_exact}/{s.circular_total}",
        )
    out.print(table)
    if show_failures:
        for name, s in results.items():
            for f in s.failures:
                out.print(Text(f"{name}: {f}"))
