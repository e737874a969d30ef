"""The judged-pair scorer: claims located by article file stem and offsets in a corpus the
test builds, link precision and recall, cluster purity, and the ``eval claims`` command."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from sourcetrace.cli import app as cli_app
from sourcetrace.corpus.build import build
from sourcetrace.corpus.db import connect
from sourcetrace.corpus.embed import HashingEmbedder
from sourcetrace.evaluate.claims.judged import (
    JudgedFileError,
    article_stem,
    evaluate_judged,
    read_judged,
    score_judged,
)

# Articles by file stem: each holds one claim (at the start, then words of its own so that
# no article is a copy of another). The build links what it links; the test reads the
# cluster of each claim and judges pairs against that.
TEXTS = {
    "a1": "the harbour bridge will open to traffic in june next year",
    "a2": "the harbour bridge will open to traffic in june next year",
    "a3": "the harbour bridge will open to traffic in june next year",
    "b1": "ferry crews voted to strike over pay on the northern routes",
    "b2": "a ferry strike is planned by crews on the northern routes",
}


FILLER = {
    "a1": "Gulls circled the quay while tourists photographed cranes and painted hulls.",
    "a2": "Elsewhere, the orchestra rehearsed a symphony for the autumn festival season.",
    "a3": "Bakers reported record sales of rye loaves during the cold and windy week.",
    "b1": "Meanwhile, a chess tournament drew grandmasters from eleven distant countries.",
    "b2": "Local schools opened a science exhibition about volcanoes and glaciers too.",
}


def _record(stem: str, claim: str, folder: str) -> dict:
    text = f"{claim}. {FILLER[stem]}"
    att = {"id": "t1", "source": None, "cue": {"text": "", "spans": [[0, 0]]},
           "content": {"text": claim, "spans": [[0, len(claim)]]}, "kind": "no_source",
           "relayed_by": [], "chain_depth": 0, "confidence": 0.5, "proposition": True}
    return {"schema_version": "1.1.0", "id": f"id-{stem}", "path": f"{folder}/{stem}.txt",
            "text": text, "metadata": {"outlet": f"Outlet {stem}"}, "excluded": [],
            "attributions": [att], "actors": [], "unattributed": [], "labels": [],
            "profile": {}}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("judged") / "c.duckdb")
    build(db, records=[_record(k, v, "/data/polnear/train/text") for k, v in TEXTS.items()],
          embedder=HashingEmbedder())
    return db


def _clusters(db: str) -> dict[str, str]:
    con = duckdb.connect(db, read_only=True)
    try:
        return {r[0][3:]: r[1] for r in con.execute(
            "SELECT article_id, cluster_id FROM claims").fetchall()}
    finally:
        con.close()


def _line(a: str, b: str, judgement: str) -> str:
    return f"{a}\t0\t{len(TEXTS[a])}\t{b}\t0\t{len(TEXTS[b])}\t{judgement}\twhy\n"


def test_scores_follow_the_corpus_clusters(corpus, tmp_path):
    k = _clusters(corpus)
    assert k["a1"] == k["a2"] == k["a3"]  # identical texts: one cluster whatever the encoder
    judged = tmp_path / "j.tsv"
    judged.write_text(
        "article_a\tstart_a\tend_a\tarticle_b\tstart_b\tend_b\tjudgement\treason\n"
        "# a comment\n"
        + _line("a1", "a2", "same") + _line("a1", "a3", "same")
        + _line("a2", "b1", "unrelated") + _line("b1", "b2", "same")
        + "zz\t0\t5\ta1\t0\t5\ttopic\tnot in the corpus\n",
        encoding="utf-8",
    )
    pairs = read_judged(str(judged))
    assert len(pairs) == 5
    con = connect(corpus)
    s = score_judged(con, pairs)
    con.close()
    assert s.pairs == 5 and s.located == 4 and len(s.missing) == 1
    assert s.by_judgement == {"same": 3, "unrelated": 1, "topic": 1}
    b_linked = k["b1"] == k["b2"]
    # linked: a1-a2, a1-a3 (same), b1-b2 when the encoder puts them together (same)
    assert s.linked == 2 + b_linked and s.linked_same == s.linked
    assert s.precision == 1.0 and s.recall == pytest.approx((2 + b_linked) / 3)
    assert s.clusters_judged == 1 + b_linked and s.purity == 1.0


def test_a_wrong_link_lowers_precision_and_purity(corpus, tmp_path):
    judged = tmp_path / "j.tsv"
    judged.write_text(_line("a1", "a2", "same") + _line("a2", "a3", "dispute"),
                      encoding="utf-8")
    s = evaluate_judged(str(judged), db=corpus)
    assert (s.linked, s.linked_same) == (2, 1)
    assert s.precision == 0.5 and s.recall == 1.0
    assert (s.clusters_judged, s.clusters_pure) == (1, 0) and s.purity == 0.0


def test_bad_judged_files_name_file_and_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("a1\t0\t5\ta2\t0\t5\tmaybe\n", encoding="utf-8")
    with pytest.raises(JudgedFileError, match=r"bad\.tsv:1: judgement 'maybe'"):
        read_judged(str(bad))
    bad.write_text("a1\tx\t5\ta2\t0\t5\tsame\n", encoding="utf-8")
    with pytest.raises(JudgedFileError, match=r"bad\.tsv:1: offsets must be integers"):
        read_judged(str(bad))
    with pytest.raises(JudgedFileError, match="cannot read"):
        read_judged(str(tmp_path / "none.tsv"))


def test_article_stem_is_robust_to_where_the_data_lies():
    assert article_stem("../shared/data/polnear/train/text/nyt_2016_x.txt") == "nyt_2016_x"
    assert article_stem("C:\\data\\nyt_2016_x.txt") == "nyt_2016_x"
    assert article_stem(None) == ""


def test_eval_claims_command(corpus, tmp_path):
    judged = tmp_path / "j.tsv"
    judged.write_text(_line("a1", "a2", "same") + _line("a2", "b1", "topic"),
                      encoding="utf-8")
    run = CliRunner().invoke
    res = run(cli_app, ["eval", "claims", "--judged", str(judged), "--db", corpus])
    assert res.exit_code == 0, res.output
    assert "link precision: 1.000 (1 of 1" in res.output
    assert "cluster purity: 1.000" in res.output
    res = run(cli_app, ["eval", "claims", "--judged", str(judged)])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        f"error: {judged}: give the corpus (--db) or the articles (--polnear)"]
    res = run(cli_app, ["eval", "claims", "--judged", str(judged), "--polnear",
                        str(tmp_path / "nowhere")])
    assert res.exit_code == 2 and "no such folder of articles" in res.output


def test_judged_articles_are_found_at_any_depth_with_the_listed_ones(tmp_path):
    from sourcetrace.evaluate.claims.judged import articles_file, judged_articles, read_stems

    (tmp_path / "text" / "deep").mkdir(parents=True)
    for stem in ("a1", "a2", "c9"):
        (tmp_path / "text" / "deep" / f"{stem}.txt").write_text("x", encoding="utf-8")
    (tmp_path / "text" / "a1.ann").write_text("x", encoding="utf-8")
    judged = tmp_path / "j.tsv"
    judged.write_text(_line("a1", "a2", "same") + _line("a1", "b1", "topic"), encoding="utf-8")
    listed = articles_file(str(judged))
    assert listed.name == "j.articles.txt"
    listed.write_text("# drawn from\nc9\n", encoding="utf-8")
    paths, missing = judged_articles(read_judged(str(judged)), str(tmp_path),
                                     read_stems(listed))
    assert [p.rsplit("/", 1)[1] for p in paths] == ["a1.txt", "a2.txt", "c9.txt"]
    assert missing == ["b1"]
