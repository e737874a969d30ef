"""Score attribution extraction against PolNeAR (brat standoff gold).

Reading
-------
``read_split(directory, split)`` reads ``DIR/SPLIT/text/NAME.txt`` and
``DIR/SPLIT/attributions/NAME_XXXX.ann`` (XXXX: a 4-hex annotator id). Each brat event
(``E`` line) becomes one GoldRelation: ``Source`` (absent in ``Attribution-no-source``
events), ``Cue`` and ``Content`` (``Content2``, a second content argument, is folded into
the content). A relation missing a cue or content keeps what it has (the missing role is
the empty span ``()``). ``Discard``/``Discuss`` annotations and the trigger are ignored.
A few texts were annotated by several annotators; one annotation is used, the
requested annotator's if given, else the lowest annotator id.

Span comparison
---------------
Every span, gold and predicted, is first normalised: its fragments go through
``spans.merge_offsets(text, fragments)`` (sorted, empty ones dropped, fragments that
overlap, touch or are separated only by whitespace joined), then leading and trailing
whitespace is stripped from each fragment (fragments left empty are dropped). A role
that normalises to no fragments counts as absent.

* **Exact**: two spans match when their normalised fragment tuples are equal.
* **Overlap**: the document text is tokenised with the regex ``\\w+|[^\\w\\s]``; a token
  is identified by its character offsets, and it belongs to a span when any of its
  characters lies inside one of the span's fragments. Two spans match when their token
  sets intersect.
* **Soft**: token-level credit, ``sum |G & P|`` over the one-to-one overlap pairs,
  divided by the predicted tokens (precision) or the gold tokens (recall).

Matching is always one-to-one within a document: exact pairs are equal spans (any
pairing of equal spans is optimal); overlap pairs are chosen greedily by decreasing token
Jaccard ``|G & P| / |G | P|`` (ties: gold order, then predicted order). Precision is
matches / predicted, recall matches / gold, summed over the split (micro average).

* **Span roles** (source, cue, content): per document, the multiset of gold spans of the
  role against the predicted spans of the role. Relations without a source add no
  source span.
* **Whole relation**: a predicted relation matches a gold one when cue, content and
  source all match under the same rule (a role absent on both sides, typically the
  source, matches; absent on one side only, it does not). Overlap pairs are chosen
  greedily by the mean Jaccard of the three roles (an absent-on-both role counts 1).
  Predicted spans are ``source.mention``, ``cue`` and ``content`` of each Attribution;
  ``relayed_by`` is not scored.
* **Univocal projection**: PolNeAR gives each token to at most one attribution, so it
  never annotates an attribution inside another's content (0 of the 2,191 dev cues lie
  inside another relation's content). sourcetrace reports nested attributions ("X
  reported that [Y disclosed ...]"); before scoring, a predicted attribution whose cue
  starts inside another predicted attribution's content is dropped, and the outer one
  is scored. ``project_univocal`` does this; nothing else is filtered.
* **Source recall per type**: PolNeAR has no source types; each gold source gets one
  derived by ``guess_source_type`` (a keyword heuristic), and recall of the source role
  is reported per derived type.
* **Reliability**: predicted relations are bucketed by ``confidence`` into fifths
  (0-0.2, ..., 0.8-1.0; a bucket includes its lower bound, the last also 1.0); each
  bucket reports its count and its whole-relation precision (exact and overlap).
"""

from __future__ import annotations

import bisect
import json
import logging
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.article import Article, article_id
from ..model.errors import BadInputError
from ..model.record import Attribution
from ..model.spans import Offsets, merge_offsets
from ..model.types import SOURCE_TYPES

__all__ = [
    "Bucket",
    "GoldDoc",
    "GoldRelation",
    "Report",
    "RoleScore",
    "Score",
    "Scorer",
    "TypeRecall",
    "evaluate",
    "guess_source_type",
    "main",
    "normalize_span",
    "read_split",
    "score",
]

logger = logging.getLogger(__name__)

Frags = tuple[Offsets, ...]

