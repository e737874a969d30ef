"""Train the claim pair model (``corpus.pairs``): same claim, or same topic only.

``sourcetrace train claims --mrpc DIR [--polnear DIR] [--out DIR]`` calls :func:`main`:

1. read ``DIR/train.tsv`` and ``DIR/dev.tsv`` (MRPC format: ``Quality  #1 ID  #2 ID
   #1 String  #2 String``; 1 = the two say the same thing);
2. with ``--polnear``: mine hard negatives from PolNeAR ``train`` texts: sentences of
   different articles whose bi-encoder cosine lies between the candidate floor and
   MINED_MAX_COSINE (same topic, and, read in samples, almost never the same claim),
   MINED_NEGATIVES of them, labelled "not the same";
3. encode every sentence with all-MiniLM-L6-v2 and turn each pair into
   ``pairs.features`` (cosine and word, stem, name, figure and length comparisons);
4. fit a one-hidden-layer network on train (AdamW, full batches), keeping the step with
   the lowest log loss on dev;
5. choose the decision threshold on dev, through ``pairs.decide`` itself (candidate
   floor, vetoes and all): the most accurate threshold whose dev precision reaches
   TARGET_PRECISION (the most precise one if none does); save weights and threshold to
   ``out`` (default: the shipped ``models/claim_pair``) and print the dev figures.

Dev is used only for the stopping step and the threshold. No text is written.
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..corpus import pairs
from ..corpus.claim_text import conflict, embedding_text
from ..evaluate.claims.mrpc import Pair, read_mrpc, scores

__all__ = ["DEFAULTS", "choose_threshold", "main", "mine_negatives", "train"]

# Set by one look at MRPC dev log loss (models/MODEL_CARD.md): more hidden units or steps
# did not lower it.
DEFAULTS: dict[str, Any] = {"hidden": 32, "steps": 600, "lr": 0.01, "seed": 13}
WEIGHT_DECAY = 1e-3
TARGET_PRECISION = 0.90  # the target for MRPC dev
# Hard negatives: cross-article PolNeAR train sentences this similar (MiniLM) are on one
# topic; above it, paraphrases become common (a reader's look at 40 of them).
MINED_MAX_COSINE = 0.85
MINED_NEGATIVES = 1000
MINED_TEXTS = 80
# Share of the dev same-claim pairs the small model passes on to the cross-encoder.
CROSS_RECALL = 0.98  # train articles read for mining (time: each sentence is encoded)
_SENTENCE_RE = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z\"“])")
_WORDS_RE = re.compile(r"\w+")


def _read_noting(path: Path) -> list[Pair]:
    skipped: list[int] = []
    rows = read_mrpc(path, skipped)
    if skipped:
        print(f"warning: {path}: {len(skipped)} malformed row(s) left out (line "
              f"{', '.join(map(str, skipped[:5]))})", file=sys.stderr)
    return rows


def _sentences(text: str) -> list[str]:
    out = []
    for para in text.split("\n"):
        for s in _SENTENCE_RE.split(para.strip()):
            if 8 <= len(_WORDS_RE.findall(s)) <= 40:
                out.append(s)
    return out


def mine_negatives(
    polnear: str | Path, encode: Callable[[Sequence[str]], np.ndarray], *, seed: int,
    texts: int = MINED_TEXTS, count: int = MINED_NEGATIVES,
) -> list[Pair]:
    """Same-topic pairs from different PolNeAR train articles, labelled 0."""
    files = sorted((Path(polnear) / "train" / "text").glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"{polnear}: no train/text/*.txt")
    rng = random.Random(seed)
    files = sorted(rng.sample(files, min(texts, len(files))))
    sents: list[str] = []
    article: list[int] = []
    for k, f in enumerate(files):
        for s in _sentences(f.read_text(encoding="utf-8", errors="replace")):
            sents.append(s)
            article.append(k)
    vecs = encode([embedding_text(s) for s in sents])
    art = np.array(article)
    found: list[tuple[int, int]] = []
    for lo in range(0, len(sents), 1024):
        sims = vecs[lo : lo + 1024] @ vecs.T
        rows, cols = np.nonzero((sims >= pairs.CANDIDATE_COSINE) & (sims < MINED_MAX_COSINE))
        rows = rows + lo
        keep = (rows < cols) & (art[rows] != art[cols])
        found.extend(zip(rows[keep].tolist(), cols[keep].tolist(), strict=True))
    found = [(i, j) for i, j in found if not conflict(sents[i], sents[j])]
    picked = rng.sample(found, min(count, len(found)))
    return [(sents[i], sents[j], 0) for i, j in picked]


def _featurise(
    rows: Sequence[Pair], encode: Callable[[Sequence[str]], np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, labels, cosines)."""
    a = encode([embedding_text(r[0]) for r in rows])
    b = encode([embedding_text(r[1]) for r in rows])
    cos = np.einsum("ij,ij->i", a, b)
    x = np.array([pairs.features(embedding_text(r[0]), embedding_text(r[1]), float(c))
                  for r, c in zip(rows, cos, strict=True)])
    return x, np.array([r[2] for r in rows], dtype=np.float64), cos


