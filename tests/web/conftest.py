"""A small corpus built from the project's examples and tests/data/web, shared by the web tests.

The corpus is built once per session with the real ``sourcetrace corpus`` builder and the
real analysis pipeline; claims are embedded with the builder's hashing encoder (fast, no
model load) since these tests are about the explorer, not claim linking.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "src" / "sourcetrace" / "data" / "examples"
WEB_DATA = ROOT / "tests" / "data" / "web"
ARTIFACTS = ROOT / "test-artifacts"
# Small so the 413 tests need little data; the analyse page still takes a real article.
TEST_MAX_BODY = 64 * 1024


@pytest.fixture(scope="session")
def pipeline():
    from sourcetrace.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory, pipeline) -> Path:
    from sourcetrace.corpus.build import build
    from sourcetrace.corpus.embed import HashingEmbedder

    db = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    stats = build(
        str(db),
        [str(EXAMPLES), str(WEB_DATA)],
        pipeline=lambda: pipeline,
        embedder=HashingEmbedder(),
    )
    assert stats.failed == 0, stats.errors
    return db


@pytest.fixture(scope="session")
def app(corpus_db, pipeline):
    from sourcetrace.web.analyze import Analyzer
    from sourcetrace.web.app import create_app

    return create_app(corpus_db, max_body_bytes=TEST_MAX_BODY,
                      analyzer=Analyzer(lambda: pipeline))


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def store(app):
    return app.state.store


def rows(store, sql: str, params=()) -> list[dict]:
    """``sql`` on the store's read-only connection, rows as dicts."""
    from sourcetrace.corpus.query.rows import rows as query_rows

    with store.connection() as con:
        return query_rows(con, sql, params)


def one(store, sql: str, params=()) -> dict | None:
    found = rows(store, sql, params)
    return found[0] if found else None


def article_id_by_title(store, words: str) -> str:
    found = rows(store, "SELECT id FROM articles WHERE title ILIKE ?", [f"%{words}%"])
    assert found, f"no article titled like {words!r}"
    return found[0]["id"]
