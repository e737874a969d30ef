"""The source type of a gold source mention, guessed by keyword (PolNeAR has no types).

Source recall is reported per type; each gold source gets the type ``guess_source_type``
derives from its text.
"""

from __future__ import annotations

import re

__all__ = ["guess_source_type"]


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PRONOUNS = _wordset(
    "i me my mine we us our ours you your he him his she her hers they them their theirs "
    "who whom whose myself himself herself themselves ourselves"
)
# Anonymity markers anywhere in the mention.
_ANONYMOUS = re.compile(
    r"\bsources?\b|\banonymous|\banonymity\b|\bunnamed\b|\bon condition\b"
    r"|\bauthorized to (?:speak|discuss|comment|talk)\b|\bwith knowledge of\b"
)
# An unnamed descriptor with a relative or "familiar with" clause: "officials who...",
# "a person familiar with...". Only when the mention opens with it (not "John Podesta,
# a former adviser who...").
_ANONYMOUS_DESCRIPTOR = re.compile(
    r"^(?:(?:a|an|one|two|three|four|several|multiple|some|other|another|senior|former|top"
    r"|current|u\.s\.|\w+-level|campaign|administration|intelligence)\s+)*"
    r"(?:officials?|aides?|people|persons?|advis[eo]rs?|insiders?|operatives?|staffers?"
    r"|employees?|members?|democrats?|republicans?|individuals?)\b.*\b(?:who|familiar"
    r"|close to)\b"
)
_TITLES = (
    r"sen|senator|rep|representative|gov|governor|president|director|chairman|chairwoman"
    r"|chair|judge|justice|secretary|spokesman|spokeswoman|spokesperson|host|anchor|author"
    r"|writer|mr|ms|mrs|dr|leader|candidate|nominee|adviser|advisor|aide|strategist|ceo"
    r"|chief|founder|co-founder|professor|attorney|lawyer|speaker|mayor|general|gen|rev"
    r"|pope|officer|executive|manager|analyst|economist|pollster|columnist|reporter|editor"
    r"|commentator|moderator|vice|former|official|mogul|billionaire|businessman|activist"
    r"|prosecutor|pollster|nominee|manager|member"
)
_TITLED_NAME = re.compile(rf"(?i:\b(?:{_TITLES})\b)\.?\s+[A-Z]")
_GOVERNMENT = re.compile(
    r"\bWhite House\b|\badministration\b|\b[Dd]epartment\b|\bgovernment\b|\bPentagon\b"
    r"|\bCongress\b|\bSenate\b|\bthe House\b|\bKremlin\b|\b[Mm]inistry\b|\bFBI\b|\bCIA\b"
    r"|\bNSA\b|\bpolice\b|\bSecret Service\b|\bboard of elections\b|\bthe U\.S\.$"
    r"|\bprosecutors?\b|\bagency\b|\bcourt\b|\bState Department\b"
)
_OUTLETS = re.compile(
    r"\b(?:Times|Post|CNN|Fox|AP|Associated Press|Reuters|NBC|ABC|CBS|MSNBC|NPR|PBS"
    r"|Politico|POLITICO|Breitbart|BuzzFeed|Bloomberg|Wall Street Journal|Journal|USA Today"
    r"|Huffington|HuffPost|Daily Mail|Guardian|BBC|Examiner|The Hill|Newsweek|Atlantic"
    r"|New Yorker|Daily Beast|Mother Jones|National Review|Drudge|Telegraph|AFP|Axios|Vox"
    r"|Slate|Salon|Time magazine|Daily Caller|Western Journalism|Washington Free Beacon"
    r"|Tribune|Herald|Gazette|Chronicle|Globe)\b"
    r"|\b(?:newspaper|network|outlet|magazine|tabloid|broadcaster)\b"
)
_DOCUMENT_NOUNS = _wordset(
    "poll polls survey surveys report study studies memo memos document documents filing "
    "filings letter statement statements video ad ads analysis data results records email "
    "emails book tweet tweets article story transcript complaint lawsuit indictment ruling "
    "findings website release platform"
)
_VAGUE_FIRST = _wordset(
    "some many several few most others other critics observers experts analysts people "
    "reports polls voters supporters opponents detractors skeptics sceptics activists "
    "residents americans democrats republicans conservatives liberals officials lawmakers "
    "members everyone everybody nobody one all both about nearly almost more less half "
    "much"
)
_GROUP_HEAD = _wordset(
    "voters supporters critics opponents experts analysts observers people americans "
    "democrats republicans conservatives liberals officials lawmakers members residents "
    "activists senators families leaders delegates donors workers voters percent"
)
_ORGANIZATION = re.compile(
    r"\b(?:committee|campaign|party|association|foundation|institute|center|centre"
    r"|university|college|inc|corp|corporation|company|group|organi[sz]ation|council|union"
    r"|coalition|pac|firm|club|fund|project|society|league|alliance|federation|chamber"
    r"|commission|board|bank|llc|co|trust|think tank|international|gop|dnc|rnc|nra|aclu"
    r"|team|staff|movement|caucus|consortium|institution)\b",
    re.IGNORECASE,
)
_ROLE_NOUNS = _wordset(
    "spokesman spokeswoman spokesperson official candidate nominee aide adviser advisor "
    "strategist senator governor president director chairman judge lawyer attorney "
    "friend husband wife son daughter mother father man woman person voter supporter "
    "critic expert analyst host source leader manager secretary speaker mayor"
)
# Head nouns that make a mention a person even inside an organisation or government
# ("The GOP nominee", "Sanders's campaign manager").
_PERSON_HEAD = _wordset(
    "nominee candidate manager spokesman spokeswoman spokesperson member chairman "
    "chairwoman president director adviser advisor aide strategist host pollster"
)
_POSSESSIVE_NAME = re.compile(r"[’']s?\s+(?:[a-z]+\s+)*[A-Z][a-z]")
_HEAD_END = re.compile(r",|\(|\bwho\b|\bwhich\b|\bthat\b|–|—")
_FUNCTION_CAPS = _wordset("The A An This That These Those Some Many His Her Their Its")


