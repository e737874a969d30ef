"""Inputs that crashed a reader, the validator, a parser or the CLI (found by the fuzz
harness in ``test_fuzz_inputs.py``, while bounding it, or by
``benchmarks/hostile_inputs.py``), kept as explicit cases."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sourcetrace.actors import load_yaml
from sourcetrace.corpus.build import parse_date
from sourcetrace.ingest import read_path
from sourcetrace.model.errors import BadInputError, ConfigError
from sourcetrace.model.record import Analysis
from sourcetrace.model.validate import validate_record

from .test_fuzz_inputs import BASE


@pytest.mark.parametrize("cut", [1, 53])
def test_a_plain_warc_cut_inside_its_first_header_is_an_error_not_silence(tmp_path, cut):
    # Fuzz: b"W", or a response header cut after 53 bytes, gave no article and no error:
    # the file vanished from the run.
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.example/0\r\n"
            b"Content-Length: 10\r\n\r\n0123456789\r\n\r\n")
    path = tmp_path / "w.warc"
    path.write_bytes(head[:cut])
    (item,) = read_path(str(path))
    assert isinstance(item, BadInputError) and item.path == str(path)


def test_deeply_nested_jsonl_line_is_one_error(tmp_path):
    # json.loads recurses: 50,000 "[" raised RecursionError through the reader.
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 50_000 + '\n{"text": "The ferry runs."}\n', encoding="utf-8")
    first, second = read_path(str(path))
    assert isinstance(first, BadInputError) and "nested too deeply" in first.reason
    assert not isinstance(second, BadInputError)


def test_surrogate_in_an_unknown_key_of_a_span_is_refused():
    # Fuzz: antecedent {"": "\ud800"} passed the validator and failed the UTF-8 writer.
    rec = copy.deepcopy(BASE)
    rec["attributions"][0]["source"]["antecedent"] = {"": "\ud800"}
    with pytest.raises(BadInputError, match="lone surrogate"):
        validate_record(rec, "f#1")


def test_null_path_reads_back():
    # Fuzz: "path": null passed and Analysis.to_dict failed on it.
    out = validate_record(dict(copy.deepcopy(BASE), path=None), "f#1")
    assert Analysis.from_dict(out).to_dict()["path"] == ""


def test_yaml_nested_past_the_c_parser_stack_is_a_config_error():
    # libyaml's composer crashed the process (SIGSEGV) at 100,000 levels.
    with pytest.raises(ConfigError, match="nested deeper"):
        load_yaml("[" * 100_000, "deep.yaml")


def test_a_date_past_the_calendar_in_utc_is_no_date():
    # OverflowError from astimezone ended a corpus build ("build failed").
    assert parse_date("9999-12-31T23:00:00-05:00") is None
    assert parse_date("2025-05-01T10:00:00+02:00").hour == 8


def test_stdout_closed_by_the_shell_is_one_line(tmp_path):
    # `analyze FILE >&-`: Python starts with sys.stdout None, and choosing the output
    # format raised AttributeError (a traceback, exit 1).
    article = tmp_path / "a.txt"
    article.write_text("The ferry runs at noon, the council said.\n", encoding="utf-8")
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    res = subprocess.run(["sh", "-c", 'exec "$0" -m sourcetrace.cli analyze "$1" >&-',
                          sys.executable, str(article)], env=env, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        "error: stdout: cannot write: stdout is closed; write to a file with -o FILE"]
