"""Tests for swarmsim.graphs.kinds: the registry of graph kinds is complete and consistent."""

from __future__ import annotations

import ast
import hashlib
import typing
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from swarmsim import graphs, memory
from swarmsim import scenario as schema
from swarmsim.graphs import KINDS, GraphKindSpec, build_graph
from swarmsim.scenario import load_scenario
from swarmsim.schema import Spec
from swarmsim.viz.app import controls

PACKAGE = Path(graphs.__file__).parent


def write_files(folder: Path) -> dict[str, Path]:
    """A 60-node BA graph as a text edge list and as GraphML."""
    g = graphs.barabasi_albert(60, 2, seed=1)
    rows = np.repeat(np.arange(g.n), g.degree())
    upper = rows < g.indices
    text = folder / "edges.txt"
    pairs = zip(rows[upper].tolist(), g.indices[upper].tolist(), strict=True)
    text.write_text("".join(f"{u} {v}\n" for u, v in pairs))
    graphml = folder / "g.graphml"
    nx.write_graphml(g.to_networkx(), graphml)
    return {"edges": text, "graphml": graphml}


def examples(files: dict[str, Path]) -> dict[str, dict]:
    """One valid ``graph:`` section per kind; a new kind needs its example here."""
    return {
        "barabasi_albert": {"kind": "barabasi_albert", "n": 300, "m": 3},
        "erdos_renyi": {"kind": "erdos_renyi", "n": 300, "mean_degree": 6.0},
        "watts_strogatz": {"kind": "watts_strogatz", "n": 300, "k": 4, "p": 0.2},
        "stochastic_block": {
            "kind": "stochastic_block", "sizes": [100, 200], "p_in": 0.05, "p_out": 0.002,
        },
        "configuration": {"kind": "configuration", "degrees": [1, 2, 3, 2] * 50},
        "complete": {"kind": "complete", "n": 40},
        "edge_list": {"kind": "edge_list", "path": str(files["edges"]), "n": 64},
        "graphml": {"kind": "graphml", "path": str(files["graphml"])},
    }  # fmt: skip


@pytest.fixture(scope="module")
def sections(tmp_path_factory) -> dict[str, dict]:
    return examples(write_files(tmp_path_factory.mktemp("kinds")))


def scenario_with(graph: dict):
    return load_scenario({"graph": graph, "firms": [{"name": "A"}], "seed": 123})


def all_subclasses(cls: type) -> list[type]:
    found, todo = [], [cls]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def test_every_kind_subclass_is_registered():
    """A spec class with a ``kind`` tag that is missing from KINDS fails here."""
    tagged = {cls for cls in all_subclasses(GraphKindSpec) if "kind" in cls.model_fields}
    assert tagged == set(KINDS.values())
    assert all(name == cls.kind_name() for name, cls in KINDS.items())
    assert set(typing.get_args(typing.get_args(graphs.GraphSpec)[0])) == set(KINDS.values())


def test_every_kind_has_an_example(sections):
    assert list(sections) == list(KINDS)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_validates_builds_and_sizes(kind, sections):
    spec = scenario_with(sections[kind])
    assert type(spec.graph) is KINDS[kind]
    assert type(spec.graph).__doc__.strip()  # the parameter tables show it
    g = build_graph(spec.graph, seed=spec.seed)
    assert isinstance(g, graphs.CSRGraph)
    g.validate()
    assert g == build_graph(spec.graph, seed=spec.seed)
    n, edges = memory.graph_size(spec.graph)  # the memory check's entry
    assert (n, edges) == spec.graph.expected_size()
    assert memory.estimate_bytes(spec).n == n
    if getattr(spec.graph, "path", None) is None or getattr(spec.graph, "n", None) is not None:
        assert n == g.n
    if getattr(spec.graph, "path", None) is None:
        assert edges == pytest.approx(g.n_edges, rel=0.2)
    else:  # files are sized from their bytes, roughly
        assert n > 0
        assert g.n_edges / 5 < edges < 5 * g.n_edges


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_has_an_app_entry(kind, sections):
    """slider_max says whether the app sizes the kind by ``graph.n`` alone, and how far."""
    cls = KINDS[kind]
    assert cls.slider_max is None or (isinstance(cls.slider_max, int) and cls.slider_max > 0)
    spec = scenario_with(sections[kind])
    params = controls(spec)
    if cls.slider_max is None:
        assert "graph.n" not in params
    else:
        assert "n" in cls.model_fields
        slider = params["graph.n"]
        assert slider["value"] == spec.graph.n
        assert slider["max"] == max(cls.slider_max, spec.graph.n)
        largest_n = next(m.le for m in cls.model_fields["n"].metadata if hasattr(m, "le"))
        assert cls.slider_max <= largest_n


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_is_a_scenario_section_and_a_union_tag(kind):
    assert kind in schema._UNION_TAGS  # stripped from error paths
    models = {cls.__name__ for cls in all_subclasses(Spec)}
    assert KINDS[kind].__name__ in models  # checked by test_scenario's schema rules


def test_unknown_kind_lists_the_registered_ones():
    with pytest.raises(ValueError, match="'barabasi_albert'"):
        scenario_with({"kind": "lattice"})


def digest(g: graphs.CSRGraph) -> str:
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(g.indptr, dtype=np.int64).tobytes())
    h.update(np.ascontiguousarray(g.indices, dtype=np.int64).tobytes())
    return h.hexdigest()[:16]


PINNED_BUILDS = {  # run seed 123; computed with model.build_graph before the move
    "barabasi_albert": ({"n": 400, "m": 3}, "ae4f774fec02b7a1"),
    "erdos_renyi": ({"n": 400, "mean_degree": 5.0}, "679ee7e07ade5a89"),
    "watts_strogatz": ({"n": 400, "k": 4, "p": 0.3}, "64ef411ff5b9f999"),
    "stochastic_block": ({"sizes": [100, 200], "p_in": 0.05, "p_out": 0.005}, "76962a51816d0635"),
    "configuration": ({"degrees": [2, 3, 1, 4] * 50}, "7adffb6de5ef2563"),
    "complete": ({"n": 30}, "88f4965f33193965"),
}


@pytest.mark.parametrize("kind", PINNED_BUILDS)
def test_build_graph_gives_the_pinned_graphs(kind):
    """The run seed -> generator seed derivation and the generators are unchanged."""
    fields, expected = PINNED_BUILDS[kind]
    spec = scenario_with({"kind": kind, **fields})
    assert digest(build_graph(spec.graph, seed=spec.seed)) == expected


def test_model_builds_through_the_registry():
    from swarmsim import model

    assert model.build_graph is build_graph


ALLOWED = {
    "swarmsim.errors",
    "swarmsim.schema",
    "swarmsim.kernels.rng",
    "swarmsim.kernels.fmath",
    "swarmsim.kernels.cache_stamp",  # keeps the Numba cache of the generators honest
}


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_package_imports_nothing_above_it_but_rng_errors_and_schema(path):
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "swarmsim.kernels":
            imported |= {f"swarmsim.kernels.{a.name}" for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
    outside = {m for m in imported if m.split(".")[0] == "swarmsim"}
    outside = {m for m in outside if not m.startswith("swarmsim.graphs")}
    assert outside <= ALLOWED, outside - ALLOWED
