"""Claim units and how two claim texts compare.

Every attributed content that states a proposition and every unattributed assertion of an
article is a claim (``claims_from_record``), with its offsets into the article text; a
content that names a thing, a topic or a question ("criticism of the plan", "whether he
would run") stays an attribution but is no claim (``is_claim_content``). Two claims whose
vectors are close are still not one claim when one denies what the other asserts or
they state different figures (``conflict``); a mid-range cosine is backed by shared
content words (``lexical_support``). ``embedding_text`` is the part of a claim that is
encoded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ..attributions.proposition import looks_like_proposition

# Claims shorter than this many words are fragments ("it said", "yes"): not linked.
MIN_CLAIM_WORDS = 4
# lexical_support: shared content stems, and the share of the shorter claim's stems.
MIN_SHARED_STEMS = 3
MIN_STEM_OVERLAP = 0.5
_WORD_RE = re.compile(r"\w+")
_STOP_TEXT = """a an the and or but of in on at to for from by with as into onto over under about
    after before than then that this these those there here it its they them their he
    him his she her we our you your i me my is are was were be been being am has have
    had do does did will would shall should can could may might must said says say
    told tells according also just very more most some any all each such which who whom
    whose what when where while if so up out off"""
_STOP = frozenset(_STOP_TEXT.split())
# Clause negation only: "had no insulin left" says what "ran out of insulin" says.
_NEGATORS = frozenset({"not", "never"})
_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
)
_TEN_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_UNITS = {w: i for i, w in enumerate(_UNIT_WORDS.split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(_TEN_WORDS.split())}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?|[a-z]+")


def _stem(word: str) -> str:
    """A crude suffix-stripper: enough to meet "smugglers"/"smuggling", "cleared"/"clear"."""
    for suffix in ("ing", "ers", "ed", "es", "er", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> set[str]:
    """The stems of a text's content words (no stop words, negators or digits)."""
    words = [w for w in _WORD_RE.findall(text.lower().replace("n't", " not"))]
    return {_stem(w) for w in words if w not in _STOP and w not in _NEGATORS and not w.isdigit()}


def numbers(text: str) -> set[float]:
    """The figures a claim states, digits or words ("5,000" and "five thousand" agree)."""
    out: set[float] = set()
    cur: float | None = None
    total = 0.0

    def close() -> None:
        nonlocal cur, total
        if cur is not None:
            out.add(total + cur)
        cur, total = None, 0.0

    toks = _NUMBER_RE.findall(text.lower())
    for k, tok in enumerate(toks):
        nxt = toks[k + 1] if k + 1 < len(toks) else ""
        if tok in ("a", "one") and cur is None and nxt not in _SCALES:
            continue  # "one of them", "a deal": not a figure; "a thousand" is
        if tok == "a":
            tok = "one"
        if tok[0].isdigit():
            close()
            try:
                cur = float(tok.replace(",", ""))
            except ValueError:
                continue
        elif tok in _UNITS or tok in _TENS:
            cur = (cur or 0) + _UNITS.get(tok, _TENS.get(tok, 0))
        elif tok in _SCALES and cur is not None:
            if _SCALES[tok] == 100:
                cur *= 100
            else:
                total += cur * _SCALES[tok]
                cur = 0
        elif tok != "and" or cur is None:
            close()
    close()
    return out


def _negated(text: str) -> bool:
    words = _WORD_RE.findall(text.lower().replace("n't", " not"))
    return sum(w in _NEGATORS for w in words) % 2 == 1


def conflict(a: str, b: str) -> bool:
    """Two texts that cannot be one claim however close their vectors: one denies what
    the other asserts, or they state figures and share none."""
    if _negated(a) != _negated(b):
        return True
    na, nb = numbers(a), numbers(b)
    return bool(na and nb and not na & nb)


def polarity_differs(a: str, b: str) -> bool:
    """One of the two denies (clause negation) and the other does not."""
    return _negated(a) != _negated(b)


