"""The architecture, checked from the code's own imports.

Layers point one way, ``ontology`` ← ``loaders`` ← ``graph`` ← ``server``: a room may import
the rooms below it, never those above; and no two modules import each other, directly or
round a longer loop. Imports inside functions count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("ontology", "loaders", "graph", "server")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return "missilekg." + ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for layer in LAYERS for path in sorted((ROOT / layer).rglob("*.py"))}


def _imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules a file imports (``from a.b import c`` names a.b.c when that is a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("missilekg"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("missilekg")}
    return {name for name in found if name in known}


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(path, known) - {name} for name, path in known.items()}


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[1])


def test_no_room_imports_a_room_above_it() -> None:
    upward = sorted(f"{a} -> {b}" for a, targets in _graph().items() for b in targets if _layer(b) > _layer(a))
    assert upward == []


def test_no_two_modules_import_each_other() -> None:
    graph = _graph()
    edges = graph
    state: dict[str, int] = {}
    loops: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                loops.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert loops == []


def test_every_module_is_a_known_layer() -> None:
    assert {_module_name(p).split(".")[1] for p in ROOT.glob("*/__init__.py") if p.parent.name in LAYERS} == set(LAYERS)
