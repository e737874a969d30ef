"""Invented inputs for the engine tests: JSONL and WARC built on the fly."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

NAMES = ("Ilse Marr", "Tomas Vey", "Rhea Oduya", "Karl Denn", "Mira Solt", "Odile Brant")
PLACES = ("harbour", "orchard", "library", "bridge", "market", "ferry pier")


def invented_text(i: int, rng: random.Random) -> str:
    name, place = rng.choice(NAMES), rng.choice(PLACES)
    return (
        f"The {place} council met on day {i}.\n\n"
        f'"Repairs to the {place} will take {i + 2} weeks," said {name}, the council '
        f"engineer. The Valley Gazette reported that costs had doubled, according to "
        f"officials. The {place} is a relic of a failed scheme."
    )


def write_jsonl(path: Path, n: int, *, seed: int = 7, bad_lines: tuple[int, ...] = ()) -> Path:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            if i in bad_lines:
                f.write("{this line is not json\n")
            else:
                f.write(json.dumps({"text": invented_text(i, rng), "id": f"s{seed}-{i}"}) + "\n")
    return path


def html_page(i: int, rng: random.Random) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in invented_text(i, rng).split("\n\n"))
    return (
        f"<html><head><title>Council story {i}</title></head><body><article>"
        f"<h1>Council story {i}</h1>{paras}</article></body></html>"
    ).encode()


def write_warc(path: Path, n: int, *, seed: int = 11, gzip: bool = True) -> Path:
    """n HTML 200 responses plus a duplicate payload, a 404, an image and a request."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(seed)
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gzip)

        def response(url: str, body: bytes, status: str = "200 OK", ctype: str = "text/html"):
            headers = StatusAndHeaders(
                status, [("Content-Type", ctype)], protocol="HTTP/1.1"
            )
            rec = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(rec)

        first = b""
        for i in range(n):
            body = html_page(i, rng)
            first = first or body
            response(f"https://news.example/{i}", body)
            if i == 1:
                response("https://news.example/missing", html_page(99, rng), "404 Not Found")
                response("https://news.example/logo.png", b"\x89PNG....", ctype="image/png")
                response("https://news.example/copy-of-0", first)  # same payload digest
    return path