_CONTRACTED_RE = re.compile(r"\b(won|can|shan)'t\b|n't\b", re.IGNORECASE)
_CONTRACTED = {"won": "will", "can": "can", "shan": "shall"}
_NEGATOR_RE = re.compile(r"\b(?:not|never)\b\s*", re.IGNORECASE)
_FIGURE_WORDS = "|".join([*_UNITS, *_TENS, *_SCALES])
_FIGURE_RE = re.compile(
    rf"\d[\d,]*(?:\.\d+)?|\b(?:{_FIGURE_WORDS})\b(?:[\s-]+(?:and\s+)?(?:{_FIGURE_WORDS})\b)*",
    re.IGNORECASE,
)


def masked(text: str) -> str:
    """The text without what ``conflict`` looks at: negators dropped, figures as "#".
    Two claims that agree once masked are on one proposition (a dispute, not a topic)."""
    text = _CONTRACTED_RE.sub(lambda m: _CONTRACTED.get((m.group(1) or "").lower(), ""), text)
    return _FIGURE_RE.sub("#", _NEGATOR_RE.sub("", text))


def lexical_support(a: str, b: str) -> bool:
    """Enough of the same content words (stems) to back a mid-range cosine."""
    sa, sb = content_stems(a), content_stems(b)
    shared = len(sa & sb)
    return shared >= MIN_SHARED_STEMS and shared >= MIN_STEM_OVERLAP * min(len(sa), len(sb))


def is_claim_content(attribution: dict[str, Any]) -> bool:
    """Whether an attribution record's content is a proposition: the analysis's own
    ``proposition`` field (read from the parse), else a guess from the words alone for
    records written before the field existed (schema 1.0)."""
    flag = attribution.get("proposition")
    if flag is not None:
        return bool(flag)
    return looks_like_proposition((attribution.get("content") or {}).get("text") or "")


def claims_from_record(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Claim rows (table ``claims``) for one analysis record."""
    aid = str(record["id"])
    atts = record.get("attributions") or []
    cue_starts = [
        s[0] for a in atts for s in ((a.get("cue") or {}).get("spans") or [])[:1] if s[1] > s[0]
    ]
    for a in atts:
        content = a.get("content") or {}
        text = content.get("text") or ""
        spans = content.get("spans") or []
        if not spans or len(_WORD_RE.findall(text)) < MIN_CLAIM_WORDS:
            continue
        if not is_claim_content(a):
            continue
        if any(s <= c < e for s, e in spans for c in cue_starts):
            # "X said Y had told it that C": the claim is Y's C, relayed by X (the
            # inner attribution carries X in relayed_by); X's whole sentence is not
            # a second claim.
            continue
        src = a.get("source") or {}
        yield {
            "id": f"{aid}:{a.get('id')}",
            "article_id": aid,
            "kind": "attributed",
            "attribution_id": a.get("id"),
            "text": text,
            "start_offset": int(spans[0][0]),
            "end_offset": int(spans[-1][1]),
            "spans": json.dumps(spans),
            "source_text": src.get("text"),
            "source_type": src.get("type") if src else None,
            "source_local_actor": src.get("actor"),
            "relayed_by": json.dumps(a.get("relayed_by") or [], ensure_ascii=False),
            "cluster_id": None,
        }
    for n, u in enumerate(record.get("unattributed") or [], 1):
        text = u.get("text") or ""
        spans = u.get("spans") or []
        if not spans or len(_WORD_RE.findall(text)) < MIN_CLAIM_WORDS:
            continue
        yield {
            "id": f"{aid}:u{n}",
            "article_id": aid,
            "kind": "unattributed",
            "attribution_id": None,
            "text": text,
            "start_offset": int(spans[0][0]),
            "end_offset": int(spans[-1][1]),
            "spans": json.dumps(spans),
            "source_text": None,
            "source_type": None,
            "source_local_actor": None,
            "relayed_by": "[]",
            "cluster_id": None,
        }


# "PORT LERIN, Sept 10 -" / "KESSA (Harbour Gazette) -": a wire dateline opening a
# sentence is not part of the claim.
_DATELINE_RE = re.compile(
    r"^[A-Z][A-Z .'\-]{2,40}(?:\([^)]{1,60}\))?,?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*)?"
    r"[-\u2013\u2014]\s+"
)
_THAT_RE = re.compile(r"^(?:that|whether)\s+", re.IGNORECASE)


def embedding_text(text: str) -> str:
    """The words that carry the claim: no dateline, no leading complementiser."""
    text = _DATELINE_RE.sub("", text.strip())
    return _THAT_RE.sub("", text)
