import io
import json

from sample_analysis import build_analysis, build_empty_analysis, build_hostile_analysis

from sourcetrace.reports.jsonl import JsonlWriter


def test_jsonl_roundtrip_one_record_per_line():
    analyses = [build_analysis(), build_hostile_analysis(), build_empty_analysis()]
    buf = io.StringIO()
    with JsonlWriter(buf) as writer:
        for analysis in analyses:
            writer.write(analysis)
    lines = buf.getvalue().splitlines()
    assert len(lines) == 3
    for line, analysis in zip(lines, analyses, strict=True):
        assert json.loads(line) == analysis.to_dict()


def test_jsonl_roundtrip_keeps_unicode_unescaped():
    buf = io.StringIO()
    JsonlWriter(buf).write(build_analysis())
    assert "outside — in the rain" in buf.getvalue()
    assert "\\u2014" not in buf.getvalue()


def test_jsonl_roundtrip_offsets_index_text():
    record = json.loads(_dump(build_analysis()))
    text = record["text"]
    for att in record["attributions"]:
        for part in ("cue", "content"):
            pieces = [text[s:e] for s, e in att[part]["spans"]]
            assert " ".join(pieces) == att[part]["text"]
        if att["source"]:
            ((s, e),) = att["source"]["spans"]
            assert text[s:e] == att["source"]["text"]


def _dump(analysis) -> str:
    buf = io.StringIO()
    JsonlWriter(buf).write(analysis)
    return buf.getvalue()
