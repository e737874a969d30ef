"""One newline convention for the analysis, offsets into the text as given.

Windows line ends (``\\r\\n``, what a browser form posts) and old Mac ones (``\\r``) change
how spaCy tokenizes and so what the rules find (issue 22: a CRLF copy of an article typed
a headline source differently). The pipeline therefore analyses an LF copy of the text
(``normalize_article``) and maps every span of the result back (``restore_analysis``), so
the output indexes the original string and is the same analysis whatever the newlines.

A lone ``\\r`` becomes ``\\n`` in place (same length); each ``\\r\\n`` loses its ``\\r``, and
``NewlineMap`` keeps where those were.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from typing import Any, TypeVar

from .article import Article
from .record import Analysis
from .spans import Offsets, TextSpan

__all__ = ["NewlineMap", "normalize_article", "normalize_newlines", "restore_analysis"]

T = TypeVar("T")


class NewlineMap:
    """Offsets between a text and its LF copy.

    removed (list[int]): indices, in the original text, of each ``\\r`` dropped from a
        ``\\r\\n`` (ascending).
    """

    def __init__(self, removed: list[int]) -> None:
        self.removed = removed
        # Where the "\n" after each dropped "\r" sits in the LF copy.
        self._in_copy = [r - k for k, r in enumerate(removed)]

    def start_to_original(self, offset: int) -> int:
        """Original index of the character at ``offset`` in the LF copy."""
        return offset + bisect_right(self._in_copy, offset)

    def end_to_original(self, offset: int) -> int:
        """Original (exclusive) end of a range that ends at ``offset`` in the LF copy."""
        return 0 if offset <= 0 else self.start_to_original(offset - 1) + 1

    def to_original(self, span: Offsets) -> Offsets:
        return self.start_to_original(span[0]), self.end_to_original(span[1])

    def to_copy(self, span: Offsets) -> Offsets:
        """A range of the original text as a range of the LF copy."""
        start, end = span
        return start - bisect_left(self.removed, start), end - bisect_left(self.removed, end)


def normalize_newlines(text: str) -> tuple[str, NewlineMap | None]:
    """The LF copy of ``text`` and its map (None when no ``\\r\\n`` was dropped)."""
    if "\r" not in text:
        return text, None
    removed = []
    start = 0
    while (i := text.find("\r\n", start)) >= 0:
        removed.append(i)
        start = i + 2
    copy = text.replace("\r\n", "\n").replace("\r", "\n")
    return copy, (NewlineMap(removed) if removed else None)


def normalize_article(article: Article) -> tuple[Article, NewlineMap | None]:
    """The article with LF newlines (its excluded ranges moved along) and the map back.

    An article without ``\\r`` comes back as the same object, with None.
    """
    if "\r" not in article.text:
        return article, None
    text, nmap = normalize_newlines(article.text)
    excluded = article.excluded
    if nmap is not None:
        excluded = tuple(
            dataclasses.replace(e, start=s, end=t)
            for e in excluded
            for s, t in [nmap.to_copy((e.start, e.end))]
        )
    return dataclasses.replace(article, text=text, excluded=excluded), nmap


def restore_analysis(analysis: Analysis, original: Article, nmap: NewlineMap | None) -> Analysis:
    """The analysis of an LF copy, told about ``original``: every span mapped back."""
    copy_text = analysis.article.text
    if copy_text == original.text:
        return dataclasses.replace(analysis, article=original)

    def span(ts: TextSpan) -> TextSpan:
        # No map: only lone "\r"s were changed, in place (same offsets, other characters).
        spans = tuple(nmap.to_original(s) for s in ts.spans) if nmap else ts.spans
        # The text joins the ranges (TextSpan's contract): re-read it from the original,
        # unless it was something else (then it is kept as it is).
        if ts.text == " ".join(copy_text[s:e] for s, e in ts.spans):
            return TextSpan(" ".join(original.text[s:e] for s, e in spans), spans)
        return TextSpan(ts.text, spans)

    mapped = _map_spans(analysis, span)
    return dataclasses.replace(mapped, article=original)


def _map_spans(value: T, fn: Any) -> T:
    # Every TextSpan anywhere in the record (a new field included) is mapped.
    if isinstance(value, TextSpan):
        return fn(value)
    if isinstance(value, tuple):
        return tuple(_map_spans(v, fn) for v in value)  # type: ignore[return-value]
    if isinstance(value, Article):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _map_spans(getattr(value, f.name), fn)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    return value
