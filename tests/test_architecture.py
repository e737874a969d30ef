"""The package's shape: data flows one way through the stages, with no way back up.

Walks every module's imports (top-level and inside functions) with ``ast`` and checks:
no import cycle between modules; no module importing from a later stage; no private name
imported from another package; no source file over ``MAX_LINES`` without a ``Length:``
line in its docstring saying why; tests import and patch only public names.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
TESTS = Path(__file__).resolve().parent
PACKAGE = "sourcetrace"
MAX_LINES = 600

# The stages in data-flow order: a module may import from its own stage or an earlier one.
STAGES = (
    ("model",),
    ("ingest",),
    ("nlp",),
    ("attributions",),
    ("actors",),
    ("link", "labels", "voice", "profile"),
    ("pipeline",),
    ("reports",),
    ("engine",),
    ("run",),
    ("corpus", "evaluate"),
    ("train", "web"),
    ("cli",),
)
RANK = {name: i for i, names in enumerate(STAGES) for name in names}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, path: Path) -> Iterator[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import in the file."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path, node)
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in MODULES:  # "from . import claims": the module itself
                    yield sub, None, node.lineno
                else:
                    yield target, alias.name, node.lineno


def _owner(name: str) -> str | None:
    """The known module a dotted import names (the longest prefix that is a module)."""
    parts = name.split(".")
    while parts:
        if ".".join(parts) in MODULES:
            return ".".join(parts)
        parts.pop()
    return None


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        for target, _, _ in _imports(module, path):
            owner = _owner(target)
            if owner and owner != module and not owner.startswith(module + "."):
                graph[module].add(owner)
    return graph


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_architecture_has_no_import_cycle():
    graph = _graph()
    # Package __init__ files only re-export their own submodules; an edge into one is an
    # edge into whatever it re-exports, which the walk already sees through the submodules.
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if nxt.startswith(node + ".") or node.startswith(nxt + "."):
                continue  # a package and its own submodules
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt):], nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles[:10])


def test_architecture_no_module_imports_a_later_stage():
    wrong = []
    for module, path in MODULES.items():
        stage = _stage(module)
        if stage is None or stage == "__main__":
            continue
        assert stage in RANK, f"{module}: stage {stage!r} missing from STAGES"
        for target, _, line in _imports(module, path):
            other = _stage(target) if target.startswith(PACKAGE + ".") else None
            if other and other != stage and RANK.get(other, -1) > RANK[stage]:
                wrong.append(f"{path.relative_to(SRC)}:{line}: {stage} imports {target}")
    assert not wrong, "imports from a later stage:\n" + "\n".join(wrong)


def test_architecture_no_private_name_crosses_packages():
    wrong = []
    for module, path in MODULES.items():
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        for target, name, line in _imports(module, path):
            if not target.startswith(PACKAGE):
                continue
            owner = _owner(target) or target
            owner_package = owner if MODULES.get(owner, Path()).name == "__init__.py" \
                else owner.rsplit(".", 1)[0]
            private = (name or "").startswith("_") or any(
                p.startswith("_") and p != "__init__" for p in owner.split("."))
            if private and owner_package != package:
                wrong.append(f"{path.relative_to(SRC)}:{line}: {target}.{name or ''}")
    assert not wrong, "private names imported across packages:\n" + "\n".join(wrong)


def test_architecture_long_modules_say_why():
    wrong = []
    for path in MODULES.values():
        lines = path.read_text().count("\n")
        if lines > MAX_LINES:
            doc = ast.get_docstring(ast.parse(path.read_text())) or ""
            if not any(line.startswith("Length:") for line in doc.splitlines()):
                wrong.append(f"{path.relative_to(SRC)} ({lines} lines)")
    assert not wrong, f"over {MAX_LINES} lines with no 'Length:' reason:\n" + "\n".join(wrong)


def _test_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if p.name != Path(__file__).name)


@pytest.mark.parametrize("path", _test_files(), ids=lambda p: str(p.relative_to(TESTS)))
def test_architecture_tests_use_public_names(path: Path):
    wrong = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACKAGE):
            wrong += [f"{node.lineno}: import {a.name}" for a in node.names
                      if a.name.startswith("_")]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") in (
                "setattr", "delattr") and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and str(name.value).startswith("_"):
                wrong.append(f"{node.lineno}: patches {name.value}")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and not node.attr.startswith("__") and isinstance(node.value, ast.Name) \
                and node.value.id in ("store", "cli", "pipeline", "app"):
            wrong.append(f"{node.lineno}: uses {node.value.id}.{node.attr}")
    assert not wrong, "private names in a test:\n" + "\n".join(wrong)