ROLES = ("source", "cue", "content")
# Reliability buckets: fifths of [0, 1].
BUCKET_EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)

_ANN_NAME = re.compile(r"^(?P<name>.+)_(?P<annotator>[0-9a-f]{4})\.ann$")
_ANN_ID = re.compile(r"^[TE]\d+$")
_TOKEN = re.compile(r"\w+|[^\w\s]")


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class GoldRelation:
    """One gold attribution: fragments as in the .ann file (sorted, not normalised).

    source: None for an Attribution-no-source event.
    cue, content: () when the annotator left the role out.
    """

    source: Frags | None
    cue: Frags
    content: Frags
    id: str = ""


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One PolNeAR article with its gold relations.

    name (str): the text's file stem.
    text (str): the .txt file, UTF-8, newlines untranslated; the offsets index it.
    relations (list[GoldRelation]): in .ann order.
    path (str): the .txt path.
    annotator (str): id of the annotator whose .ann was read.
    """

    name: str
    text: str
    relations: list[GoldRelation]
    path: str = ""
    annotator: str = ""


def _split_dirs(directory: str | Path, split: str) -> tuple[Path, Path]:
    base = Path(directory) / split
    text_dir, ann_dir = base / "text", base / "attributions"
    if not (text_dir.is_dir() and ann_dir.is_dir()):
        raise BadInputError(
            str(base), "not a PolNeAR split (expected text/ and attributions/ inside)"
        )
    return text_dir, ann_dir


def read_split(
    directory: str | Path, split: str, *, annotator: str | None = None
) -> Iterator[GoldDoc]:
    """Read one PolNeAR split, in file-name order.

    directory (str | Path): the PolNeAR data folder (holding train/, dev/ ...).
    split (str): "train", "dev" or "test".
    annotator (str | None): for texts annotated several times, whose annotation to use.
        Defaults to the lowest annotator id.
    RETURNS (Iterator[GoldDoc]): texts without any .ann file are skipped (logged).
    Raises BadInputError when DIR/SPLIT/text or DIR/SPLIT/attributions is missing.
    """
    text_dir, ann_dir = _split_dirs(directory, split)
    anns: dict[str, dict[str, Path]] = defaultdict(dict)
    for p in ann_dir.glob("*.ann"):
        m = _ANN_NAME.match(p.name)
        if m:
            anns[m["name"]][m["annotator"]] = p
    for txt in sorted(text_dir.glob("*.txt")):
        by_annotator = anns.get(txt.stem)
        if not by_annotator:
            logger.warning("%s: no .ann file, skipped", txt)
            continue
        who = annotator if annotator in by_annotator else min(by_annotator)
        with open(txt, encoding="utf-8", newline="") as fh:
            text = fh.read()
        with open(by_annotator[who], encoding="utf-8", newline="") as fh:
            relations = parse_ann(fh.read(), source=str(by_annotator[who]))
        yield GoldDoc(txt.stem, text, relations, str(txt), who)


def parse_ann(ann: str, *, source: str = "<ann>") -> list[GoldRelation]:
    """Turn brat standoff text into GoldRelations (one per event line)."""
    spans: dict[str, Frags] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for lineno, line in enumerate(ann.split("\n"), 1):
        parts = line.rstrip("\r").split("\t")
        if len(parts) < 2 or not _ANN_ID.match(parts[0]):
            continue  # A/R/#/N annotations, or the rest of a span text holding a newline
        try:
            if line.startswith("T"):
                _label, _, offsets = parts[1].partition(" ")
                frags = tuple(
                    (int(a), int(b)) for a, b in (piece.split() for piece in offsets.split(";"))
                )
                spans[parts[0]] = tuple(sorted(frags))
            elif line.startswith("E"):
                args = [a.partition(":")[::2] for a in parts[1].split()]
                events.append((parts[0], args[1:]))  # args[0] is the trigger
        except (IndexError, ValueError):
            logger.warning("%s:%d: unreadable line, skipped", source, lineno)
    out = []
    for eid, args in events:
        roles: dict[str, list[Offsets]] = defaultdict(list)
        for role, ref in args:
            if ref not in spans:
                logger.warning("%s: %s refers to missing %s", source, eid, ref)
                continue
            key = "content" if role.startswith("Content") else role.lower()
            roles[key].extend(spans[ref])
        src = tuple(sorted(roles["source"])) if "source" in roles else None
        out.append(
            GoldRelation(src, tuple(sorted(roles["cue"])), tuple(sorted(roles["content"])), eid)
        )
    return out


# --------------------------------------------------------------------------- spans


def normalize_span(text: str, frags: Iterable[Offsets]) -> Frags:
    """merge_offsets, then strip whitespace at both ends of each fragment."""
    out = []
    for s, e in merge_offsets(text, frags):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


class _Tokens:
    """Regex tokens of one document, looked up by character range."""

    __slots__ = ("starts", "ends")

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in _TOKEN.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def of(self, frags: Frags) -> frozenset[int]:
        """Indices of tokens with at least one character inside the fragments."""
        out: set[int] = set()
        for s, e in frags:
            i = bisect.bisect_right(self.ends, s)
            while i < len(self.starts) and self.starts[i] < e:
                out.add(i)
                i += 1
        return frozenset(out)


@dataclass(frozen=True, slots=True)
class _Span:
    frags: Frags
    tokens: frozenset[int]


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) if inter else 0.0


def _match_exact(gold: Sequence[Any], pred: Sequence[Any]) -> list[tuple[int, int]]:
    """One-to-one pairs of equal keys (gold index, predicted index)."""
    free: dict[Any, deque[int]] = defaultdict(deque)
    for i, g in enumerate(gold):
        free[g].append(i)
    pairs = []
    for j, p in enumerate(pred):
        if free.get(p):
            pairs.append((free[p].popleft(), j))
    return pairs


def _match_greedy(
    n_gold: int, n_pred: int, score_fn: Callable[[int, int], float]
) -> list[tuple[int, int]]:
    """One-to-one pairs by decreasing score; score 0 means no match."""
    cands = []
    for i in range(n_gold):
        for j in range(n_pred):
            s = score_fn(i, j)
            if s > 0:
                cands.append((-s, i, j))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


# --------------------------------------------------------------------------- source types


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


# --------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class Score:
    """Counts behind one P/R/F1 line (for soft scores the counts are tokens)."""

    matched: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "matched": self.matched,
            "predicted": self.predicted,
            "gold": self.gold,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class RoleScore:
    """Scores of one role (or of whole relations) under each comparison rule."""

    exact: Score
    overlap: Score
    soft: Score | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"exact": self.exact.to_dict(), "overlap": self.overlap.to_dict()}
        if self.soft is not None:
            d["soft"] = self.soft.to_dict()
        return d


@dataclass(frozen=True, slots=True)
class TypeRecall:
    """Source recall for gold sources of one heuristically derived type."""

    type: str
    gold: int
    exact: int
    overlap: int

    @property
    def exact_recall(self) -> float:
        return self.exact / self.gold if self.gold else 0.0

    @property
    def overlap_recall(self) -> float:
        return self.overlap / self.gold if self.gold else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "gold": self.gold,
            "exact": self.exact,
            "overlap": self.overlap,
            "exact_recall": round(self.exact_recall, 4),
            "overlap_recall": round(self.overlap_recall, 4),
        }


@dataclass(frozen=True, slots=True)
class Bucket:
    """Predicted relations with low <= confidence < high (the last bucket includes 1.0)."""

    low: float
    high: float
    count: int
    exact: int
    overlap: int

    @property
    def exact_precision(self) -> float:
        return self.exact / self.count if self.count else 0.0

    @property
    def overlap_precision(self) -> float:
        return self.overlap / self.count if self.count else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "count": self.count,
            "exact": self.exact,
            "overlap": self.overlap,
            "exact_precision": round(self.exact_precision, 4),
            "overlap_precision": round(self.overlap_precision, 4),
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Everything ``evaluate`` measures on one split."""

    documents: int
    gold_relations: int
    predicted_relations: int
    roles: Mapping[str, RoleScore]
    relation: RoleScore
    source_types: tuple[TypeRecall, ...]
    reliability: tuple[Bucket, ...]
    seconds: float = 0.0
    failed: int = 0  # documents the pipeline failed on or skipped (scored as empty)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "failed": self.failed,
            "gold_relations": self.gold_relations,
            "predicted_relations": self.predicted_relations,
            "roles": {r: s.to_dict() for r, s in self.roles.items()},
            "relation": self.relation.to_dict(),
            "source_types": [t.to_dict() for t in self.source_types],
            "reliability": [b.to_dict() for b in self.reliability],
            "seconds": round(self.seconds, 3),
        }


