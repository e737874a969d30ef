"""Claim-link evidence beyond the cosine: figures, negation, shared words."""

from __future__ import annotations

import numpy as np
import pytest

from sourcetrace.corpus.build import build
from sourcetrace.corpus.claims import claims_from_record, conflict, lexical_support, numbers
from sourcetrace.corpus.db import connect
from sourcetrace.corpus.embed import HashingEmbedder


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the plant will cut 2,400 jobs", {2400.0}),
        ("two thousand four hundred jobs will go", {2400.0}),
        ("a hundred and five boats", {105.0}),
        ("one of the ministers resigned", set()),
        ("forty-two people and 7.5 percent", {42.0, 7.5}),
    ],
)
def test_numbers_read_digits_and_words(text, expected):
    assert numbers(text) == expected


def test_conflict_on_denial_and_on_different_figures():
    assert conflict("the mine will close", "the mine will not close")
    assert conflict("the mine won't close", "the mine will close next year")
    assert not conflict("the mine won't close", "the mine will not shut")
    assert conflict("twelve miners were hurt", "30 miners were hurt")
    assert not conflict("twelve miners were hurt", "12 miners were injured")
    assert not conflict("the mine had no water left", "the mine ran out of water")


def test_lexical_support_needs_several_shared_content_words():
    assert lexical_support(
        "the ferry strike will end on Tuesday", "striking ferry crews end their walkout Tuesday"
    )
    assert not lexical_support("ferry crews strike", "the ferry timetable changes in May")


def _record(rid: str, text: str, contents: list[str], outlet: str) -> dict:
    atts = []
    for n, c in enumerate(contents, 1):
        s = text.index(c)
        atts.append({"id": f"t{n}", "source": None, "cue": {"text": "said", "spans": [[0, 0]]},
                     "content": {"text": c, "spans": [[s, s + len(c)]]}, "kind": "no_source",
                     "relayed_by": [], "chain_depth": 0, "confidence": 0.5})
    return {"schema_version": "1.0.0", "id": rid, "path": f"{rid}.txt", "text": text,
            "metadata": {"outlet": outlet, "published": "2025-01-01"}, "excluded": [],
            "attributions": atts, "actors": [], "unattributed": [], "labels": [],
            "profile": {}}


def test_outer_relay_sentence_is_not_a_second_claim():
    text = "The institute said an officer had told it that the ferry tickets were forged."
    outer = "an officer had told it that the ferry tickets were forged"
    inner = "that the ferry tickets were forged"
    rec = _record("r", text, [outer, inner], "Post")
    rec["attributions"][1]["cue"] = {"text": "had told", "spans": [[text.index("had told"),
                                                                    text.index("had told") + 8]]}
    assert [c["text"] for c in claims_from_record(rec)] == [inner]


def test_index_path_links_and_is_the_same_on_every_build(tmp_path):
    # More claims than the exact path takes, so the HNSW index is used.
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(400)]
    recs = []
    for a in range(30):
        sents = [" ".join(rng.choice(words, 8)) for _ in range(3)]
        if a % 10 == 9:  # a repeat of article 0's first claim in another outlet
            sents[0] = recs[0]["attributions"][0]["content"]["text"]
        text = ". ".join(sents) + "."
        recs.append(_record(f"a{a}", text, sents, f"Outlet {a % 7}"))
    runs = []
    for n in range(2):
        db = str(tmp_path / f"c{n}.duckdb")
        build(db, records=recs, embedder=HashingEmbedder())
        con = connect(db)
        runs.append(con.execute("SELECT id, cluster_id FROM claims ORDER BY id").fetchall())
        linked = con.execute(
            "SELECT count(DISTINCT article_id) FROM claims WHERE cluster_id = "
            "(SELECT cluster_id FROM claims WHERE id = 'a0:t1')"
        ).fetchone()[0]
        assert linked == 4  # a0 and its three repeats
        con.close()
    assert runs[0] == runs[1]
