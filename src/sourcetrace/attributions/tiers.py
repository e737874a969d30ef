"""Attribution tiers: what each is, whether it can run here, and what ``auto`` picks.

- ``fast``: the rules alone (no trained model; ``nlp`` loads fewer components);
- ``default``: the MiniLM token tagger (``models/attribution_encoder``) and the rules;
- ``accurate``: an MPNet-base tagger (``models/attribution_accurate``) and the rules;
  it needs the ``[accurate]`` extra (the base weights) and its trained weights.

A run asks for one of those, ``auto``, or a trained tagger folder (``custom``, what
``--model DIR`` gives). ``auto`` gives each kind of user theirs: a few articles named
one by one (a fact-checker) get ``accurate`` where it can run; anything bulk (a
folder, a JSONL or WARC file, a URL list, a feed, many files, several workers, Spark)
gets ``default``, which is several times faster.

    tier = resolve("auto", ["a.txt", "b.html"])          # "accurate" or "default"
    tier = resolve("auto", paths, available=lambda t: None)  # tests: "as if available"

``resolve`` refuses an explicit tier that cannot run (``TierUnavailable``, one line);
``available`` is its seam: a function from a tier to why it cannot run (None: it can).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from importlib import metadata
from urllib.parse import urlsplit

from ..model.errors import ConfigError
from .bases import MPNET_PARTS
from .encoder import default_model_path

__all__ = [
    "AUTO",
    "AUTO_ACCURATE_MAX",
    "CHOICES",
    "CUSTOM",
    "ENV_VAR",
    "EXTRA_MISSING",
    "LABELS",
    "TIERS",
    "WEIGHTS_MISSING",
    "TierUnavailable",
    "one_article",
    "parse_model",
    "resolve",
    "why_unavailable",
]

logger = logging.getLogger(__name__)

TIERS = ("fast", "default", "accurate")
AUTO = "auto"
CHOICES = (AUTO, *TIERS)
# What a record says when ``--model DIR`` named a tagger folder of its own.
CUSTOM = "custom"
LABELS = (*TIERS, CUSTOM)
ENV_VAR = "SOURCETRACE_MODEL"
# ``auto`` runs the accurate tier for at most this many inputs, each one article. A
# fact-checker reads a handful; past ten the accurate tier's cost (several times the
# default's per article) stops being worth paying without asking for it.
AUTO_ACCURATE_MAX = 10
# Inputs that hold one article each (a .txt may be a URL list: see ``one_article``).
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")
# URL path words that mark a feed rather than an article (the body is not fetched yet).
FEED_HINTS = ("rss", "feed", "atom")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
# Bytes of a .txt read to tell a URL list from an article (its first line says).
HEAD_BYTES = 4096

EXTRA_MISSING = (
    "the accurate tier needs the [accurate] extra: "
    "pip install -c constraints.txt -e '.[accurate]'"
)
WEIGHTS_MISSING = "the accurate tier: its trained weights are not in this install"


class TierUnavailable(ConfigError):
    """A tier that was asked for by name cannot run here; str() says what to do."""


def _extra_installed() -> bool:
    try:
        for part in MPNET_PARTS:
            metadata.distribution(part)
    except metadata.PackageNotFoundError:
        return False
    return True


def why_unavailable(tier: str) -> str | None:
    """Why ``tier`` cannot run in this install, or None when it can.

    Only ``accurate`` can be missing: its trained weights ship with sourcetrace once
    trained, and its base weights come from the ``[accurate]`` extra. Cheap: nothing
    is loaded or unpacked.
    """
    if tier != "accurate":
        return None
    if default_model_path("mpnet") is None:
        return WEIGHTS_MISSING
    if not _extra_installed():
        return EXTRA_MISSING
    return None


Availability = Callable[[str], "str | None"]


def parse_model(value: str) -> tuple[str, str | None]:
    """``--model``'s value as (tier or "auto" or CUSTOM, the folder for CUSTOM).

    RAISES ValueError: neither a tier name nor an existing folder.
    """
    name = value.strip()
    if name.lower() in CHOICES:
        return name.lower(), None
    if os.path.isdir(name):
        return CUSTOM, name
    raise ValueError(
        f"{value!r} is neither a tier ({', '.join(CHOICES)}) nor a trained model folder"
    )


def one_article(path: str) -> bool:
    """Whether one input names exactly one article: an article file (a .txt that is not
    a URL list), an article URL (not a feed, by its address) or stdin."""
    from ..ingest.fetch import is_url, looks_like_url_list  # here: ingest is heavier

    if path == "-":
        return True
    if is_url(path):
        parts = urlsplit(path)
        where = parts.path.lower()
        words = [w for w in where.replace(".", "/").replace("-", "/").split("/") if w]
        return not (where.endswith(FEED_SUFFIXES) or any(w in FEED_HINTS for w in words))
    lower = path.lower()
    if os.path.isdir(path) or not lower.endswith(ARTICLE_SUFFIXES):
        return False
    if lower.endswith(".txt"):
        try:
            with open(path, "rb") as fp:
                return not looks_like_url_list(fp.read(HEAD_BYTES))
        except OSError:
            return True  # unreadable: ingest reports it; it is not many articles
    return True


def resolve(
    choice: str,
    paths: Sequence[str] = (),
    *,
    workers: int = 1,
    spark: bool = False,
    available: Availability | None = None,
) -> str:
    """The concrete tier a run uses (one of ``LABELS``).

    choice: a tier, "auto", or CUSTOM (returned as is).
    paths: the run's inputs (for "auto"); workers, spark: how it runs (bulk when > 1, on).
    available: tier -> why it cannot run, or None (default ``why_unavailable``).
    RAISES TierUnavailable: an explicitly named tier that cannot run here.
    """
    check = available or why_unavailable
    if choice == AUTO:
        few = (
            0 < len(paths) <= AUTO_ACCURATE_MAX
            and workers <= 1
            and not spark
            and all(one_article(p) for p in paths)
        )
        if not few:
            return "default"
        reason = check("accurate")
        if reason is not None:
            logger.info("auto: %s; using the default tier", reason)
            return "default"
        return "accurate"
    if choice not in LABELS:
        raise ValueError(f"unknown tier {choice!r} (choose from {', '.join(CHOICES)})")
    reason = check(choice)
    if reason is not None:
        raise TierUnavailable(reason)
    return choice
