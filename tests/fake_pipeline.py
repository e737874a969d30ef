"""A fake Pipeline (fast, deterministic) for tests that run the CLI over the real ingest
and reports; the CLI gets it through the invocation's ``obj`` (its pipeline factory)."""

from __future__ import annotations

import json
import re
from itertools import islice
from pathlib import Path

from typer.testing import CliRunner

from sourcetrace.cli import app
from sourcetrace.model.errors import BadInputError
from sourcetrace.model.record import Actor, Analysis, Attribution, Source
from sourcetrace.model.spans import TextSpan

SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "sourcetrace-analysis.v1.schema.json"
QUOTE = re.compile(r'"(?P<content>[^"]+)," (?P<cue>said) (?P<source>[A-Z]\w+(?: [A-Z]\w+)*)')

ARTICLES = {
    "harbour.txt": '"The tide gauges are broken," said Ilse Marr.\nRepairs start soon.\n',
    "orchard.txt": '"Frost took the blossom," said Tomas Vey.\n"We will replant," said Ana Vey.\n',
    "library.txt": 'The library reopens on Friday.\n"Shelves are full again," said Rhea Oduya.\n',
}


class FakePipeline:
    """Finds `"...," said Name Name` quotes; pulls articles two at a time like nlp.pipe.

    Text containing EXPLODE raises mid-batch, BADDOC is yielded as a BadInputError,
    INTERRUPT raises KeyboardInterrupt (a Ctrl-C).
    """

    created: list[FakePipeline] = []

    def __init__(self, aliases=(), *, fast=False, batch_size=2, tier=None):
        self.aliases = tuple(aliases)
        self.fast = fast
        self.tier = tier
        self.batch_size = batch_size
        self.seen: list[str] = []
        FakePipeline.created.append(self)

    def analyze(self, article):
        return next(iter(self.analyze_many([article])))

    def analyze_many(self, articles):
        it = iter(articles)
        while batch := list(islice(it, self.batch_size)):
            for article in batch:
                self.seen.append(article.path)
                if "EXPLODE" in article.text:
                    raise RuntimeError("boom\nsecond line")
                if "INTERRUPT" in article.text:
                    raise KeyboardInterrupt
                if "BADDOC" in article.text:
                    yield BadInputError(article.path, "analysis failed: bad doc")
                    continue
                yield _fake_analysis(article, self.tier)


def _fake_analysis(article, tier=None) -> Analysis:
    text = article.text
    atts, actors = [], {}
    for i, m in enumerate(QUOTE.finditer(text), 1):
        name = m["source"]
        actor = actors.setdefault(name, f"a{len(actors) + 1}")
        atts.append(
            Attribution(
                id=f"t{i}",
                source=Source(TextSpan.from_offsets(text, [m.span("source")]), "person", actor),
                cue=TextSpan.from_offsets(text, [m.span("cue")]),
                content=TextSpan.from_offsets(text, [m.span("content")]),
                kind="direct",
                confidence=0.9,
            )
        )
    actor_list = tuple(Actor(aid, name, "person", (name,), ()) for name, aid in actors.items())
    return Analysis(article, tuple(atts), actor_list, profile={"attributions": len(atts)},
                    tier=tier)


def fake_factory(options) -> FakePipeline:
    """The pipeline factory the CLI tests pass: a FakePipeline with the run's options."""
    return FakePipeline(options.aliases, fast=options.fast, tier=options.tier)


def invoke(*args, obj=fake_factory):
    return CliRunner().invoke(app, list(args), obj=obj)


def read_records(path="out.jsonl"):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


SUMMARY_RE = re.compile(r"^\d+ articles?, \d+ failed")


def error_lines(result):
    """stderr's lines but the run's closing summary line."""
    return [line for line in result.stderr.splitlines()
            if line.strip() and not SUMMARY_RE.match(line)]
