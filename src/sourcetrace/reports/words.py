"""Wording shared by every human-readable output (reports, the corpus report, the CLI)."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 claim"``, ``"2 claims"``, ``"0 claims"``; ``many`` for irregular plurals
    (``plural(2, "copy", "copies")``)."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {many or word + 's'}"


__all__ = ["plural"]