def guess_source_type(text: str) -> str:
    """Heuristic source type of a source mention (PolNeAR has no gold types).

    Checks, in order: pronoun -> person; anonymity markers ("sources", "a source",
    "officials who...", "a person familiar with") -> anonymous; then, on the head of the
    mention only (the words before the first comma, bracket, dash or relative pronoun):
    a title or possessive before a name ("Sen. Graham", "Fox's Chris Wallace") or a
    person head noun ("the GOP nominee") -> person; a leading quantifier ("some",
    "many", "critics") -> vague; government bodies ("the White House", "the
    administration", "the State Department") -> government; a document noun ("the poll",
    "the report", "the study") -> document, but a bare plural ("reports") -> vague;
    news outlets (Times, Post, CNN, Fox, AP, Reuters...) -> news_outlet; a group head
    noun ("voters", "officials") -> vague; organisation words (Committee, Campaign,
    Party, Institute...) -> organization; a capitalised name -> person; a singular role
    noun ("the spokesman") -> person; anything else -> vague.

    text (str): the source mention as it appears in the article.
    RETURNS (str): one of attributions.model.SOURCE_TYPES (never "article").
    """
    raw = text.strip()
    raw = re.sub(r"[’']s?$", "", raw).strip()
    low = raw.lower()
    if not re.search(r"\w", raw):
        return "vague"
    if low in _PRONOUNS:
        return "person"
    if _ANONYMOUS.search(low) or _ANONYMOUS_DESCRIPTOR.search(low):
        return "anonymous"
    head = _HEAD_END.split(raw, maxsplit=1)[0].strip() or raw
    hwords = re.findall(r"[\w.’'-]+", head)
    hlow = [w.lower().strip(".’'") for w in hwords]
    if not hwords:
        return "vague"
    if _TITLED_NAME.search(head) or _POSSESSIVE_NAME.search(head) or hlow[-1] in _PERSON_HEAD:
        return "person"
    if hlow[0] in _VAGUE_FIRST:
        return "vague"
    if _GOVERNMENT.search(head):
        return "government"
    if any(w in _DOCUMENT_NOUNS for w in hlow):
        return "vague" if len(hlow) == 1 and hlow[0].endswith("s") else "document"
    if _OUTLETS.search(head):
        return "news_outlet"
    if hlow[-1] in _GROUP_HEAD or (
        len(hwords) > 1 and hwords[-1].islower() and hwords[-1].endswith("s")
    ):
        return "vague"  # a group: "Republican voters", "Private business owners"
    if _ORGANIZATION.search(head):
        return "organization"
    if any(w[:1].isupper() and w not in _FUNCTION_CAPS for w in hwords):
        return "person"
    if hlow[-1] in _ROLE_NOUNS:
        return "person"
    return "vague"
