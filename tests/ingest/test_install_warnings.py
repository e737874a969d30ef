"""Importing the HTML ingest warns about nothing (lxml's html_clean split, issue 22)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_html_ingest_imports_without_warnings():
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import sourcetrace.ingest.html, justext"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_lxml_html_clean_is_pinned_where_pip_reads_it():
    # justext asks for lxml[html_clean]; the package is pinned so every install has it.
    assert '"lxml_html_clean==' in (ROOT / "pyproject.toml").read_text()
    assert "lxml_html_clean==" in (ROOT / "constraints.txt").read_text()
