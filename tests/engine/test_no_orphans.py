"""No worker outlives its run: after SIGTERM the run ends as after Ctrl-C (message, exit
130, workers gone), and after kill -9 of the main process the workers end by themselves."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from engine_inputs import write_jsonl

TIMEOUT_S = 120


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    out.add(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_with_workers(tmp_path: Path) -> tuple[subprocess.Popen, set[int]]:
    src = write_jsonl(tmp_path / "in.jsonl", 400)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sourcetrace.cli", "analyze", str(src), "-o",
         str(tmp_path / "out.jsonl"), "--fast", "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        out = tmp_path / "out.jsonl"
        if out.exists() and out.stat().st_size > 0:  # workers are up and writing
            return proc, _children(proc.pid)
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.2)
    proc.kill()
    raise AssertionError("the run never wrote a record")


def _gone_within(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = {p for p in pids if _alive(p)}
        if not left:
            return set()
        time.sleep(0.2)
    return {p for p in pids if _alive(p)}


def test_no_orphans_after_sigterm(tmp_path):
    proc, children = _start_with_workers(tmp_path)
    assert children
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(TIMEOUT_S)
    stderr = proc.stderr.read()
    assert code == 130 and "interrupted after" in stderr
    assert _gone_within(children, 30) == set()


def test_no_orphans_after_kill_9_of_the_main_process(tmp_path):
    proc, children = _start_with_workers(tmp_path)
    workers = {c for c in children if "resource_tracker" not in
               (Path("/proc") / str(c) / "cmdline").read_bytes().decode(errors="replace")}
    assert workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(TIMEOUT_S)
    try:
        assert _gone_within(children, 30) == set()
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
