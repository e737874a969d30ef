import csv
import io

from sample_analysis import build_analysis

from sourcetrace.reports.csv import COLUMNS, CsvWriter, recover


def _write(path, paths):
    buf = io.StringIO(newline="")
    writer = CsvWriter(buf)
    for p in paths:
        writer.write(build_analysis(p))
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return buf.getvalue().encode("utf-8")


def _paths(path):
    with open(path, encoding="utf-8", newline="") as fp:
        rows = list(csv.reader(fp))
    assert rows[0] == list(COLUMNS)
    return [r[1] for r in rows[1:]]


def test_csv_recover_drops_last_article_and_half_row(tmp_path):
    out = tmp_path / "out.csv"
    data = _write(out, ["a.txt", "b.txt", "c.txt"])
    # Cut in the middle of c.txt's third row.
    third_c = data.index(b"c.txt")
    for _ in range(2):
        third_c = data.index(b"c.txt", third_c + 1)
    out.write_bytes(data[: third_c + 20])
    assert recover(str(out)) == {"a.txt", "b.txt"}
    assert _paths(out) == ["a.txt"] * 10 + ["b.txt"] * 10


def test_csv_recover_quoted_newlines(tmp_path):
    out = tmp_path / "out.csv"
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerow(COLUMNS)
    row = ["x", "a.txt", "attribution", "t1", "direct", 'two\n"lines"', "2", "3", "2-3"]
    csv.writer(buf, lineterminator="\n").writerow(row + [""] * (len(COLUMNS) - len(row)))
    csv.writer(buf, lineterminator="\n").writerow(
        ["y", "b.txt", "attribution", "t1", "direct", "half\nof a"]
    )
    data = buf.getvalue().encode()
    out.write_bytes(data[: data.rindex(b"half") + 8])  # inside b.txt's quoted field
    assert recover(str(out)) == set()  # a.txt was the last complete article
    assert _paths(out) == []
