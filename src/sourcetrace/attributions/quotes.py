"""Find quotations by their marks, on the raw text (the parser splits them badly)."""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN_CURLY = "\u201c"  # “
CLOSE_CURLY = "\u201d"  # ”
STRAIGHT = '"'
# A quote longer than this with no closing mark is treated as unterminated noise.
MAX_QUOTE_CHARS = 6000
# Most quotations paired in one text; later marks are left as plain characters. Every
# rule looks at each quote against the tokens or the other quotes, so their number
# multiplies the work: 20,000 marks in a 20 KB file took 136 s and 1.1 GB. The 1,221
# PolNeAR and PTC texts hold at most 234 marks (117 quotes); 1,000 is far past any article.
MAX_QUOTES = 1000

_PARA = re.compile(r"\n\s*\n|\n")


class Quotes(list["Quote"]):
    """find_quotes' result: the quotes, and how many past MAX_QUOTES were dropped."""

    dropped: int = 0


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: [start, end) includes both marks.

    continued: the quote runs on into a following paragraph that opens with a
      new mark (newspaper convention for multi-paragraph quotes).
    """

    start: int
    end: int
    closed: bool = True

    @property
    def inner(self) -> tuple[int, int]:
        return (self.start + 1, self.end - 1 if self.closed else self.end)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _PARA.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if e > s]


def find_quotes(text: str) -> Quotes:
    """Quotation spans in text order, the first MAX_QUOTES of them (``.dropped`` counts
    the rest).

    Curly marks pair “ with ”. Straight marks toggle within a paragraph. A
    paragraph that opens a quote and ends without closing it continues into the
    next paragraph when that one opens with a mark too; the quote then spans both
    (it becomes one Quote running to the final close).
    """
    quotes: list[Quote] = []
    pending: int | None = None  # start of a quote left open at a paragraph end
    for ps, pe in _paragraphs(text):
        i = ps
        open_at: int | None = None
        opener = ""
        if pending is not None and text[ps] not in (OPEN_CURLY, STRAIGHT, "'"):
            # The open quote did not continue: close it at the previous paragraph end.
            quotes.append(Quote(pending, _prev_end(text, ps), closed=False))
            pending = None
        while i < pe:
            ch = text[i]
            if ch == "'" and text[i + 1 : i + 2] == "'":
                ch = STRAIGHT  # '' as a quotation mark (some wire styles); a 2-char mark
                if open_at is None:
                    open_at, opener = i, STRAIGHT
                    i += 2
                    continue
                if opener == STRAIGHT:
                    start = pending if pending is not None else open_at
                    pending = None
                    if i + 2 - start <= MAX_QUOTE_CHARS:
                        quotes.append(Quote(start, i + 2))
                    open_at = None
                    i += 2
                    continue
            if open_at is None:
                if ch == OPEN_CURLY or (ch == STRAIGHT and _opens(text, i)):
                    open_at, opener = i, ch
            else:
                closes = (opener == OPEN_CURLY and ch == CLOSE_CURLY) or (
                    opener == STRAIGHT and ch == STRAIGHT
                )
                if closes:
                    start = pending if pending is not None else open_at
                    pending = None
                    if i + 1 - start <= MAX_QUOTE_CHARS:
                        quotes.append(Quote(start, i + 1))
                    open_at = None
                elif opener == OPEN_CURLY and ch == OPEN_CURLY:
                    open_at = i  # unbalanced: restart at the newer mark
            i += 1
        if open_at is not None and pending is None:
            pending = open_at
    if pending is not None:
        quotes.append(Quote(pending, _prev_end(text, len(text)), closed=False))
    found = [q for q in quotes if q.end - q.start > 2]
    out = Quotes(found[:MAX_QUOTES])
    out.dropped = len(found) - len(out)
    return out


def _opens(text: str, i: int) -> bool:
    """A straight mark opens a quote unless it sits right after a word (inch marks, 5")."""
    return not (i > 0 and text[i - 1].isdigit())


def _prev_end(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos
