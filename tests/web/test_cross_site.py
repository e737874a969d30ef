"""Cross-site writes and DNS rebinding: a write posted from another origin is refused, and a
server started for some names answers no other Host."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sourcetrace.web.security import host_name

TEXT = "The ferry office said on Monday that sailings will resume in April."


def test_cross_site_post_from_another_origin_is_refused(client):
    response = client.post("/api/analyze", json={"text": TEXT},
                           headers={"Origin": "http://evil.example.com"})
    assert response.status_code == 403 and "cross-site" in response.json()["detail"]
    fetched = client.post("/api/analyze", json={"text": TEXT},
                          headers={"Sec-Fetch-Site": "cross-site"})
    assert fetched.status_code == 403


def test_cross_site_own_form_under_no_referrer_goes_through(client):
    # This server sends Referrer-Policy: no-referrer, so its own forms post Origin "null".
    own = client.post("/api/analyze", json={"text": TEXT},
                      headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
    assert own.status_code == 200
    foreign = client.post("/api/analyze", json={"text": TEXT},
                          headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"})
    assert foreign.status_code == 403


def test_cross_site_same_origin_and_originless_posts_go_through(client):
    same = client.post("/api/analyze", json={"text": TEXT},
                       headers={"Origin": "http://testserver"})
    assert same.status_code == 200
    assert client.post("/api/analyze", json={"text": TEXT}).status_code == 200  # curl-like


@pytest.fixture(scope="module")
def guarded(corpus_db):
    from sourcetrace.web.app import create_app

    app = create_app(corpus_db, allowed_hosts=["127.0.0.1", "localhost", "::1", "news.lan"])
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        yield c


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost", "[::1]:8765", "NEWS.lan"])
def test_cross_site_known_hosts_are_served(guarded, host):
    assert guarded.get("/api/overview", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example.com", "evil.example.com:8765", "127.0.0.2"])
def test_cross_site_rebinding_host_is_refused(guarded, host):
    response = guarded.get("/api/overview", headers={"Host": host})
    assert response.status_code == 400 and "unknown Host" in response.json()["detail"]


def test_cross_site_host_name_strips_port_and_brackets():
    assert [host_name(h) for h in ("A.example:80", "[::1]:8765", "::1", "localhost")] == [
        "a.example", "::1", "::1", "localhost"]
