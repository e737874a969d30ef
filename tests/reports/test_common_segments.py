from sample_analysis import build_analysis

from sourcetrace.reports._common import summarize
from sourcetrace.reports.layers import Layer, iter_layers, segments


def test_common_segments_rejoin_and_nest():
    text = "abcdefghij"
    layers = [
        Layer(1, 8, "content"),
        Layer(3, 5, "source"),
        Layer(3, 5, "source"),
        Layer(7, 20, "label"),
    ]
    pieces = list(segments(text, layers))
    assert "".join(p for p, _ in pieces) == text
    names = [(p, [lay.name for lay in active]) for p, active in pieces]
    assert names == [
        ("a", []),
        ("bc", ["content"]),
        ("de", ["content", "source", "source"]),
        ("fg", ["content"]),
        ("h", ["content", "label"]),
        ("ij", ["label"]),
    ]


def test_common_segments_layers_clipped_to_text():
    analysis = build_analysis()
    n = len(analysis.article.text)
    assert all(0 <= lay.start < lay.end <= n for lay in iter_layers(analysis))


def test_common_segments_summary_counts():
    s = summarize(build_analysis())
    assert (s.attributions, s.named, s.vague, s.no_source) == (7, 3, 3, 1)
    assert (s.unattributed, s.labels, s.deepest_chain) == (1, 2, 2)
