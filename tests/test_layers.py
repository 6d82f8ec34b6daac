"""The architecture holds: no runtime import cycle anywhere in the package, and the layer contracts are kept.

The contracts themselves live in pyproject.toml and run in CI as ``lint-imports``;
here they are run too, with a check that they do fail on an upward import.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("electoral", exclude_type_checking_imports=True)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_runtime_import_graph_has_no_cycle() -> None:
    graph = _graph()
    edges = {m: set(graph.find_modules_directly_imported_by(m)) & graph.modules for m in graph.modules}
    assert _cycles(edges) == []


def test_the_model_imports_nothing_above_it() -> None:
    graph = _graph()
    above = ("electoral._profile", "electoral._result", "electoral._ties", "electoral.rules", "electoral.io")
    for module in sorted(m for m in graph.modules if m.startswith("electoral._model")):
        imported = graph.find_modules_directly_imported_by(module)
        assert not [m for m in imported if m.startswith(above)], module


@pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter is not installed (the dev extra)")
def test_the_layer_contracts_are_kept() -> None:
    run = subprocess.run(["lint-imports"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "0 broken" in run.stdout


@pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter is not installed (the dev extra)")
def test_an_upward_import_breaks_the_layer_contract(tmp_path: Path) -> None:
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "src", copy, ignore=shutil.ignore_patterns("__pycache__"))
    view = copy / "electoral" / "_model" / "_view.py"
    view.write_text(view.read_text() + "\nfrom electoral._profile import profile_of  # an upward import\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    env = {"PYTHONPATH": str(copy), "PATH": str(Path(sys.executable).parent)}
    run = subprocess.run(["lint-imports"], cwd=tmp_path, capture_output=True, text=True, check=False, env=env)
    assert run.returncode == 1, run.stdout[-3000:]
    assert "electoral._model._view -> electoral._profile" in run.stdout
