"""The cue lexicon: which words introduce attributed content, and what they need."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

CLASSES = ("speech", "cognition", "object", "report")


@dataclass(frozen=True, slots=True)
class CueLexicon:
    """Lemma sets per cue class (see data/cues.yaml for what each class needs)."""

    speech: frozenset[str]
    cognition: frozenset[str]
    object: frozenset[str]
    report: frozenset[str]
    nouns: frozenset[str]

    def is_verb_cue(self, lemma: str) -> bool:
        return lemma in self.speech or lemma in self.cognition or lemma in self.object

    def needs_clause(self, lemma: str) -> bool:
        """Cognition verbs count only with a clausal complement."""
        return lemma not in self.speech and lemma not in self.object


@lru_cache(maxsize=1)
def default_lexicon() -> CueLexicon:
    raw = yaml.safe_load(
        resources.files("sourcetrace").joinpath("data/cues.yaml").read_text(encoding="utf-8")
    )
    return CueLexicon(**{k: frozenset(raw.get(k, ())) for k in (*CLASSES, "nouns")})
