"""What keeps hostile input inert: body size limit, response headers, visible controls.

- ``BodyLimitMiddleware`` refuses a request body over the limit with 413 before any view
  sees it (by Content-Length when given, else by counting what arrives).
- ``SecurityHeadersMiddleware`` sends a Content-Security-Policy that allows scripts,
  styles and connections from this server only: no inline script, no inline style, so even
  markup that slipped through escaping could not run.
- ``HostCheckMiddleware`` answers 400 to a request whose ``Host`` is not one the server
  was started for, so a DNS-rebinding page cannot read the corpus through a name it owns.
- ``SameOriginWriteMiddleware`` answers 403 to a write (POST...) that a browser sent from
  another site (``Sec-Fetch-Site: cross-site`` or ``same-site``, or an ``Origin`` naming
  another host), so no page elsewhere can add to the corpus; clients that send neither
  (curl, scripts) are not browsers.
- ``inert_text`` shows bidirectional overrides and other control characters as visible
  code points, so article text cannot reorder what is displayed around it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Default limit for analysed uploads and pasted text: a long feature is ~60k characters
# (~250 kB of HTML); 2 MiB leaves room for heavy pages and keeps the analyser responsive.
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

# Bidi embeddings, overrides, isolates and marks, plus C0/C1 controls other than tab,
# newline and carriage return (the text keeps its line breaks).
_CONTROLS = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u0000-\u0008\u000b\u000c"
    "\u000e-\u001f\u007f-\u009f]"
)


def inert_text(value: str) -> str:
    """Replace each control character with a visible ``<U+202E>`` marker (still plain text)."""
    return _CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)


def jinja_finalize(value: Any) -> Any:
    """Jinja ``finalize`` hook: every plain string printed by a template is made inert.

    Markup (HTML the app built itself) passes through; everything else is escaped by
    autoescaping after this.
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return inert_text(value)
    return value


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413 Payload Too Large."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _content_length(scope)
        if length is not None and length > self.max_bytes:
            await _too_large(send, self.max_bytes)
            return
        # No (or an honest) Content-Length: read the body here, up to the limit, then replay
        # it, so a chunked upload cannot stream past the limit into a view.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await _too_large(send, self.max_bytes)
                return
            chunks.append(body)
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SecurityHeadersMiddleware:
    """Add the CSP and related headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in _HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def host_name(host: str) -> str:
    """The name in a Host header or URL netloc, lower case, without port or brackets."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


class HostCheckMiddleware:
    """400 for a request whose Host header names none of ``allowed`` (port ignored)."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = {host_name(h) for h in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = _header(scope, b"host")
            if host is None or host_name(host) not in self.allowed:
                await _refuse(send, 400, "unknown Host: this server answers only to the "
                              "names it was started for (see serve --allow-host)")
                return
        await self.app(scope, receive, send)


class SameOriginWriteMiddleware:
    """403 for a write a browser sent from another origin than the one it is sent to."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method", "GET") not in _SAFE_METHODS:
            origin = _header(scope, b"origin")
            host = _header(scope, b"host") or ""
            # "same-origin", or "none" (typed by the user); a form of this server's own
            # pages sends Origin "null" under its no-referrer policy, so that alone is no sign.
            site = (_header(scope, b"sec-fetch-site") or "").lower()
            cross = site in ("cross-site", "same-site")
            if cross or (origin not in (None, "null")
                         and urlsplit(origin).netloc.lower() != host.lower()):
                await _refuse(send, 403, "cross-site write refused: post from this "
                              "server's own pages")
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *_HEADERS,
    ]})
    await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"request body over the {limit}-byte limit"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


__all__ = [
    "CONTENT_SECURITY_POLICY",
    "DEFAULT_MAX_BODY_BYTES",
    "LOOPBACK_NAMES",
    "BodyLimitMiddleware",
    "HostCheckMiddleware",
    "SameOriginWriteMiddleware",
    "SecurityHeadersMiddleware",
    "host_name",
    "inert_text",
    "jinja_finalize",
]
