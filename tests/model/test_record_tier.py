"""The record's ``tier`` (schema 1.2.0): written last when known, read back, checked by the
validator, described by the JSON schema; records from before it stay valid."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from sourcetrace.attributions.tiers import LABELS
from sourcetrace.ingest import article_from_text
from sourcetrace.model.errors import BadInputError
from sourcetrace.model.record import SCHEMA_VERSION, Analysis
from sourcetrace.model.validate import validate_record

SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "sourcetrace-analysis.v1.schema.json"


def record(tier: str | None) -> dict:
    article = article_from_text("The council met on Monday.\n", "m.txt")
    return Analysis(article, tier=tier).to_dict()


def test_schema_minor_version_is_1_2():
    assert SCHEMA_VERSION == "1.2.0"


def test_tier_is_written_last_and_read_back():
    rec = record("accurate")
    assert list(rec)[-1] == "tier" and rec["tier"] == "accurate"
    assert Analysis.from_dict(rec).tier == "accurate"
    assert "tier" not in record(None)  # unknown: not written


def test_validator_accepts_records_with_and_without_tier():
    old = dict(record(None), schema_version="1.1.0")  # a 1.1 record has no tier
    assert "tier" not in validate_record(old, "old.jsonl#1")
    for tier in LABELS:
        assert validate_record(record(tier), "new.jsonl#1")["tier"] == tier
    assert "tier" not in validate_record(dict(record(None), tier=None), "n.jsonl#1")
    # A later minor version may name a tier this one does not know: kept as it is.
    assert validate_record(record("distilled-2"), "later.jsonl#1")["tier"] == "distilled-2"


@pytest.mark.parametrize("bad", [3, ["fast"], {"x": 1}, "Fast Tier", "", "x" * 40, True])
def test_validator_refuses_a_tier_that_is_not_a_name(bad):
    rec = dict(record(None), tier=bad)
    with pytest.raises(BadInputError) as err:
        validate_record(rec, "bad.jsonl#1")
    assert '"tier"' in err.value.reason and "\n" not in err.value.reason


def test_json_schema_names_the_tiers_and_takes_old_records():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert tuple(schema["properties"]["tier"]["enum"]) == LABELS
    assert "tier" not in schema["required"]
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(record("default"))
    assert validator.is_valid(dict(record(None), schema_version="1.1.0"))
    assert not validator.is_valid(record("turbo"))


def test_eval_summary_names_the_tier():
    from sourcetrace.evaluate.polnear.render import summary
    from sourcetrace.evaluate.polnear.scoring import Report

    report = Report(documents=2, gold_relations=3, predicted_relations=4, roles={},
                    relation=None, source_types=(), reliability=())  # type: ignore[arg-type]
    line = summary(report, "dev", tier="accurate")
    assert line.startswith("PolNeAR dev: 2 documents") and "(accurate tier, " in line
