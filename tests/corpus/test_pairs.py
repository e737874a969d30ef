"""The pair decision (``pairs.decide``), average linkage, and disputes in a built corpus."""

from __future__ import annotations

import numpy as np
import pytest

from sourcetrace.corpus import pairs
from sourcetrace.corpus.build import build
from sourcetrace.corpus.claims import average_linkage
from sourcetrace.corpus.db import connect
from sourcetrace.corpus.embed import HashingEmbedder

from .test_claims import _record


class FixedModel:
    """A pair model that gives every pair it is asked about one probability."""

    def __init__(self, prob: float, threshold: float = 0.5) -> None:
        self.prob, self.threshold, self.asked = prob, threshold, 0

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        self.asked += len(x)
        return np.full(len(x), self.prob)


def _no_encoder(_texts):
    raise AssertionError("the encoder was not needed")


def test_chain_does_not_join_but_a_clique_does():
    # a~b, b~c, a and c unlinked: a and c are not one cluster.
    got = average_linkage([(1, 2, 0.9), (2, 3, 0.8)], 0.5)
    assert got[1] != got[3]
    clique = average_linkage([(1, 2, 0.9), (2, 3, 0.8), (1, 3, 0.7)], 0.5)
    assert len(set(clique.values())) == 1 and clique[3] == 1


def test_a_star_is_not_one_cluster():
    # A hub linked to six claims that are not linked to each other.
    got = average_linkage([(0, k, 0.95) for k in range(1, 7)], 0.5)
    assert max(list(got.values()).count(r) for r in set(got.values())) == 2


def test_a_claim_joins_only_when_it_matches_most_members():
    core = [(a, b, 0.9) for a in range(4) for b in range(a + 1, 4)]
    weak = average_linkage(core + [(3, 9, 0.85)], 0.5)
    strong = average_linkage(core + [(k, 9, 0.85) for k in range(3)], 0.5)
    assert weak[9] == 9 and weak[0] == weak[3]
    assert strong[9] == strong[0] == 0


def test_decide_cheap_steps_do_not_ask_the_model():
    model = FixedModel(0.9)
    got = pairs.decide(
        [("The port will reopen on Monday.", "the port will  reopen on monday"),
         ("The port will reopen on Monday.", "Rain is expected.")],
        [0.99, pairs.CANDIDATE_COSINE - 0.01], _no_encoder, model,  # type: ignore[arg-type]
    )
    assert [(d.same, d.dispute) for d in got] == [(True, None), (False, None)]
    assert model.asked == 0


@pytest.mark.parametrize("prob, same", [(0.9, True), (0.2, False)])
def test_decide_follows_the_model_above_the_floor(prob, same):
    [d] = pairs.decide([("The mayor resigned on Friday.", "On Friday the mayor quit.")],
                       [0.8], _no_encoder, FixedModel(prob))  # type: ignore[arg-type]
    assert d.same is same and d.dispute is None and d.score == pytest.approx(prob)


def test_vetoed_pairs_are_disputes_when_one_proposition():
    enc = HashingEmbedder()
    texts = [
        ("The Kessa plant will close in June.", "The Kessa plant will not close in June."),
        ("The storm left 3,000 dead on the coast.", "The storm left 300 dead on the coast."),
        ("The mine will not close.", "Ferries will run at 40 knots, not 30."),
    ]
    got = pairs.decide(texts, [0.9, 0.9, 0.6], enc.encode, FixedModel(0.1))  # type: ignore[arg-type]
    assert [(d.same, d.dispute) for d in got] == [
        (False, "polarity"), (False, "figures"), (False, None)]


def test_features_are_symmetric():
    a, b = "Mr. Lund said the harbour would close.", "The harbour will be closed, Lund says."
    assert pairs.features(a, b, 0.7) == pairs.features(b, a, 0.7)
    assert len(pairs.features(a, b, 0.7)) == len(pairs.FEATURES)


def test_a_built_corpus_records_disputes_and_keeps_them_apart(tmp_path):
    close = "The Kessa harbour bridge will close for repairs in June"
    stay = "The Kessa harbour bridge will not close for repairs in June"
    dead = "The flood on the Lerin coast left 3,000 people dead last week"
    few = "The flood on the Lerin coast left 300 people dead last week"
    recs = [_record(f"a{n}", t + ".", [t], f"Outlet {n}")
            for n, t in enumerate([close, stay, dead, few])]
    # The repeat, in an article of its own (not a near copy of a0).
    recs.append(_record("a4", "Council members met with engineers from three firms on a "
                        f"wet Monday afternoon. {close}.", [close], "Outlet 4"))
    db = str(tmp_path / "c.duckdb")
    build(db, records=recs, embedder=HashingEmbedder())
    con = connect(db)
    cluster = dict(con.execute("SELECT id, cluster_id FROM claims").fetchall())
    disputes = con.execute("SELECT claim_a, claim_b, kind FROM disputes ORDER BY ALL").fetchall()
    con.close()
    assert cluster["a0:t1"] == cluster["a4:t1"]  # the repeat is one claim
    assert cluster["a0:t1"] != cluster["a1:t1"] and cluster["a2:t1"] != cluster["a3:t1"]
    assert ("a0:t1", "a1:t1", "polarity") in disputes
    assert ("a1:t1", "a4:t1", "polarity") in disputes
    assert ("a2:t1", "a3:t1", "figures") in disputes
    assert all(a < b for a, b, _k in disputes)


def test_a_missing_pair_model_is_one_corpus_error(tmp_path, monkeypatch):
    from sourcetrace.corpus.db import CorpusError

    def missing():
        raise OSError("models/claim_pair: no claim pair model")

    monkeypatch.setattr(pairs, "default_model", missing)
    text = "The Kessa harbour bridge will close for repairs in June"
    with pytest.raises(CorpusError, match="claim pair model"):
        build(str(tmp_path / "c.duckdb"), records=[_record("a0", text + ".", [text], "O")],
              embedder=HashingEmbedder())
    assert not (tmp_path / "c.duckdb").exists()
