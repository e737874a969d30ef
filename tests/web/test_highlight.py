"""Highlighted article text: segments rebuild the text, carry the right classes and links."""

from __future__ import annotations

from sourcetrace.web.highlight import highlight_segments
from sourcetrace.web.render import highlighted_text

TEXT = 'Home » News\n\nThe mayor said "the bridge is safe". The bridge opened in 1990.'


def _record() -> dict:
    said = TEXT.index("said")
    quote = TEXT.index('"the')
    return {
        "id": "x1",
        "path": "x.txt",
        "text": TEXT,
        "metadata": {},
        "excluded": [{"start": 0, "end": 11, "kind": "breadcrumb"}],
        "attributions": [
            {
                "id": "t1",
                "source": {"text": "The mayor", "spans": [[13, 22]], "type": "person",
                           "actor": "a1", "role": None, "antecedent": None},
                "cue": {"text": "said", "spans": [[said, said + 4]]},
                "content": {"text": '"the bridge is safe"', "spans": [[quote, quote + 20]]},
                "kind": "direct",
                "relayed_by": [],
                "chain_depth": 1,
                "confidence": 0.9,
            }
        ],
        "actors": [],
        "unattributed": [
            {"text": "The bridge opened in 1990.",
             "spans": [[TEXT.index("The bridge"), len(TEXT)]], "reason": "no source"}
        ],
        "labels": [],
        "profile": {},
    }


def test_highlight_segments_rebuild_the_text():
    segs = highlight_segments(_record())
    assert "".join(s.text for s in segs) == TEXT


def test_highlight_segments_classes_and_owner():
    segs = {s.text: s for s in highlight_segments(_record())}
    assert segs["Home » News"].classes == ("excluded",)
    assert segs["The mayor"].classes == ("source",)
    assert segs["The mayor"].attribution == "t1"
    assert segs["said"].classes == ("cue",)
    assert segs['"the bridge is safe"'].classes == ("content",)
    assert segs['"the bridge is safe"'].attribution == "t1"
    assert segs["The bridge opened in 1990."].classes == ("unattributed",)
    assert segs["The bridge opened in 1990."].attribution is None


def test_highlight_nested_content_belongs_to_inner_attribution():
    rec = _record()
    outer = dict(rec["attributions"][0], id="t0",
                 content={"text": TEXT[13:], "spans": [[13, len(TEXT)]]})
    rec["attributions"].append(outer)
    segs = {s.text: s for s in highlight_segments(rec)}
    assert segs['"the bridge is safe"'].attribution == "t1"


def test_highlighted_text_escapes_and_links():
    rec = _record()
    rec["text"] = TEXT.replace("Home » News", "<i>H</i> &N")  # same length
    html = str(highlighted_text(rec))
    assert "<i>" not in html and "&lt;i&gt;H&lt;/i&gt; &amp;N" in html
    assert '<a class="content" href="#att-t1" data-att="t1"' in html
    assert '<span class="unattributed"' in html


def test_highlighted_text_makes_bidi_controls_visible():
    rec = _record()
    rec["text"] = TEXT.replace("1990", "19\u202e09")
    html = str(highlighted_text(rec))
    assert "\u202e" not in html
    assert "&lt;U+202E&gt;" in html

