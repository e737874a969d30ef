"""The claim cross-encoder: MiniLM reading two claims together, P(same claim).

A bi-encoder scores "same topic" as high as "same claim" because each text is encoded
alone; a cross-encoder attends across the two texts, so "the plant will close" and
"the plant will not close", or a swapped actor, change its score. It is too slow to
run on every pair a corpus has (about 100 pairs/s on two cores), so ``pairs.decide``
asks it only about candidates the cheap steps leave open (``docs/corpus.md``).

Only the fine-tuned layers and head ship (``models/claim_cross``, fp16): the word-piece
embeddings were frozen in training and come from the installed MiniLM package.

    model = load_model()
    model.probabilities([("Prices rose 3%.", "Prices climbed three percent.")])
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "MAX_PIECES",
    "MODEL_NAME",
    "CrossEncoder",
    "build_model",
    "default_model",
    "encode_pairs",
    "load_model",
    "save_model",
]

MODEL_NAME = "claim_cross"
WEIGHTS = "model.safetensors"
CONFIG = "config.json"
# Word pieces for both texts together; claims are sentences (MRPC's pairs average ~50).
MAX_PIECES = 128
BATCH = 32


def _base_dir() -> Path:
    from ..attributions.encoder import base_model_path

    return base_model_path("minilm")


def build_model(base_dir: Path | None = None) -> tuple[Any, Any]:
    """A fresh pair classifier (one logit) on MiniLM, embeddings frozen; and its tokenizer."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    folder = str(base_dir or _base_dir())
    model = AutoModelForSequenceClassification.from_pretrained(folder, num_labels=1)
    getattr(model, model.base_model_prefix).embeddings.requires_grad_(False)
    return model, AutoTokenizer.from_pretrained(folder)


def encode_pairs(tokenizer: Any, pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Padded ``[CLS] a [SEP] b [SEP]`` tensors, cut to MAX_PIECES (longest text first)."""
    return dict(tokenizer(
        [a for a, _ in pairs], [b for _, b in pairs], padding=True, truncation="longest_first",
        max_length=MAX_PIECES, return_tensors="pt",
    ))


class CrossEncoder:
    """The fine-tuned pair classifier; ``probabilities`` of same claim, in input order."""

    def __init__(self, model: Any, tokenizer: Any, threshold: float, floor: float = 0.0) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.threshold = threshold
        # The small pair model's probability below which a pair is not read at all.
        self.floor = floor

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        import torch

        out = np.zeros(len(pairs))
        # Shortest first so a batch pads little; results go back by index.
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        with torch.inference_mode():
            for b in range(0, len(order), BATCH):
                idx = order[b : b + BATCH]
                enc = encode_pairs(self.tokenizer, [pairs[i] for i in idx])
                logit = self.model(**enc).logits[:, 0].float()
                out[idx] = torch.sigmoid(logit).numpy()
        return out


def save_model(model: Any, path: str | Path, meta: dict[str, Any]) -> None:
    """The trained weights (not the frozen embeddings) as fp16, and a JSON config."""
    from safetensors.torch import save_file

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    trained = {n for n, p in model.named_parameters() if p.requires_grad}
    state = {k: v.detach().half().contiguous() for k, v in model.state_dict().items()
             if k in trained}
    save_file(state, str(path / WEIGHTS))
    (path / CONFIG).write_text(json.dumps({"base": "minilm", **meta}, indent=2) + "\n",
                               encoding="utf-8")


def set_threshold(path: str | Path, threshold: float, **meta: Any) -> None:
    """Record the decision threshold (chosen through ``pairs.decide``) in the config."""
    config_path = Path(path) / CONFIG
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config.update(threshold=threshold, **meta)
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def default_model_path() -> Path:
    return Path(str(resources.files("sourcetrace").joinpath("models", MODEL_NAME)))


def load_model(path: str | Path | None = None, *, base_dir: Path | None = None) -> CrossEncoder:
    """The cross-encoder in ``path`` (default: the shipped one); OSError when missing."""
    model_dir = Path(path) if path is not None else default_model_path()
    if not (model_dir / WEIGHTS).is_file():  # checked before torch is imported
        raise OSError(f"{model_dir}: no claim cross-encoder; train one with "
                      "`sourcetrace train claims --mrpc DIR --cross`")
    from safetensors.torch import load_file

    config = json.loads((model_dir / CONFIG).read_text(encoding="utf-8"))
    model, tokenizer = build_model(base_dir)
    state = {k: v.float() for k, v in load_file(str(model_dir / WEIGHTS)).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    prefix = f"{model.base_model_prefix}.embeddings."
    if unexpected or any(not k.startswith(prefix) for k in missing):
        raise OSError(f"{model_dir}: weights do not fit the cross-encoder")
    model.eval()
    return CrossEncoder(model, tokenizer, float(config.get("threshold", 0.5)),
                        float(config.get("floor", 0.0)))


@lru_cache(maxsize=1)
def default_model() -> CrossEncoder | None:
    """The shipped cross-encoder, loaded once per process; None when not shipped."""
    try:
        return load_model()
    except OSError:
        return None