# --------------------------------------------------------------------------- scoring


def project_univocal(attributions: Sequence[Attribution]) -> list[Attribution]:
    """Drop attributions whose cue starts inside another one's content (see module doc)."""
    out = []
    for a in attributions:
        start = a.cue.spans[0][0] if a.cue.spans else -1
        inside = any(
            o is not a and any(s <= start < e for s, e in o.content.spans)
            for o in attributions
        )
        if not inside:
            out.append(a)
    return out


def _counter() -> dict[str, int]:
    return {"matched": 0, "predicted": 0, "gold": 0}


class Scorer:
    """Accumulates scores document by document; ``report()`` totals them."""

    def __init__(self) -> None:
        self.documents = 0
        self._gold_relations = 0
        self._predicted_relations = 0
        self._counts: dict[tuple[str, str], dict[str, int]] = defaultdict(_counter)
        # type -> [gold, exact hits, overlap hits]
        self._types: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        # bucket -> [predicted, exact hits, overlap hits]
        self._buckets = [[0, 0, 0] for _ in range(len(BUCKET_EDGES) - 1)]

    def add(self, doc: GoldDoc, predicted: Iterable[Attribution]) -> None:
        """Score one document's predicted attributions against its gold relations."""
        predicted = project_univocal(list(predicted))
        text = doc.text
        toks = _Tokens(text)

        def span(frags: Iterable[Offsets] | None) -> _Span | None:
            if frags is None:
                return None
            norm = normalize_span(text, frags)
            return _Span(norm, toks.of(norm)) if norm else None

        gold = [(span(r.source), span(r.cue), span(r.content)) for r in doc.relations]
        preds = list(predicted)
        pred = [
            (
                span(a.source.mention.spans if a.source else None),
                span(a.cue.spans),
                span(a.content.spans),
            )
            for a in preds
        ]
        self.documents += 1
        self._gold_relations += len(gold)
        self._predicted_relations += len(pred)

        for k, role in enumerate(ROLES):
            g = [rel[k] for rel in gold if rel[k] is not None]
            p = [rel[k] for rel in pred if rel[k] is not None]
            exact = _match_exact([s.frags for s in g], [s.frags for s in p])
            over = _match_greedy(
                len(g), len(p), lambda i, j, g=g, p=p: _jaccard(g[i].tokens, p[j].tokens)
            )
            self._add((role, "exact"), len(exact), len(p), len(g))
            self._add((role, "overlap"), len(over), len(p), len(g))
            self._add(
                (role, "soft"),
                sum(len(g[i].tokens & p[j].tokens) for i, j in over),
                sum(len(s.tokens) for s in p),
                sum(len(s.tokens) for s in g),
            )
            if role == "source":
                hit_exact = {i for i, _ in exact}
                hit_over = {i for i, _ in over}
                for i, s in enumerate(g):
                    t = self._types[guess_source_type(" ".join(text[a:b] for a, b in s.frags))]
                    t[0] += 1
                    t[1] += i in hit_exact
                    t[2] += i in hit_over

        def key(rel: tuple[_Span | None, ...]) -> tuple[Frags | None, ...]:
            return tuple(s.frags if s else None for s in rel)

        def rel_score(i: int, j: int) -> float:
            total = 0.0
            for gs, ps in zip(gold[i], pred[j], strict=True):
                if gs is None and ps is None:
                    total += 1.0
                elif gs is None or ps is None:
                    return 0.0
                else:
                    jac = _jaccard(gs.tokens, ps.tokens)
                    if not jac:
                        return 0.0
                    total += jac
            return total / 3

        exact = _match_exact([key(r) for r in gold], [key(r) for r in pred])
        over = _match_greedy(len(gold), len(pred), rel_score)
        self._add(("relation", "exact"), len(exact), len(pred), len(gold))
        self._add(("relation", "overlap"), len(over), len(pred), len(gold))
        hit_exact = {j for _, j in exact}
        hit_over = {j for _, j in over}
        for j, a in enumerate(preds):
            b = self._buckets[_bucket(a.confidence)]
            b[0] += 1
            b[1] += j in hit_exact
            b[2] += j in hit_over

    def _add(self, key: tuple[str, str], matched: int, predicted: int, gold: int) -> None:
        c = self._counts[key]
        c["matched"] += matched
        c["predicted"] += predicted
        c["gold"] += gold

    def _score(self, role: str, rule: str) -> Score:
        return Score(**self._counts[(role, rule)])

    def report(self, seconds: float = 0.0, *, failed: int = 0) -> Report:
        roles = {
            r: RoleScore(self._score(r, "exact"), self._score(r, "overlap"), self._score(r, "soft"))
            for r in ROLES
        }
        relation = RoleScore(self._score("relation", "exact"), self._score("relation", "overlap"))
        types = tuple(TypeRecall(t, *self._types[t]) for t in SOURCE_TYPES if self._types.get(t))
        buckets = tuple(
            Bucket(BUCKET_EDGES[i], BUCKET_EDGES[i + 1], *b) for i, b in enumerate(self._buckets)
        )
        return Report(
            self.documents,
            self._gold_relations,
            self._predicted_relations,
            roles,
            relation,
            types,
            buckets,
            seconds,
            failed,
        )


