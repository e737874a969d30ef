"""Print a PolNeAR report as Rich tables, and write it as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .scoring import ROLES, Report, RoleScore

__all__ = ["render", "summary", "write_json"]


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def render(report: Report, console: Any, *, title: str = "PolNeAR") -> None:
    """Print the report as Rich tables."""
    from rich.table import Table

    t = Table(title=f"{title}: span roles and whole relations (micro P/R/F1, %)")
    for col in ("role", "match", "P", "R", "F1", "matched", "predicted", "gold"):
        t.add_column(col, justify="left" if col in ("role", "match") else "right")
    rows: list[tuple[str, RoleScore]] = [(r, report.roles[r]) for r in ROLES]
    rows.append(("relation", report.relation))
    for name, rs in rows:
        lines = [("exact", rs.exact), ("overlap", rs.overlap)]
        if rs.soft is not None:
            lines.append(("soft (tokens)", rs.soft))
        for k, (rule, s) in enumerate(lines):
            t.add_row(
                name if k == 0 else "",
                rule,
                _pct(s.precision),
                _pct(s.recall),
                _pct(s.f1),
                str(s.matched),
                str(s.predicted),
                str(s.gold),
                end_section=k == len(lines) - 1,
            )
    console.print(t)

    t = Table(title="Source recall by type (types derived heuristically from gold text, %)")
    for col in ("type", "gold", "exact R", "overlap R"):
        t.add_column(col, justify="left" if col == "type" else "right")
    for tr in report.source_types:
        t.add_row(tr.type, str(tr.gold), _pct(tr.exact_recall), _pct(tr.overlap_recall))
    console.print(t)

    t = Table(title="Reliability: whole-relation precision by predicted confidence (%)")
    for col in ("confidence", "predicted", "exact P", "overlap P"):
        t.add_column(col, justify="left" if col == "confidence" else "right")
    for b in report.reliability:
        bracket = "]" if b.high >= 1.0 else ")"
        t.add_row(
            f"[{b.low:.1f}, {b.high:.1f}{bracket}",
            str(b.count),
            _pct(b.exact_precision) if b.count else "-",
            _pct(b.overlap_precision) if b.count else "-",
        )
    console.print(t)


def summary(report: Report, split: str, *, tier: str) -> str:
    """The one line printed above the tables: sizes, the tier scored, time, failures."""
    return (
        f"PolNeAR {split}: {report.documents} documents, {report.gold_relations} gold "
        f"relations, {report.predicted_relations} predicted ({tier} tier, "
        f"{report.seconds:.1f} s)" + (f"; {report.failed} failed" if report.failed else "")
    )


def write_json(report: Report, path: str | Path) -> None:
    """Write ``report.to_dict()`` as indented JSON (UTF-8, final newline)."""
    Path(path).write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
