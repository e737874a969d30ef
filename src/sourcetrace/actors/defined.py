"""Aliases an article defines itself.

"the Mojahedin-e Khalq Organization (MKO)", "Full Name (ABBR, also known as X, Y and Z)",
"(aka X)", "Full Name, also known as X", "X, also called Y": ``find_defined_aliases``
returns (alias, full name) character ranges in text order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model.spans import Offsets
from .names import CONNECTORS, WORD_RE, is_acronym, is_name_word

_AKA_RE = re.compile(
    r"(?:(?:also|better|commonly|widely|sometimes|otherwise|popularly|formerly)\s+)?"
    r"(?:known\s+as|called|referred\s+to\s+as|a\.k\.a\.?|aka)\s+",
    re.IGNORECASE,
)
# Outside parentheses: "Name, also known as X"; bare "called" needs the adverb
# ("Hill called Smith a liar" defines nothing).
_AKA_OUTSIDE_RE = re.compile(
    r",?\s+(?:(?:also|better|commonly|widely|sometimes|otherwise|popularly|formerly)\s+"
    r"(?:known\s+as|called|referred\s+to\s+as)|known\s+as|a\.k\.a\.?|aka)\s+",
    re.IGNORECASE,
)
_LIST_SEP_RE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|;\s*|\s+and\s+|\s+or\s+)")
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
_MAX_NAME_WORDS = 12


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in WORD_RE.finditer(text)]


def _trim_name(text: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop connectors and "the" at either end of a run of name words."""
    while words and (text[words[0][0] : words[0][1]].lower() in CONNECTORS):
        words = words[1:]
    while words and not is_name_word(text[words[-1][0] : words[-1][1]]):
        words = words[:-1]
    return words


def _name_before(text: str, words: list[tuple[int, int]], pos: int) -> list[tuple[int, int]]:
    """The run of name words ending right before ``pos`` (only spaces between)."""
    i = _last_word_before(words, pos)
    run: list[tuple[int, int]] = []
    cur = pos
    while i >= 0 and len(run) < _MAX_NAME_WORDS:
        s, e = words[i]
        gap = text[e:cur]
        if gap.strip() or "\n" in gap:
            break
        w = text[s:e]
        if not (is_name_word(w) or w.lower() in CONNECTORS):
            break
        run.append((s, e))
        cur = s
        i -= 1
    run.reverse()
    return _trim_name(text, run)


def _name_after(text: str, words: list[tuple[int, int]], pos: int) -> list[tuple[int, int]]:
    """The run of name words starting at ``pos`` (a leading "the" and quotes skipped)."""
    i = _first_word_at(words, pos)
    run: list[tuple[int, int]] = []
    cur = pos
    while i < len(words) and len(run) < _MAX_NAME_WORDS:
        s, e = words[i]
        gap = text[cur:s]
        if gap.strip(_QUOTES + " \t") or "\n" in gap:
            break
        w = text[s:e]
        if not run and w.lower() == "the":
            cur = e
            i += 1
            continue
        if not (is_name_word(w) or (run and w.lower() in CONNECTORS)):
            break
        run.append((s, e))
        cur = e
        i += 1
    return _trim_name(text, run)


def _last_word_before(words: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi) // 2
        if words[mid][1] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


def _first_word_at(words: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi) // 2
        if words[mid][0] < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _initials(word: str) -> list[str]:
    parts = [p for p in re.split(r"[-\u2010\u2011'\u2019]", word) if p]
    return [p[0].lower() for p in parts if p[0].isalnum()]


def _is_subsequence(needle: Sequence[str], hay: Sequence[str]) -> bool:
    it = iter(hay)
    return all(any(c == h for h in it) for c in needle)


