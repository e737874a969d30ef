"""``train.claims``: the pair model is fitted, thresholded on dev and saved loadable."""

from __future__ import annotations

import json

import numpy as np

from sourcetrace.corpus import pairs
from sourcetrace.corpus.embed import HashingEmbedder
from sourcetrace.train import claims as train_claims

HEADER = "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"


def _toy(path, n, seed):
    rng = np.random.default_rng(seed)
    # Letters only: digits would be figures, and differing figures veto a link.
    syll = ["ka", "lo", "ver", "mi", "dun", "sa", "tor", "el", "bri", "na"]
    words = sorted({"".join(rng.choice(syll, 3)) for _ in range(400)})
    lines = []
    for k in range(n):
        a = " ".join(rng.choice(words, 12))
        if k % 2:  # the same words, one dropped: the same claim
            b, q = " ".join(a.split()[1:]), 1
        else:
            b, q = " ".join(rng.choice(words, 12)), 0
        lines.append(f"{q}\t{k}\t{k}\t{a}\t{b}\n")
    path.write_text(HEADER + "".join(lines), encoding="utf-8")


def test_train_fits_saves_and_loads(tmp_path, capsys):
    data = tmp_path / "mrpc"
    data.mkdir()
    _toy(data / "train.tsv", 80, 1)
    _toy(data / "dev.tsv", 40, 2)
    out = tmp_path / "model"
    got = train_claims.train(data, out, steps=60, encode=HashingEmbedder().encode)
    assert got["dev"]["accuracy"] >= 0.9  # word overlap separates this toy data
    model = pairs.load_model(out)
    assert model.threshold == got["threshold"]
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["features"] == list(pairs.FEATURES)
    assert "dev (threshold chosen on it)" in capsys.readouterr().out


def test_main_reports_missing_data_in_one_line(tmp_path, capsys):
    assert train_claims.main(str(tmp_path / "nowhere"), str(tmp_path / "out")) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")


def test_choose_threshold_prefers_precision():
    gold = [1, 1, 1, 0, 0]
    prob = np.array([0.9, 0.8, 0.4, 0.5, -1.0])
    # >= 0.8 is fully precise; 0.4 would take the negative at 0.5 too.
    assert train_claims.choose_threshold(gold, prob) == 0.8
