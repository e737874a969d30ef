"""Same claim or not: the trained pair model and the one decision built on it.

Bi-encoder vectors (``embed.py``) find the candidates; whether two claims make the same
claim is decided here, by ``decide``, which both the corpus build (``claims.py``) and
the harness (``evaluate.claims.mrpc``) call, so what is scored is what the corpus does:

1. below CANDIDATE_COSINE (bi-encoder cosine) two claims are never compared;
2. the rules veto a link (``claim_text.conflict``): one denies what the other asserts,
   or they state different figures. Such a pair is a **dispute** when the two are on
   one proposition: the pair model, shown both texts with their negators and figures
   masked (``claim_text.masked``, re-encoded), judges them the same claim;
3. two claims with the same words (case and punctuation aside) are the same claim;
4. otherwise the small pair model scores the pair: a one-hidden-layer network trained
   on MRPC plus mined same-topic negatives (``train.claims``; models/MODEL_CARD.md)
   over ``features`` of the pair (the bi-encoder cosine and how the two texts' words,
   stems, names, figures and lengths compare). It costs microseconds a pair;
5. where the cross-encoder ships (``cross.py``, MiniLM reading both texts together),
   pairs the small model scores at or above the cross-encoder's floor are read by it,
   and it decides; the rest are not the same claim. Without it, the small model's own
   threshold decides. Both thresholds were chosen on MRPC dev and ship with the weights.

An earlier note here rejected a cross-encoder at 1.3 pairs/s training; that was bf16
autocast emulated on a CPU without native bf16. In fp32 it trains at ~10 pairs/s on one
shared core and reads ~100 pairs/s on two (docs/corpus.md, "Same claim").
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .claim_text import conflict, content_stems, embedding_text, masked, polarity_differs

__all__ = [
    "CANDIDATE_COSINE",
    "FEATURES",
    "MODEL_NAME",
    "Decision",
    "PairModel",
    "decide",
    "default_model",
    "features",
    "load_model",
    "save_model",
]

MODEL_NAME = "claim_pair"
WEIGHTS = "model.safetensors"
CONFIG = "config.json"
# Bi-encoder cosine (all-MiniLM-L6-v2) below which two claims are not compared at all.
# The lowest tier of the rules this model replaced (they linked nothing below it);
# checked on MRPC dev: 97.4% of its positive pairs reach it, 82.6% of its negatives.
CANDIDATE_COSINE = 0.55
FEATURES = (
    "cosine", "stem_jaccard", "stem_min", "stem_max", "word_jaccard", "bigram_jaccard",
    "trigram_chars", "name_jaccard", "names_disjoint", "length_ratio", "log_min_words",
    "log_max_words", "extra_stems",
)
# Texts whose word sets are kept between pairs (a claim meets several candidates in a
# chunk). Bounded: each holds ~8 KB of trigrams, and 16,384 of them added 150 MB to the
# 10k benchmark's peak.
PROFILE_CACHE = 1024
_WORD_RE = re.compile(r"\w+")
_NAME_RE = re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][\w'-]+")
_SPACE_RE = re.compile(r"\W+")


@dataclass(frozen=True)
class Decision:
    """One pair's verdict: ``same`` (one claim), or ``dispute`` ("polarity" | "figures":
    one proposition, contradicting), or neither. ``score``: the pair model's probability
    (1.0 for identical texts, 0.0 where nothing was asked)."""

    same: bool
    dispute: str | None
    score: float


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _plain(text: str) -> str:
    return _SPACE_RE.sub(" ", text.casefold()).strip()


@lru_cache(maxsize=PROFILE_CACHE)
def _profile(text: str) -> tuple[list[str], set[str], set[str], set[str]]:
    """What ``features`` reads of one text: words, content stems, names, char trigrams."""
    plain = _plain(text)
    return (_WORD_RE.findall(text.lower()), content_stems(text), set(_NAME_RE.findall(text)),
            {plain[i : i + 3] for i in range(len(plain) - 2)})


def features(a: str, b: str, cosine: float) -> list[float]:
    """The pair's features, in FEATURES order; symmetric in a and b."""
    wa, sa, na, ca = _profile(a)
    wb, sb, nb, cb = _profile(b)
    shared = len(sa & sb)
    short, long_ = sorted((max(len(wa), 1), max(len(wb), 1)))
    return [
        cosine,
        _jaccard(sa, sb),
        shared / max(min(len(sa), len(sb)), 1),
        shared / max(len(sa), len(sb), 1),
        _jaccard(set(wa), set(wb)),
        _jaccard(set(zip(wa, wa[1:], strict=False)), set(zip(wb, wb[1:], strict=False))),
        _jaccard(ca, cb),
        _jaccard(na, nb),
        float(bool(na) and bool(nb) and not na & nb),
        short / long_,
        math.log(short),
        math.log(long_),
        math.log1p(len(sa ^ sb)),
    ]


