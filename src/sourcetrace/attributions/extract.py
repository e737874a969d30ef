"""Doc -> attribution relations, by rules over the dependency parse.

This is the driver: it builds one ``Context`` for the document, runs the finders of
``rules.FINDERS`` in their fixed order (headline, quotations, relays, "according to",
reporting verbs, cues only the encoder saw, passives, quote continuations), aligns the
result with the encoder's tagged spans (``align``), and finally nests: an attribution
whose cue lies inside another one's content is relayed by that one's source ("The
ministry said [a guard had told inspectors ...]", see ``nest``).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from ..model.spans import Offsets
from . import align
from .context import Context, RawAttribution
from .cues import CueLexicon, default_lexicon
from .nest import SpanIndex, nest
from .rules import FINDERS

__all__ = ["RawAttribution", "extract_attributions"]


def extract_attributions(
    doc: Doc,
    *,
    lexicon: CueLexicon | None = None,
    excluded: Sequence[Offsets] = (),
    title: str | None = None,
    tagged: Sequence[tuple[int, int, str]] | None = None,
) -> list[RawAttribution]:
    """Find attribution relations in a parsed Doc.

    doc (Doc): parsed article text (tagger, parser, lemmatizer).
    lexicon (CueLexicon): cue words. Defaults to the built-in lexicon.
    excluded (Sequence[Offsets]): furniture ranges to ignore.
    title (str): the article title, when the text starts with it.
    tagged (Sequence[(start, end, label)]): CUE/SOURCE spans from the trained tagger;
        None for the rule-only path.
    RETURNS (list[RawAttribution]): relations in text order of their cues.
    """
    ctx = Context(doc, lexicon or default_lexicon(), excluded, title=title, tagged=tagged)
    for find in FINDERS:
        find(ctx)
    if tagged:
        align.align_to_tagged(ctx, tagged)
        if any(lab == "CONTENT" for _s, _e, lab in tagged):
            align.align_content(ctx, tagged)
            align.confirm(ctx, tagged)
    rels = sorted(ctx.out, key=lambda r: r.cue_head)
    # A cue inside another attribution's source ("officials who asked not to be
    # named said") describes the source; it is not a statement of its own.
    sources = SpanIndex([(r.source, i) for i, r in enumerate(rels) if r.source])
    rels = [
        r for i, r in enumerate(rels) if not any(j != i for j in sources.holding(r.cue_head))
    ]
    nest(rels)
    return rels
