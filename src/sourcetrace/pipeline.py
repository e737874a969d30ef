"""Pipeline: article -> NLP doc -> attributions -> actors -> voice -> profile.

(Interface stub while the stages are written; analyze_article is filled in by the
attributions work.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from .analysis import Analysis
from .article import Article


class Pipeline:
    """Reusable analyser for batches.

    aliases (Sequence[str]): user alias files (YAML or CSV) added to the built-in table.
    fast (bool): rule-only path for bulk work.
    batch_size (int): texts per nlp.pipe batch.
    """

    def __init__(
        self, aliases: Sequence[str] = (), *, fast: bool = False, batch_size: int = 16
    ) -> None:
        self.alias_files = tuple(aliases)
        self.fast = fast
        self.batch_size = batch_size

    def analyze(self, article: Article) -> Analysis:
        return next(iter(self.analyze_many([article])))

    def analyze_many(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        """Analyse articles lazily, in order; memory stays flat however many come in."""
        for article in articles:
            yield Analysis(article=article)
