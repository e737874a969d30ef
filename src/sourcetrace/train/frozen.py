"""Train only the upper layers of an encoder, on lower-layer outputs computed once.

A 12-layer base (MPNet) is too slow to fine-tune whole on two CPU cores: one training
step costs about three forward passes through every layer. With the embeddings and the
layers below ``train_from`` frozen, their output for a window never changes, so it is
computed once (``lower_features``), kept in memory as fp16, and every epoch runs only
the layers from ``train_from`` up and the head (``upper_logits``). The model that
results is an ordinary token classifier: ``encoder.load_encoder`` runs it whole.

    feats = lower_features(model, windows, train_from=10)
    logits = upper_logits(model, feats_batch, mask, train_from=10)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch

__all__ = ["lower_features", "pad_features", "upper_logits"]


def _backbone(model: Any) -> Any:
    return getattr(model, model.base_model_prefix)


@contextmanager
def _only_layers(model: Any, first: int, last: int | None) -> Iterator[None]:
    """Run the backbone with layers ``first:last`` only (the others are put back after).

    Swapping the ModuleList keeps each base's own encoder code (MPNet's relative
    position bias, BERT's plain stack) instead of re-implementing its forward.
    """
    import torch

    encoder = _backbone(model).encoder
    full = encoder.layer
    encoder.layer = torch.nn.ModuleList(list(full)[first:last])
    try:
        yield
    finally:
        encoder.layer = full


def lower_features(
    model: Any,
    windows: Sequence[Sequence[int]],
    train_from: int,
    *,
    batch: int = 16,
    progress: Any = None,
) -> list[torch.Tensor]:
    """Per window of word-piece ids, the (pieces, hidden) output of layer ``train_from - 1``
    (fp16), i.e. the input of the first trained layer."""
    import torch

    out: list[Any] = [None] * len(windows)
    order = sorted(range(len(windows)), key=lambda i: -len(windows[i]))
    model.eval()
    with torch.inference_mode(), _only_layers(model, 0, train_from):
        for b in range(0, len(order), batch):
            idx = order[b : b + batch]
            width = max(len(windows[i]) for i in idx)
            ids = torch.zeros((len(idx), width), dtype=torch.long)
            mask = torch.zeros((len(idx), width), dtype=torch.long)
            for row, i in enumerate(idx):
                ids[row, : len(windows[i])] = torch.tensor(list(windows[i]))
                mask[row, : len(windows[i])] = 1
            hidden = _backbone(model)(input_ids=ids, attention_mask=mask)[0]
            for row, i in enumerate(idx):
                out[i] = hidden[row, : len(windows[i])].to(torch.float16).clone()
            if progress is not None:
                progress(len(idx))
    return out


def pad_features(feats: Sequence[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack fp16 features into a float32 (batch, width, hidden) tensor and its mask."""
    import torch

    width = max(f.shape[0] for f in feats)
    hidden = torch.zeros((len(feats), width, feats[0].shape[1]), dtype=torch.float32)
    mask = torch.zeros((len(feats), width), dtype=torch.long)
    for i, f in enumerate(feats):
        hidden[i, : f.shape[0]] = f.float()
        mask[i, : f.shape[0]] = 1
    return hidden, mask


def upper_logits(model: Any, hidden: torch.Tensor, mask: torch.Tensor, train_from: int) -> Any:
    """Token-classification logits from layer ``train_from``'s input up through the head."""
    from transformers.masking_utils import create_bidirectional_mask

    backbone = _backbone(model)
    mask4 = create_bidirectional_mask(
        config=backbone.config, inputs_embeds=hidden, attention_mask=mask
    )
    with _only_layers(model, train_from, None):
        top = backbone.encoder(hidden, attention_mask=mask4)[0]
    return model.classifier(model.dropout(top))
