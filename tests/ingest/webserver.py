"""A local HTTP server for fetch tests: 127.0.0.1 only, pages written by the tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None  # a redirect
    delay: float = 0.0  # seconds before answering


@dataclass
class Site:
    pages: dict[str, Page]
    base: str = ""
    agents: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


@contextmanager
def serve(pages: dict[str, Page]) -> Iterator[Site]:
    site = Site(pages)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            site.agents.append(self.headers.get("User-Agent", ""))
            page = site.pages.get(self.path)
            if page is None:
                page = Page(b"not here", "text/plain", 404)
            if page.delay:
                time.sleep(page.delay)
            try:
                self.send_response(page.status)
                if page.location:
                    self.send_header("Location", page.location)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout, size cap): expected

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def article_html(title: str, body: str, site_name: str | None = None) -> bytes:
    meta = f'<meta property="og:site_name" content="{site_name}">' if site_name else ""
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n") if p)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{meta}"
        '<meta property="article:published_time" content="2025-03-04T10:00:00Z">'
        f"</head><body><nav>Home | News</nav><article><h1>{title}</h1>{paras}</article>"
        "<footer>Contact us</footer></body></html>"
    ).encode()
