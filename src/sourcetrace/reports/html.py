"""HTML report: one self-contained page (inline CSS, no script, nothing external).

Per article: the highlighted text, then as visible text (never only hover text) the
attributions (a mention that stands for something else reads "→ refers to: ..."), the
unattributed assertions, the labels with whose words each is, and what each source
mention refers to, each with its character offsets and a link to its place in the text.

Every piece of article text, metadata and profile goes through ``html.escape``; the
highlighted text is built by slicing offsets and escaping each slice.
"""

from __future__ import annotations

from html import escape
from typing import IO

from ..model.record import Analysis
from ._base import ReportWriter
from ._common import (
    REFERS,
    actor_names,
    describe_source,
    flatten_profile,
    header_fields,
    label_target,
    references,
    span_range,
    summarize,
    truncate,
    voice_text,
)
from .layers import Layer, iter_layers, segments

# Later rules win where layers overlap, matching LAYERS order.
_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;
color:#222;line-height:1.45}
article{border-top:3px solid #444;margin-top:2.5rem;padding-top:.5rem}
h1{font-size:1.4rem}h2{font-size:1.2rem;margin-bottom:.2rem}
h3{font-size:1rem;margin:1.2rem 0 .3rem}
.meta{color:#555;font-size:.9rem}.path{font-family:monospace;color:#555;font-size:.85rem}
.summary{background:#f3f3f3;border-left:4px solid #888;padding:.4rem .6rem;margin:.6rem 0}
.text{white-space:pre-wrap;border:1px solid #ddd;padding:.8rem;background:#fff}
.legend span{margin:0 .8rem .4rem 0;padding:0 .2rem;display:inline-block}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border:1px solid #ddd;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;white-space:nowrap}
.excluded{color:#999;background:#f4f4f4}
.content{background:#daf5d5}
.unattributed{text-decoration:underline wavy #c0392b;text-decoration-thickness:2px;
background:#fde8e6}
.cue{background:#fff1a8;font-weight:600}
.source{background:#cdeefd;font-weight:700;color:#035a7a}
.label{outline:2px solid #b0309a;color:#7d1a6c}
.label-attributed{outline:2px dashed #b0309a;font-style:italic}
td.voice-writer{font-weight:700;color:#7d1a6c}td.voice-attributed{font-style:italic;color:#555}
.offsets{font-family:monospace;color:#555;font-size:.8rem;white-space:nowrap}
ol.unattributed-list li{margin:.3rem 0}.refers{color:#035a7a;font-weight:600}
"""

# The key at the top of the page: (CSS classes, wording), drawn with the classes it names.
_LEGEND = (
    ("source", "source"),
    ("cue", "cue"),
    ("content", "attributed content"),
    ("unattributed", "unattributed assertion"),
    ("label label-writer", "label in the writer's words"),
    ("label label-attributed", "label in a source's words"),
    ("excluded", "furniture (skipped)"),
)


class HtmlWriter(ReportWriter):
    """Writes the page head at once, one ``<article>`` per analysis, the tail on close.

    title (str): the page title. Defaults to "sourcetrace report".
    """

    def __init__(self, fp: IO[str], *, title: str = "sourcetrace report") -> None:
        super().__init__(fp)
        self.count = 0
        legend = "".join(
            f'<span class="{classes}">{escape(words)}</span>' for classes, words in _LEGEND
        )
        fp.write(
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_CSS}</style></head>\n<body>"
            f'<h1>{escape(title)}</h1><p class="legend">{legend}</p>\n'
        )

    def write(self, analysis: Analysis) -> None:
        self.count += 1
        self.fp.write(render_article(analysis, anchor=f"article-{self.count}"))
        self.fp.flush()

    def close(self) -> None:
        if not self.closed:
            if not self.count:
                self.fp.write("<p>No articles.</p>\n")
            self.fp.write("</body></html>\n")
        super().close()


def render_article(analysis: Analysis, *, anchor: str = "") -> str:
    """One article as an ``<article>`` element."""
    art = analysis.article
    title = art.metadata.get("title") or art.path
    fields = header_fields(art.metadata) + ([("tier", analysis.tier)] if analysis.tier else [])
    meta = " · ".join(f"{k}: {v}" for k, v in fields)
    parts = [
        f'<article id="{escape(anchor)}">' if anchor else "<article>",
        f"<h2>{escape(str(title))}</h2>",
        f'<div class="path">{escape(art.path)} · id {escape(art.id)}</div>',
    ]
    if meta:
        parts.append(f'<div class="meta">{escape(meta)}</div>')
    parts.append(f'<p class="summary">{escape(summarize(analysis).line())}</p>')
    parts.append(f'<div class="text">{highlight(analysis, anchor=anchor)}</div>')
    parts.append(_attribution_table(analysis))
    parts.append(_unattributed_list(analysis, anchor))
    parts.append(_label_table(analysis, anchor))
    parts.append(_reference_table(analysis))
    parts.append(_actor_table(analysis))
    parts.append(_profile_table(analysis))
    parts.append("</article>\n")
    return "\n".join(parts)


def highlight(analysis: Analysis, *, anchor: str = "") -> str:
    """The article text as escaped HTML, each layer a ``<span class>`` around its slice.

    anchor (str): given, each unattributed assertion and label starts with an empty
    ``<span id="ANCHOR-uN">`` / ``ANCHOR-lN`` that the lists under the text link to.
    """
    text = analysis.article.text
    marks: dict[int, list[str]] = {}
    if anchor:
        for i, asr in enumerate(analysis.unattributed, 1):
            if asr.sentence.spans:
                marks.setdefault(asr.sentence.spans[0][0], []).append(f"{anchor}-u{i}")
        for i, lb in enumerate(analysis.labels, 1):
            if lb.mention.spans:
                marks.setdefault(lb.mention.spans[0][0], []).append(f"{anchor}-l{i}")
    out = []
    at = 0
    for piece, active in segments(text, list(iter_layers(analysis))):
        for mark in marks.pop(at, ()):
            out.append(f'<span id="{escape(mark)}"></span>')
        at += len(piece)
        if not active:
            out.append(escape(piece))
            continue
        classes = " ".join(dict.fromkeys(_classes(layer) for layer in active))
        notes = "; ".join(dict.fromkeys(layer.note for layer in active if layer.note))
        out.append(f'<span class="{classes}" title="{escape(notes)}">{escape(piece)}</span>')
    return "".join(out)


def _classes(layer: Layer) -> str:
    """CSS classes of a layer; a label's say whose words it is."""
    if layer.name == "label" and layer.item is not None:
        return f"label label-{'writer' if layer.item.voice == 'writer' else 'attributed'}"
    return layer.name


def _attribution_table(analysis: Analysis) -> str:
    if not analysis.attributions:
        return "<h3>Attributions</h3><p>None found.</p>"
    rows = [
        "<h3>Attributions</h3><table><thead><tr><th>#</th><th>kind</th><th>source</th>"
        "<th>cue</th><th>content</th><th>confidence</th></tr></thead><tbody>"
    ]
    names = actor_names(analysis)
    for att in analysis.attributions:
        rows.append(
            "<tr>"
            f"<td>{escape(att.id)}</td><td>{escape(att.kind)}</td>"
            f"<td>{escape(describe_source(att, names))}</td><td>{escape(att.cue.text)}</td>"
            f"<td>{escape(truncate(att.content.text, 240))}</td>"
            f'<td class="num">{att.confidence:.2f}</td>'
            "</tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _unattributed_list(analysis: Analysis, anchor: str) -> str:
    head = '<h3>Unattributed assertions</h3>'
    if not analysis.unattributed:
        return head + "<p>None found.</p>"
    items = []
    for i, asr in enumerate(analysis.unattributed, 1):
        link = f' <a href="#{escape(anchor)}-u{i}">in the text</a>' if anchor else ""
        items.append(
            f'<li><q>{escape(asr.sentence.text)}</q> <span class="offsets">'
            f"{escape(span_range(asr.sentence.spans))}</span>"
            f"{' · ' + escape(asr.reason) if asr.reason else ''}{link}</li>"
        )
    return f'{head}<ol class="unattributed-list">{"".join(items)}</ol>'


def _label_table(analysis: Analysis, anchor: str) -> str:
    head = "<h3>Labels</h3>"
    if not analysis.labels:
        return head + "<p>None found.</p>"
    names = actor_names(analysis)
    rows = [
        f'{head}<table class="labels"><thead><tr><th>label</th><th>words in the text</th>'
        "<th>applied to</th><th>whose words</th><th>where</th></tr></thead><tbody>"
    ]
    for i, lb in enumerate(analysis.labels, 1):
        voice = "writer" if lb.voice == "writer" else "attributed"
        where = escape(span_range(lb.mention.spans))
        if anchor:
            where = f'<a href="#{escape(anchor)}-l{i}">{where}</a>'
        rows.append(
            f'<tr class="voice-{voice}"><td>{escape(lb.label)}</td>'
            f"<td>{escape(lb.mention.text)}</td>"
            f"<td>{escape(label_target(lb, names) or '—')}</td>"
            f'<td class="voice-{voice}">{escape(voice_text(lb, analysis))}</td>'
            f'<td class="offsets">{where}</td></tr>'
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _reference_table(analysis: Analysis) -> str:
    found = references(analysis)
    if not found:
        return ""
    rows = [
        "<h3>What the sources refer to</h3><table class=\"references\"><thead><tr>"
        "<th>mention</th><th>refers to</th><th>as</th></tr></thead><tbody>"
    ]
    for ref in found:
        ante = (
            f' <span class="offsets">{escape(span_range(ref.antecedent_spans))}</span>'
            if ref.antecedent_spans else ""
        )
        rows.append(
            f"<tr><td>{escape(ref.mention)} <span class=\"offsets\">"
            f"{escape(span_range(ref.spans))}</span></td>"
            f'<td><span class="refers">{REFERS} {escape(ref.refers_to)}</span>{ante}</td>'
            f"<td>{escape(ref.role)}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _actor_table(analysis: Analysis) -> str:
    if not analysis.actors:
        return "<h3>Actors</h3><p>None found.</p>"
    rows = [
        "<h3>Actors</h3><table><thead><tr><th>actor</th><th>type</th><th>also called</th>"
        "<th>mentions</th></tr></thead><tbody>"
    ]
    for actor in analysis.actors:
        aliases = ", ".join(a for a in actor.aliases if a != actor.name)
        rows.append(
            f"<tr><td>{escape(actor.name)}</td><td>{escape(actor.type)}</td>"
            f'<td>{escape(aliases)}</td><td class="num">{len(actor.mentions)}</td></tr>'
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _profile_table(analysis: Analysis) -> str:
    rows = flatten_profile(analysis.profile)
    if not rows:
        return ""
    body = "".join(
        f"<tr><th>{escape(key)}</th><td>{escape(value)}</td></tr>" for key, value in rows
    )
    return f"<h3>Sourcing profile</h3><table><tbody>{body}</tbody></table>"


__all__ = ["HtmlWriter", "highlight", "render_article"]
