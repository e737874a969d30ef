import csv
import io

import pytest
from sample_analysis import TEXT, build_analysis, build_empty_analysis

from sourcetrace.reports.csv import COLUMNS, ROW_TYPES, CsvWriter


def _rows(*analyses, header=True):
    buf = io.StringIO(newline="")
    with CsvWriter(buf, header=header) as writer:
        for analysis in analyses:
            writer.write(analysis)
    return list(csv.reader(io.StringIO(buf.getvalue(), newline="")))


def _body(*analyses):
    return [dict(zip(COLUMNS, r, strict=True)) for r in _rows(*analyses)[1:]]


def _offsets(value):
    return [tuple(map(int, part.split("-"))) for part in value.split(";")] if value else []


def test_csv_rows_every_finding_once_header_once():
    rows = _rows(build_analysis("a.txt"), build_empty_analysis(), build_analysis("b.txt"))
    assert rows[0] == list(COLUMNS)
    assert rows.count(list(COLUMNS)) == 1
    body = [dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]]
    analysis = build_analysis()
    per_article = (len(analysis.attributions) + len(analysis.unattributed)
                   + len(analysis.labels))
    assert [r["path"] for r in body] == ["a.txt"] * per_article + ["b.txt"] * per_article
    types = [r["row_type"] for r in body[:per_article]]
    assert types == ["attribution"] * 7 + ["unattributed"] + ["label"] * 2
    assert types == sorted(types, key=ROW_TYPES.index)
    attributions = [r for r in body[:per_article] if r["row_type"] == "attribution"]
    assert [r["attribution_id"] for r in attributions] == [f"t{i}" for i in range(1, 8)]


@pytest.mark.parametrize("field", ["source", "cue", "content"])
def test_csv_rows_offsets_match_text(field):
    for row in _body(build_analysis()):
        if row["row_type"] != "attribution":
            assert row[f"{field}_offsets"] == ""
            continue
        spans = _offsets(row[f"{field}_offsets"])
        assert " ".join(TEXT[s:e] for s, e in spans) == row[f"{field}_text"]


def test_csv_rows_text_start_end_on_every_row():
    for row in _body(build_analysis()):
        spans = _offsets(row["offsets"])
        assert spans and " ".join(TEXT[s:e] for s, e in spans) == row["text"]
        assert (int(row["start"]), int(row["end"])) == (spans[0][0], spans[-1][1])


def test_csv_rows_unattributed_and_labels():
    body = _body(build_analysis())
    (unattributed,) = [r for r in body if r["row_type"] == "unattributed"]
    assert unattributed["text"] == "The pier is a relic of a failed port scheme."
    assert unattributed["reason"] == "factual claim"
    assert unattributed["attribution_id"] == "" and unattributed["source_text"] == ""
    labels = {r["text"]: r for r in body if r["row_type"] == "label"}
    assert labels["mob"]["voice"] == "writer" and labels["mob"]["attribution_id"] == ""
    assert labels["rotten"]["voice"] == "attributed"
    assert labels["rotten"]["attribution_id"] == "t2"
    assert labels["rotten"]["label_actor"] == "Riverton council"


def test_csv_rows_relay_actor_kind_and_reference():
    body = {r["attribution_id"]: r for r in _body(build_analysis())
            if r["row_type"] == "attribution"}
    assert body["t3"]["relayed_by"] == "The Tidewater Gazette"
    assert body["t3"]["cue_offsets"].count(";") == 1  # "quoted ... as saying"
    assert body["t6"]["source_actor"] == "Mara Lindqvist"
    assert body["t6"]["relayed_by"] == "Residents"
    # "Lindqvist" refers back to "Mara Lindqvist"; a full name refers to nothing else.
    assert body["t6"]["source_refers_to"] == "Mara Lindqvist"
    assert body["t2"]["source_refers_to"] == ""
    assert body["t7"]["source_text"] == "" and body["t7"]["kind"] == "no_source"
    assert body["t2"]["confidence"] == "0.950"


def test_csv_rows_header_even_without_rows():
    assert _rows(build_empty_analysis()) == [list(COLUMNS)]


def test_csv_rows_no_header_when_appending():
    rows = _rows(build_analysis(), header=False)
    assert len(rows) == 10 and rows[0][0] == "riverton0001"