def _fit(
    x: np.ndarray, y: np.ndarray, xd: np.ndarray, yd: np.ndarray, *, hidden: int,
    steps: int, lr: float, seed: int,
) -> tuple[dict[str, np.ndarray], int, float]:
    """The network's weights at the step with the lowest dev log loss."""
    import torch

    torch.manual_seed(seed)
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
    xt = torch.tensor((x - mean) / std, dtype=torch.float32)
    xdt = torch.tensor((xd - mean) / std, dtype=torch.float32)
    yt, ydt = torch.tensor(y, dtype=torch.float32), torch.tensor(yd, dtype=torch.float32)
    net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(),
                              torch.nn.Linear(hidden, 1))
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=WEIGHT_DECAY)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    best: tuple[float, int, dict[str, np.ndarray]] | None = None
    for step in range(1, steps + 1):
        opt.zero_grad()
        loss = loss_fn(net(xt)[:, 0], yt)
        loss.backward()
        opt.step()
        if step % 10 == 0:
            with torch.no_grad():
                dev_loss = float(loss_fn(net(xdt)[:, 0], ydt))
            if best is None or dev_loss < best[0]:
                weights = {
                    "mean": mean, "std": std,
                    "w1": net[0].weight.detach().numpy().T.copy(),
                    "b1": net[0].bias.detach().numpy().copy(),
                    "w2": net[2].weight.detach().numpy().T.copy(),
                    "b2": net[2].bias.detach().numpy().copy(),
                }
                best = (dev_loss, step, weights)
    assert best is not None
    return best[2], best[1], best[0]


def choose_threshold(gold: Sequence[int], prob: np.ndarray) -> float:
    """The most accurate threshold with precision >= TARGET_PRECISION (else the most
    precise one). ``prob``: the decision's score per pair, -1 where it cannot link."""
    best_key: tuple[float, ...] | None = None
    best_t = 0.5
    for t in np.unique(np.round(prob[prob >= 0], 4)):
        s = scores(gold, prob >= t)
        key = (1.0, s["accuracy"]) if s["precision"] >= TARGET_PRECISION else (
            0.0, s["precision"])
        if best_key is None or key > best_key:
            best_key, best_t = key, float(t)
    return best_t


def train(
    mrpc: str | Path, out: str | Path, *, polnear: str | Path | None = None,
    hidden: int = DEFAULTS["hidden"], steps: int = DEFAULTS["steps"],
    lr: float = DEFAULTS["lr"], seed: int = DEFAULTS["seed"],
    encode: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> dict[str, Any]:
    """Fit the pair model, save it to ``out``; RETURNS dev figures and counts.

    encode: the bi-encoder (default all-MiniLM-L6-v2, which the corpus uses)."""
    t0 = time.perf_counter()
    if encode is None:
        from ..corpus.embed import default_embedder

        encode = default_embedder().encode
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / pairs.WEIGHTS).is_file():
        raise FileExistsError(f"{out}: exists and is not a pair model folder; not replacing it")
    train_rows = _read_noting(Path(mrpc) / "train.tsv")
    dev_rows = _read_noting(Path(mrpc) / "dev.tsv")
    mined = mine_negatives(polnear, encode, seed=seed) if polnear else []
    print(f"train: {len(train_rows)} MRPC pairs + {len(mined)} mined negatives; "
          f"dev: {len(dev_rows)} pairs", flush=True)
    x, y, _ = _featurise(train_rows + mined, encode)
    xd, yd, cosd = _featurise(dev_rows, encode)
    weights, step, dev_loss = _fit(x, y, xd, yd, hidden=hidden, steps=steps, lr=lr, seed=seed)
    # The threshold goes through the corpus's own decision (floor, vetoes, identical texts).
    open_model = pairs.PairModel(weights, threshold=0.0)
    verdicts = pairs.decide([(a, b) for a, b, _ in dev_rows], cosd.tolist(), encode,
                            open_model)
    prob = np.array([v.score if v.same else -1.0 for v in verdicts])
    threshold = choose_threshold(yd.astype(int).tolist(), prob)
    model = pairs.PairModel(weights, threshold)
    dev = scores(yd.astype(int).tolist(), prob >= threshold)
    meta = {"hidden": hidden, "steps": steps, "kept_step": step, "lr": lr, "seed": seed,
            "train_pairs": len(train_rows), "mined_negatives": len(mined),
            "dev": {k: round(v, 4) for k, v in dev.items()}}
    pairs.save_model(model, out, meta)
    total = time.perf_counter() - t0
    print(f"kept step {step} (dev log loss {dev_loss:.4f}); threshold {threshold:.4f}")
    print("dev (threshold chosen on it): " + ", ".join(f"{k} {v:.3f}" for k, v in dev.items()))
    print(f"training {total / 60:.1f} min; model in {out}")
    return {"dev": dev, "threshold": threshold, "step": step, "total_s": total}


