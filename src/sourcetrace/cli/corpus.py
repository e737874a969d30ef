"""``sourcetrace corpus ...``: build a corpus and read provenance from it."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..model.errors import ConfigError, SourcetraceError

logger = logging.getLogger(__name__)

app = typer.Typer(
    help="Corpus provenance: actors and claims linked across articles.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

DB_OPTION = typer.Option("--db", metavar="FILE", help="The corpus DuckDB file.")
EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3


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
    fast: Annotated[bool, typer.Option("--fast", help="Rule-only analysis.")] = False,
    embedder: Annotated[
        str, typer.Option("--embedder", help="minilm (default) or hashing (no model; tests).")
    ] = "minilm",
    no_wait: Annotated[
        bool,
        typer.Option("--no-wait", help="Fail at once if another build is writing this corpus "
                     "(default: wait for it to end)."),
    ] = False,
) -> None:
    """Add articles to a corpus (created when missing). All or nothing: a failed build
    leaves the corpus as it was. One build writes a corpus at a time; others wait."""
    from ..corpus.build import build as run_build
    from ..corpus.embed import HashingEmbedder, MiniLMEmbedder

    if embedder not in ("minilm", "hashing"):
        _fail(f"--embedder: unknown embedder {embedder!r} (minilm or hashing)")
    enc = HashingEmbedder() if embedder == "hashing" else MiniLMEmbedder()
    err = _err()

    def pipeline():
        from ..pipeline import Pipeline

        return Pipeline(list(aliases or ()), fast=fast)

    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
        TextColumn("{task.completed} items"),
        TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal,
    )
    with progress:
        task = progress.add_task("adding articles", total=None)

        def on_item(item: Any) -> None:
            if isinstance(item, SourcetraceError):
                progress.console.print(Text(f"error: {item}", style="red"))
            progress.advance(task)

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
        f"{db}: +{stats.added} articles, {stats.duplicates} duplicates, {stats.failed} failed; "
        f"now {stats.articles} articles, {stats.claims} claims in {stats.clusters} clusters, "
        f"{stats.actors} actors"
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
    _err().print(f"wrote {len(tables)} tables to {parquet}")


@app.command("claims")
def list_claims(
    db: Annotated[str, DB_OPTION] = "corpus.duckdb",
    min_articles: Annotated[
        int, typer.Option("--min-articles", min=1, help="Only claims in N+ articles.")
    ] = 2,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 50,
    disputed: Annotated[
        bool, typer.Option("--disputed", help="Only claims another claim disputes (any "
                           "number of articles), most disputed first.")
    ] = False,
) -> None:
    """Claim clusters carried by several articles, with independent-origin counts."""
    from ..corpus import query

    con = _open(db)
    if disputed:
        rows = query.disputed_claims(con, limit)
    else:
        rows = query.claims(con, min_articles, limit, order="outlets")
    con.close()
    table = Table("id", "claim", "articles", "outlets", "origins", "circular", "first seen")
    if disputed:
        table.add_column("disputes")
    for r in rows:
        cells = [
            r["id"], Text(_clip(r["text"], 90)), str(r["n_articles"]), str(r["n_outlets"]),
            str(r["independent_origins"]), "yes" if r["circular"] else "",
            Text(str(r["first_seen"] or "")),
        ]
        if disputed:
            cells.append(str(r["n_disputes"]))
        table.add_row(*cells)
    Console(highlight=False).print(table)


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

    data = _lookup(db, query.claim, cluster_id, f"no claim cluster {cluster_id!r} in {db}",
                   view="tree")
    out = Console(highlight=False)
    head = Text(f"{data['id']}: ", style="bold")
    head.append(_clip(data["text"], 120))
    tree = Tree(head)
    summary = (
        f"{data['n_articles']} articles, {data['n_outlets']} outlets, "
        f"{data['independent_origins']} independent origin(s)"
    )
    if data["circular"]:
        summary += f"; CIRCULAR: {data['circular_reason']}"
    tree.add(Text(summary, style="yellow" if data["circular"] else "green"))
    by_id = {c["id"]: c for c in data["claims"]}

    def add(branch: Tree, item: dict[str, Any]) -> None:
        node = item["node"]
        if node.startswith("claim:"):
            c = by_id.get(node[6:], {})
            where = c.get("outlet") or c.get("article_id")
            label = Text(f"[{c.get('published') or '?'}] {where}: ")
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
        tl.add(Text(f"{t['published'] or '?'}  {t['outlet'] or t['article_id']} ({t['kind']})"))
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
    out.print(Text(f"{data['name']} ({data['type']}, {data['n_articles']} articles)",
                   style="bold"))
    out.print(Text("aliases: " + ", ".join(a["alias"] for a in data["aliases"])))
    if data["evidence"]:
        ev = Table("alias", "same as", "evidence", "article", title="merge evidence")
        for e in data["evidence"]:
            ev.add_row(Text(e["alias"]), Text(e["other"] or ""), Text(f"{e['kind']}: "
                       f"{e['detail'] or ''}"), Text(e["article_id"] or ""))
        out.print(ev)
    for title, rows in (("says", data["says"]), ("said about it", data["said_about"])):
        t = Table("outlet/article", "text", "cluster", title=title)
        for r in rows:
            t.add_row(Text(r.get("outlet") or r["article_id"]), Text(_clip(r["text"], 100)),
                      Text(r.get("cluster_id") or ""))
        out.print(t)
    if data["labels"]:
        t = Table("label", "voice", "outlet", title="labels applied")
        for r in data["labels"]:
            t.add_row(Text(r["label"]), Text(r["voice"]), Text(r["outlet"] or r["article_id"]))
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
    _err().print(f"wrote {n} claim clusters to {output}")


@app.command()
def score(
    folder: Annotated[
        str, typer.Argument(metavar="DIR", help="Scenario folder (scenarios/corpus).")
    ] = "scenarios/corpus",
    split: Annotated[
        list[str] | None,
        typer.Option("--split", help="Splits to score (default: all in the folder)."),
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
