"""CLI tests: a fake Pipeline (fast, deterministic) behind the real ingest and reports."""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from importlib import resources
from itertools import islice
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from sourcetrace import cli
from sourcetrace.cli import app
from sourcetrace.model.errors import BadInputError
from sourcetrace.model.record import Actor, Analysis, Attribution, Source
from sourcetrace.model.spans import TextSpan

SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "sourcetrace-analysis.v1.schema.json"
QUOTE = re.compile(r'"(?P<content>[^"]+)," (?P<cue>said) (?P<source>[A-Z]\w+(?: [A-Z]\w+)*)')

ARTICLES = {
    "harbour.txt": '"The tide gauges are broken," said Ilse Marr.\nRepairs start soon.\n',
    "orchard.txt": '"Frost took the blossom," said Tomas Vey.\n"We will replant," said Ana Vey.\n',
    "library.txt": 'The library reopens on Friday.\n"Shelves are full again," said Rhea Oduya.\n',
}


class FakePipeline:
    """Finds `"...," said Name Name` quotes; pulls articles two at a time like nlp.pipe.

    Text containing EXPLODE raises mid-batch, BADDOC is yielded as a BadInputError,
    INTERRUPT raises KeyboardInterrupt (a Ctrl-C).
    """

    created: list[FakePipeline] = []

    def __init__(self, aliases=(), *, fast=False, batch_size=2):
        self.aliases = tuple(aliases)
        self.fast = fast
        self.batch_size = batch_size
        self.seen: list[str] = []
        FakePipeline.created.append(self)

    def analyze(self, article):
        return next(iter(self.analyze_many([article])))

    def analyze_many(self, articles):
        it = iter(articles)
        while batch := list(islice(it, self.batch_size)):
            for article in batch:
                self.seen.append(article.path)
                if "EXPLODE" in article.text:
                    raise RuntimeError("boom\nsecond line")
                if "INTERRUPT" in article.text:
                    raise KeyboardInterrupt
                if "BADDOC" in article.text:
                    yield BadInputError(article.path, "analysis failed: bad doc")
                    continue
                yield _fake_analysis(article)


def _fake_analysis(article) -> Analysis:
    text = article.text
    atts, actors = [], {}
    for i, m in enumerate(QUOTE.finditer(text), 1):
        name = m["source"]
        actor = actors.setdefault(name, f"a{len(actors) + 1}")
        atts.append(
            Attribution(
                id=f"t{i}",
                source=Source(TextSpan.from_offsets(text, [m.span("source")]), "person", actor),
                cue=TextSpan.from_offsets(text, [m.span("cue")]),
                content=TextSpan.from_offsets(text, [m.span("content")]),
                kind="direct",
                confidence=0.9,
            )
        )
    actor_list = tuple(Actor(aid, name, "person", (name,), ()) for name, aid in actors.items())
    return Analysis(article, tuple(atts), actor_list, profile={"attributions": len(atts)})


@pytest.fixture
def fake(monkeypatch, tmp_path):
    FakePipeline.created.clear()
    monkeypatch.setattr(
        cli, "_new_pipeline", lambda aliases, fast: FakePipeline(aliases, fast=fast)
    )
    monkeypatch.chdir(tmp_path)
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    return FakePipeline


def invoke(*args):
    return CliRunner().invoke(app, list(args))


def _records(path="out.jsonl"):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def _error_lines(result):
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_cli_analyze_all_ok_exit_0(fake):
    result = invoke("analyze", "harbour.txt", "orchard.txt", "-o", "out.jsonl")
    assert result.exit_code == 0, result.stderr
    records = _records()
    assert [r["path"] for r in records] == ["harbour.txt", "orchard.txt"]
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    for record in records:
        validator.validate(record)
    assert [a["source"]["text"] for a in records[1]["attributions"]] == ["Tomas Vey", "Ana Vey"]
    assert not Path("out.jsonl.errors.jsonl").exists()
    assert result.stderr == ""


def test_cli_analyze_some_failed_exit_1(fake):
    result = invoke("analyze", "harbour.txt", "empty.txt", "missing.txt", "-o", "out.jsonl")
    assert result.exit_code == 1
    assert _error_lines(result) == [
        "error: empty.txt: empty file",
        "error: missing.txt: no such file or directory",
    ]
    assert [r["path"] for r in _records()] == ["harbour.txt"]
    errors = _records("out.jsonl.errors.jsonl")
    assert errors == [
        {"path": "empty.txt", "reason": "empty file"},
        {"path": "missing.txt", "reason": "no such file or directory"},
    ]
    # A later clean run replaces the output and drops the stale errors file.
    assert invoke("analyze", "harbour.txt", "-o", "out.jsonl").exit_code == 0
    assert not Path("out.jsonl.errors.jsonl").exists()


def test_cli_analyze_nothing_analysed_exit_3(fake):
    result = invoke("analyze", "empty.txt", "missing.txt", "-o", "out.jsonl")
    assert result.exit_code == 3
    assert len(_error_lines(result)) == 2
    assert Path("out.jsonl").read_text() == ""


