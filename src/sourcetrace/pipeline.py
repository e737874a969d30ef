"""Pipeline: article -> NLP doc -> attributions -> actors -> voice -> profile.

``PipelineOptions`` is the one picklable description of a pipeline (aliases, fast, model,
batch size) that the CLI, the batch runner and the engines pass around and build from;
``analyze_safely`` runs a pipeline over a stream with every failure pinned on its article.
"""

from __future__ import annotations

import bisect
import logging
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from .actors import AliasTable, Mention, resolve_actors
from .attributions.encoder import Encoder, load_encoder
from .attributions.extract import RawAttribution, extract_attributions
from .attributions.quotes import Quote, find_quotes
from .attributions.sources import ORG_HEADS, OUTLET_HEADS, SourceResolver, type_source
from .labels import find_labels
from .model.article import Article
from .model.errors import BadInputError, ConfigError, SourcetraceError
from .model.record import Actor, Analysis, Attribution, Label, Source
from .model.spans import Offsets, TextSpan
from .nlp import load_nlp
from .profile import sourcing_profile
from .voice import find_unattributed

logger = logging.getLogger(__name__)

T = TypeVar("T")
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}


@dataclass(frozen=True)
class PipelineOptions:
    """How to build a Pipeline; frozen and picklable, so worker processes get it as is.

    aliases: user alias files (YAML or CSV) added to the built-in table.
    fast: rule-only path for bulk work (skips the trained attribution encoder).
    model: an attribution encoder folder other than the shipped one.
    batch_size: texts per nlp.pipe batch.
    """

    aliases: tuple[str, ...] = ()
    fast: bool = False
    model: str | None = None
    batch_size: int = 16

    def build(self) -> Pipeline:
        """A new Pipeline with these options (models load on first use)."""
        return Pipeline(self.aliases, fast=self.fast, batch_size=self.batch_size, model=self.model)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items in order (the last may be shorter), read lazily."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def analyze_safely(
    pipeline: Pipeline, articles: Iterator[Article]
) -> Iterator[tuple[Article, Analysis | Exception]]:
    """Pair each article with its Analysis, or with the error analysing it gave.

    ``analyze_many`` may yield a BadInputError for an article it could not analyse;
    that is passed on as the article's result. It also works in batches, so when it
    raises we cannot tell which of the articles it has taken but not yet returned
    broke it. Those are retried one by one (the one that fails again is reported),
    then batching resumes with the rest.
    ``ConfigError`` is not an article's fault: it stops the run.
    """
    pending: deque[Article] = deque()

    def feed() -> Iterator[Article]:
        for article in articles:
            pending.append(article)
            yield article

    while True:
        try:
            for analysis in pipeline.analyze_many(feed()):
                yield pending.popleft(), analysis
            return
        except ConfigError:
            raise
        except Exception as exc:
            if not pending:  # no article to blame: the pipeline itself is broken
                raise PipelineBroken(describe_error(exc)) from exc
            logger.debug("batch failed (%s); retrying %d articles one by one", exc, len(pending))
        while pending:
            article = pending.popleft()
            try:
                result: Analysis | Exception = _analyze_one(pipeline, article)
            except ConfigError:
                raise
            except Exception as exc:
                logger.debug("analysing %s failed", article.path, exc_info=True)
                result = exc
            yield article, result


class PipelineBroken(SourcetraceError):
    """analyze_many failed with no article in hand, so no article can be blamed."""


def _analyze_one(pipeline: Pipeline, article: Article) -> Analysis | Exception:
    results = list(pipeline.analyze_many([article]))
    if len(results) != 1:
        raise RuntimeError(f"pipeline returned {len(results)} analyses for one article")
    return results[0]


def failure_reason(exc: BaseException) -> str:
    """A BadInputError's own reason, or "ValueError: message" for anything else."""
    if isinstance(exc, BadInputError):
        return exc.reason
    return describe_error(exc)


def describe_error(exc: BaseException) -> str:
    """One-line reason for an unexpected exception: "ValueError: bad offsets"."""
    msg = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


