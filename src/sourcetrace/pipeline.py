"""Pipeline: article -> NLP doc -> attributions -> actors -> voice -> profile.

``PipelineOptions`` is the one picklable description of a pipeline (aliases, tier, model,
batch size) that the CLI, the batch runner and the engines pass around and build from;
``analyze_safely`` runs a pipeline over a stream with every failure pinned on its article.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from .actors import AliasTable, doc_mentions, resolve_actors, retype_actors
from .attributions.encoder import Encoder, default_model_path, load_encoder
from .attributions.extract import extract_attributions
from .attributions.proposition import is_proposition
from .attributions.quotes import MAX_QUOTES, Quote, find_quotes
from .attributions.tiers import CUSTOM, LABELS, WEIGHTS_MISSING
from .labels import find_labels
from .link import MentionIndex, link_sources
from .model.article import Article, printable_path
from .model.errors import BadInputError, ConfigError, SourcetraceError
from .model.newlines import NewlineMap, normalize_article, restore_analysis
from .model.record import Analysis, Label
from .model.spans import Offsets
from .nlp import (
    MAX_PARSE_CHARS,
    MAX_SENTENCE_TOKENS,
    PARSE_PIECES,
    SENTENCE_CUTS,
    load_nlp,
    pipe_bounded,
)
from .profile import sourcing_profile
from .voice import find_unattributed

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class PipelineOptions:
    """How to build a Pipeline; frozen and picklable, so worker processes get it as is.

    aliases: user alias files (YAML or CSV) added to the built-in table.
    fast: rule-only path for bulk work (skips the trained attribution encoder); the same
      as tier "fast".
    model: an attribution encoder folder other than the shipped one (tier "custom").
    batch_size: texts per nlp.pipe batch.
    tier: the attribution tier (``attributions.tiers.LABELS``, already resolved; None:
      "fast" when ``fast``, "custom" when ``model``, else "default").
    """

    aliases: tuple[str, ...] = ()
    fast: bool = False
    model: str | None = None
    batch_size: int = 16
    tier: str | None = None

    def build(self) -> Pipeline:
        """A new Pipeline with these options (models load on first use)."""
        return Pipeline(self.aliases, fast=self.fast, batch_size=self.batch_size,
                        model=self.model, tier=self.tier)


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
    tier (str | None): the attribution tier (``tiers.LABELS``), written in every record;
        "fast" implies ``fast``, "accurate" loads the shipped MPNet tagger. None: from
        ``fast`` and ``model`` ("fast", "custom" or "default").
    """

    def __init__(
        self,
        aliases: Sequence[str] = (),
        *,
        fast: bool = False,
        batch_size: int = 16,
        model: str | Path | None = None,
        tier: str | None = None,
    ) -> None:
        if tier is None:
            tier = "fast" if fast else CUSTOM if model is not None else "default"
        if tier not in LABELS:
            raise ValueError(f"unknown tier {tier!r} (one of {', '.join(LABELS)})")
        if fast and tier != "fast":
            raise ValueError(f"fast=True contradicts tier {tier!r}")
        self.tier = tier
        self.alias_files = tuple(aliases)
        self.fast = fast or tier == "fast"
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
            path = self.model_path
            if self.tier == "accurate" and path is None:
                path = default_model_path("mpnet")
                if path is None:  # checked before a run starts (tiers.resolve)
                    raise ConfigError(WEIGHTS_MISSING)
            self._encoder = load_encoder(path)
            self._encoder_loaded = True
        return self._encoder

    def analyze_many(self, articles: Iterable[Article]) -> Iterator[Analysis | BadInputError]:
        """Analyse articles lazily, in order; memory stays flat however many come in.

        An article whose analysis fails comes out as a BadInputError naming it,
        and the stream goes on. Texts with CR or CRLF newlines are analysed as their LF
        copy and the spans mapped back, so the newline convention changes nothing.
        """
        originals: deque[tuple[Article, NewlineMap | None]] = deque()

        def lf_copies() -> Iterator[Article]:
            for article in articles:
                copy, nmap = normalize_article(article)
                originals.append((article, nmap))
                yield copy

        copies = lf_copies()
        first = next(copies, None)
        if first is None:  # no article: the models are never loaded
            return
        for result in self._analyze_lf(chain([first], copies)):
            article, nmap = originals.popleft()
            if isinstance(result, Analysis) and result.article is not article:
                result = restore_analysis(result, article, nmap)
            yield result

    def _analyze_lf(self, articles: Iterable[Article]) -> Iterator[Analysis | BadInputError]:
        if self.encoder is None:
            stream = ((a.text, a) for a in articles)
            parsed = pipe_bounded(self.nlp, stream, batch_size=self.batch_size)
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
                docs = [d for d, _ in pipe_bounded(
                    self.nlp, ((t, None) for t in texts), batch_size=self.batch_size)]
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
        mentions = doc_mentions(doc, raws)
        actors, actor_of_span = resolve_actors(
            text, mentions, self.aliases, excluded=excluded
        )
        actors = retype_actors(actors)
        actor_types = {a.id: a.type for a in actors}
        index = MentionIndex(actor_of_span)
        attributions = [
            replace(a, proposition=is_proposition(doc, a.content.spans, a.cue.spans))
            for a in link_sources(doc, raws, index, self.aliases, actor_types)
        ]

        def actor_of(start: int, end: int) -> str | None:
            return index.lookup(start, end)

        # Words inside quotation marks are the source's; a paraphrase is the writer's
        # wording, so labels there count as the writer's (with the attribution noted).
        quotes = find_quotes(text)
        _report_bounds(article, doc, quotes.dropped)
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
            tier=self.tier,
        )


def analyze(text: str, *, path: str = "<text>", aliases: Sequence[str] = ()) -> Analysis:
    """Analyse one text (shortcut; use Pipeline for batches)."""
    from .ingest import article_from_text

    return Pipeline(aliases).analyze(article_from_text(text, path))




def _quoted_parts(quotes: Sequence[Quote], spans: Sequence[Offsets]) -> list[Offsets]:
    out = []
    for s, e in spans:
        for q in quotes:
            if q.start < e and s < q.end:
                out.append((max(s, q.start), min(e, q.end)))
    return out


def _report_bounds(article: Article, doc: Doc, dropped_quotes: int) -> None:
    """One warning line per cost bound an article hit (docs/reliability.md)."""
    if cuts := doc.user_data.get(SENTENCE_CUTS):
        logger.warning("%s: a sentence ran past %d tokens; the parser was given a boundary "
                       "every %d tokens there (%d cuts)", printable_path(article.path),
                       MAX_SENTENCE_TOKENS, MAX_SENTENCE_TOKENS, cuts)
    if pieces := doc.user_data.get(PARSE_PIECES):
        logger.warning("%s: %d characters; parsed in %d pieces of at most %d", printable_path(
            article.path), len(doc.text), pieces, MAX_PARSE_CHARS)
    if dropped_quotes:
        logger.warning("%s: more than %d quotations; the %d after them were not paired",
                       printable_path(article.path), MAX_QUOTES, dropped_quotes)
