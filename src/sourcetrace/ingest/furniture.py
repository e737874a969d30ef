"""Find page furniture in plain text: breadcrumbs, related-link lists, datelines, URLs.

The text is never changed. ``find_furniture`` returns ``Excluded`` ranges (offsets into the
exact string it was given) plus metadata lifted from the furniture (title, outlet,
published date, url, author).

Detection runs in this order, each pass only looking at lines earlier passes left alone:

1. head: breadcrumb, byline, dateline and URL-only lines at the very top;
2. tail: walking up from the end over furniture headings ("Related posts", "Leave a
   Comment", "Share this:", "Tags: ...") with the short headline-like lines under them,
   URL-only lines and datelines; it stops at the first line of ordinary prose;
3. anywhere: a line that is nothing but a furniture heading ("Read more", "Advertisement");
4. title: the first line left, if headline-shaped, becomes metadata["title"] (not
   excluded, headlines carry claims); an identical line right after it is excluded, and
   so are a byline or dateline just under it.

Everything is conservative: a line with more than one sentence, or longer than a headline,
is never excluded.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..model.article import Excluded

logger = logging.getLogger(__name__)

__all__ = ["find_furniture", "parse_dateline", "parse_date"]

# A headline / related-link line has at most this many words. News headlines run 6-15
# words; 20 leaves room for long ones while keeping ordinary paragraphs (30+ words) out.
MAX_HEADLINE_WORDS = 20
# Breadcrumbs and top datelines only count within the first few non-blank lines.
HEAD_LINES = 5
# A dateline is short: outlet (a few words) plus a date.
MAX_DATELINE_WORDS = 12

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_BREADCRUMB_HOME_RE = re.compile(
    r"^(?:you are here:?\s*)?(?:home|homepage|start)\s*(?:»|›|>|/|→|\||::)\s*\S", re.IGNORECASE
)
_BREADCRUMB_SEP_RE = re.compile(r"\s(?:»|›|>|→)\s")
# Two sentences on one line ("... said. The ...") mean prose, never a headline.
_SENTENCE_BREAK_RE = re.compile(r"[.!?][\"'”’)]*\s+[\"'“‘(]*[A-Z0-9]")

# Furniture headings, matched against the whole (stripped) line, case-insensitive.
# Order matters only for readability; the first match gives the kind.
_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            "related",
            r"(?:related(?: posts?| articles?| stories| story| news| content| coverage| links"
            r"| reading| topics)?|you (?:may|might) (?:also )?(?:like|be interested in)"
            r"|(?:read|see) (?:more|also)|also read|further reading"
            r"|more (?:stories|news|articles)(?: from [^.]{1,60})?|more from [^.]{1,60}"
            r"|recommended(?: for you| stories| articles)?"
            r"|most (?:read|popular|viewed|shared)|trending(?: now| stories)?|popular posts"
            r"|latest (?:news|posts|stories)|recent posts|previous post|next post)"
            r"\s*[:…]?",
        ),
        ("related", r"(?:read more|read also|see also|also read|related)\s*:\s*\S.{0,200}"),
        (
            "comment",
            r"(?:leave a (?:comment|reply)|post a comment|add a comment|\d*\s*comments?"
            r"|join the (?:discussion|conversation)|comments are closed\.?"
            r"|you must be logged in to post a comment\.?)\s*[:…]?",
        ),
        (
            "share",
            r"(?:share(?: this)?(?: article| story| post| page)?(?: on \w+)?|share via \w+"
            r"|click to share on \w+(?: \(opens in new window\))?|like this:?"
            r"|print this (?:article|page)|email this (?:article|page))\s*[:…]?",
        ),
        ("tags", r"(?:tags?|tagged(?: with)?|filed under|categories)\s*:.{0,300}"),
        ("ad", r"(?:advertisement|sponsored(?: content)?|\[?ad\]?)"),
    )
)

# Lines of a comment form; they only count inside a tail block that a heading opened.
_COMMENT_FORM_RE = re.compile(
    r"^(?:your email address will not be published\.?.*|required fields are marked.*"
    r"|(?:name|email|website|comment)\s*\*?|post comment|save my name, email.*"
    r"|notify me of (?:new|follow-up).*|cancel reply)$",
    re.IGNORECASE,
)

# "By Ana Ruiz", "By Ana Ruiz and Tom Bell": names only, so "By Monday, the ..." is prose.
_BYLINE_RE = re.compile(r"^by\s+(?P<name>\S.{0,80})$", re.IGNORECASE)
_NAME_PARTICLES = frozenset({"and", "&", "de", "del", "van", "von", "der", "la", "le", "bin", "da"})
_WEEKDAY_RE = re.compile(
    r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s+",
    re.IGNORECASE,
)
_ORDINAL_RE = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
_TIME_TAIL_RE = re.compile(r"[\s,]*(?:at\s+)?\d{1,2}:\d{2}.*$", re.IGNORECASE)
_DATE_PREFIX_RE = re.compile(
    r"^(?:posted|published|updated|last updated|date)(?:\s+on)?\s*[:\-–]?\s*", re.IGNORECASE
)
# "Outlet – date": the outlet is a few words, the separator a dash, pipe or bullet.
# Commas are not separators: "Washington, June 5, 2017" is a place, not an outlet.
_DATELINE_RE = re.compile(
    r"^(?P<outlet>[^\d\s][^|–—•·]{0,60}?)\s+(?:[|–—•·]|-{1,2})\s+(?P<date>.+)$"
)
_DATE_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%d %B, %Y",
    "%d %b, %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%Y-%m-%d",
    "%Y/%m/%d",
)


@dataclass(slots=True)
class _Line:
    start: int  # offset of the first visible character
    end: int  # offset after the last visible character
    text: str  # the visible characters (no surrounding whitespace, no BOM)


def find_furniture(text: str) -> tuple[tuple[Excluded, ...], dict[str, Any]]:
    """Find furniture ranges in ``text`` and metadata lifted from them.

    text (str): the article text; it is only read.
    RETURNS (tuple): (excluded ranges in text order, lifted metadata). Metadata keys, each
        present only when found: title, published (YYYY-MM-DD), outlet, author, url.
        Earlier findings win: a top dateline beats a bottom one.
    """
    lines = _split_lines(text)
    kinds: dict[int, str] = {}
    meta: dict[str, Any] = {}

    _mark_head(lines, kinds, meta)
    _mark_tail(lines, kinds, meta)
    for i, line in enumerate(lines):
        if i not in kinds and (kind := heading_kind(line.text)) is not None:
            kinds[i] = kind
    _mark_title(lines, kinds, meta)

    excluded = _merge(lines, kinds)
    logger.debug("furniture: %d ranges, lifted %s", len(excluded), sorted(meta))
    return excluded, meta


def heading_kind(line: str) -> str | None:
    """Kind of furniture heading ``line`` is ("related", "comment", ...), or None."""
    if not line or len(line) > 320:
        return None
    for kind, pattern in _HEADINGS:
        if pattern.fullmatch(line):
            return kind
    return None


def parse_date(value: str) -> str | None:
    """Parse a human date ("Tue, 20 Jan 2009", "June 5th, 2017 10:30") to YYYY-MM-DD."""
    s = _DATE_PREFIX_RE.sub("", value.strip())
    s = _WEEKDAY_RE.sub("", s)
    s = _TIME_TAIL_RE.sub("", s)
    s = _ORDINAL_RE.sub("", s)
    s = re.sub(r"\b(Sept)\b", "Sep", s, flags=re.IGNORECASE)
    s = re.sub(r"(?<=[A-Za-z])\.", "", s)  # "Jan. 5" -> "Jan 5"
    s = " ".join(s.split()).strip(" ,.;")
    for fmt in _DATE_FORMATS:
        try:
            parsed: date = datetime.strptime(s, fmt).date()
        except ValueError:
            continue
        if 1800 <= parsed.year <= 2200:
            return parsed.isoformat()
    return None


def parse_dateline(line: str) -> dict[str, str] | None:
    """Parse a dateline ("Reuters - 3 March 2015", "By Ana Ruiz | June 5, 2017", a bare date).

    RETURNS (dict | None): {"published": ..., "outlet"/"author": ...}, or None when the line
        is not a dateline.
    """
    line = line.strip()
    if not line or len(line.split()) > MAX_DATELINE_WORDS:
        return None
    if (published := parse_date(line)) is not None:
        return {"published": published}
    m = _DATELINE_RE.match(line)
    if m is None or (published := parse_date(m["date"])) is None:
        return None
    who = m["outlet"].strip()
    if re.match(r"^by\s+\S", who, re.IGNORECASE):
        return {"published": published, "author": who[2:].strip()}
    return {"published": published, "outlet": who}


def _split_lines(text: str) -> list[_Line]:
    # Only \n, \r\n and \r end a line; str.splitlines would also split on \x0c, \u2028...
    # and the offsets must stay exact.
    lines = []
    for m in _LINE_RE.finditer(text):
        raw = m.group().rstrip("\r\n")
        if not m.group():
            break
        stripped = raw.strip().lstrip("\ufeff").strip()
        lead = raw.find(stripped) if stripped else 0
        start = m.start() + lead
        lines.append(_Line(start, start + len(stripped), stripped))
    return lines


def _words(line: str) -> int:
    return len(line.split())


def _is_headline_like(line: str) -> bool:
    return 0 < _words(line) <= MAX_HEADLINE_WORDS and not _SENTENCE_BREAK_RE.search(line)


def _is_url(line: str) -> bool:
    return bool(_URL_RE.match(line))


def _is_breadcrumb(line: str) -> bool:
    if _BREADCRUMB_HOME_RE.match(line):
        return True
    parts = _BREADCRUMB_SEP_RE.split(line)
    return len(parts) >= 3 and all(0 < _words(p) <= 15 for p in parts)


def _byline_author(line: str) -> str | None:
    m = _BYLINE_RE.match(line)
    if m is None:
        return None
    name = m["name"].strip()
    words = name.replace(",", " ").split()
    if not 0 < len(words) <= 8 or name.endswith("."):
        return None
    if all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words):
        return name
    return None


def _lift(meta: dict[str, Any], found: dict[str, str]) -> None:
    for key, value in found.items():
        meta.setdefault(key, value)


def _mark_head(lines: list[_Line], kinds: dict[int, str], meta: dict[str, Any]) -> None:
    seen = 0
    for i, line in enumerate(lines):
        if not line.text:
            continue
        seen += 1
        if seen > HEAD_LINES:
            return
        if _is_breadcrumb(line.text):
            kinds[i] = "breadcrumb"
        elif _is_url(line.text):
            kinds[i] = "url"
            meta.setdefault("url", line.text)
        elif not _mark_byline_or_dateline(line.text, i, kinds, meta):
            return


def _mark_byline_or_dateline(
    line: str, i: int, kinds: dict[int, str], meta: dict[str, Any]
) -> bool:
    if (author := _byline_author(line)) is not None:
        kinds[i] = "byline"
        meta.setdefault("author", author)
        return True
    if (found := parse_dateline(line)) is not None:
        kinds[i] = "dateline"
        _lift(meta, found)
        return True
    return False


def _mark_tail(lines: list[_Line], kinds: dict[int, str], meta: dict[str, Any]) -> None:
    # Walk up from the end to find where trailing furniture starts: a run of headings,
    # URL lines, datelines and short lines. The run ends at the first line of prose.
    top = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i].text
        if not line:
            continue
        if i in kinds or not (
            heading_kind(line)
            or _is_url(line)
            or parse_dateline(line)
            or _is_headline_like(line)
            or _COMMENT_FORM_RE.match(line)
        ):
            break
        top = i

    # Walk the run down: short lines count only once a heading has opened a block (a
    # related list, a comment form); before that they are the article's own last lines.
    block: str | None = None
    for i in range(top, len(lines)):
        line = lines[i].text
        if not line:
            continue
        if (kind := heading_kind(line)) is not None:
            block = kind
            kinds[i] = kind
        elif block is not None:
            # Inside a related list, URLs and dates belong to the other articles.
            kinds[i] = block
        elif _is_url(line):
            kinds[i] = "url"
            meta.setdefault("url", line)
        elif (found := parse_dateline(line)) is not None:
            kinds[i] = "dateline"
            _lift(meta, found)


def _mark_title(lines: list[_Line], kinds: dict[int, str], meta: dict[str, Any]) -> None:
    first = next((i for i, ln in enumerate(lines) if ln.text and i not in kinds), None)
    if first is None:
        return
    title = lines[first].text
    if _words(title) >= MAX_HEADLINE_WORDS or title.rstrip("\"'”’)").endswith((".", ":", ",")):
        return
    if _SENTENCE_BREAK_RE.search(title):
        return
    meta["title"] = title
    following = [i for i in range(first + 1, len(lines)) if lines[i].text][:3]
    if following and following[0] not in kinds and _same(lines[following[0]].text, title):
        kinds[following[0]] = "title_repeat"
        following = following[1:]
    # A byline and a date often sit right under the headline.
    for i in following[:2]:
        if i in kinds or not _mark_byline_or_dateline(lines[i].text, i, kinds, meta):
            break


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _merge(lines: list[_Line], kinds: dict[int, str]) -> tuple[Excluded, ...]:
    # Consecutive non-blank lines of one kind become one range (blank lines between them
    # are swallowed); a line of another kind or a kept line ends the range.
    out: list[Excluded] = []
    cur: list[Any] | None = None  # [start, end, kind]
    for i, line in enumerate(lines):
        if not line.text:
            continue
        kind = kinds.get(i)
        if cur is not None and kind == cur[2]:
            cur[1] = line.end
            continue
        if cur is not None:
            out.append(Excluded(cur[0], cur[1], cur[2]))
            cur = None
        if kind is not None:
            cur = [line.start, line.end, kind]
    if cur is not None:
        out.append(Excluded(cur[0], cur[1], cur[2]))
    return tuple(out)