class Pipeline:
    """Reusable analyser for batches.

    aliases (Sequence[str]): user alias files (YAML or CSV) added to the built-in table.
    fast (bool): rule-only path for bulk work (skips the trained attribution encoder).
    batch_size (int): texts per nlp.pipe batch.
    model (str | Path | None): an attribution encoder folder other than the shipped one
        (from ``sourcetrace train attribution --out DIR``).
    """

    def __init__(
        self,
        aliases: Sequence[str] = (),
        *,
        fast: bool = False,
        batch_size: int = 16,
        model: str | Path | None = None,
    ) -> None:
        self.alias_files = tuple(aliases)
        self.fast = fast
        self.batch_size = batch_size
        self.model_path = model
        self.aliases = AliasTable.load(self.alias_files)  # built-in table plus user files
        self._nlp: Language | None = None
        self._encoder: Encoder | None = None
        self._encoder_loaded = False

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_nlp(self.aliases.patterns(), fast=self.fast)
        return self._nlp

    def analyze(self, article: Article) -> Analysis:
        result = next(iter(self.analyze_many([article])))
        if isinstance(result, BadInputError):
            raise result
        return result

    @property
    def encoder(self) -> Encoder | None:
        """The trained attribution encoder, or None on the fast path or when none ships."""
        if self.fast:
            return None
        if not self._encoder_loaded:
            self._encoder = load_encoder(self.model_path)
            self._encoder_loaded = True
        return self._encoder

    def analyze_many(self, articles: Iterable[Article]) -> Iterator[Analysis | BadInputError]:
        """Analyse articles lazily, in order; memory stays flat however many come in.

        An article whose analysis fails comes out as a BadInputError naming it,
        and the stream goes on.
        """
        if self.encoder is None:
            stream = ((a.text, a) for a in articles)
            parsed = self.nlp.pipe(stream, as_tuples=True, batch_size=self.batch_size)
            for batch in batched(parsed, self.batch_size):
                yield from self._finish(batch, [None] * len(batch))
            return
        # The encoder reads raw text, so it runs on a batch in a second thread while
        # spaCy parses the same batch (torch releases the GIL): on 2 cores this hides
        # most of its cost.
        with ThreadPoolExecutor(max_workers=1) as pool:
            for articles_batch in batched(articles, self.batch_size):
                texts = [a.text for a in articles_batch]
                tagging = pool.submit(self._tag, texts)
                docs = list(self.nlp.pipe(texts, batch_size=self.batch_size))
                pairs = list(zip(docs, articles_batch, strict=True))
                yield from self._finish(pairs, tagging.result())

    def _finish(
        self,
        batch: list[tuple[Doc, Article]],
        tagged: list[list[tuple[int, int, str]] | None],
    ) -> Iterator[Analysis | BadInputError]:
        for (doc, article), spans in zip(batch, tagged, strict=True):
            try:
                yield self.analyze_doc(article, doc, tagged=spans)
            except Exception as exc:  # one bad article never stops the batch
                logger.debug("analysis failed for %s", article.path, exc_info=True)
                reason = f"analysis failed: {type(exc).__name__}: {exc}"
                yield BadInputError(article.path, reason)

    def _tag(self, texts: list[str]) -> list[list[tuple[int, int, str]] | None]:
        encoder = self.encoder
        if encoder is None:
            return [None] * len(texts)
        try:
            return list(encoder.tag(texts))
        except Exception:  # the rules still run without the encoder's help
            logger.warning("attribution encoder failed on a batch; using rules only",
                           exc_info=True)
            return [None] * len(texts)

    def analyze_doc(
        self, article: Article, doc: Doc, *, tagged: Sequence[tuple[int, int, str]] | None = None
    ) -> Analysis:
        """Run every stage after the parse on one article.

        tagged: SOURCE/CUE/CONTENT spans from the trained encoder (None: rules only).
        """
        excluded = [(e.start, e.end) for e in article.excluded]
        text = article.text  # the same string as doc.text, without rebuilding it
        raws = extract_attributions(
            doc, excluded=excluded, title=article.metadata.get("title"), tagged=tagged
        )
        mentions = _mentions(doc, raws)
        actors, actor_of_span = resolve_actors(
            text, mentions, self.aliases, excluded=excluded
        )
        actors = _retype_actors(actors)
        actor_types = {a.id: a.type for a in actors}
        index = MentionIndex(actor_of_span)
        attributions = _assemble(doc, raws, index, self.aliases, actor_types)

        def actor_of(start: int, end: int) -> str | None:
            return index.lookup(start, end)

        # Words inside quotation marks are the source's; a paraphrase is the writer's
        # wording, so labels there count as the writer's (with the attribution noted).
        quotes = find_quotes(text)
        attributed = [(a.id, _quoted_parts(quotes, a.content.spans)) for a in attributions]
        labels: list[Label] = find_labels(
            doc, actor_of, attributed, excluded=excluded,
            actor_types=actor_types,
        )
        unattributed = find_unattributed(doc, attributions, excluded)
        return Analysis(
            article=article,
            attributions=tuple(attributions),
            actors=tuple(actors),
            unattributed=tuple(unattributed),
            labels=tuple(labels),
            profile=sourcing_profile(attributions, unattributed, labels),
        )


