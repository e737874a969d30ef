"""Issue 23's hostile inputs, each re-run through the CLI in its own process: prints a
markdown table of case, exit code, wall time and peak RSS (and what was checked).

Every input is made here, in a temp folder. Each case is one ``python -m sourcetrace.cli``
child (the spaCy pipeline loads in each analyze, about 10 s); its peak RSS is the
child's own (``os.wait4``), or, where a case runs several processes, the largest.
Corpus builds use ``--embedder hashing``. Run from the repository root:

    nice -n 10 python benchmarks/hostile_inputs.py            # every case
    python benchmarks/hostile_inputs.py --only fifo,quotes    # some cases
    python benchmarks/hostile_inputs.py --list

Figures depend on the machine and its load; compare cases within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(REPO / "src")}
CLI = [sys.executable, "-m", "sourcetrace.cli"]
GOOD = ("The harbour council said on Monday that the ferry would run again in June.\n\n"
        '"We are ready," said Mayor Lena Osk.\n')
# Sizes of the cases.
LONG_SENTENCE_CHARS = 1_500_000
QUOTE_MARKS = 20_000
ALIAS_ROWS = 10_000
BOMB_BYTES = 1 << 30


@dataclass
class Run:
    rc: int
    wall: float
    rss_mb: float
    out: str


def run(args: list[str], *, stdout: int | None = subprocess.PIPE, timeout: float = 900,
        cwd: Path | None = None, on_start: Callable[[subprocess.Popen], None] | None = None
        ) -> Run:
    """One child: exit code, wall seconds, its own peak RSS (MB), stderr + stdout tail."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(args, env=ENV, cwd=cwd, stdout=log if stdout else stdout,
                                stderr=log)
        if on_start is not None:
            on_start(proc)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        log.seek(0)
        out = log.read().decode("utf-8", "replace")
    return Run(proc.returncode, wall, usage.ru_maxrss / 1024, out)


def cli(*args: str, **kw) -> Run:
    return run([*CLI, *args], **kw)


def note_lines(out: str, *needles: str) -> str:
    """The first output line holding each needle (what the case printed)."""
    found = []
    joined = " ".join(out.split())  # the log handler wraps long warnings
    for needle in needles:
        line = next((x.strip() for x in out.splitlines() if needle in x), None)
        if line is None and needle in joined:
            at = joined.index(needle)
            line = joined[max(0, at - 50) : at + 60]
        found.append(line[:110] if line else f"(no line with {needle!r})")
    return "; ".join(found)


# -- the cases -----------------------------------------------------------------------------

