import io

import pytest
from sample_analysis import build_analysis

from sourcetrace.reports import BINARY_FORMATS, RESUMABLE, WRITERS, format_for_path, get_writer


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_reports_registry_every_writer_streams(fmt):
    buf = io.BytesIO() if fmt in BINARY_FORMATS else io.StringIO(newline="")
    writer = get_writer(fmt, buf)
    writer.write(build_analysis("a.txt"))
    writer.write(build_analysis("b.txt"))
    writer.close()
    writer.close()  # idempotent
    out = buf.getvalue()
    if isinstance(out, bytes):
        from sourcetrace.reports.parquet import read_parquet

        out = " ".join(r["path"] for r in read_parquet(io.BytesIO(out)))
    assert "a.txt" in out and "b.txt" in out


def test_reports_registry_formats():
    assert set(WRITERS) == {"jsonl", "csv", "html", "text", "parquet"}
    assert set(BINARY_FORMATS) == {"parquet"}
    assert set(RESUMABLE) == {"jsonl", "csv"}
    with pytest.raises(ValueError, match="unknown report format"):
        get_writer("pdf", io.StringIO())


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("o.jsonl", "jsonl"),
        ("o.JSON", "jsonl"),
        ("o.csv", "csv"),
        ("r.html", "html"),
        ("r.htm", "html"),
        ("r.txt", "text"),
        ("r.parquet", "parquet"),
        ("r.pdf", None),
        ("noext", None),
    ],
)
def test_reports_registry_format_for_path(name, fmt):
    assert format_for_path(name) == fmt
