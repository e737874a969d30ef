"""Shared helpers of the PolNeAR tests: invented sentences, gold docs, a fake pipeline."""

from __future__ import annotations

import os
import re
from pathlib import Path

from sourcetrace.evaluate.polnear import GoldDoc, GoldRelation, gold_attributions
from sourcetrace.model.errors import BadInputError
from sourcetrace.model.record import Analysis, Attribution, Source
from sourcetrace.model.spans import TextSpan

POLNEAR = Path(
    os.environ.get("POLNEAR_DIR", Path(__file__).resolve().parents[3] / "../shared/data/polnear")
)


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of needle in text."""
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    s = starts[nth]
    return (s, s + len(needle))


def attr(
    text: str,
    source: list[tuple[int, int]] | None,
    cue: list[tuple[int, int]],
    content: list[tuple[int, int]],
    confidence: float = 0.5,
) -> Attribution:
    # Raw TextSpans (not merged) so the scorer's own normalisation is what is tested.
    def ts(frags: list[tuple[int, int]]) -> TextSpan:
        return TextSpan(" ".join(text[s:e] for s, e in frags), tuple(frags))

    src = Source(ts(source), "person") if source is not None else None
    kind = "indirect" if src else "no_source"
    return Attribution("p", src, ts(cue), ts(content), kind, confidence=confidence)


TEXT = "Mayor Ada Quill said the bridge will reopen in May. Critics doubt it, a memo shows."


def gold_doc() -> GoldDoc:
    rels = [
        GoldRelation(
            (at(TEXT, "Mayor Ada Quill"),),
            (at(TEXT, "said"),),
            (at(TEXT, "the bridge will reopen in May"),),
        ),
        GoldRelation(None, (at(TEXT, "shows"),), (at(TEXT, "Critics doubt it"),)),
    ]
    return GoldDoc("invented", TEXT, rels)



ANN = "\n".join(
    [
        "T1\tSource 0 15\tMayor Ada Quill",
        "T2\tCue 16 20\tsaid",
        "T3\tContent 21 31;37 50\tthe bridge reopen in May",
        "T4\tAttribution 16 20\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        "T5\tCue 77 82\tshows",
        "T6\tContent 52 56\tCrit",
        "T9\tContent 56 68\tics doubt it",
        "T7\tAttribution-no-source 77 82\tshows",
        "E2\tAttribution-no-source:T7 Content:T6 Cue:T5 Content2:T9 ",
        "T8\tDiscard 0 5\tMayor",
        "T10\tDiscuss 0 5\tMayor",
        "T11\tCue 16 20\ttwo",
        "The second line of a span text that holds a newline",
        "E3\tAttribution:T4 Cue:T11 Source:T99",
    ]
)



class FakePipeline:
    """Returns the gold attributions; skips texts with 'skip', fails on texts with 'fail'."""

    def __init__(self, docs: dict[str, GoldDoc], **_: object) -> None:
        self.docs = docs

    def analyze_many(self, articles):
        for art in articles:
            if "skip" in art.text:
                continue
            if "fail" in art.text:
                yield BadInputError(art.path, "analysis failed: boom")
                continue
            yield Analysis(article=art, attributions=tuple(gold_attributions(self.docs[art.text])))

