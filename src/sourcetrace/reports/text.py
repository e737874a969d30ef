"""Terminal report with Rich: highlighted text, attribution table, actors, profile.

Article text only ever enters Rich as ``Text`` objects (never as markup strings), so
brackets in an article are shown as they are.
"""

from __future__ import annotations

from typing import IO

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..model.record import Analysis
from ._base import ReportWriter
from ._common import (
    describe_source,
    flatten_profile,
    header_fields,
    summarize,
    truncate,
)
from .layers import LAYERS, iter_layers

STYLES = {
    "excluded": "dim",
    "content": "green",
    "unattributed": "red underline",
    "cue": "bold yellow",
    "source": "bold cyan",
    "label": "magenta reverse",
}

_LEGEND = (
    ("source", "source"),
    ("cue", "cue"),
    ("content", "content"),
    ("unattributed", "unattributed"),
    ("label", "label"),
    ("excluded", "furniture"),
)


class TextWriter(ReportWriter):
    """Rich rendering of each article into ``fp``.

    Colour when ``fp`` is a terminal, plain text otherwise (Rich's own detection).
    width (int | None): line width. Defaults to the terminal's, or 100 for files.
    """

    def __init__(self, fp: IO[str], *, width: int | None = None) -> None:
        super().__init__(fp)
        self._count = 0
        self.console = Console(file=fp, highlight=False, emoji=False, width=width)
        if width is None and not self.console.is_terminal:
            self.console.width = 100

    def write(self, analysis: Analysis) -> None:
        self.console.print(render_article(analysis, legend=not self._count))
        self._count += 1
        self.fp.flush()


def render_article(analysis: Analysis, *, legend: bool = True) -> Group:
    """Everything the terminal view shows for one article, as one renderable.

    legend (bool): show the colour key under the summary. Defaults to True.
    """
    art = analysis.article
    title = art.metadata.get("title")
    parts: list = [Rule(Text(art.path, style="bold"), align="left")]
    if title:
        parts.append(Text(str(title), style="bold"))
    meta = " · ".join(v for _, v in header_fields(art.metadata))
    if meta:
        parts.append(Text(meta, style="italic"))
    parts.append(Text.assemble(("Sourcing: ", "bold"), summarize(analysis).line()))
    if legend:
        parts.append(_legend())
    parts.append(Padding(highlight(analysis), (1, 0, 1, 2)))
    parts.append(_attribution_table(analysis))
    if analysis.actors:
        parts.append(_actor_table(analysis))
    if analysis.profile:
        parts.append(_profile_table(analysis))
    parts.append(Text(""))
    return Group(*parts)


def highlight(analysis: Analysis) -> Text:
    """The article text with each layer styled by offsets; overlaps combine."""
    text = Text(analysis.article.text)
    rank = {name: i for i, name in enumerate(LAYERS)}
    for layer in sorted(iter_layers(analysis), key=lambda lay: rank[lay.name]):
        text.stylize(STYLES[layer.name], layer.start, layer.end)
    return text


def _legend() -> Text:
    legend = Text.assemble(("Key: ", "dim"))
    for name, label in _LEGEND:
        legend.append(label, style=STYLES[name])
        legend.append("  ")
    return legend


def _attribution_table(analysis: Analysis) -> Table | Text:
    if not analysis.attributions:
        return Text("No attributions found.", style="dim")
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
            Text(describe_source(att), style=STYLES["source"] if att.source else "dim"),
            Text(att.cue.text, style=STYLES["cue"]),
            Text(truncate(att.content.text)),
            Text(f"{att.confidence:.2f}"),
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
