import csv
import io

import pytest
from sample_analysis import TEXT, build_analysis, build_empty_analysis

from sourcetrace.reports.csv import COLUMNS, CsvWriter


def _rows(*analyses, header=True):
    buf = io.StringIO(newline="")
    with CsvWriter(buf, header=header) as writer:
        for analysis in analyses:
            writer.write(analysis)
    return list(csv.reader(io.StringIO(buf.getvalue(), newline="")))


def _offsets(value):
    return [tuple(map(int, part.split("-"))) for part in value.split(";")] if value else []


def test_csv_rows_one_per_attribution_header_once():
    rows = _rows(build_analysis("a.txt"), build_empty_analysis(), build_analysis("b.txt"))
    assert rows[0] == list(COLUMNS)
    assert rows.count(list(COLUMNS)) == 1
    body = [dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]]
    assert [r["path"] for r in body] == ["a.txt"] * 7 + ["b.txt"] * 7
    assert [r["attribution_id"] for r in body[:7]] == [f"t{i}" for i in range(1, 8)]


@pytest.mark.parametrize("field", ["source", "cue", "content"])
def test_csv_rows_offsets_match_text(field):
    body = [dict(zip(COLUMNS, r, strict=True)) for r in _rows(build_analysis())[1:]]
    for row in body:
        spans = _offsets(row[f"{field}_offsets"])
        assert " ".join(TEXT[s:e] for s, e in spans) == row[f"{field}_text"]


def test_csv_rows_relay_actor_and_kind():
    body = {r[2]: dict(zip(COLUMNS, r, strict=True)) for r in _rows(build_analysis())[1:]}
    assert body["t3"]["relayed_by"] == "The Tidewater Gazette"
    assert body["t3"]["cue_offsets"].count(";") == 1  # "quoted ... as saying"
    assert body["t6"]["source_actor"] == "Mara Lindqvist"
    assert body["t6"]["relayed_by"] == "Residents"
    assert body["t7"]["source_text"] == "" and body["t7"]["kind"] == "no_source"
    assert body["t2"]["confidence"] == "0.950"


def test_csv_rows_header_even_without_attributions():
    assert _rows(build_empty_analysis()) == [list(COLUMNS)]


def test_csv_rows_no_header_when_appending():
    rows = _rows(build_analysis(), header=False)
    assert len(rows) == 7 and rows[0][0] == "riverton0001"
