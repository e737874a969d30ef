"""Adding an analysed text to the corpus: only when the server allows it."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient

from .conftest import WEB_DATA, one

TEXT = "The harbour master said that the storm wall would be finished in June."


@pytest.fixture(scope="module")
def built_db(tmp_path_factory, pipeline):
    from sourcetrace.corpus.build import build
    from sourcetrace.corpus.embed import HashingEmbedder

    db = tmp_path_factory.mktemp("add") / "small.duckdb"
    build(str(db), [str(WEB_DATA / "harbour_daily.txt")], pipeline=lambda: pipeline,
          embedder=HashingEmbedder())
    return db


@pytest.fixture
def small_db(built_db, tmp_path):
    db = tmp_path / "small.duckdb"
    shutil.copyfile(built_db, db)  # each test writes its own copy
    return db


def _count(app) -> int:
    return one(app.state.store, "SELECT count(*) AS n FROM articles")["n"]


def test_add_refused_unless_allowed(small_db, pipeline):
    from sourcetrace.web.analyze import Analyzer
    from sourcetrace.web.app import create_app

    app = create_app(small_db, analyzer=Analyzer(lambda: pipeline))
    with TestClient(app) as c:
        assert c.post("/api/analyze?add=true", json={"text": TEXT}).status_code == 403
        assert c.post("/analyze", data={"text": TEXT, "add": "true"}).status_code == 403
        assert 'name="add"' not in c.get("/analyze").text
    assert _count(app) == 1


def test_add_when_allowed_stores_and_serves_the_article(small_db, pipeline):
    from sourcetrace.corpus.embed import HashingEmbedder
    from sourcetrace.web.analyze import Analyzer
    from sourcetrace.web.app import create_app

    app = create_app(small_db, analyzer=Analyzer(lambda: pipeline), allow_add=True,
                     make_embedder=HashingEmbedder)
    with TestClient(app) as c:
        assert 'name="add"' in c.get("/analyze").text
        r = c.post("/analyze", data={"text": TEXT, "add": "true"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/articles/")
        page = c.get(r.headers["location"])
        assert page.status_code == 200 and "storm wall" in page.text
        assert "not part of the corpus" not in page.text
        # the same text again is stored once
        again = c.post("/api/analyze?add=true", json={"text": TEXT}).json()
        assert again["corpus_id"] == r.headers["location"].rsplit("/", 1)[1]
    assert _count(app) == 2
