"""Titles and roles of persons: ``role_and_name`` splits them off a person mention.

"Iranian Foreign Minister Mohammad Javad Zarif" -> ("Iranian Foreign Minister",
"Mohammad Javad Zarif"). ``TITLE_WORDS`` is the vocabulary of title words.
"""

from __future__ import annotations

import re

from .names import ARTICLE_WORD_RE

# Words of titles and roles (casefolded, without dots). Used to find where a title ends
# and a name begins: "Iranian Foreign Minister Mohammad Javad Zarif".
_TITLE_TEXT = """
    president vice prime minister premier chancellor pm mr mrs ms miss mx messrs dr prof
    professor sen senator rep representative congressman congresswoman gov governor gen
    general lt lieutenant col colonel maj major capt captain cmdr commander adm admiral
    sgt sergeant brig brigadier marshal secretary ambassador envoy spokesman spokeswoman
    spokesperson chairman chairwoman chair director chief head king queen prince princess
    crown emir sheikh shaikh sultan ayatollah grand imam mullah cardinal pope rev reverend
    father bishop rabbi judge justice mayor officer deputy foreign defense defence interior
    finance economy health trade energy oil intelligence security state attorney adviser
    advisor speaker leader supreme mp lawmaker former late acting then new lord lady sir
    dame hon councillor councilman commissioner inspector superintendent detective agent
    undersecretary under assistant executive senior top coach striker goalkeeper
    midfielder defender manager economist engineer analyst lawyer doctor spokesmen
"""
TITLE_WORDS = frozenset(_TITLE_TEXT.split())
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "messrs", "the"})
_NAME_PARTICLES = frozenset(
    {
        "al",
        "el",
        "bin",
        "ibn",
        "bint",
        "van",
        "von",
        "de",
        "da",
        "di",
        "du",
        "del",
        "della",
        "der",
        "den",
        "ter",
        "la",
        "le",
        "dos",
        "das",
        "abu",
        "ul",
    }
)
_POSSESSIVE_RE = re.compile(r"['\u2019]s?$")


def title_key(word: str) -> str:
    return word.strip(".,;:").casefold()


def _is_person_token(word: str) -> bool:
    w = word.strip(",;:")
    if not w:
        return False
    if ARTICLE_WORD_RE.match(w):
        return True
    if not w[:1].isupper():
        return w.casefold() in _NAME_PARTICLES
    letters = [c for c in w if c.isalpha()]
    # All-caps words of 2+ letters are acronyms ("US", "UN", "PM"), not names;
    # initials ("J.", "J.R.") are fine.
    return not (len(letters) >= 2 and all(c.isupper() for c in letters) and "." not in w)


def _split_title(s: str) -> tuple[str | None, str]:
    toks = [(m.start(), m.end()) for m in re.finditer(r"\S+", s)]
    i = len(toks)
    while i > 0 and _is_person_token(s[toks[i - 1][0] : toks[i - 1][1]]):
        i -= 1
    run = toks[i:]
    while (
        run
        and not s[run[0][0] : run[0][0] + 1].isupper()
        and not ARTICLE_WORD_RE.match(s[run[0][0] : run[0][1]])
    ):
        run = run[1:]  # leading particles belong to the title part
    if not run:
        return (s.strip() or None), ""
    keys = [title_key(s[a:b]) for a, b in run]
    titled = [k for k in range(len(run) - 1) if keys[k] in TITLE_WORDS]
    if titled:
        run = run[titled[-1] + 1 :]
    elif all(k in TITLE_WORDS for k in keys) and len(run) > 1:
        return s.strip(), ""
    name_start, name_end = run[0][0], run[-1][1]
    name = _POSSESSIVE_RE.sub("", s[name_start:name_end].rstrip(",;:"))
    role = s[:name_start].strip().rstrip(",;:").strip()
    if role and all(title_key(w) in _HONORIFICS for w in role.split()):
        role = ""
    return (role or None), name


def role_and_name(text: str) -> tuple[str | None, str]:
    """Split a person mention into (role or title, name).

    "former US Ambassador to the UN John Bolton" -> ("former US Ambassador to the UN",
    "John Bolton"); "Prime Minister Nouri al-Maliki" -> ("Prime Minister",
    "Nouri al-Maliki"); "Hugh Hill, a doctor" -> ("a doctor", "Hugh Hill");
    "Mr. Hill" -> (None, "Hill"): honorifics are not roles. When no name is found the
    whole text is the role: "the president" -> ("the president", "").

    text (str): the mention.
    RETURNS (tuple[str | None, str]): role (None if none) and name ("" if none).
    """
    s = " ".join(text.split())
    if "," in s:
        left, right = (p.strip() for p in s.split(",", 1))
        right = right.strip(" ,;")
        lrole, lname = _split_title(left)
        if lname and right and not _is_bare_name(right):
            role = ", ".join(r for r in (lrole, right) if r)
            return (role or None), lname
        rrole, rname = _split_title(right)
        if rname and left and not _is_bare_name(left):
            role = ", ".join(r for r in (left, rrole) if r)
            return (role or None), rname
    return _split_title(s)


def _is_bare_name(s: str) -> bool:
    role, name = _split_title(s)
    return role is None and name == s.strip()
