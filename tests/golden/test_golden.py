"""Golden check: analyze, the corpus build, the corpus commands and the web API give exactly
the outputs fingerprinted in ``manifest.json`` (see ``tools/golden.py``).

A refactor must leave every fingerprint as it is. After an intended change of output, rerun
``python tools/golden.py --update`` and say in the commit which outputs changed and why.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _golden():
    spec = importlib.util.spec_from_file_location("golden", REPO / "tools" / "golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_golden_outputs_unchanged():
    golden = _golden()
    missing = [name for name, path in golden.SETS.items() if not path.is_dir()]
    if missing:
        pytest.skip(f"golden inputs absent: {', '.join(missing)} (../shared not beside the repo)")
    expected = json.loads(golden.MANIFEST.read_text())
    diff = golden.compare(expected, golden.fingerprints())
    assert not diff, "outputs changed:\n" + "\n".join(diff[:40])


def test_golden_compare_names_each_difference():
    golden = _golden()
    lines = golden.compare({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "x", "d": "4"})
    assert lines == ["changed: b", "missing: c", "new: d"]