class Cases:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.good = tmp / "good.txt"
        self.good.write_text(GOOD, encoding="utf-8")
        self._records: list[dict] | None = None

    def records(self) -> list[dict]:
        """Analysis records of three small articles (one analyze run, not timed)."""
        if self._records is None:
            folder = self.tmp / "arts"
            folder.mkdir()
            for i, town in enumerate(["Port Vell", "Osk Bay", "Marr Sound"]):
                (folder / f"a{i}.txt").write_text(GOOD.replace("harbour", town), "utf-8")
            out = self.tmp / "recs.jsonl"
            cli("analyze", str(folder), "-o", str(out), "--fast")
            self._records = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
        return self._records

    def record_file(self, name: str, recs: list[dict | str]) -> Path:
        path = self.tmp / name
        path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in recs)
                        + "\n", encoding="utf-8")
        return path

    def build(self, db: Path, *paths: Path, **kw) -> Run:
        return cli("corpus", "build", *map(str, paths), "--db", str(db), "--embedder",
                   "hashing", **kw)

    # record validator ------------------------------------------------------------------
    def validator(self) -> tuple[Run, str]:
        good, *_ = self.records()
        bad = []
        for i, change in enumerate([{"url": ["http://a"]}, {"title": 3.5}, {"outlet": {}},
                                    {"published": True}, {"id": 7}]):
            rec = json.loads(json.dumps(good))
            rec["id"] = f"v{i}"
            rec["text"] += f" Note {i}."
            rec["metadata"].update(change)
            bad.append(rec)
        future = dict(good, id="future", schema_version="9.0.0")
        wrong = dict(good, id="wrong", attributions={"a": 1})
        path = self.record_file("validator.jsonl", [good, *bad, future, wrong])
        r = self.build(self.tmp / "validator.duckdb", path)
        return r, note_lines(r.out, "#2:", "#7:", "failed;")

    # ingest ----------------------------------------------------------------------------
    def fifo(self) -> tuple[Run, str]:
        fifo = self.tmp / "pipe.txt"
        os.mkfifo(fifo)
        r = cli("analyze", str(fifo), str(self.good), "-o", str(self.tmp / "fifo.jsonl"))
        n = len((self.tmp / "fifo.jsonl").read_text("utf-8").splitlines())
        return r, note_lines(r.out, "not a regular file") + f"; {n} article written"

    def _bomb(self, name: str, head: bytes) -> tuple[Run, str]:
        path = self.tmp / name
        comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # one gzip member
        chunk = bytes(1 << 20)
        with open(path, "wb") as f:
            f.write(comp.compress(head))
            for _ in range(BOMB_BYTES >> 20):
                f.write(comp.compress(chunk))
            f.write(comp.flush())
        size = path.stat().st_size
        r = cli("analyze", str(path), str(self.good), "-o", str(self.tmp / f"{name}.jsonl"))
        n = len((self.tmp / f"{name}.jsonl").read_text("utf-8").splitlines())
        return r, (f"{size >> 10} KB file; " + note_lines(r.out, "error:")
                   + f"; {n} article written")

    def warc_zeros(self) -> tuple[Run, str]:
        return self._bomb("zeros.warc.gz", b"")

    def warc_record_bomb(self) -> tuple[Run, str]:
        head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.example/\r\n"
                b"Content-Type: application/http; msgtype=response\r\n"
                + f"Content-Length: {BOMB_BYTES}\r\n\r\n".encode()
                + b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
        return self._bomb("record.warc.gz", head)

    # cost ------------------------------------------------------------------------------
    def long_sentence(self) -> tuple[Run, str]:
        words = ["harbour", "ferry", "council", "tide", "bridge", "pier", "crane", "dock"]
        parts, size, i = [], 0, 0
        while size < LONG_SENTENCE_CHARS:
            w = words[(i * 7) % len(words)]
            parts.append(w)
            size += len(w) + 1
            i += 1
        path = self.tmp / "sentence.txt"
        path.write_text("The council said " + " ".join(parts) + ".\n", encoding="utf-8")
        r = cli("analyze", str(path), "-o", str(self.tmp / "sentence.jsonl"), timeout=1800)
        return r, f"{path.stat().st_size} chars; " + note_lines(r.out, "ran past")

    def quote_marks(self) -> tuple[Run, str]:
        path = self.tmp / "marks.txt"
        path.write_text('"' * QUOTE_MARKS, encoding="utf-8")
        r = cli("analyze", str(path), "-o", str(self.tmp / "marks.jsonl"))
        return r, f"{QUOTE_MARKS} marks, {path.stat().st_size} bytes; " + note_lines(
            r.out, "ran past")

    def quote_pairs(self) -> tuple[Run, str]:
        path = self.tmp / "pairs.txt"
        path.write_text('"a" ' * (QUOTE_MARKS // 2), encoding="utf-8")
        r = cli("analyze", str(path), "-o", str(self.tmp / "pairs.jsonl"))
        return r, f"{QUOTE_MARKS} marks, {path.stat().st_size} bytes; " + note_lines(
            r.out, "quotations")

    def alias_csv(self) -> tuple[Run, str]:
        path = self.tmp / "aliases.csv"
        rows = ["name,type,alias"]
        for i in range(ALIAS_ROWS):
            name = _word(i)
            rows.append(f"{name} {_word(3 * i)} Group,organization,{name.upper()}X")
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        r = cli("analyze", str(self.good), "--aliases", str(path), "-o",
                str(self.tmp / "alias.jsonl"), "--fast")
        return r, f"{ALIAS_ROWS} rows (analyze --fast of one article with them)"

    def yaml_anchors(self) -> tuple[Run, str]:
        names = ", ".join(f"N{_word(i)}" for i in range(5000))
        lines = [f"- name: A0\n  aliases: &names [{names}]"]
        lines += [f"- name: A{_word(i)}\n  aliases: *names" for i in range(1, 5000)]
        path = self.tmp / "anchors.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        rec = self.record_file("one.jsonl", self.records()[:1])
        r = self.build(self.tmp / "anchors.duckdb", rec, "--aliases", str(path))
        return r, f"{path.stat().st_size >> 10} KB; " + note_lines(r.out, "error:")

    # corpus files ----------------------------------------------------------------------
    def concurrent_builds(self) -> tuple[Run, str]:
        import duckdb

        recs = self.records()
        db = self.tmp / "shared.duckdb"
        self.build(db, self.record_file("base.jsonl", recs[:1]))
        a = self.record_file("a.jsonl", recs[1:2])
        b = self.record_file("b.jsonl", recs[2:3])
        runs: dict[str, Run] = {}
        threads = [threading.Thread(target=lambda k=k, p=p: runs.__setitem__(k, self.build(
            db, p))) for k, p in (("a", a), ("b", b))]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
            time.sleep(0.5)
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        con = duckdb.connect(str(db), read_only=True)
        (n,), = con.execute("SELECT count(*) FROM articles").fetchall()
        con.close()
        rc = max(r.rc for r in runs.values())
        rss = max(r.rss_mb for r in runs.values())
        return Run(rc, wall, rss, ""), (f"exits {runs['a'].rc}/{runs['b'].rc}; "
                                        f"{n} articles in the corpus (1 + 1 + 1 expected)")

    def truncated(self) -> tuple[Run, str]:
        db = self.tmp / "trunc.duckdb"
        self.build(db, self.record_file("t.jsonl", self.records()))
        data = db.read_bytes()
        db.write_bytes(data[: len(data) // 2])
        r = cli("corpus", "claims", "--db", str(db))
        return r, note_lines(r.out, "error:")

    def sqlite_duckdb(self) -> tuple[Run, str]:
        db = self.tmp / "lite.duckdb"
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
        r = cli("corpus", "claims", "--db", str(db))
        return r, note_lines(r.out, "error:")

    # processes -------------------------------------------------------------------------
    def non_utf8_name(self) -> tuple[Run, str]:
        raw = os.fsencode(self.tmp) + b"/caf\xe9.txt"
        with open(raw, "wb") as f:
            f.write(GOOD.encode())
        missing = os.fsencode(self.tmp) + b"/gone\xff.txt"
        r = cli("analyze", os.fsdecode(raw), os.fsdecode(missing), str(self.good),
                "-o", str(self.tmp / "names.jsonl"))
        n = len((self.tmp / "names.jsonl").read_text("utf-8").splitlines())
        return r, note_lines(r.out, "gone") + f"; {n} articles written"

    def closed_stdout(self) -> tuple[Run, str]:
        # The shell closes stdout (>&-) as the case did.
        r = run(["sh", "-c", f'exec "$0" -m sourcetrace.cli analyze "{self.good}" >&-',
                 sys.executable])
        return r, note_lines(r.out, "stdout")

    def empty_folder(self) -> tuple[Run, str]:
        empty = self.tmp / "empty"
        empty.mkdir()
        r = cli("analyze", str(empty), str(self.good), "-o", str(self.tmp / "empty.jsonl"))
        return r, note_lines(r.out, "no article files")

    def resume_abs(self) -> tuple[Run, str]:
        out = self.tmp / "resume.jsonl"
        first = cli("analyze", "good.txt", "-o", str(out), cwd=self.tmp)
        # Same folder: a relative path in the output is read against the resuming cwd.
        r = cli("analyze", str(self.good.resolve()), "-o", str(out), "--resume",
                cwd=self.tmp)
        n = len(out.read_text("utf-8").splitlines())
        said = " ".join(x.strip() for x in r.out.splitlines() if x.strip())[:120]
        return r, (f"first run exit {first.rc}; {n} record in the output after resume "
                   f"(1 expected); printed: {said or 'nothing'}")

    def sigterm(self) -> tuple[Run, str]:
        folder = self.tmp / "many"
        folder.mkdir()
        for i in range(60):
            (folder / f"m{i:02d}.txt").write_text(GOOD.replace("June", f"June {i}"), "utf-8")
        out = self.tmp / "term.jsonl"
        family: set[int] = set()

        def terminate(proc: subprocess.Popen) -> None:
            deadline = time.time() + 300
            while time.time() < deadline and (not out.exists() or out.stat().st_size == 0):
                time.sleep(0.5)
            family.update(_descendants(proc.pid))
            proc.send_signal(signal.SIGTERM)

        r = cli("analyze", str(folder), "-o", str(out), "--workers", "2", on_start=terminate)
        time.sleep(3)
        alive = [p for p in family if Path(f"/proc/{p}").exists()]
        n = len(out.read_text("utf-8").splitlines()) if out.exists() else 0
        return r, (note_lines(r.out, "interrupted") + f"; {n} records kept; "
                   f"{len(family)} child processes, {len(alive)} alive 3 s after exit")


def _descendants(pid: int) -> set[int]:
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            kids.setdefault(ppid, []).append(int(entry.name))
    out, todo = set(), [pid]
    while todo:
        for child in kids.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def _word(i: int) -> str:
    """A distinct pronounceable word per number (names fold repeated letters and digits)."""
    out = ""
    i += 1000
    while i:
        out += "bcdfghjklmnpqrstvwxz"[i % 20] + "aeiou"[i % 5]
        i //= 20
    return out.capitalize()


CASES = {
    "validator": ("corpus build: 5 wrong-typed fields, schema 9.0.0, attributions {}", "validator"),
    "fifo": ("analyze: a FIFO beside a good file", "fifo"),
    "warc-zeros": ("analyze: .warc.gz of 1 GB zeros in one member + a good file", "warc_zeros"),
    "warc-record": ("analyze: WARC header + 1 GB zeros as the first record", "warc_record_bomb"),
    "long-sentence": ("analyze: one 1.5M-character sentence", "long_sentence"),
    "quote-marks": ("analyze: 20,000 quote marks (20 KB)", "quote_marks"),
    "quote-pairs": ("analyze: 10,000 quotations (40 KB)", "quote_pairs"),
    "alias-csv": ("analyze --aliases: a 10,000-row alias CSV", "alias_csv"),
    "yaml-anchors": ("corpus build --aliases: a 5,000-name list reused 5,000 times",
                     "yaml_anchors"),
    "concurrent": ("two corpus builds into one --db, 0.5 s apart", "concurrent_builds"),
    "truncated": ("corpus claims: a corpus cut to half its size", "truncated"),
    "sqlite": ("corpus claims: an SQLite file named .duckdb", "sqlite_duckdb"),
    "non-utf8": ("analyze: a file name with byte \\xe9, a missing \\xff one", "non_utf8_name"),
    "closed-stdout": ("analyze ... >&-", "closed_stdout"),
    "empty-folder": ("analyze: an empty folder beside a good file", "empty_folder"),
    "resume-abs": ("analyze --resume: in/a.txt then /abs/in/a.txt", "resume_abs"),
    "sigterm": ("analyze --workers 2: SIGTERM after the first record", "sigterm"),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--only", default="", help="comma-separated case names")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    args = ap.parse_args()
    if args.list:
        for name, (what, _m) in CASES.items():
            print(f"{name:15} {what}")
        return 0
    names = [n for n in args.only.split(",") if n] or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        ap.error(f"unknown case(s): {', '.join(unknown)}")
    print("| case | exit | wall s | peak RSS MB | what it printed / checked |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        cases = Cases(Path(tmp))
        for name in names:
            what, method = CASES[name]
            try:
                r, note = getattr(cases, method)()
            except Exception as exc:  # a harness failure is a row, not the end of the table
                print(f"| {what} | - | - | - | harness error: {type(exc).__name__}: {exc} |")
                continue
            note = note.replace("|", "/").replace(str(tmp), "$TMP")
            print(f"| {what} | {r.rc} | {r.wall:.1f} | {r.rss_mb:.0f} | {note} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
