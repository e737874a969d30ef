import io
import json
from pathlib import Path

import jsonschema
import pytest
from sample_analysis import build_analysis, build_empty_analysis, build_hostile_analysis

from sourcetrace.model.record import SCHEMA_VERSION
from sourcetrace.model.types import KINDS, SOURCE_TYPES
from sourcetrace.reports.jsonl import JsonlWriter

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "sourcetrace-analysis.v1.schema.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("build", [build_analysis, build_hostile_analysis, build_empty_analysis])
def test_schema_validation_jsonl_records(validator, build):
    buf = io.StringIO()
    JsonlWriter(buf).write(build())
    record = json.loads(buf.getvalue())
    errors = [e.message for e in validator.iter_errors(record)]
    assert errors == []


def test_schema_validation_enums_match_code(validator):
    defs = validator.schema["$defs"]
    assert tuple(defs["sourceType"]["enum"]) == SOURCE_TYPES
    assert tuple(defs["kind"]["enum"]) == KINDS


def test_schema_validation_version_matches(validator):
    assert validator.schema["$id"].endswith(":" + SCHEMA_VERSION)
    assert validator.is_valid({**build_empty_analysis().to_dict()})
    major = SCHEMA_VERSION.split(".")[0]
    assert SCHEMA_PATH.name == f"sourcetrace-analysis.v{major}.schema.json"


@pytest.mark.parametrize(
    "path, value",
    [
        (("attributions", 0, "kind"), "rumour"),
        (("attributions", 0, "source", "type"), "oracle"),
        (("attributions", 0, "confidence"), 1.5),
        (("attributions", 0, "cue", "spans"), [[1, 2, 3]]),
        (("labels", 0, "voice"), "reader"),
        (("schema_version",), "2.0.0"),
    ],
)
def test_schema_validation_rejects_bad_records(validator, path, value):
    record = build_analysis().to_dict()
    target = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert not validator.is_valid(record)


def test_schema_validation_rejects_unknown_field(validator):
    record = build_analysis().to_dict()
    record["attributions"][0]["speaker"] = "x"
    assert not validator.is_valid(record)
