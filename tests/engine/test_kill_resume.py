"""Kill a real ``sourcetrace analyze --workers 2`` with SIGKILL, resume, compare.

The run is killed several times at random points (during start-up, and after a random
number of records reached the output), sometimes with a torn half-line appended as a
write cut short would leave; each time it is resumed with ``--resume``. The output must
equal an uninterrupted run's byte for byte: no article lost, none written twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from engine_inputs import write_jsonl

N_ARTICLES = 48
BAD_LINES = (7,)
TIMEOUT_S = 120


def _cmd(src: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "sourcetrace.cli", "analyze", str(src), "-o", str(out),
        "--fast", "--workers", "2", *extra,
    ]


def _start(cmd: list[str]) -> subprocess.Popen:
    # Own process group, so the kill takes the workers too, as a real SIGKILL of a job would.
    return subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def _kill(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(TIMEOUT_S)


def _lines(path: Path) -> int:
    try:
        with open(path, "rb") as f:
            return f.read().count(b"\n")
    except FileNotFoundError:
        return 0


def _run_until(proc: subprocess.Popen, out: Path, *, lines: int | None, seconds: float | None):
    deadline = time.monotonic() + TIMEOUT_S
    start = time.monotonic()
    while proc.poll() is None and time.monotonic() < deadline:
        if lines is not None and _lines(out) >= lines:
            break
        if seconds is not None and time.monotonic() - start >= seconds:
            break
        time.sleep(0.005)
    running = proc.poll() is None
    _kill(proc)
    return running


def test_sigkill_at_random_points_then_resume_equals_uninterrupted(tmp_path):
    seed = int(os.environ.get("SOURCETRACE_KILL_SEED", time.time_ns() % 10**9))
    rng = random.Random(seed)
    src = write_jsonl(tmp_path / "in.jsonl", N_ARTICLES, bad_lines=BAD_LINES)
    whole = tmp_path / "whole.jsonl"
    done = subprocess.run(_cmd(src, whole), capture_output=True, timeout=TIMEOUT_S)
    assert done.returncode == 1, done.stderr  # 1: the bad line failed, the rest written
    expected = whole.read_bytes()
    assert expected.count(b"\n") == N_ARTICLES - len(BAD_LINES)

    out = tmp_path / "resumed.jsonl"
    plan = [
        {"seconds": rng.uniform(0.05, 1.5), "lines": None},  # mostly during start-up
        # Chunks of 8 land together: stop short of the end so the kill is mid-run.
        *({"seconds": None, "lines": k} for k in sorted(rng.sample(range(1, N_ARTICLES - 9), 3))),
    ]
    history = []
    for i, point in enumerate(plan):
        proc = _start(_cmd(src, out, "--resume"))
        running = _run_until(proc, out, **point)
        history.append((point, running, _lines(out)))
        if i == 1:
            with open(out, "ab") as f:  # a write cut in half
                f.write(b'{"schema_version": "1.0.0", "id": "torn", "path": "')
    final = subprocess.run(_cmd(src, out, "--resume"), capture_output=True, timeout=TIMEOUT_S)
    assert final.returncode == 1, final.stderr
    got = out.read_bytes()
    detail = f"seed={seed} kills(point, killed while running, lines after)={history}"
    assert all(running for point, running, _n in history if point["lines"]), detail
    paths = [json.loads(line)["path"] for line in got.splitlines()]
    assert len(paths) == len(set(paths)), f"duplicated articles; {detail}"
    assert got == expected, detail
    errors = (tmp_path / "resumed.jsonl.errors.jsonl").read_text().splitlines()
    assert [json.loads(e)["path"] for e in errors] == [f"{src}#{BAD_LINES[0] + 1}"]
