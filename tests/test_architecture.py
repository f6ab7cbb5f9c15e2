"""The package's layers, read from its imports without importing anything.

Every ``import`` and ``from ... import`` in ``src/swarmsim/**/*.py`` counts, at module
level and inside functions alike (a function-level import is still a dependency; it
only runs later). ``from swarmsim.kernels import rng`` is an edge to the module
``swarmsim.kernels.rng``; ``from swarmsim.model import SwarmModel`` to ``swarmsim.model``.
Importing ``a.b`` also runs ``a/__init__.py``, but that implicit edge is not counted:
``swarmsim/__init__.py`` re-exports the public API and would otherwise close a circle
with every module.

The rules:

- no import circle between modules;
- ``swarmsim.kernels`` imports only itself, NumPy, Numba (and llvmlite, Numba's code
  generator) and the standard library;
- the model layer (``model``, ``phases``, ``agents``, ``kernels``, ``graphs``,
  ``scenario``) imports neither the command line nor ``viz``, ``sweeps`` or ``lab``;
- only ``swarmsim.sweeps`` imports the ``sweeps`` extra (Dask, distributed,
  dask-jobqueue, SALib).

Edges that break a rule today and are being removed elsewhere are listed in
:data:`KNOWN`; each is an expected failure of its own (strict), so the test of an edge
fails once the edge is gone: then delete its entry.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "swarmsim"


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


FILES = {module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def _imported_names(name: str, tree: ast.AST) -> set[str]:
    """Every dotted name ``name``'s source imports (modules, or modules' attributes)."""
    is_package = FILES[name].name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _resolve(dotted: str) -> str | None:
    """The swarmsim module that importing ``dotted`` names (None: not swarmsim's)."""
    if dotted != PACKAGE and not dotted.startswith(PACKAGE + "."):
        return None
    while dotted not in FILES:
        dotted = dotted.rpartition(".")[0]
    return dotted


def _edges() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    internal: dict[str, set[str]] = {}
    external: dict[str, set[str]] = {}
    for name, path in FILES.items():
        names = _imported_names(name, ast.parse(path.read_text(encoding="utf-8")))
        targets = {_resolve(d) for d in names} - {None}
        # `from swarmsim.kernels import rng` names both the package and the module: keep
        # the most specific target of each import, not the packages it passes through.
        internal[name] = {
            t for t in targets if t != name and not any(u.startswith(t + ".") for u in targets)
        }
        external[name] = {d.split(".")[0] for d in names if _resolve(d) is None and d}
    return internal, external


INTERNAL, EXTERNAL = _edges()


def _in(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle per strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph) + 100))
    try:
        for v in sorted(graph):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return [_circle(graph, sorted(c)) for c in components]


def _circle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A concrete circle through the component's first module (breadth-first)."""
    members, start = set(component), component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & members):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    return component


KERNELS = "swarmsim.kernels"
KERNELS_MAY_IMPORT = {"numpy", "numba", "llvmlite"} | set(sys.stdlib_module_names)
MODEL_LAYER = (
    "swarmsim.model", "swarmsim.phases", "swarmsim.agents", KERNELS, "swarmsim.graphs",
    "swarmsim.scenario",
)  # fmt: skip
ABOVE_THE_MODEL = ("swarmsim.cli", "swarmsim.viz", "swarmsim.sweeps", "swarmsim.lab")
SWEEPS_EXTRA = {"dask", "distributed", "dask_jobqueue", "SALib"}



def kernels_violations() -> set[tuple[str, str]]:
    found = set()
    for name in INTERNAL:
        if _in(name, KERNELS):
            found |= {(name, t) for t in INTERNAL[name] if not _in(t, KERNELS)}
            found |= {(name, t) for t in EXTERNAL[name] - KERNELS_MAY_IMPORT}
    return found


def model_layer_violations() -> set[tuple[str, str]]:
    return {
        (name, t)
        for name in INTERNAL
        if _in(name, *MODEL_LAYER)
        for t in INTERNAL[name]
        if _in(t, *ABOVE_THE_MODEL)
    }


def test_the_import_reader_sees_module_and_function_level_imports():
    assert "swarmsim.kernels.rng" in INTERNAL["swarmsim.model"]  # from swarmsim.kernels import
    assert "swarmsim.graphs" in INTERNAL["swarmsim.model"]  # from swarmsim import graphs
    assert "swarmsim.compare" in INTERNAL["swarmsim.cli"]  # inside a function
    assert "numba" in EXTERNAL["swarmsim.kernels.jit"]
    assert "swarmsim.kernels" not in INTERNAL["swarmsim.model"]  # the package passed through
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_no_import_circles():
    found = [" -> ".join(circle) for circle in cycles(INTERNAL)]
    assert not found, "import circles:\n" + "\n".join(found)


def test_kernels_import_only_kernels_numpy_numba_and_the_standard_library():
    unexpected = sorted(kernels_violations())
    assert not unexpected, "kernels import outside their layer: " + ", ".join(
        f"{a} -> {b}" for a, b in unexpected
    )


def test_the_model_layer_does_not_import_the_layers_above_it():
    unexpected = sorted(model_layer_violations())
    assert not unexpected, "the model layer imports: " + ", ".join(
        f"{a} -> {b}" for a, b in unexpected
    )


def test_only_sweeps_imports_the_sweeps_extra():
    offending = sorted(
        (name, sorted(EXTERNAL[name] & SWEEPS_EXTRA))
        for name in EXTERNAL
        if EXTERNAL[name] & SWEEPS_EXTRA and not _in(name, "swarmsim.sweeps")
    )
    assert not offending, f"modules outside swarmsim.sweeps import the sweeps extra: {offending}"