def _bucket(confidence: float) -> int:
    c = min(max(float(confidence), 0.0), 1.0)
    n = len(BUCKET_EDGES) - 1
    return min(int(c * n + 1e-9), n - 1)


def score(pairs: Iterable[tuple[GoldDoc, Iterable[Attribution]]]) -> Report:
    """Score (gold document, predicted attributions) pairs; no pipeline involved."""
    scorer = Scorer()
    for doc, predicted in pairs:
        scorer.add(doc, predicted)
    return scorer.report()


def gold_attributions(doc: GoldDoc) -> list[Attribution]:
    """The gold relations of a document as Attribution objects (confidence 1.0).

    Scoring a document against these must give 1.0 everywhere; useful as a sanity
    check and as an upper-bound "oracle" pipeline.
    """
    from ..model.record import Source
    from ..model.spans import TextSpan

    out = []
    for k, rel in enumerate(doc.relations):
        src = None
        if rel.source is not None:
            mention = TextSpan.from_offsets(doc.text, rel.source)
            src = Source(mention, guess_source_type(mention.text))
        out.append(
            Attribution(
                id=rel.id or f"g{k}",
                source=src,
                cue=TextSpan.from_offsets(doc.text, rel.cue),
                content=TextSpan.from_offsets(doc.text, rel.content),
                kind="indirect" if src else "no_source",
                confidence=1.0,
            )
        )
    return out


