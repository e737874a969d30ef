"""Terminal report with Rich: highlighted text, attributions, unattributed assertions,
labels, what the sources refer to, actors, profile.

On a terminal the layers are colours (writer's and source's labels styled apart); piped
or redirected, where there is no colour, they are marked in plain characters (``MARKS``)
and the key printed once says so. Article text only ever enters Rich as ``Text``
objects (never as markup strings), so brackets in an article are shown as they are.
"""

from __future__ import annotations

import os
from typing import IO, Any

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..model.record import Analysis
from ._base import ReportWriter
from ._common import (
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
from .layers import LAYERS, Layer, iter_layers

# Line width for a file or pipe when COLUMNS is not set.
PIPE_WIDTH = 100

# Terminal styles. A label is "label-writer" or "label-attributed" by its voice.
STYLES = {
    "excluded": "dim",
    "content": "green",
    "unattributed": "red underline",
    "cue": "bold yellow",
    "source": "bold cyan",
    "label-writer": "bold magenta reverse",
    "label-attributed": "italic magenta underline",
}

# Plain-character marks (open, close) for output with no colour.
MARKS = {
    "excluded": ("[X: ", "]"),
    "content": ("<<", ">>"),
    "unattributed": ("[U: ", "]"),
    "cue": ("{C: ", "}"),
    "source": ("[S: ", "]"),
    "label-writer": ("[L-writer: ", "]"),
    "label-attributed": ("[L-source: ", "]"),
}

_KEY = (
    ("source", "source"),
    ("cue", "cue"),
    ("content", "attributed content"),
    ("unattributed", "unattributed assertion"),
    ("label-writer", "label, writer's words"),
    ("label-attributed", "label, a source's words"),
    ("excluded", "furniture"),
)

# Drawing order, bottom to top (LAYERS, with labels split by voice).
_RANK = {
    name: i
    for i, name in enumerate(
        n for layer in LAYERS for n in
        (("label-writer", "label-attributed") if layer == "label" else (layer,))
    )
}


class TextWriter(ReportWriter):
    """Rich rendering of each article into ``fp``.

    Colour when ``fp`` is a terminal, plain marks otherwise (Rich's own detection).
    width (int | None): line width. Defaults to ``COLUMNS`` when set, else the
      terminal's, or PIPE_WIDTH for files and pipes.
    plain (bool | None): mark layers in plain characters instead of colour. Defaults
      to True where Rich finds no colour (a file, a pipe, a dumb terminal).
    """

    def __init__(
        self, fp: IO[str], *, width: int | None = None, plain: bool | None = None
    ) -> None:
        super().__init__(fp)
        self._count = 0
        self.console = Console(file=fp, highlight=False, emoji=False, width=width)
        columns = os.environ.get("COLUMNS", "")
        if width is None and not columns.isdigit() and not self.console.is_terminal:
            self.console.width = PIPE_WIDTH
        self.plain = (
            plain if plain is not None
            else not self.console.is_terminal or self.console.color_system is None
        )

    def write(self, analysis: Analysis) -> None:
        view = render_article(analysis, legend=not self._count, plain=self.plain)
        if self.plain and not self.console.is_terminal:
            # Rich pads every line to the full width; in a file that is only noise.
            with self.console.capture() as cap:
                self.console.print(view)
            self.fp.write("\n".join(line.rstrip() for line in cap.get().split("\n")))
        else:
            self.console.print(view)
        self._count += 1
        self.fp.flush()


def render_article(analysis: Analysis, *, legend: bool = True, plain: bool = False) -> Group:
    """Everything the terminal view shows for one article, as one renderable.

    legend (bool): show the key under the summary. Defaults to True.
    plain (bool): plain-character marks instead of styles. Defaults to False.
    """
    art = analysis.article
    title = art.metadata.get("title")
    parts: list = [Rule(Text(art.path, style="bold"), align="left")]
    if title:
        parts.append(Text(str(title), style="bold"))
    meta = " · ".join([v for _, v in header_fields(art.metadata)]
                      + ([f"tier: {analysis.tier}"] if analysis.tier else []))
    if meta:
        parts.append(Text(meta, style="italic"))
    parts.append(Text.assemble(("Sourcing: ", "bold"), summarize(analysis).line()))
    if legend:
        parts.append(_legend(plain))
    body = Text(marked_text(analysis)) if plain else highlight(analysis)
    parts.append(Padding(body, (1, 0, 1, 2)))
    parts.append(_attribution_table(analysis))
    parts.append(_unattributed_list(analysis))
    parts.append(_label_table(analysis))
    refs = _reference_table(analysis)
    if refs is not None:
        parts.append(refs)
    if analysis.actors:
        parts.append(_actor_table(analysis))
    if analysis.profile:
        parts.append(_profile_table(analysis))
    parts.append(Text(""))
    return Group(*parts)


def _style_name(layer: Layer) -> str:
    if layer.name == "label":
        voice = getattr(layer.item, "voice", "writer")
        return "label-writer" if voice == "writer" else "label-attributed"
    return layer.name


def highlight(analysis: Analysis) -> Text:
    """The article text with each layer styled by offsets; overlaps combine."""
    text = Text(analysis.article.text)
    for name, layer in sorted(
        ((_style_name(lay), lay) for lay in iter_layers(analysis)),
        key=lambda pair: _RANK[pair[0]],
    ):
        text.stylize(STYLES[name], layer.start, layer.end)
    return text


def marked_text(analysis: Analysis) -> str:
    """The article text with each layer between its MARKS: "[S: Jane Roe] {C: said}
    <<the pier will close>>".

    A range marked twice the same way (a source that also relays another attribution)
    is marked once; a layer inside another closes before it.
    """
    text = analysis.article.text
    found = {(lay.start, lay.end, _style_name(lay)) for lay in iter_layers(analysis)}
    opens: dict[int, list[tuple[int, str]]] = {}
    closes: dict[int, list[tuple[int, str]]] = {}
    for start, end, name in found:
        opens.setdefault(start, []).append((end, name))
        closes.setdefault(end, []).append((start, name))
    out: list[str] = []
    cuts = sorted({0, len(text), *opens, *closes})
    for at, nxt in zip(cuts, [*cuts[1:], len(text)], strict=True):
        # Inner layers close first (latest start), outer ones open first (furthest end).
        for _start, name in sorted(closes.get(at, ()), key=lambda x: (-x[0], -_RANK[x[1]])):
            out.append(MARKS[name][1])
        for _end, name in sorted(opens.get(at, ()), key=lambda x: (-x[0], _RANK[x[1]])):
            out.append(MARKS[name][0])
        out.append(text[at:nxt])
    return "".join(out)


def _legend(plain: bool) -> Text:
    if plain:
        legend = Text("Key: ")
        for name, words in _KEY:
            opening, closing = MARKS[name]
            legend.append(f"{opening}{words}{closing}  ")
        return legend
    legend = Text.assemble(("Key: ", "dim"))
    for name, words in _KEY:
        legend.append(words, style=STYLES[name])
        legend.append("  ")
    return legend


def _attribution_table(analysis: Analysis) -> Table | Text:
    if not analysis.attributions:
        return Text("No attributions found.", style="dim")
    names = actor_names(analysis)
    table = Table(title="Attributions", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("#", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("source", ratio=2)
    table.add_column("cue", ratio=1)
    table.add_column("content", ratio=4)
    table.add_column("conf.", justify="right", no_wrap=True)
    for att in analysis.attributions:
        table.add_row(
            Text(att.id),
            Text(att.kind),
            Text(describe_source(att, names), style=STYLES["source"] if att.source else "dim"),
            Text(att.cue.text, style=STYLES["cue"]),
            Text(truncate(att.content.text)),
            Text(f"{att.confidence:.2f}"),
        )
    return table


def _unattributed_list(analysis: Analysis) -> Any:
    if not analysis.unattributed:
        return Text("No unattributed assertions found.", style="dim")
    table = Table(title="Unattributed assertions", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("#", no_wrap=True)
    table.add_column("where", no_wrap=True)
    table.add_column("sentence", ratio=1)
    for i, asr in enumerate(analysis.unattributed, 1):
        table.add_row(
            Text(f"u{i}"),
            Text(span_range(asr.sentence.spans)),
            Text(" ".join(asr.sentence.text.split()), style=STYLES["unattributed"]),
        )
    return table


def _label_table(analysis: Analysis) -> Any:
    if not analysis.labels:
        return Text("No labels found.", style="dim")
    names = actor_names(analysis)
    table = Table(title="Labels", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("label", no_wrap=True)
    table.add_column("words in the text", ratio=2)
    table.add_column("applied to", ratio=2)
    table.add_column("whose words", ratio=2)
    table.add_column("where", no_wrap=True)
    for lb in analysis.labels:
        style = "label-writer" if lb.voice == "writer" else "label-attributed"
        table.add_row(
            Text(lb.label, style=STYLES[style]),
            Text(lb.mention.text),
            Text(label_target(lb, names) or "—"),
            Text(voice_text(lb, analysis)),
            Text(span_range(lb.mention.spans)),
        )
    return table


def _reference_table(analysis: Analysis) -> Table | None:
    found = references(analysis)
    if not found:
        return None
    table = Table(title="What the sources refer to", title_justify="left",
                  box=box.SIMPLE_HEAD)
    table.add_column("mention", ratio=2)
    table.add_column("refers to", ratio=3)
    table.add_column("as", ratio=1)
    for ref in found:
        table.add_row(
            Text(f"{ref.mention} ({span_range(ref.spans)})"),
            Text(f"→ {ref.refers_to}"),
            Text(ref.role),
        )
    return table


def _actor_table(analysis: Analysis) -> Table:
    table = Table(title="Actors", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("actor")
    table.add_column("type", no_wrap=True)
    table.add_column("also called")
    table.add_column("mentions", justify="right", no_wrap=True)
    for actor in analysis.actors:
        aliases = ", ".join(a for a in actor.aliases if a != actor.name)
        table.add_row(
            Text(actor.name, style="bold"),
            Text(actor.type),
            Text(aliases),
            Text(str(len(actor.mentions))),
        )
    return table


def _profile_table(analysis: Analysis) -> Table:
    table = Table(title="Sourcing profile", title_justify="left", box=box.SIMPLE, show_header=False)
    table.add_column("measure", style="bold")
    table.add_column("value")
    for key, value in flatten_profile(analysis.profile):
        table.add_row(Text(key), Text(value))
    return table
