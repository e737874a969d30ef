"""The explorer and tiers: the analyse page's tier choice, the tier on the article page,
the count per tier on the overview, and a corpus from before the ``tier`` column."""

from __future__ import annotations

import duckdb
import pytest
from fake_pipeline import ARTICLES, FakePipeline
from fastapi.testclient import TestClient

from sourcetrace.attributions.tiers import EXTRA_MISSING
from sourcetrace.corpus.build import build
from sourcetrace.corpus.embed import HashingEmbedder
from sourcetrace.corpus.query.overview import tier_counts
from sourcetrace.ingest import article_from_text
from sourcetrace.web.analyze import Analyzer
from sourcetrace.web.app import create_app

TEXT = '"The ferry runs again," said Ilse Marr.\n'


def records(tiers_by_name: dict[str, str | None]) -> list[dict]:
    out = []
    for name, tier in tiers_by_name.items():
        out.append(FakePipeline(tier=tier).analyze(article_from_text(ARTICLES[name], name))
                   .to_dict())
    return out


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "c.duckdb"
    build(str(path), records=records({"harbour.txt": "default", "orchard.txt": "accurate",
                                      "library.txt": "default"}), embedder=HashingEmbedder())
    return path


def client(db, available) -> tuple[TestClient, list[str]]:
    built: list[str] = []

    def pipeline_for(tier: str) -> FakePipeline:
        built.append(tier)
        return FakePipeline(tier=tier)

    app = create_app(db, analyzer=Analyzer(pipeline_for=pipeline_for, available=available))
    return TestClient(app, raise_server_exceptions=False), built


def test_analyse_form_offers_the_tiers_and_marks_a_missing_one(db):
    c, _ = client(db, lambda t: EXTRA_MISSING if t == "accurate" else None)
    page = c.get("/analyze").text
    assert '<select id="tier" name="tier">' in page
    assert '<option value="auto" selected>' in page
    assert '<option value="accurate" disabled>' in page and "not installed" in page
    assert '<option value="fast">' in page


@pytest.mark.parametrize("choice, ran", [("fast", "fast"), ("default", "default"),
                                         ("auto", "accurate"), ("accurate", "accurate")])
def test_analyse_page_runs_the_chosen_tier(db, choice, ran):
    c, built = client(db, lambda t: None)
    page = c.post("/analyze", data={"text": TEXT, "tier": choice}).text
    assert built == [ran]
    assert f"attributions by: {ran} tier" in page


def test_analyse_page_auto_without_accurate_is_default(db):
    c, built = client(db, lambda t: EXTRA_MISSING if t == "accurate" else None)
    page = c.post("/analyze", data={"text": TEXT}).text
    assert built == ["default"] and "attributions by: default tier" in page


def test_analyse_page_refuses_accurate_that_cannot_run_in_one_line(db):
    c, built = client(db, lambda t: EXTRA_MISSING if t == "accurate" else None)
    resp = c.post("/analyze", data={"text": TEXT, "tier": "accurate"})
    assert resp.status_code == 422 and not built
    assert EXTRA_MISSING.replace("'", "&#39;") in resp.text
    resp = c.post("/analyze", data={"text": TEXT, "tier": "<b>turbo</b>"})
    assert resp.status_code == 422 and "unknown tier" in resp.text
    assert "<b>turbo</b>" not in resp.text  # the form's value is escaped


def test_analyse_api_takes_a_tier(db):
    c, _ = client(db, lambda t: None)
    assert c.post("/api/analyze", json={"text": TEXT, "tier": "fast"}).json()["tier"] == "fast"
    assert c.post("/api/analyze", json={"text": TEXT}).json()["tier"] == "accurate"


def test_overview_counts_articles_per_tier_and_article_page_shows_it(db):
    c, _ = client(db, lambda t: None)
    assert c.get("/api/overview").json()["tiers"] == {"default": 2, "accurate": 1}
    assert "Attributions by: default 2, accurate 1" in c.get("/").text
    stored = c.get("/api/articles").json()["articles"]
    by_path = {a["path"]: a["id"] for a in stored}
    assert "attributions by: accurate tier" in c.get(f"/articles/{by_path['orchard.txt']}").text


def test_a_corpus_from_before_the_tier_column_reads_and_rebuilds(tmp_path):
    db = tmp_path / "old.duckdb"
    build(str(db), records=records({"harbour.txt": None}), embedder=HashingEmbedder())
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE articles DROP COLUMN tier")  # as schema 1.2 wrote it
    con.execute("UPDATE corpus_meta SET value = '1.2' WHERE key = 'schema_version'")
    con.close()
    con = duckdb.connect(str(db), read_only=True)
    assert tier_counts(con) == {"unknown": 1}
    con.close()
    c, _ = client(db, lambda t: None)
    assert c.get("/api/overview").json()["tiers"] == {"unknown": 1}
    c.app.state.store.close()
    build(str(db), records=records({"orchard.txt": "fast"}), embedder=HashingEmbedder())
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert tier_counts(con) == {"fast": 1, "unknown": 1}
    finally:
        con.close()
