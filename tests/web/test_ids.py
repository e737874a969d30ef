"""Article ids that are URLs (holding /, ? and #) are linked and found; absurd offsets are a
422, not a 500."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

TEXT = ("The tram depot in Ostmark will close in March, the city transport office said on "
        "Monday, because the new line no longer needs it.")
ODD_ID = "https://news.example/a/b?c=1#d"


@pytest.fixture(scope="module")
def odd_client(tmp_path_factory, pipeline):
    from fastapi.testclient import TestClient

    from sourcetrace.corpus.build import build
    from sourcetrace.corpus.embed import HashingEmbedder
    from sourcetrace.web.app import create_app

    folder = tmp_path_factory.mktemp("odd")
    feed = folder / "feed.jsonl"
    feed.write_text(json.dumps({"id": ODD_ID, "text": TEXT, "title": "Depot to close"}) + "\n")
    db = folder / "odd.duckdb"
    stats = build(str(db), [str(feed)], pipeline=lambda: pipeline, embedder=HashingEmbedder())
    assert stats.failed == 0, stats.errors
    with TestClient(create_app(db), raise_server_exceptions=False) as client:
        yield client


def test_ids_holding_slash_query_and_hash_are_linked_and_found(odd_client):
    listing = odd_client.get("/articles").text
    href = f"/articles/{quote(ODD_ID, safe='')}"
    assert f'href="{href}"' in listing
    page = odd_client.get(href)
    assert page.status_code == 200 and "Depot to close" in page.text
    doc = odd_client.get(f"/api/articles/{quote(ODD_ID, safe='')}")
    assert doc.status_code == 200 and doc.json()["record"]["id"] == ODD_ID


@pytest.mark.parametrize("path", ["/api/articles", "/articles", "/api/claims"])
def test_ids_offset_past_64_bits_is_a_bad_parameter(odd_client, path):
    response = odd_client.get(f"{path}?offset=9223372036854775808")
    assert response.status_code == 422