class PairModel:
    """A one-hidden-layer network over standardised ``features`` (numpy inference)."""

    def __init__(self, weights: dict[str, np.ndarray], threshold: float) -> None:
        self.weights = {k: np.asarray(v, dtype=np.float64) for k, v in weights.items()}
        self.threshold = threshold

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """P(same claim) per row of features."""
        w = self.weights
        z = (np.asarray(x, dtype=np.float64).reshape(-1, len(FEATURES)) - w["mean"]) / w["std"]
        h = np.maximum(z @ w["w1"] + w["b1"], 0.0)
        logit = (h @ w["w2"] + w["b2"])[:, 0]
        return 1.0 / (1.0 + np.exp(-logit))


def default_model_path() -> Path:
    return Path(str(resources.files("sourcetrace").joinpath("models", MODEL_NAME)))


def save_model(model: PairModel, path: str | Path, meta: dict) -> None:
    """Weights (float32 safetensors) and a JSON config with the threshold and ``meta``."""
    from safetensors.numpy import save_file

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    save_file({k: v.astype(np.float32) for k, v in model.weights.items()}, str(path / WEIGHTS))
    config = {"features": list(FEATURES), "threshold": model.threshold, **meta}
    (path / CONFIG).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def load_model(path: str | Path | None = None) -> PairModel:
    """The pair model in ``path`` (default: the shipped one). Raises OSError when it is
    missing or was trained on other features."""
    from safetensors.numpy import load_file

    model_dir = Path(path) if path is not None else default_model_path()
    if not (model_dir / WEIGHTS).is_file():
        raise OSError(f"{model_dir}: no claim pair model; train one with "
                      "`sourcetrace train claims --mrpc DIR`")
    config = json.loads((model_dir / CONFIG).read_text(encoding="utf-8"))
    if list(config.get("features", ())) != list(FEATURES):
        raise OSError(f"{model_dir}: the pair model was trained on other features")
    return PairModel(load_file(str(model_dir / WEIGHTS)), float(config["threshold"]))


@lru_cache(maxsize=1)
def default_model() -> PairModel:
    """The shipped pair model, loaded once per process."""
    return load_model()


def _cross_model(cross: Any) -> Any:
    """``decide``'s cross argument: True = the shipped one if any, False = none."""
    if cross is True:
        from .cross import default_model as default_cross

        return default_cross()
    return cross or None


def decide(
    pairs: Sequence[tuple[str, str]],
    cosines: Sequence[float],
    encode: Callable[[Sequence[str]], np.ndarray],
    model: PairModel | None = None,
    *,
    cross: Any = True,
) -> list[Decision]:
    """The verdict on each (claim text, claim text) at its bi-encoder ``cosines``.

    Texts are claim texts as stored (``embedding_text`` is applied here); ``encode`` is
    the bi-encoder that gave the cosines (unit rows), used only for the masked texts of
    vetoed pairs. The model runs only on pairs the cheap steps leave open.
    """
    if len(pairs) != len(cosines):
        raise ValueError("decide: one cosine per pair")
    model = model or default_model()
    texts = [(embedding_text(a), embedding_text(b)) for a, b in pairs]
    out = [Decision(False, None, 0.0)] * len(texts)
    ask: list[int] = []
    vetoed: list[int] = []
    for i, ((a, b), cos) in enumerate(zip(texts, cosines, strict=True)):
        if cos < CANDIDATE_COSINE:
            continue
        if conflict(a, b):
            vetoed.append(i)
        elif _plain(a) == _plain(b):
            out[i] = Decision(True, None, 1.0)
        else:
            ask.append(i)
    if ask:
        x = np.array([features(*texts[i], cosines[i]) for i in ask])
        probs = model.probabilities(x)
        reader = _cross_model(cross)
        if reader is None:
            for i, p in zip(ask, probs, strict=True):
                out[i] = Decision(bool(p >= model.threshold), None, float(p))
        else:
            # The cheap model turns away what it is sure of; the cross-encoder reads the
            # rest (its floor keeps 98% of MRPC dev's same-claim pairs).
            read = [i for i, p in zip(ask, probs, strict=True) if p >= reader.floor]
            for i, p in zip(ask, probs, strict=True):
                out[i] = Decision(False, None, float(p))
            if read:
                for i, p in zip(read, reader.probabilities([texts[i] for i in read]),
                                strict=True):
                    out[i] = Decision(bool(p >= reader.threshold), None, float(p))
    if vetoed:
        ma = [masked(texts[i][0]) for i in vetoed]
        mb = [masked(texts[i][1]) for i in vetoed]
        vecs = encode(ma + mb)
        cos = np.einsum("ij,ij->i", vecs[: len(ma)], vecs[len(ma) :])
        x = np.array([features(a, b, float(c)) for a, b, c in zip(ma, mb, cos, strict=True)])
        probs = np.where([_plain(a) == _plain(b) for a, b in zip(ma, mb, strict=True)],
                         1.0, model.probabilities(x))
        for i, p in zip(vetoed, probs, strict=True):
            a, b = texts[i]
            kind = ("polarity" if polarity_differs(a, b) else "figures") if (
                p >= model.threshold) else None
            out[i] = Decision(False, kind, float(p))
    return out
