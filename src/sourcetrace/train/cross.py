"""Train the claim cross-encoder (``corpus.cross``): both texts read together.

``sourcetrace train claims --mrpc DIR --cross [--polnear DIR] [--out DIR]`` calls
:func:`main`:

1. read MRPC ``train.tsv``/``dev.tsv`` and, with ``--polnear``, the same mined
   same-topic negatives as the small pair model (``train.claims.mine_negatives``);
2. fine-tune all-MiniLM-L6-v2 as a sequence-pair classifier (one logit: same claim)
   on ``[CLS] a [SEP] b [SEP]``, each pair shown in both orders; word-piece embeddings
   frozen, so only the layers and head ship (fp16, ~21 MB); AdamW with linear warm-up
   and decay; fp32 unless the CPU has native bf16;
3. keep the epoch with the lowest dev log loss and save it to ``out`` (default: the
   shipped ``models/claim_cross``). The decision threshold is chosen afterwards by
   ``train claims`` through ``pairs.decide``, the corpus's own decision.

Dev is used only for choosing the epoch. No text is written.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..corpus import cross
from ..corpus.claim_text import embedding_text
from ..evaluate.claims.mrpc import Pair
from . import loop

__all__ = ["DEFAULTS", "train"]

# One run on MRPC dev log loss picked these (models/MODEL_CARD.md).
DEFAULTS: dict[str, Any] = {"epochs": 3, "lr": 4e-5, "batch": 16, "seed": 13}
WARMUP_SHARE = 0.1  # of all steps (the run recorded in models/MODEL_CARD.md)


def _examples(rows: Sequence[Pair], both_orders: bool) -> list[tuple[str, str, int]]:
    out = []
    for a, b, y in rows:
        a, b = embedding_text(a), embedding_text(b)
        out.append((a, b, y))
        if both_orders:
            out.append((b, a, y))
    return out


def train(
    train_rows: Sequence[Pair],
    dev_rows: Sequence[Pair],
    out: str | Path,
    *,
    epochs: int = DEFAULTS["epochs"],
    lr: float = DEFAULTS["lr"],
    batch: int = DEFAULTS["batch"],
    seed: int = DEFAULTS["seed"],
    base_dir: Path | None = None,
) -> dict[str, Any]:
    """Fine-tune, keep the epoch with the lowest dev log loss in ``out``; RETURNS figures."""
    import numpy as np
    import torch

    from ..attributions.encoder import bf16_supported

    t0 = time.perf_counter()
    random.seed(seed)
    torch.manual_seed(seed)
    model, tokenizer = cross.build_model(base_dir)
    examples = _examples(train_rows, both_orders=True)
    dev = _examples(dev_rows, both_orders=False)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    total = ((len(examples) + batch - 1) // batch) * epochs
    sched = loop.linear_schedule(opt, total, WARMUP_SHARE)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    bf16 = bf16_supported()
    best: tuple[float, int] | None = None
    step = 0
    print(f"cross-encoder: {len(examples)} training examples, {len(dev)} dev pairs", flush=True)
    for epoch in range(1, epochs + 1):
        model.train()
        random.shuffle(examples)
        t_epoch = time.perf_counter()
        for b in range(0, len(examples), batch):
            chunk = examples[b : b + batch]
            enc = cross.encode_pairs(tokenizer, [(a, b_) for a, b_, _ in chunk])
            y = torch.tensor([float(e[2]) for e in chunk])
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits = model(**enc).logits[:, 0]
            loss = loss_fn(logits.float(), y)
            loop.update(loss, params, opt, sched)
            step += 1
            loop.log_step(epoch, step, total, loss, t_epoch)
        model.eval()
        prob = cross.CrossEncoder(model, tokenizer, threshold=0.5).probabilities(
            [(a, b_) for a, b_, _ in dev])
        gold = np.array([e[2] for e in dev], dtype=np.float64)
        p = np.clip(prob, 1e-6, 1 - 1e-6)
        dev_loss = float(-np.mean(gold * np.log(p) + (1 - gold) * np.log(1 - p)))
        acc = float(np.mean((prob >= 0.5) == (gold == 1)))
        print(f"epoch {epoch}: dev log loss {dev_loss:.4f}, accuracy at .5 {acc:.3f}", flush=True)
        if best is None or dev_loss < best[0]:
            best = (dev_loss, epoch)
            cross.save_model(model, out, {"epoch": epoch, "lr": lr, "batch": batch,
                                          "seed": seed, "train_pairs": len(train_rows),
                                          "threshold": 0.5})
    assert best is not None
    total_s = time.perf_counter() - t0
    print(f"kept epoch {best[1]} (dev log loss {best[0]:.4f}); {total_s / 60:.1f} min")
    return {"epoch": best[1], "dev_loss": best[0], "total_s": total_s}
