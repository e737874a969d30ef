"""Name keys: folding, normalising and near-spelling matching of actor names.

``normalise_name(s)`` gives the matching key: case, diacritics, apostrophes, dashes, a
leading "the", Arabic "al-"/"el-" prefixes, Persian ezafe joiners and common
transliteration variants are folded ("Mojahedin-e Khalq" == "Mujahedeen Khalq").
``fuzzy_score`` compares two keys for the near-spelling fallback. The word-level helpers
(name words, connectors, acronyms, name particles, honorifics) serve the alias
definitions, the title splitting and the surname joining of the sibling modules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz

# Near-spelling fallback: max(fuzz.ratio, fuzz.token_sort_ratio) on normalised keys.
# Hand-set, not benchmark-tuned: one wrong or dropped letter in a name of 10+ letters
# ("Mujahedin Khalk Organisation") scores 93-97, while distinct place names that differ
# by a syllable ("Austria"/"Australia", 87.5) stay below.
FUZZY_MIN_SCORE = 90.0
# Keys shorter than this (without spaces) only match exactly: one letter is too much of
# a difference in "Iran"/"Iraq", "MEK"/"MKO", "Hamas"/"Hamad".
FUZZY_MIN_LENGTH = 5


_APOSTROPHES_RE = re.compile("['\u2018\u2019\u02bc\u02bb\u02bf\u02be`\u00b4\u2032]")
_DASHES_RE = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_NON_WORD_RE = re.compile(r"[^\w\s-]|_")
_DOUBLE_RE = re.compile(r"(\w)\1+")
# Arabic article before a hyphen: al-Maliki, el-Sisi, ash-Shabaab, ad-Dawla.
_HYPHEN_ARTICLES = frozenset({"al", "el", "ul", "ad", "an", "ar", "as", "ash", "at", "az"})
# The same as a separate word ("Al Qaeda"); only al/el, "as"/"an"/"at" are English.
_WORD_ARTICLES = frozenset({"al", "el"})
# Persian ezafe joiners: Mojahedin-e Khalq, Hizb-i Islami, Khaneh-ye.
_EZAFE = frozenset({"e", "i", "ye", "y"})
_WORD_EZAFE = frozenset({"e", "ye"})
_VOWEL_FOLD = str.maketrans({"o": "u", "e": "i"})


def _fold(token: str) -> str:
    """Fold transliteration variants: ee/oo/ou, o->u, e->i, doubled letters."""
    token = token.replace("ee", "i").replace("oo", "u").replace("ou", "u")
    token = token.translate(_VOWEL_FOLD)
    return _DOUBLE_RE.sub(r"\1", token)


def normalise_name(name: str) -> str:
    """Matching key for a name: space-separated folded tokens.

    Casefolds; strips diacritics and apostrophes; unifies dashes; drops dots ("U.N."),
    a leading "the", Arabic article prefixes ("al-", "al ", "el-"...) and ezafe joiners
    ("-e", "-i", "-ye"); then folds vowels (o->u, e->i, ee->i, ou->u) and doubled letters,
    so Mojahedin/Mujahedin/Mujahedeen/Mujahideen all give "mujahidin".

    name (str): a surface form.
    RETURNS (str): the key ("" when nothing is left).
    """
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = _APOSTROPHES_RE.sub("", s)
    s = _DASHES_RE.sub("-", s)
    s = s.replace("&", " and ").replace(".", "")
    s = _NON_WORD_RE.sub(" ", s)
    tokens: list[str] = []
    for word in s.split():
        parts = [p for p in word.split("-") if p]
        if not parts:
            continue
        if len(parts) > 1 and parts[0] in _HYPHEN_ARTICLES:
            parts = parts[1:]
        tokens.append(parts[0])
        tokens.extend(p for p in parts[1:] if p not in _EZAFE)
    out: list[str] = []
    for i, tok in enumerate(tokens):
        last = i == len(tokens) - 1
        if tok in _WORD_ARTICLES and not last:
            continue
        if tok in _WORD_EZAFE and i > 0 and not last:
            continue
        out.append(tok)
    if len(out) > 1 and out[0] == "the":
        out = out[1:]
    return " ".join(_fold(t) for t in out)


_GENERIC_TRAILING = frozenset(
    _fold(w)
    for w in ("organization", "organisation", "organizations", "group", "movement", "agency")
)


def secondary_key(key: str) -> str:
    """The key without generic trailing words ("... Organization", "... Group")."""
    toks = key.split()
    while len(toks) > 1 and toks[-1] in _GENERIC_TRAILING:
        toks.pop()
    return " ".join(toks)


def compact_key(key: str) -> str:
    """Key without spaces: "Press TV" == "PressTV", "Mc Cain" == "McCain"."""
    return key.replace(" ", "")


def fuzzy_score(a: str, b: str, **_: Any) -> float:
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))


def fuzzy_ok(a: str, b: str) -> bool:
    if min(len(compact_key(a)), len(compact_key(b))) < FUZZY_MIN_LENGTH:
        return False
    return fuzzy_score(a, b) >= FUZZY_MIN_SCORE


def dedupe(items: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        item = item.strip()
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return tuple(out)


# Words of a name: "U.S.", "Mojahedin-e", "People's", "al-Qaeda", "Mc".
WORD_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W_](?:[\w'\u2019\-]*[^\W_])?")
# Lower-case words allowed inside a multi-word name.
CONNECTORS = frozenset(
    {
        "of",
        "for",
        "the",
        "and",
        "&",
        "de",
        "du",
        "des",
        "la",
        "le",
        "al",
        "el",
        "e",
        "i",
        "ye",
        "von",
        "van",
        "der",
        "den",
        "bin",
        "ibn",
        "in",
        "on",
        "del",
        "di",
        "da",
        "y",
    }
)
ARTICLE_WORD_RE = re.compile(r"(?:al|el|ad|an|ar|as|ash|at|az)[-\u2010\u2011][A-Z]")
_ACRONYM_RE = re.compile(r"(?:[A-Z]\.){2,}|[A-Z][A-Za-z0-9&/\-]{1,11}")


def is_acronym(token: str) -> bool:
    if not _ACRONYM_RE.fullmatch(token):
        return False
    if sum(c.isupper() for c in token) < 2:
        return False
    return re.search(r"[a-z]{3,}", token) is None


def is_name_word(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or bool(ARTICLE_WORD_RE.match(word))


def acronym_initials(name: str) -> str:
    """Initials of the capitalised words: "Front for the Liberation of Xandaria" -> "flx"."""
    out = []
    for w in WORD_RE.findall(name):
        if w.lower() in CONNECTORS:
            continue
        if w[:1].isupper() or ARTICLE_WORD_RE.match(w):
            parts = [p for p in re.split(r"[-\u2010\u2011]", w) if p]
            parts = [p for p in parts if p[:1].isupper()] or parts
            out.append(parts[0][0].lower())
    return "".join(out)


_HONORIFIC_BEFORE_RE = re.compile(r"(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?\s+$")


def after_honorific(text: str, start: int) -> bool:
    return bool(_HONORIFIC_BEFORE_RE.search(text[max(0, start - 6) : start]))


def strip_particle(word: str) -> str:
    m = ARTICLE_WORD_RE.match(word)
    return word[m.end() - 1 :] if m else word