def analyze(text: str, *, path: str = "<text>", aliases: Sequence[str] = ()) -> Analysis:
    """Analyse one text (shortcut; use Pipeline for batches)."""
    from .ingest import article_from_text

    return Pipeline(aliases).analyze(article_from_text(text, path))


def _mentions(doc: Doc, raws: Sequence[RawAttribution]) -> list[Mention]:
    # A lone surname the tagger calls ORG ("Dovrek said") is the person named in full before.
    ents = list(doc.ents)  # Doc.ents (and Span.ents) rebuild the list on each access
    surnames = {e.text.split()[-1] for e in ents if e.label_ == "PERSON" and " " in e.text}
    out = [
        Mention(e.start_char, e.end_char, "PERSON" if e.text in surnames else e.label_)
        for e in ents
        if e.label_ in ENTITY_LABELS
    ]
    ent_tokens = {t.i for e in ents for t in e}
    for r in raws:
        head = doc[r.source_token] if r.source_token is not None else None
        if head is not None and head.pos_ == "PROPN" and head.i not in ent_tokens:
            # "Piotr Kowalsky, a coach from Kessa, said": the NER saw only Kessa, but the
            # speaker is the proper noun heading the source.
            first = head.i
            while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].head.i == head.i:
                first -= 1
            span = doc[first : head.i + 1]
            typed = type_source(span).type
            if typed in ("person", "organization", "government", "news_outlet"):
                out.append(Mention(span.start_char, span.end_char,
                                   "PERSON" if typed == "person" else typed))
        for off in ([r.source] if r.source else []) + list(r.relayed_by):
            span = doc.char_span(off[0], off[1], alignment_mode="expand")
            if span is None:
                continue
            has_ent = any(t.ent_type_ in ENTITY_LABELS for t in span)
            typed = type_source(span).type
            # Only sources that name someone become actors: "an unnamed source" or "the
            # group" are not names (a back-reference takes its antecedent's actor).
            if (
                not has_ent
                and typed not in ("anonymous", "vague", "article", "document")
                and any(t.pos_ == "PROPN" for t in span)
            ):
                out.append(Mention(off[0], off[1], typed))
    return out


def _retype_actors(actors: Sequence[Actor]) -> list[Actor]:
    """A 'person' whose name ends in Center, Agency, Group... is an organisation."""
    out = []
    for a in actors:
        last = a.name.split()[-1].lower() if a.name.split() else ""
        if a.type in ("person", "organization") and last in OUTLET_NAME_WORDS:
            a = replace(a, type="news_outlet")
        elif a.type == "person" and (last in ORG_HEADS or last in COMPANY_NAME_WORDS):
            a = replace(a, type="organization")
        out.append(a)
    return out


def _quoted_parts(quotes: Sequence[Quote], spans: Sequence[Offsets]) -> list[Offsets]:
    out = []
    for s, e in spans:
        for q in quotes:
            if q.start < e and s < q.end:
                out.append((max(s, q.start), min(e, q.end)))
    return out


ORG_LIKE = ("organization", "government", "news_outlet")
# Last words of company names the small NER model calls persons ("Nordhavn Shipping").
_COMPANY_TEXT = """shipping holding holdings motors airlines airways industries energy systems
    partners capital insurance logistics foods pharma pharmaceuticals technologies telecom mining
    steel oil gas inc ltd corp co plc llc gmbh ag sa"""
COMPANY_NAME_WORDS = frozenset(_COMPANY_TEXT.split())
# Last words of proper names that mark a news outlet ("Harbour Gazette", "Lerin News Agency").
OUTLET_NAME_WORDS = OUTLET_HEADS | {
    "gazette", "times", "post", "herald", "tribune", "journal", "telegraph", "news", "tv",
    "observer", "guardian", "chronicle", "courier", "express", "mirror", "standard", "today",
}


def _is_description(span) -> bool:
    root = span.root
    return root.pos_ == "NOUN" and any(c.lower_ in ("the", "this", "that") for c in root.children)


def _actor_of_head(doc: Doc, index: MentionIndex, off: Offsets) -> str | None:
    """The actor whose mention holds the head word of the span at ``off``."""
    span = doc.char_span(off[0], off[1], alignment_mode="expand")
    if span is None:
        return None
    head = span.root
    for tok in [head, *(c for c in head.children if c.dep_ == "appos")]:
        actor = index.lookup(tok.idx, tok.idx + len(tok))
        if actor is not None:
            return actor
    return None


