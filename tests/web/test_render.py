"""Server-side SVG charts."""

from __future__ import annotations


def test_spread_chart_steps_by_outlet_and_skips_undated():
    from sourcetrace.web.render import spread_chart

    timeline = [
        {"published": "2024-03-06", "outlet": "Coast <Post>"},
        {"published": "2024-03-05", "outlet": "Harbour Daily"},
        {"published": "2024-03-07T10:00", "outlet": "Harbour Daily"},
        {"published": None, "outlet": "Nowhere"},
    ]
    svg = str(spread_chart(timeline))
    assert svg.count("<circle") == 3
    assert "Nowhere" not in svg and "Coast &lt;Post&gt;" in svg
    assert ">2</text>" in svg  # two distinct outlets at the peak
    assert str(spread_chart(timeline[:1])) == ""
