"""The scenario scorer, and the shipped scenario files themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcetrace.corpus.embed import HashingEmbedder
from sourcetrace.corpus.scenarios import load_scenarios, run

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios" / "corpus"


def test_shipped_scenarios_are_well_formed():
    scenarios = load_scenarios(SCENARIOS)
    assert len(scenarios) >= 30
    assert {sc["split"] for sc in scenarios} == {"dev", "test", "holdout"}
    for sc in scenarios:
        texts = {a["id"]: a["text"].lower() for a in sc["articles"]}
        for cl in sc.get("clusters") or []:
            for art, snippet in cl["members"]:
                assert snippet.lower() in texts[art], (sc["id"], art, snippet)


CASE = """split: {split}
about: one wire claim copied word for word by a second outlet
articles:
  - id: a
    outlet: Dunmore Post
    published: 2026-01-02
    text: |
      The Dunmore city council said the old tram depot will become a public library next year.
  - id: b
    outlet: Eastvale Herald
    published: 2026-01-03
    text: |
      The old tram depot will become a public library next year, the Dunmore city council said.
clusters:
  - members:
      - [a, "the old tram depot will become a public library next year"]
      - [b, "The old tram depot will become a public library next year"]
    origins: 1
"""


def test_every_split_in_the_folder_is_scored_in_order(tmp_path, pipeline):
    (tmp_path / "01.yaml").write_text(CASE.format(split="holdout"), encoding="utf-8")
    (tmp_path / "02.yaml").write_text(CASE.format(split="dev"), encoding="utf-8")
    scores = run(tmp_path, pipeline=pipeline, embedder=HashingEmbedder())
    assert list(scores) == ["dev", "holdout"]
    for score in scores.values():
        assert score.claims.f1 == pytest.approx(1.0)
        assert score.origin_accuracy == pytest.approx(1.0)
    assert list(run(tmp_path, ["holdout"], pipeline=pipeline, embedder=HashingEmbedder())) == [
        "holdout"
    ]