def test_cli_analyze_empty_directory_exit_3(fake, tmp_path):
    (tmp_path / "nothing").mkdir()
    result = invoke("analyze", "nothing")
    assert result.exit_code == 3
    assert "no articles found" in result.stderr


def test_cli_analyze_stdout_is_jsonl_without_errors_file(fake):
    result = invoke("analyze", "orchard.txt", "missing.txt")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["path"] == "orchard.txt"
    assert _error_lines(result) == ["error: missing.txt: no such file or directory"]
    assert not list(Path(".").glob("*errors*"))


def test_cli_analyze_directory_skips_own_output(fake, tmp_path):
    (tmp_path / "old.jsonl").write_text("", encoding="utf-8")
    assert invoke("analyze", ".", "-o", "out.jsonl").exit_code == 1  # empty.txt, old.jsonl
    result = invoke("analyze", ".", "-o", "out.jsonl", "--resume")
    assert "out.jsonl" not in result.stderr
    assert sorted(r["path"] for r in _records()) == sorted(f"./{name}" for name in ARTICLES)
    assert {e["path"] for e in _records("out.jsonl.errors.jsonl")} == {
        "./empty.txt",
        "./old.jsonl",
    }


def test_cli_analyze_exception_in_one_article_does_not_stop_batch(fake, tmp_path):
    (tmp_path / "bomb.txt").write_text("EXPLODE here\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_text("BADDOC here\n", encoding="utf-8")
    paths = ["harbour.txt", "bomb.txt", "orchard.txt", "bad.txt", "library.txt"]
    result = invoke("analyze", *paths, "-o", "out.jsonl")
    assert result.exit_code == 1
    assert _error_lines(result) == [
        "error: bomb.txt: RuntimeError: boom second line",
        "error: bad.txt: analysis failed: bad doc",
    ]
    assert "Traceback" not in result.stderr
    assert [r["path"] for r in _records()] == ["harbour.txt", "orchard.txt", "library.txt"]


def test_cli_analyze_exception_first_in_batch(fake, tmp_path):
    (tmp_path / "bomb.txt").write_text("EXPLODE here\n", encoding="utf-8")
    result = invoke("analyze", "bomb.txt", "harbour.txt", "library.txt", "-o", "out.jsonl")
    assert result.exit_code == 1
    assert [r["path"] for r in _records()] == ["harbour.txt", "library.txt"]


@pytest.mark.parametrize(
    "out, marker",
    [
        ("report.csv", "article_id,path,attribution_id"),
        ("report.html", "<!DOCTYPE html>"),
        ("report.txt", "1 attribution · 1 named · 0 anonymous/vague"),
        ("report.json", '"schema_version"'),
        ("report.out", '"schema_version"'),
    ],
)
def test_cli_analyze_format_from_extension(fake, out, marker):
    assert invoke("analyze", "harbour.txt", "-o", out).exit_code == 0
    written = Path(out).read_text(encoding="utf-8")
    assert marker in written
    assert "\x1b[" not in written


def test_cli_analyze_format_option_wins(fake):
    assert invoke("analyze", "library.txt", "-o", "r.txt", "--format", "csv").exit_code == 0
    with open("r.txt", encoding="utf-8", newline="") as fp:
        rows = list(csv.DictReader(fp))
    text = ARTICLES["library.txt"]
    assert [r["source_text"] for r in rows] == ["Rhea Oduya"]
    s, e = map(int, rows[0]["content_offsets"].split("-"))
    assert text[s:e] == "Shelves are full again"


def test_cli_analyze_text_to_stdout(fake):
    result = invoke("analyze", "orchard.txt", "--format", "text")
    assert result.exit_code == 0
    assert "orchard.txt" in result.stdout and "Tomas Vey" in result.stdout
    assert "2 attributions · 2 named" in result.stdout


def test_cli_analyze_passes_aliases_and_fast(fake, tmp_path):
    (tmp_path / "aliases.yaml").write_text("{}\n", encoding="utf-8")
    result = invoke("analyze", "harbour.txt", "--aliases", "aliases.yaml", "--fast")
    assert result.exit_code == 0
    assert fake.created[-1].aliases == ("aliases.yaml",) and fake.created[-1].fast


def test_cli_analyze_usage_errors_exit_2(fake):
    assert invoke("analyze").exit_code == 2
    assert invoke("analyze", "harbour.txt", "--aliases", "nope.yaml").exit_code == 2
    assert invoke("analyze", "harbour.txt", "--format", "pdf").exit_code == 2
    assert invoke("analyze", "harbour.txt", "--resume").exit_code == 2
    assert invoke("analyze", "harbour.txt", "-o", "r.html", "--resume").exit_code == 2
    assert invoke("analyze", "harbour.txt", "-o", "no/such/dir/out.jsonl").exit_code == 2


def test_cli_resume_jsonl_no_duplicates(fake):
    paths = list(ARTICLES)
    assert invoke("analyze", *paths, "-o", "out.jsonl").exit_code == 0
    data = Path("out.jsonl").read_bytes()
    first = data.index(b"\n") + 1
    Path("out.jsonl").write_bytes(data[: first + (data.index(b"\n", first) - first) // 2])
    result = invoke("analyze", *paths, "-o", "out.jsonl", "--resume")
    assert result.exit_code == 0, result.stderr
    records = _records()
    assert [r["path"] for r in records] == paths
    assert fake.created[-1].seen == paths[1:]  # the first article was not redone
    assert Path("out.jsonl").read_bytes() == data


def test_cli_resume_csv_no_duplicates(fake):
    paths = list(ARTICLES)
    assert invoke("analyze", *paths, "-o", "out.csv").exit_code == 0
    data = Path("out.csv").read_bytes()
    Path("out.csv").write_bytes(data[: data.index(b"orchard.txt") + 30])
    assert invoke("analyze", *paths, "-o", "out.csv", "--resume").exit_code == 0
    assert Path("out.csv").read_bytes() == data


def test_cli_resume_after_interrupt(fake, tmp_path):
    (tmp_path / "stop.txt").write_text("INTERRUPT now\n", encoding="utf-8")
    paths = ["harbour.txt", "orchard.txt", "stop.txt", "library.txt"]
    result = invoke("analyze", *paths, "-o", "out.jsonl")
    assert result.exit_code == 130
    assert "--resume" in result.stderr
    assert [r["path"] for r in _records()] == ["harbour.txt", "orchard.txt"]
    (tmp_path / "stop.txt").write_text('"Go on," said Ida Fenn.\n', encoding="utf-8")
    assert invoke("analyze", *paths, "-o", "out.jsonl", "--resume").exit_code == 0
    assert [r["path"] for r in _records()] == paths


def test_cli_resume_everything_done_exit_0(fake):
    assert invoke("analyze", "harbour.txt", "-o", "out.jsonl").exit_code == 0
    assert invoke("analyze", "harbour.txt", "-o", "out.jsonl", "--resume").exit_code == 0
    assert len(_records()) == 1


def test_cli_resume_refuses_foreign_file(fake):
    Path("out.jsonl").write_text("hello\nworld\n", encoding="utf-8")
    result = invoke("analyze", "harbour.txt", "-o", "out.jsonl", "--resume")
    assert result.exit_code == 2
    assert "cannot resume" in result.stderr


def test_cli_verbose_flag(fake):
    result = invoke("-v", "analyze", "harbour.txt", "missing.txt", "-o", "out.jsonl")
    assert result.exit_code == 1
    assert "1 articles written" in result.stderr


def test_cli_demo_shows_examples(fake):
    examples = resources.files("sourcetrace") / "data" / "examples"
    names = sorted(e.name for e in examples.iterdir() if e.name.endswith(".txt"))
    cwd = os.getcwd()
    result = invoke("demo")
    assert result.exit_code == 0, result.stderr
    assert os.getcwd() == cwd
    assert names and result.stdout.count("Sourcing:") == len(names)
    for name in names:
        assert name in result.stdout


def test_cli_eval_polnear_delegates(monkeypatch):
    import sourcetrace.evaluate.polnear as polnear

    calls = []

    def fake_main(directory, split, *, fast=False, console=None):
        calls.append((directory, split, fast))
        return 0

    monkeypatch.setattr(polnear, "main", fake_main)
    result = invoke("eval", "polnear", "corpus", "--split", "dev", "--fast")
    assert result.exit_code == 0
    assert calls == [("corpus", "dev", True)]


def test_cli_eval_polnear_passes_limit_and_json(monkeypatch):
    import sourcetrace.evaluate.polnear as polnear

    calls = []
    monkeypatch.setattr(polnear, "main", lambda *a, **k: calls.append((a, k)) or 4)
    result = invoke(
        "eval", "polnear", "corpus", "--split", "dev", "--limit", "5", "--json", "s.json"
    )
    assert result.exit_code == 4
    assert calls[0][1]["limit"] == 5 and calls[0][1]["json_out"] == "s.json"


def test_cli_train_delegates(monkeypatch):
    import sourcetrace.train as train

    calls = []
    monkeypatch.setattr(train, "main", lambda *a, **k: calls.append((a, k)) or 0)
    result = invoke("train", "attribution", "--data", "corpus", "--out", "m", "--epochs", "3")
    assert result.exit_code == 0
    assert calls == [(("corpus", "m"), {"epochs": 3})]


def test_cli_train_unavailable(monkeypatch):
    monkeypatch.setitem(sys.modules, "sourcetrace.train", None)
    result = invoke("train", "attribution", "--data", "somewhere")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: training is not available in this build"


def test_cli_real_pipeline_output_matches_schema(monkeypatch, tmp_path, request):
    pytest.importorskip("sourcetrace.pipeline")
    shared = request.getfixturevalue("pipeline")  # loaded once per session
    monkeypatch.setattr(cli, "_new_pipeline", lambda aliases, fast: shared)
    monkeypatch.chdir(tmp_path)
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = invoke("analyze", *ARTICLES, "-o", "out.jsonl")
    assert result.exit_code == 0, result.stderr
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    records = _records()
    assert len(records) == 3
    for record in records:
        assert sorted(validator.iter_errors(record), key=str) == []