def _article(doc: GoldDoc) -> Article:
    return Article(id=article_id(doc.text, doc.path), path=doc.path, text=doc.text)


def evaluate(pipeline: Any, docs: Iterable[GoldDoc]) -> Report:
    """Run ``pipeline.analyze_many`` over the gold texts and score what it finds.

    pipeline: anything with ``analyze_many(Iterable[Article])`` yielding, in input order,
        an Analysis per article, or an error with a ``path`` (BadInputError) for an
        article it failed on. An article that fails or is skipped scores as having no
        predictions and is counted in ``Report.failed``.
    docs (Iterable[GoldDoc]): consumed lazily, once.
    RETURNS (Report): nothing is printed.
    """
    start = time.perf_counter()
    scorer = Scorer()
    pending: deque[tuple[GoldDoc, Article]] = deque()
    failed = 0

    def articles() -> Iterator[Article]:
        for doc in docs:
            art = _article(doc)
            pending.append((doc, art))
            yield art

    def drop_until(found: Callable[[Article], bool], what: str) -> GoldDoc:
        nonlocal failed
        while pending and not found(pending[0][1]):
            doc, _ = pending.popleft()
            logger.warning("%s: no analysis returned, scored as empty", doc.path)
            scorer.add(doc, ())
            failed += 1
        if not pending:
            raise RuntimeError(f"pipeline returned a result for an unknown article: {what}")
        return pending.popleft()[0]

    for item in pipeline.analyze_many(articles()):
        article = getattr(item, "article", None)
        if article is not None:  # an Analysis
            doc = drop_until(lambda a, i=article.id: a.id == i, article.id)
            scorer.add(doc, item.attributions)
        else:
            path = str(getattr(item, "path", ""))
            doc = drop_until(lambda a, p=path: a.path == p, f"{path} ({item})")
            logger.warning("%s: analysis failed (%s), scored as empty", doc.path, item)
            scorer.add(doc, ())
            failed += 1
    for doc, _ in pending:
        logger.warning("%s: no analysis returned, scored as empty", doc.path)
        scorer.add(doc, ())
        failed += 1
    return scorer.report(time.perf_counter() - start, failed=failed)


