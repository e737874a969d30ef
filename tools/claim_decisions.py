"""Compare pair decisions on an MRPC-format file: the small pair model, a cross-encoder,
and their geometric mean (prints a table; not a test).

For each decision: the best accuracy over all thresholds, and the best accuracy among
thresholds whose precision reaches 0.90 (the issue's bar). Thresholds are chosen on the
file scored, so on dev these are upper bounds, not unseen figures.

    python tools/claim_decisions.py ../shared/data/mrpc/dev.tsv --cross DIR
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from sourcetrace.corpus import cross, pairs  # noqa: E402
from sourcetrace.corpus.claim_text import embedding_text  # noqa: E402
from sourcetrace.corpus.embed import default_embedder  # noqa: E402
from sourcetrace.evaluate.claims.mrpc import read_mrpc, scores  # noqa: E402

PRECISION = 0.90


def best(gold: list[int], score: np.ndarray) -> tuple[str, str]:
    found = []
    for t in np.unique(np.round(score, 3)):
        s = scores(gold, (score >= t).tolist())
        found.append((s["accuracy"], s["precision"], s["recall"]))
    top = max(found)
    held = max([f for f in found if f[1] >= PRECISION] or [(0.0, 0.0, 0.0)])
    return (f"{top[0]:.3f} (P {top[1]:.3f} / R {top[2]:.3f})", f"{held[0]:.3f} (R {held[2]:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tsv")
    parser.add_argument("--cross", required=True, metavar="DIR", help="a trained cross-encoder")
    args = parser.parse_args()
    rows = read_mrpc(args.tsv, [])
    texts = [(embedding_text(a), embedding_text(b)) for a, b, _ in rows]
    encode = default_embedder().encode
    va, vb = encode([a for a, _ in texts]), encode([b for _, b in texts])
    cos = np.einsum("ij,ij->i", va, vb)
    small = pairs.default_model().probabilities(
        np.array([pairs.features(a, b, float(c)) for (a, b), c in zip(texts, cos, strict=True)]))
    read = cross.load_model(args.cross).probabilities(texts)
    gold = [y for _, _, y in rows]
    print(f"{len(rows)} pairs, {sum(gold)} same")
    print(f"{'decision':<28}{'best accuracy':<30}best accuracy, precision >= {PRECISION}")
    for name, score in (("small pair model", small), ("cross-encoder", read),
                        ("geometric mean", np.sqrt(small * read))):
        top, held = best(gold, score)
        print(f"{name:<28}{top:<30}{held}")


if __name__ == "__main__":
    main()
