"""Train the attribution encoder (SOURCE, CUE and CONTENT spans) on PolNeAR.

``sourcetrace train attribution --data DIR [--out DIR]`` calls :func:`main`:

1. read ``DIR/train`` and ``DIR/dev`` with the evaluation harness's reader
   (``evaluate.polnear.data.read_split``: brat standoff, one annotator per text),
2. turn every relation's source, cue and content fragments (normalised as the harness
   scores them) into BIO labels over all-MiniLM-L6-v2 word pieces; where roles overlap,
   cue beats source beats content,
3. cut each text into windows of 256 pieces (step 192) and fine-tune the encoder with a
   token-classification head (word-piece embeddings frozen; AdamW, linear warm-up and
   decay, bf16 autocast on the CPU), saving a checkpoint after every epoch,
4. keep the epoch with the best mean exact span F1 of the three roles on ``dev`` (the
   only use of dev), print its dev figures and save it to ``out`` (default: the
   package's shipped model, ``src/sourcetrace/models/attribution_encoder``).

Only the fine-tuned weights are written (fp16), never corpus text.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..attributions import encoder as enc
from ..evaluate.polnear.data import GoldDoc, normalize_span, read_split
from ..model.errors import SourcetraceError
from . import loop

__all__ = ["DEFAULTS", "gold_spans", "main", "span_scores", "train", "training_windows"]

# Set on PolNeAR: epochs and learning rate chosen on dev (see models/MODEL_CARD.md).
DEFAULTS: dict[str, Any] = {"epochs": 3, "lr": 8e-5, "batch": 16, "seed": 13, "step": 192}
# Per base, what differs. MPNet on 2 CPU cores: layers 0-9 frozen and run once, the top
# two trained (each epoch ~10 min instead of ~2 h), windows without overlap in training.
BASE_DEFAULTS: dict[str, dict[str, Any]] = {
    "minilm": {"train_from": 0},
    "mpnet": {"train_from": 10, "epochs": 2, "lr": 1e-4, "step": 254},
}
WARMUP_SHARE = 0.06  # of all steps; the MiniLM run's setting, kept for MPNet
# Cue edges decide whether a relation is found at all, so a cue wins a contested piece.
_ROLE_ORDER = {"CUE": 0, "SOURCE": 1, "CONTENT": 2}


def gold_spans(doc: GoldDoc) -> list[tuple[int, int, str]]:
    """Every normalised fragment of every relation's roles, cues first."""
    spans = []
    for rel in doc.relations:
        for role, frags in (("SOURCE", rel.source), ("CUE", rel.cue), ("CONTENT", rel.content)):
            if frags:
                spans.extend((s, e, role) for s, e in normalize_span(doc.text, frags))
    spans.sort(key=lambda x: (_ROLE_ORDER[x[2]], x[0]))
    return spans


def training_windows(
    docs: Sequence[GoldDoc], tokenizer: Any, *, step: int = DEFAULTS["step"]
) -> list[tuple[list[int], list[int]]]:
    """(ids, labels) windows of at most ``enc.WINDOW`` pieces; -100 marks [CLS]/[SEP]."""
    out = []
    body = enc.WINDOW - 2
    for doc in docs:
        ids, offsets = enc.pieces(tokenizer, doc.text)
        labels = enc.bio_labels(offsets, gold_spans(doc))
        start = 0
        while True:
            end = min(start + body, len(ids))
            out.append(
                (
                    [tokenizer.cls_token_id, *ids[start:end], tokenizer.sep_token_id],
                    [-100, *labels[start:end], -100],
                )
            )
            if end >= len(ids):
                break
            start += step
    return out


def span_scores(
    docs: Sequence[GoldDoc], predicted: Sequence[Sequence[tuple[int, int, str]]]
) -> dict[str, dict[str, float]]:
    """Exact-match P/R/F1 per role of the encoder's spans, one fragment per span.

    Split gold spans count as their fragments here; the harness (``eval polnear``) scores
    whole relations after the rules have joined fragments.
    """
    counts = {r: Counter() for r in enc.ROLES}
    for doc, spans in zip(docs, predicted, strict=True):
        for role in enc.ROLES:
            gold = Counter((s, e) for s, e, r in gold_spans(doc) if r == role)
            pred = Counter(
                normalize_span(doc.text, [(s, e)])[0]
                for s, e, r in spans
                if r == role and normalize_span(doc.text, [(s, e)])
            )
            counts[role]["tp"] += sum((gold & pred).values())
            counts[role]["pred"] += sum(pred.values())
            counts[role]["gold"] += sum(gold.values())
    out = {}
    for role, c in counts.items():
        p = c["tp"] / c["pred"] if c["pred"] else 0.0
        r = c["tp"] / c["gold"] if c["gold"] else 0.0
        out[role] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return out