# --------------------------------------------------------------------------- CLI


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


def main(
    directory: str,
    split: str,
    *,
    fast: bool = False,
    console: Any = None,
    limit: int | None = None,
    json_out: str | None = None,
    model: str | None = None,
) -> int:
    """Evaluate the Pipeline on a PolNeAR split and print Rich tables.

    directory (str): PolNeAR data folder (holding SPLIT/text and SPLIT/attributions).
    split (str): split name, e.g. "dev".
    fast (bool): use Pipeline(fast=True). Defaults to False.
    console (rich.console.Console | None): where to print. Defaults to a new Console.
    limit (int | None): score only the first N documents (file-name order).
    json_out (str | None): also write the report as JSON to this path.
    model (str | None): an attribution encoder folder other than the shipped one.
    RETURNS (int): 0, or 2 when the split layout is missing (one-line error printed).
    """
    from itertools import islice

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = console or Console()
    try:
        docs = list(islice(read_split(directory, split), limit))
    except BadInputError as err:
        console.print(f"error: {err}", style="red", markup=False, highlight=False, soft_wrap=True)
        return 2

    from ..pipeline import Pipeline

    pipeline = Pipeline(fast=fast, model=model)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(f"{split}", total=len(docs))

        def tracked() -> Iterator[GoldDoc]:
            for doc in docs:
                yield doc
                progress.advance(task)

        report = evaluate(pipeline, tracked())

    mode = "fast" if fast else "full"
    console.print(
        f"PolNeAR {split}: {report.documents} documents, {report.gold_relations} gold "
        f"relations, {report.predicted_relations} predicted ({mode} pipeline, "
        f"{report.seconds:.1f} s)" + (f"; {report.failed} failed" if report.failed else ""),
        highlight=False,
    )
    render(report, console, title=f"PolNeAR {split}")
    if json_out:
        Path(json_out).write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m sourcetrace.evaluate.polnear", description=main.__doc__.split("\n")[0]
    )
    parser.add_argument("directory", help="PolNeAR data folder (holding train/, dev/)")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--fast", action="store_true", help="use Pipeline(fast=True)")
    parser.add_argument("--limit", type=int, default=None, help="first N documents only")
    parser.add_argument("--json", dest="json_out", default=None, help="write the report here")
    parser.add_argument("--model", default=None, help="an attribution encoder folder")
    a = parser.parse_args()
    sys.exit(
        main(a.directory, a.split, fast=a.fast, limit=a.limit, json_out=a.json_out, model=a.model)
    )