def default_output_path() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / pairs.MODEL_NAME


def train_cross(
    mrpc: str | Path, out: str | Path, *, polnear: str | Path | None = None,
    seed: int = DEFAULTS["seed"], encode: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> dict[str, Any]:
    """Fine-tune the cross-encoder on MRPC train (+ mined negatives), then choose its
    threshold on dev through ``pairs.decide``; RETURNS dev figures."""
    from ..corpus import cross
    from . import cross as cross_train

    if encode is None:
        from ..corpus.embed import default_embedder

        encode = default_embedder().encode
    train_rows = _read_noting(Path(mrpc) / "train.tsv")
    dev_rows = _read_noting(Path(mrpc) / "dev.tsv")
    mined = mine_negatives(polnear, encode, seed=seed) if polnear else []
    print(f"train: {len(train_rows)} MRPC pairs + {len(mined)} mined negatives; "
          f"dev: {len(dev_rows)} pairs", flush=True)
    fitted = cross_train.train(train_rows + mined, dev_rows, out, seed=seed)
    model = cross.load_model(out)
    _, yd, cosd = _featurise(dev_rows, encode)
    dev_pairs = [(a, b) for a, b, _ in dev_rows]
    # The floor: the small model's probability that keeps CROSS_RECALL of the dev
    # same-claim pairs it is asked about; below it the cross-encoder is not run.
    small = pairs.decide(dev_pairs, cosd.tolist(), encode,
                         pairs.PairModel(pairs.default_model().weights, 0.0), cross=False)
    asked = np.array([v.score for v, y in zip(small, yd, strict=True) if y == 1 and v.same
                      and v.score < 1.0])
    floor = float(np.quantile(asked, 1 - CROSS_RECALL)) if len(asked) else 0.0
    model.floor, model.threshold = floor, 0.0
    verdicts = pairs.decide(dev_pairs, cosd.tolist(), encode, cross=model)
    prob = np.array([v.score if v.same else -1.0 for v in verdicts])
    threshold = choose_threshold(yd.astype(int).tolist(), prob)
    dev = scores(yd.astype(int).tolist(), prob >= threshold)
    cross.set_threshold(out, threshold, floor=round(floor, 4), mined_negatives=len(mined),
                        dev={k: round(v, 4) for k, v in dev.items()})
    print(f"floor {floor:.4f}, threshold {threshold:.4f}; dev (threshold chosen on it): "
          + ", ".join(f"{k} {v:.3f}" for k, v in dev.items()))
    return {"dev": dev, "threshold": threshold, **fitted}


def main(mrpc: str, out: str | None = None, *, polnear: str | None = None,
         seed: int | None = None, cross: bool = False) -> int:
    """Train the claim pair model (or, with ``cross``, the cross-encoder); RETURNS the
    exit code (0: success)."""
    options: dict[str, Any] = {"polnear": polnear}
    if seed is not None:
        options["seed"] = seed
    try:
        if cross:
            from ..corpus.cross import default_model_path as cross_path

            train_cross(mrpc, out or cross_path(), **options)
            return 0
        train(mrpc, out or default_output_path(), **options)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
