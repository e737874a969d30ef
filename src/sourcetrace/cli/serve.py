"""``sourcetrace serve``: the web explorer over a corpus, on loopback by default."""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import Annotated

import typer

from ..web.security import DEFAULT_MAX_BODY_BYTES

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def serve(
    db: Annotated[Path, typer.Option("--db", metavar="FILE",
                                     help="Corpus DuckDB file (opened read-only).")],
    host: Annotated[
        str, typer.Option(metavar="ADDRESS",
                          help="Address to bind. Anything but loopback exposes the corpus.")
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(min=0, max=65535, metavar="N",
                                      help="Port to listen on.")] = DEFAULT_PORT,
    max_upload: Annotated[
        int, typer.Option(min=1, metavar="BYTES",
                          help="Largest request body (upload or pasted text), in bytes.")
    ] = DEFAULT_MAX_BODY_BYTES,
    allow_add: Annotated[
        bool,
        typer.Option("--allow-add", help="Let the analyse page add its result to the corpus "
                     "(through 'corpus build'). Off: the server never writes."),
    ] = False,
    aliases: Annotated[
        list[str] | None,
        typer.Option("--aliases", metavar="FILE",
                     help="Alias files the corpus was built with (used when adding)."),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option("--allow-host", metavar="NAME",
                     help="Another Host name the server answers to (behind a proxy, or a "
                     "name for this machine); repeatable. Loopback and --host always are."),
    ] = None,
) -> None:
    """Browse a corpus: articles, claims, actors, search, and analysis on the fly."""
    from ..web.store import CorpusStore, StoreError

    err = typer.echo
    try:
        CorpusStore(db).close()  # fail now, in one line, on a missing or foreign file
    except StoreError as e:
        err(f"error: {e}", err=True)
        raise typer.Exit(2) from None

    if (busy := _cannot_listen(host, port)) is not None:
        err(f"error: cannot listen on {host}:{port}: {busy}", err=True)
        raise typer.Exit(2)

    import uvicorn

    from ..web.app import create_app
    from ..web.security import LOOPBACK_NAMES

    # Only names it was started for: a DNS-rebinding page cannot read it through its own.
    hosts = [*LOOPBACK_NAMES, host, *(allow_host or ())]
    app = create_app(db, max_body_bytes=max_upload, allow_add=allow_add,
                     alias_files=list(aliases or ()), allowed_hosts=hosts)
    if host not in LOOPBACK_NAMES:
        err(f"warning: listening on {host}: anyone who can reach it can read the corpus",
            err=True)
    err(f"sourcetrace explorer on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    # No reload, no debug: the server runs as it would for anyone.
    uvicorn.run(app, host=host, port=port, log_level="warning", reload=False,
                server_header=False)


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port (bound as uvicorn binds), or None."""
    if port == 0:
        return None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return f"unknown host ({exc.strerror or exc})"
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return "address already in use (another server? pick one with --port)"
            return (exc.strerror or str(exc)).lower()
    return None


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "serve"]