def _previous_actor(
    index: MentionIndex, types: dict[str, str], before: int, want: str, skip: set[Offsets]
) -> str | None:
    """The actor of the wanted type mentioned last before ``before``.

    skip: mentions that name a people or creed ("Shiite", "Iraqi"): an adjective, not
    the organisation "the group" refers back to.
    """
    best: tuple[int, str] | None = None
    for (s, e), actor in index.before(before):
        if (s, e) in skip:
            continue
        if types.get(actor) == want and (best is None or s > best[0]):
            best = (s, actor)
    return best[1] if best else None


class MentionIndex:
    """Actor mentions sorted by start, so lookups read only the neighbourhood of a range."""

    # Longest mention expected; a window this wide before a range finds mentions holding it.
    MAX_MENTION_CHARS = 300

    def __init__(self, mapping: dict[Offsets, str]) -> None:
        self.items = sorted(mapping.items())
        self.starts = [s for (s, _e), _a in self.items]

    def before(self, pos: int) -> list[tuple[Offsets, str]]:
        return self.items[: bisect.bisect_left(self.starts, pos)]

    def lookup(self, start: int, end: int) -> str | None:
        """The actor whose mention lies inside [start, end) or holds it (longest wins)."""
        lo = bisect.bisect_left(self.starts, start - self.MAX_MENTION_CHARS)
        hi = bisect.bisect_right(self.starts, end)
        best: tuple[int, str] | None = None
        for (s, e), actor in self.items[lo:hi]:
            holds = start <= s and e <= end or (s <= start and end <= e)
            if holds and (best is None or e - s > best[0]):
                best = (e - s, actor)
        return best[1] if best else None


def _assemble(
    doc: Doc,
    raws: Sequence[RawAttribution],
    index: MentionIndex,
    aliases: AliasTable,
    actor_types: dict[str, str],
) -> list[Attribution]:
    """Type and resolve sources, then turn nesting into relay chains."""
    text = doc.text  # once: Doc.text rebuilds the string on each access
    resolver = SourceResolver(doc)
    norp = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == "NORP"}

    def make_source(off: Offsets) -> Source | None:
        span = doc.char_span(off[0], off[1], alignment_mode="expand")
        if span is None or not span.text.strip():
            return None
        entry = aliases.lookup(span.text)
        typed = type_source(span, entry.type if entry else None)
        typed, ante = resolver.resolve(span, typed)
        actor = _actor_of_head(doc, index, off)
        if actor is None and ante is not None:
            actor = _actor_of_head(doc, index, ante)
        if actor is None and ante is None and typed.type in ORG_LIKE and _is_description(span):
            # "the group said": the organisation named most recently before.
            actor = _previous_actor(index, actor_types, off[0], typed.type, norp)
        if actor is not None and typed.type in ORG_LIKE + ("person",):
            typed = replace(typed, type=actor_types.get(actor, typed.type))
        return Source(
            mention=TextSpan.from_offsets(text, [off]),
            type=typed.type,
            actor=actor,
            role=typed.role,
            antecedent=TextSpan.from_offsets(text, [ante]) if ante else None,
        )

    sources: list[Source | None] = []
    relays: list[list[Source]] = []
    for r in raws:
        relays.append([s for s in (make_source(o) for o in r.relayed_by) if s])
        sources.append(make_source(r.source) if r.source else None)

    chains: list[tuple[Source, ...]] = []
    for i, r in enumerate(raws):
        chain: list[Source] = []
        j = r.nested_in
        seen = {i}
        outer: list[list[Source]] = []
        while j is not None and j not in seen:  # walk outwards; guard against cycles
            seen.add(j)
            src = sources[j]
            outer.append([*relays[j], *([src] if src else [])])
            j = raws[j].nested_in
        for level in reversed(outer):
            chain.extend(level)
        chain.extend(relays[i])
        chains.append(tuple(chain))

    out = []
    for i, r in enumerate(raws):
        out.append(
            Attribution(
                id=f"t{i + 1}",
                source=sources[i],
                cue=TextSpan.from_offsets(text, r.cue),
                content=TextSpan.from_offsets(text, r.content),
                kind=r.kind if sources[i] or r.kind != "indirect" else "no_source",
                relayed_by=chains[i],
                confidence=r.confidence,
                extra={"nested": r.nested_in is not None},
            )
        )
    return out
