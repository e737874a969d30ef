"""The MRPC-format harness: reading, scores, the pair decision and the corpus path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sourcetrace.corpus import pairs
from sourcetrace.corpus.embed import HashingEmbedder
from sourcetrace.evaluate.claims import mrpc

HEADER = "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
SAME = ("The Dunmore ferry was cancelled on Monday because of the storm.",
        "the Dunmore ferry was cancelled on Monday because of the storm")
OTHER = ("The Dunmore ferry was cancelled on Monday because of the storm.",
         "Shares of the Eastvale mining group fell sharply in early trading.")


class FixedModel:
    threshold = 0.5

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return np.full(len(x), 0.9)


def _write(path: Path, rows: list[tuple[int, str, str]], extra: str = "") -> Path:
    body = "".join(f"{q}\t{n}\t{n + 1}\t{a}\t{b}\n" for n, (q, a, b) in enumerate(rows))
    path.write_text(HEADER + body + extra, encoding="utf-8")
    return path


def test_read_mrpc_leaves_out_a_glued_row(tmp_path):
    skipped: list[int] = []
    path = _write(tmp_path / "p.tsv", [(1, *SAME), (0, *OTHER)], extra="1\tx\ty\tz\n")
    assert mrpc.read_mrpc(path, skipped) == [(*SAME, 1), (*OTHER, 0)]
    assert skipped == [4]


def test_read_mrpc_refuses_other_files(tmp_path):
    (tmp_path / "x.tsv").write_text("a\tb\n", encoding="utf-8")
    with pytest.raises(ValueError, match="x.tsv"):
        mrpc.read_mrpc(tmp_path / "x.tsv")


def test_scores_and_base_rate():
    s = mrpc.scores([1, 1, 0, 0], [True, False, True, False])
    assert s == {"accuracy": 0.5, "precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert mrpc.scores([1, 0], [False, False])["precision"] == 0.0


def test_score_decisions_is_the_corpus_decision():
    rows = [(*SAME, 1), (*OTHER, 0), (*OTHER, 1)]
    got = mrpc.score_decisions(rows, HashingEmbedder(), FixedModel())  # type: ignore[arg-type]
    # identical words: linked; unrelated: below the candidate floor, not linked.
    assert got["decision"]["precision"] == 1.0 and got["decision"]["recall"] == 0.5
    assert got["link_all"]["accuracy"] == pytest.approx(2 / 3)


def test_through_corpus_links_pairs_that_share_a_cluster(tmp_path, monkeypatch):
    monkeypatch.setattr(pairs, "default_model", lambda: FixedModel())
    rows = [(*SAME, 1), (*OTHER, 0)]
    got = mrpc.score_through_corpus(rows, HashingEmbedder(), workdir=tmp_path)
    assert got["sentences"] == 3
    assert got["decision"] == {"accuracy": 1.0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert list(tmp_path.iterdir()) == []  # the scratch corpus is gone


def test_main_bad_file_is_one_line(tmp_path, capsys):
    assert mrpc.main(str(tmp_path / "missing.tsv")) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "missing.tsv" in err[0]