def _seed(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train(
    data: str | Path,
    out: str | Path,
    *,
    epochs: int = DEFAULTS["epochs"],
    seed: int = DEFAULTS["seed"],
    lr: float = DEFAULTS["lr"],
    batch: int = DEFAULTS["batch"],
    threads: int | None = None,
    base: str = "minilm",
    train_from: int = 0,
    step: int | None = None,
    base_dir: Path | None = None,
) -> dict[str, Any]:
    """Fine-tune, keep the best dev epoch in ``out``; RETURNS its dev scores and timings.

    base, train_from: the base encoder and the first layer trained; with train_from > 0
      the layers below are frozen and run once (``frozen.lower_features``).
    step: the training windows' step (default ``DEFAULTS["step"]``).
    """
    import torch
    from transformers import AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    if threads:
        torch.set_num_threads(threads)
    t0 = time.perf_counter()
    train_docs = list(read_split(data, "train"))
    dev_docs = list(read_split(data, "dev"))
    if not train_docs or not dev_docs:
        raise FileNotFoundError(f"{data}: no annotated texts in train/ or dev/")
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / enc.WEIGHTS).is_file():
        raise FileExistsError(f"{out}: exists and is not an encoder model folder; not replacing it")
    _seed(seed)
    base_folder = base_dir or enc.base_model_path(base)
    tokenizer = AutoTokenizer.from_pretrained(str(base_folder))
    windows = training_windows(train_docs, tokenizer, step=step or DEFAULTS["step"])
    print(f"train: {len(train_docs)} texts, {len(windows)} windows; dev: {len(dev_docs)} texts")
    model = enc.build_model(base=base, train_from=train_from, base_dir=base_folder)
    meta = {"lr": lr, "batch": batch, "seed": seed, "base": base, "train_from": train_from}
    if train_from > 0:
        return _train_upper(
            model, tokenizer, windows, dev_docs, out, meta, epochs=epochs, t0=t0,
            base_dir=base_folder,
        )
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    per_epoch = (len(windows) + batch - 1) // batch
    total = per_epoch * epochs
    sched = loop.linear_schedule(opt, total, WARMUP_SHARE)
    best: tuple[float, int, dict[str, Any]] | None = None
    step = 0
    with tempfile.TemporaryDirectory(prefix="sourcetrace-train-") as tmp:
        for epoch in range(1, epochs + 1):
            model.train()
            random.shuffle(windows)
            t_epoch = time.perf_counter()
            for b in range(0, len(windows), batch):
                ids, mask, labels = enc.as_tensor_batch(windows[b : b + batch])
                # bf16 only where the CPU has it natively (AVX512-BF16/AMX): ~1.5x faster
                # there, ~10x slower where it is emulated.
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=enc.bf16_supported()):
                    loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
                loop.update(loss, params, opt, sched)
                step += 1
                loop.log_step(epoch, step, total, loss, t_epoch)
            ckpt = Path(tmp) / f"epoch{epoch}"
            enc.save_model(model, ckpt, {"epoch": epoch, **meta})
            tagger = enc.load_encoder(ckpt)
            assert tagger is not None
            scores, mean = _dev_scores(epoch, dev_docs, tagger.tag(d.text for d in dev_docs))
            if best is None or mean > best[0]:
                best = (mean, epoch, scores)
                if out.exists():
                    shutil.rmtree(out)
                shutil.copytree(ckpt, out)
    assert best is not None
    return _kept(best, out, t0)


