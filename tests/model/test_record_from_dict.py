"""Record types read back from their dicts: from_dict undoes to_dict."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcetrace.model.article import Article, Excluded
from sourcetrace.model.record import Actor, Analysis, Assertion, Attribution, Label, Source
from sourcetrace.model.spans import TextSpan

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "sourcetrace" / "data" / "examples"
TEXT = "Home > News\nThe minister said, citing an aide, that the bridge was safe. It is old."


def _span(needle: str) -> TextSpan:
    s = TEXT.index(needle)
    return TextSpan(needle, ((s, s + len(needle)),))


def _full() -> Analysis:
    """Every optional field set: role, actor, antecedent, relays, label attribution."""
    minister, aide = _span("The minister"), _span("an aide")
    src = Source(minister, "person", actor="a1", role="minister", antecedent=minister)
    relay = Source(aide, "anonymous", actor=None, role="aide", antecedent=None)
    safe = TEXT.index("the bridge")
    content = TextSpan("the bridge was safe", ((safe, safe + 10), (safe + 11, safe + 19)))
    att = Attribution("t1", src, _span("said"), content, "indirect", relayed_by=(relay,),
                      confidence=0.8765, extra={"rule": "say"})
    bare = Attribution("t2", None, _span("citing"), _span("an aide"), "no_source")
    return Analysis(
        article=Article("x1", "x.txt", TEXT, {"outlet": "Post", "tags": ["a", "b"]},
                        (Excluded(0, 11, "breadcrumb"),)),
        attributions=(att, bare),
        actors=(Actor("a1", "The Minister", "person", ("The minister", "minister"),
                      (minister,)),),
        unattributed=(Assertion(_span("It is old."), "factual claim, no attribution"),),
        labels=(Label(_span("aide"), "aide", "a1", "attributed", attribution="t1"),),
        profile={"sources": {"named": 1, "share": 0.5}, "kinds": ["indirect"]},
    )


def test_a_full_analysis_round_trips():
    a = _full()
    d = a.to_dict()
    back = Analysis.from_dict(d)
    assert back.to_dict() == d
    assert back.attributions[0].extra == {}  # not written by to_dict, so not read back
    assert back.attributions[0].relayed_by[0].role == "aide"
    assert back.article == a.article and back.actors == a.actors and back.labels == a.labels


def test_parts_round_trip():
    a = _full()
    for obj in (a.article, *a.article.excluded, *a.actors, *a.unattributed, *a.labels,
                a.attributions[0].source, a.attributions[0].content):
        assert type(obj).from_dict(obj.to_dict()) == obj


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.txt")))
def test_shipped_examples_round_trip(pipeline, name):
    from sourcetrace.ingest import read_path

    (article,) = list(read_path(str(EXAMPLES / name)))
    d = pipeline.analyze(article).to_dict()
    assert d["attributions"]  # a real analysis, not an empty one
    assert Analysis.from_dict(d).to_dict() == d
