"""Server-side HTML pieces that are easier to build in Python than in a template.

Everything untrusted goes through ``markupsafe.escape`` (after ``inert_text``); the only
markup is the app's own tags and attribute names. Templates get the result as Markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from .highlight import Segment, highlight_segments
from .security import inert_text


def _e(value: Any) -> Markup:
    return escape(inert_text(str(value)))


def highlighted_text(
    record: Mapping[str, Any], *, segments: Sequence[Segment] | None = None
) -> Markup:
    """The article text with every highlight as a ``<span>``, or an ``<a>`` to its card.

    A piece that belongs to an attribution links to ``#att-ID`` (its card beside the
    text), so clicking a quote shows its source, relay chain and actor without script.
    """
    out: list[str] = []
    for seg in segments if segments is not None else highlight_segments(record):
        piece = _e(seg.text)
        if not seg.classes:
            out.append(piece)
            continue
        cls = _e(" ".join(seg.classes))
        title = _e(seg.title)
        if seg.attribution is not None:
            att = _e(seg.attribution)
            out.append(
                f'<a class="{cls}" href="#att-{att}" data-att="{att}" title="{title}">{piece}</a>'
            )
        else:
            out.append(f'<span class="{cls}" title="{title}">{piece}</span>')
    return Markup("".join(out))


# Stacked-bar segments of a sourcing profile, left to right, with their CSS class.
SHARE_PARTS = (
    ("named", "named source"),
    ("anonymous", "anonymous source"),
    ("vague", "vague source"),
    ("unattributed", "unattributed assertion"),
)


def share_bars(
    rows: Iterable[Mapping[str, Any]],
    *,
    label: Callable[[Mapping[str, Any]], str],
    href: Callable[[Mapping[str, Any]], str | None] | None = None,
    width: int = 640,
    bar: int = 22,
) -> Markup:
    """A horizontal stacked bar chart as inline SVG (no script, no inline style).

    rows: mappings with numeric keys named after SHARE_PARTS (shares summing to ~1).
    label: the text on the left of each bar. href: optional link for the label (a row
    for which it returns None gets none).
    """
    rows = list(rows)
    label_w = 200
    gap = 6
    height = len(rows) * (bar + gap) + gap
    parts = [
        f'<svg class="chart" role="img" aria-label="sourcing profile shares" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    plot = width - label_w - 10
    for i, row in enumerate(rows):
        y = gap + i * (bar + gap)
        name = _e(label(row))
        text = f'<text x="0" y="{y + bar - 6}" class="chart-label">{name}</text>'
        link = href(row) if href is not None else None
        if link:
            text = f'<a href="{_e(link)}">{text}</a>'
        parts.append(text)
        x = float(label_w)
        for key, title in SHARE_PARTS:
            share = max(0.0, float(row.get(key) or 0.0))
            w = share * plot
            if w <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" class="bar-{key}">'
                f"<title>{name}: {_e(title)} {share:.0%}</title></rect>"
            )
            x += w
    parts.append("</svg>")
    return Markup("".join(parts))


def spread_chart(
    timeline: Iterable[Mapping[str, Any]], *, width: int = 640, height: int = 160
) -> Markup:
    """Inline SVG of a claim's spread: outlets carrying it so far, by date (a step line).

    Entries without an ISO date (YYYY-MM-DD...) are left out; fewer than two dated
    entries give no chart (the list beside it says everything).
    """
    points: list[tuple[date, str]] = []
    for t in timeline:
        day = _iso_day(t.get("published"))
        if day is not None:
            points.append((day, str(t.get("outlet") or "(unknown outlet)")))
    if len(points) < 2:
        return Markup("")
    points.sort()
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    seen: set[str] = set()
    steps: list[tuple[float, int, str, date]] = []
    left, right, top, bottom = 40, 10, 10, 24
    for day, outlet in points:
        seen.add(outlet)
        x = left + (day - first).days / span * (width - left - right)
        steps.append((x, len(seen), outlet, day))
    peak = max(n for _, n, _, _ in steps)

    def y(n: int) -> float:
        return height - bottom - n / peak * (height - top - bottom)

    path = [f"M{left},{y(0):.1f}"]
    for x, n, _, _ in steps:
        path.append(f"H{x:.1f}V{y(n):.1f}")
    parts = [
        f'<svg class="chart spread" role="img" aria-label="outlets carrying the claim over time" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<path d="{"".join(path)}" class="spread-line" fill="none"/>',
    ]
    for x, n, outlet, day in steps:
        parts.append(f'<circle cx="{x:.1f}" cy="{y(n):.1f}" r="4" class="spread-dot">'
                     f"<title>{_e(day.isoformat())}: {_e(outlet)}</title></circle>")
    parts.append(f'<text x="{left}" y="{height - 6}" class="chart-label">{first}</text>')
    parts.append(f'<text x="{width - right}" y="{height - 6}" class="chart-label" '
                 f'text-anchor="end">{last}</text>')
    parts.append(f'<text x="2" y="{top + 10}" class="chart-label">{peak}</text>')
    parts.append(f'<text x="2" y="{height - bottom}" class="chart-label">0</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _iso_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


__all__ = ["SHARE_PARTS", "highlighted_text", "share_bars", "spread_chart"]
