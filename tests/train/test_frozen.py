"""Training on cached lower-layer outputs: the split forward equals the whole model's."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from sourcetrace.attributions.encoder import build_model  # noqa: E402
from sourcetrace.train import frozen  # noqa: E402


@pytest.mark.parametrize("train_from", [1, 2])
def test_lower_then_upper_gives_the_whole_models_logits(tiny_mpnet, train_from):
    torch.manual_seed(0)
    model = build_model(base="mpnet", train_from=train_from, base_dir=tiny_mpnet).eval()
    windows = [[0, 1037, 2158, 2003, 1996, 2, 5], [0, 7592, 2], [0, 3000, 3001, 3002, 2]]
    feats = frozen.lower_features(model, windows, train_from, batch=2)
    assert [f.shape[0] for f in feats] == [len(w) for w in windows]
    hidden, mask = frozen.pad_features(feats)
    with torch.inference_mode():
        split = frozen.upper_logits(model, hidden, mask, train_from)
        ids = torch.zeros(mask.shape, dtype=torch.long)
        for i, w in enumerate(windows):
            ids[i, : len(w)] = torch.tensor(w)
        whole = model(input_ids=ids, attention_mask=mask).logits
    for i, w in enumerate(windows):
        # fp16 features: equal to about three decimals, never more than rounding.
        assert torch.allclose(split[i, : len(w)], whole[i, : len(w)], atol=2e-3)
    # The layers are put back after each call.
    assert len(model.mpnet.encoder.layer) == 2


def test_only_upper_layers_get_gradients(tiny_mpnet):
    model = build_model(base="mpnet", train_from=1, base_dir=tiny_mpnet)
    feats = frozen.lower_features(model, [[0, 1037, 2158, 2]], 1)
    hidden, mask = frozen.pad_features(feats)
    model.train()
    frozen.upper_logits(model, hidden, mask, 1).sum().backward()
    grads = {n for n, p in model.named_parameters() if p.grad is not None}
    assert any(".layer.1." in n for n in grads) and "classifier.weight" in grads
    assert not any(".layer.0." in n or ".embeddings." in n for n in grads)