def _match_acronym(
    text: str, run: list[tuple[int, int]], acronym: str
) -> list[tuple[int, int]] | None:
    """The part of a name run whose initials spell ``acronym`` (loosely), or None.

    Loose: the first letter must start the name and every letter must appear, in order,
    among the initials of the words (connectors and hyphen parts included). Of the runs
    that fit, the one with as many capitalised words as letters wins, then the longest.
    """
    letters = [c.lower() for c in acronym if c.isalnum()]
    if not letters or not run:
        return None
    best: tuple[int, int] | None = None
    best_run = None
    for k in range(len(run)):
        sub = run[k:]
        first = text[sub[0][0] : sub[0][1]]
        if not is_name_word(first) or first.lower() == "the":
            continue
        inits = [c for s, e in sub for c in _initials(text[s:e])]
        first_inits = _initials(first)
        if letters[0] not in first_inits[:2] or not _is_subsequence(letters, inits):
            continue
        caps = sum(1 for s, e in sub if text[s : s + 1].isupper())
        score = (abs(caps - len(letters)), -len(sub))
        if best is None or score < best:
            best, best_run = score, sub
    return best_run


def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Items of "X, Y and Z" between start and end, each without "the" and quotes."""
    items: list[tuple[int, int]] = []
    pos = start
    for m in [*_LIST_SEP_RE.finditer(text, start, end), None]:
        stop = m.start() if m is not None else end
        s, e = pos, stop
        while s < e and (text[s].isspace() or text[s] in _QUOTES):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in _QUOTES + ".,;"):
            e -= 1
        if text[s:e].lower().startswith("the "):
            s += 4
        if s < e and len(text[s:e].split()) <= 8:
            items.append((s, e))
        if m is not None:
            pos = m.end()
    return items


def find_defined_aliases(text: str) -> list[tuple[Offsets, Offsets]]:
    """Aliases the text defines: ``[(alias_span, full_span), ...]`` in text order.

    Recognised:
      "Full Name (ABBR)" and "Full Name (ABBR, also known as X, Y and Z)": ABBR must
        match the initials of the full name loosely (see ``_match_acronym``);
      "Full Name (also known as X)", "(aka X)", "(known as X)": every listed item;
      "Full Name, also known as X and Y", "X, also called Y", "X, aka Y": the capitalised
        names that follow.
    The full name is the run of capitalised words (with "of", "the", "al-", "-e"...)
    right before the definition.

    text (str): article text.
    RETURNS (list[tuple[Offsets, Offsets]]): (alias, full name) character ranges.
    """
    words = _words(text)
    pairs: list[tuple[Offsets, Offsets]] = []

    for m in re.finditer(r"\(([^()\n]{1,200})\)", text):
        inner_start, inner_end = m.start(1), m.end(1)
        run = _name_before(text, words, m.start())
        if not run:
            continue
        inner = text[inner_start:inner_end]
        aka = _AKA_RE.search(inner)
        head_end = inner_start + (aka.start() if aka else len(inner))
        head = text[inner_start:head_end].strip(" ,;")
        full: list[tuple[int, int]] | None = None
        if head and is_acronym(head):
            full = _match_acronym(text, run, head)
            if full is not None:
                a_s = inner_start + inner.index(head)
                pairs.append(((a_s, a_s + len(head)), (full[0][0], full[-1][1])))
        if aka is None:
            continue
        if full is None:
            if head:  # "(something else, also known as ...)": not a definition we trust
                continue
            full = run
        for item in _list_items(text, inner_start + aka.end(), inner_end):
            pairs.append((item, (full[0][0], full[-1][1])))

    for m in _AKA_OUTSIDE_RE.finditer(text):
        if text.rfind("(", 0, m.start()) > text.rfind(")", 0, m.start()):
            continue  # inside parentheses: done above
        run = _name_before(text, words, m.start())
        if not run:
            continue
        pos = m.end()
        while True:
            item = _name_after(text, words, pos)
            if not item:
                break
            pairs.append(((item[0][0], item[-1][1]), (run[0][0], run[-1][1])))
            sep = _LIST_SEP_RE.match(text, item[-1][1])
            if sep is None:
                break
            pos = sep.end()

    out: list[tuple[Offsets, Offsets]] = []
    seen: set[tuple[Offsets, Offsets]] = set()
    for alias, full in sorted(pairs):
        if alias != full and (alias, full) not in seen:
            seen.add((alias, full))
            out.append((alias, full))
    return out
