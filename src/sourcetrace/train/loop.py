"""What every trainer here repeats per step: a linear warm-up/decay schedule, one
clipped update, and a progress line every LOG_EVERY steps."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

__all__ = ["LOG_EVERY", "linear_schedule", "log_step", "update"]

LOG_EVERY = 50
CLIP_NORM = 1.0


def linear_schedule(opt: Any, total: int, warmup_share: float) -> Any:
    """LambdaLR: linear warm-up over ``warmup_share`` of ``total`` steps, then linear decay."""
    import torch

    warmup = max(1, int(warmup_share * total))
    return torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: s / warmup if s < warmup else max(0.0, (total - s) / max(total - warmup, 1))
    )


def update(loss: Any, params: Sequence[Any], opt: Any, sched: Any) -> None:
    """Backpropagate ``loss``, clip the gradient norm, step optimiser and schedule."""
    import torch

    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, CLIP_NORM)
    opt.step()
    sched.step()
    opt.zero_grad()


def log_step(epoch: int, step: int, total: int, loss: Any, since: float) -> None:
    """Print progress every LOG_EVERY steps (``since``: the epoch's perf_counter start)."""
    if step % LOG_EVERY == 0:
        print(f"epoch {epoch} step {step}/{total} loss {loss.item():.4f} "
              f"({time.perf_counter() - since:.0f}s)", flush=True)
