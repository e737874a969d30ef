import io

import pytest
from sample_analysis import build_analysis

from sourcetrace.model.errors import SourcetraceError
from sourcetrace.reports.jsonl import JsonlWriter, recover


def _write(path, paths):
    buf = io.StringIO()
    writer = JsonlWriter(buf)
    for p in paths:
        writer.write(build_analysis(p))
    path.write_text(buf.getvalue(), encoding="utf-8")
    return buf.getvalue()


def test_jsonl_recover_truncates_half_line(tmp_path):
    out = tmp_path / "out.jsonl"
    data = _write(out, ["a.txt", "b.txt"])
    first_end = data.index("\n") + 1
    cut = data[: first_end + 40]
    out.write_text(cut, encoding="utf-8")
    assert recover(str(out)) == {"a.txt"}
    assert out.read_text(encoding="utf-8") == data[:first_end]


def test_jsonl_recover_keeps_complete_file(tmp_path):
    out = tmp_path / "out.jsonl"
    data = _write(out, ["a.txt", "b.txt"])
    assert recover(str(out)) == {"a.txt", "b.txt"}
    assert out.read_text(encoding="utf-8") == data


def test_jsonl_recover_missing_file_is_empty(tmp_path):
    assert recover(str(tmp_path / "nope.jsonl")) == set()


def test_jsonl_recover_refuses_foreign_file(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("not json\n{}\n", encoding="utf-8")
    with pytest.raises(SourcetraceError, match="line 1"):
        recover(str(out))