def _train_upper(
    model: Any,
    tokenizer: Any,
    windows: list[tuple[list[int], list[int]]],
    dev_docs: Sequence[GoldDoc],
    out: Path,
    meta: dict[str, Any],
    *,
    epochs: int,
    t0: float,
    base_dir: Path,
) -> dict[str, Any]:
    """Train layers ``meta["train_from"]`` and up on lower-layer outputs computed once.

    Dev is scored the same way (its windows' lower features cached too), so an epoch's
    check costs the upper layers only; the kept model is then checked whole.
    """
    import numpy as np
    import torch

    from . import frozen

    train_from, lr, batch = meta["train_from"], meta["lr"], meta["batch"]
    bf16 = enc.bf16_supported()
    t_cache = time.perf_counter()
    feats = frozen.lower_features(model, [ids for ids, _ in windows], train_from)
    labels = [torch.tensor(labs) for _, labs in windows]
    dev_windows = [
        enc.windows(*enc.pieces(tokenizer, d.text), tokenizer.cls_token_id, tokenizer.sep_token_id)
        if d.text.strip() else []
        for d in dev_docs
    ]
    flat_dev = [w for ws in dev_windows for w in ws]
    dev_feats = frozen.lower_features(model, [w.ids for w in flat_dev], train_from)
    cache_s = time.perf_counter() - t_cache
    print(f"lower layers (0-{train_from - 1}) run once: {cache_s / 60:.1f} min", flush=True)

    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    total = ((len(windows) + batch - 1) // batch) * epochs
    sched = loop.linear_schedule(opt, total, WARMUP_SHARE)
    order = list(range(len(windows)))
    best: tuple[float, int, dict[str, Any]] | None = None
    step = 0
    for epoch in range(1, epochs + 1):
        model.train()
        random.shuffle(order)
        t_epoch = time.perf_counter()
        for b in range(0, len(order), batch):
            idx = order[b : b + batch]
            hidden, mask = frozen.pad_features([feats[i] for i in idx])
            gold = torch.full(mask.shape, -100, dtype=torch.long)
            for row, i in enumerate(idx):
                gold[row, : len(labels[i])] = labels[i]
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits = frozen.upper_logits(model, hidden, mask, train_from)
            loss = torch.nn.functional.cross_entropy(
                logits.float().reshape(-1, logits.shape[-1]), gold.reshape(-1), ignore_index=-100
            )
            loop.update(loss, params, opt, sched)
            step += 1
            loop.log_step(epoch, step, total, loss, t_epoch)
        model.eval()
        scores_lp = []
        with torch.inference_mode():
            for b in range(0, len(flat_dev), 32):
                hidden, mask = frozen.pad_features(dev_feats[b : b + 32])
                lp = torch.log_softmax(
                    frozen.upper_logits(model, hidden, mask, train_from).float(), dim=-1
                ).numpy()
                scores_lp.extend(
                    lp[i, w.first : w.last] for i, w in enumerate(flat_dev[b : b + 32])
                )
        predicted, j = [], 0
        for ws in dev_windows:
            if not ws:
                predicted.append([])
                continue
            offs = [o for w in ws for o in w.offsets[w.first : w.last]]
            predicted.append(enc.decode(np.concatenate(scores_lp[j : j + len(ws)]), offs))
            j += len(ws)
        scores, mean = _dev_scores(epoch, dev_docs, predicted)
        if best is None or mean > best[0]:
            best = (mean, epoch, scores)
            if out.exists():
                shutil.rmtree(out)
            enc.save_model(
                model, out,
                {"epoch": epoch, **meta, "cache_s": round(cache_s), "path": "cpu-cached-lower"},
            )
    assert best is not None
    return _kept(best, out, t0)


def _dev_scores(
    epoch: int, dev_docs: Sequence[GoldDoc], predicted: Sequence[Sequence[tuple[int, int, str]]]
) -> tuple[dict[str, dict[str, float]], float]:
    """An epoch's dev span scores (printed) and their mean F1 over the roles."""
    scores = span_scores(dev_docs, predicted)
    print(f"epoch {epoch} dev exact span F1: " + _fmt(scores), flush=True)
    return scores, sum(s["f1"] for s in scores.values()) / len(scores)


def _kept(best: tuple[float, int, dict[str, Any]], out: Path, t0: float) -> dict[str, Any]:
    """Print and return what was kept: (mean F1, epoch, dev scores) saved in ``out``."""
    total_s = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in out.iterdir())
    print(f"kept epoch {best[1]}: " + _fmt(best[2]))
    print(f"training {total_s / 60:.1f} min; model {size / 1e6:.1f} MB in {out}")
    return {"epoch": best[1], "dev": best[2], "total_s": total_s, "size": size}


def _fmt(scores: dict[str, dict[str, float]]) -> str:
    return ", ".join(f"{role} {s['f1'] * 100:.1f}" for role, s in scores.items())


def default_output_path(base: str = "minilm") -> Path:
    """The package's shipped model folder for ``base`` (MiniLM: the default tier)."""
    return Path(__file__).resolve().parents[1] / "models" / enc.model_name(base)


def main(
    data: str,
    out: str | None = None,
    *,
    epochs: int | None = None,
    seed: int | None = None,
    base: str = "minilm",
    train_from: int | None = None,
) -> int:
    """Train the attribution encoder on PolNeAR ``data``; RETURNS the exit code (0: success)."""
    options = {**BASE_DEFAULTS.get(base, {}), "base": base}
    given = (("epochs", epochs), ("seed", seed), ("train_from", train_from))
    options.update({k: v for k, v in given if v is not None})
    try:
        train(data, out or default_output_path(base), **options)
    except (FileNotFoundError, FileExistsError, SourcetraceError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
