"""``sourcetrace fetch``: URLs, URL lists and RSS/Atom feeds to article JSONL.

The JSONL is what ``analyze`` and ``corpus build`` read (one article a line: ``text`` and
``url``, ``title``, ``published``, ``outlet``, ``author``, ``id``), so a feed can be
fetched once and analysed many times, offline.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Annotated

import typer
from rich.text import Text

from ..run import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, ErrorLog
from .common import TimeoutOption, fetch_options, state

# The article fields written, in this order (the keys the JSONL reader takes).
FIELDS = ("id", "url", "title", "published", "outlet", "author")


def fetch(
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="FEED_OR_URL",
            help="RSS/Atom feed URLs (each item is fetched), page URLs, URL list files "
            "(.urls), or any other input analyze reads.",
            show_default=False,
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE.jsonl",
                     help="Write the articles here (default: stdout)."),
    ] = None,
    timeout: TimeoutOption = None,
) -> None:
    """Fetch pages and feed items and write them as article JSONL for analyze."""
    from ..ingest import iter_articles

    if output not in (None, "-") and not output.lower().endswith((".jsonl", ".json")):
        state.err.print(Text(f"error: {output}: fetch writes article JSONL (.jsonl)",
                             style="red"))
        raise typer.Exit(EXIT_USAGE)
    to_file = output not in (None, "-")
    try:
        fp = open(output, "w", encoding="utf-8") if to_file else sys.stdout  # noqa: SIM115
    except OSError as exc:
        state.err.print(Text(f"error: {output}: cannot write: {exc.strerror or exc}",
                             style="red"))
        raise typer.Exit(EXIT_USAGE) from None
    errors = ErrorLog(state.err, f"{output}.errors.jsonl" if to_file else None)
    written = failed = 0
    started = time.monotonic()
    try:
        for item in iter_articles(sources, fetch=fetch_options(timeout)):
            if isinstance(item, Exception):
                errors.report(str(getattr(item, "path", "<input>")),
                              str(getattr(item, "reason", item)))
                failed += 1
                continue
            record = {k: item.id if k == "id" else item.metadata.get(k) for k in FIELDS}
            record = {k: v for k, v in record.items() if v not in (None, "")}
            record["text"] = item.text
            fp.write(json.dumps(record, ensure_ascii=False) + "\n")
            fp.flush()
            written += 1
    except KeyboardInterrupt:
        state.err.print(Text(f"interrupted after {written} articles", style="yellow"))
        raise typer.Exit(130) from None
    finally:
        errors.close()
        if to_file:
            fp.close()
    plural = "" if written == 1 else "s"
    state.err.print(f"{written} article{plural}, {failed} failed, in "
                    f"{time.monotonic() - started:.1f} s -> {output if to_file else 'stdout'}")
    if not written:
        raise typer.Exit(EXIT_NOTHING)
    raise typer.Exit(EXIT_PARTIAL if failed else EXIT_OK)


__all__ = ["fetch"]
