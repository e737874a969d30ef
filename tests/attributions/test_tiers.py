"""Which attribution tier a run gets: ``auto``'s table, explicit tiers, ``--model`` values,
and the tier a Pipeline writes in its records."""

from __future__ import annotations

import logging
import pickle

import pytest

from sourcetrace.attributions import tiers
from sourcetrace.attributions.tiers import (
    AUTO_ACCURATE_MAX,
    EXTRA_MISSING,
    WEIGHTS_MISSING,
    TierUnavailable,
    parse_model,
    resolve,
)


def installed(tier: str) -> str | None:
    return None


def not_installed(tier: str) -> str | None:
    return EXTRA_MISSING if tier == "accurate" else None


@pytest.fixture
def files(tmp_path, monkeypatch):
    """A folder of inputs of every kind, as the cwd."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("The mayor said the bridge was safe.\n", "utf-8")
    (tmp_path / "b.html").write_text("<p>Ana Vey said it would rain.</p>", "utf-8")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "d.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "e.htm").write_text("<p>x</p>", "utf-8")
    (tmp_path / "many.jsonl").write_text('{"text": "x"}\n', "utf-8")
    (tmp_path / "crawl.warc").write_bytes(b"WARC/1.0\r\n")
    (tmp_path / "crawl.warc.gz").write_bytes(b"\x1f\x8b")
    (tmp_path / "list.urls").write_text("https://example.org/a\n", "utf-8")
    (tmp_path / "links.txt").write_text("# to read\nhttps://example.org/a\n", "utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "x.txt").write_text("One article.\n", "utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "paths, workers, spark, expected",
    [
        (["a.txt"], 1, False, "accurate"),
        (["a.txt", "b.html", "c.pdf", "d.docx", "e.htm"], 1, False, "accurate"),
        (["-"], 1, False, "accurate"),
        (["https://news.example.org/2024/05/harbour-repairs"], 1, False, "accurate"),
        (["folder"], 1, False, "default"),
        (["many.jsonl"], 1, False, "default"),
        (["crawl.warc"], 1, False, "default"),
        (["crawl.warc.gz"], 1, False, "default"),
        (["list.urls"], 1, False, "default"),
        (["links.txt"], 1, False, "default"),  # a .txt holding only URLs is a URL list
        (["a.txt", "many.jsonl"], 1, False, "default"),  # one bulk input is enough
        (["https://news.example.org/feed/"], 1, False, "default"),
        (["https://news.example.org/world.rss"], 1, False, "default"),
        (["https://news.example.org/index.xml"], 1, False, "default"),
        (["a.txt"], 2, False, "default"),
        (["a.txt"], 1, True, "default"),
        ([], 1, False, "default"),
    ],
)
def test_auto_picks_accurate_only_for_a_few_single_articles(files, paths, workers, spark,
                                                            expected):
    assert resolve("auto", paths, workers=workers, spark=spark, available=installed) == expected


def test_auto_takes_up_to_the_limit_and_no_more(files):
    names = []
    for i in range(AUTO_ACCURATE_MAX + 1):
        (files / f"n{i}.txt").write_text(f"Article {i}.\n", "utf-8")
        names.append(f"n{i}.txt")
    assert resolve("auto", names[:AUTO_ACCURATE_MAX], available=installed) == "accurate"
    assert resolve("auto", names, available=installed) == "default"


def test_auto_without_the_accurate_tier_is_default_with_one_info_line(files, caplog):
    with caplog.at_level(logging.INFO, logger="sourcetrace.attributions.tiers"):
        assert resolve("auto", ["a.txt"], available=not_installed) == "default"
    lines = [r for r in caplog.records if r.name == "sourcetrace.attributions.tiers"]
    assert len(lines) == 1 and lines[0].levelno == logging.INFO
    assert "[accurate] extra" in lines[0].getMessage()


def test_an_explicit_tier_is_kept_whatever_the_inputs(files):
    for tier in ("fast", "default", "accurate"):
        assert resolve(tier, ["folder"], workers=4, available=installed) == tier
    assert resolve("custom", ["a.txt"], available=installed) == "custom"


@pytest.mark.parametrize("reason", [EXTRA_MISSING, WEIGHTS_MISSING])
def test_an_explicit_accurate_tier_that_cannot_run_is_refused(files, reason):
    with pytest.raises(TierUnavailable) as err:
        resolve("accurate", ["a.txt"], available=lambda t: reason)
    assert str(err.value) == reason
    assert "\n" not in str(err.value)


def test_the_extra_message_names_the_install_line():
    assert EXTRA_MISSING == ("the accurate tier needs the [accurate] extra: "
                             "pip install -c constraints.txt -e '.[accurate]'")


def test_fast_and_default_always_run_here():
    assert tiers.why_unavailable("fast") is None
    assert tiers.why_unavailable("default") is None
    assert tiers.why_unavailable("accurate") in (None, EXTRA_MISSING, WEIGHTS_MISSING)


def test_resolve_refuses_an_unknown_tier():
    with pytest.raises(ValueError, match="unknown tier"):
        resolve("turbo", ["a.txt"], available=installed)


def test_parse_model_takes_tier_names_and_folders(tmp_path):
    assert parse_model("auto") == ("auto", None)
    assert parse_model(" Accurate ") == ("accurate", None)
    assert parse_model("fast") == ("fast", None)
    assert parse_model(str(tmp_path)) == ("custom", str(tmp_path))
    with pytest.raises(ValueError, match="neither a tier"):
        parse_model(str(tmp_path / "missing"))


def test_the_pipeline_names_its_tier():
    from sourcetrace.pipeline import Pipeline, PipelineOptions

    assert Pipeline().tier == "default"
    assert Pipeline(fast=True).tier == "fast"
    assert Pipeline(tier="fast").fast is True  # the tier decides the fast nlp too
    assert Pipeline(model="some/folder").tier == "custom"
    assert Pipeline(tier="accurate").tier == "accurate"
    with pytest.raises(ValueError):
        Pipeline(tier="turbo")
    with pytest.raises(ValueError):
        Pipeline(fast=True, tier="default")
    options = PipelineOptions(fast=True, tier="fast")
    assert pickle.loads(pickle.dumps(options)) == options  # Spark and workers get it as is
    assert options.build().tier == "fast"


def test_the_fast_pipeline_writes_its_tier_in_the_record():
    from sourcetrace.ingest import article_from_text
    from sourcetrace.model.record import Analysis
    from sourcetrace.pipeline import Pipeline

    article = article_from_text('"The quay is closed," said Ilse Marr.\n', "q.txt")
    record = Pipeline(tier="fast").analyze(article).to_dict()
    assert record["tier"] == "fast" and list(record)[-1] == "tier"
    assert Analysis.from_dict(record).to_dict() == record
