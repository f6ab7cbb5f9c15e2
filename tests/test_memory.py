"""Tests for memory.py: the size estimate and the up-front refusal."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from swarmsim import cli, graphs, memory
from swarmsim.errors import ScenarioError
from swarmsim.model import SwarmModel
from swarmsim.scenario import load_scenario

FIRMS = [{"name": f"F{i}"} for i in range(5)]


def spec(graph: dict, firms=(), institutions=(), backend="auto"):
    firms = list(firms) or FIRMS
    return load_scenario(
        {"graph": graph, "firms": firms, "institutions": list(institutions), "backend": backend}
    )


@pytest.mark.parametrize(
    ("graph", "n", "edges"),
    [
        ({"kind": "barabasi_albert", "n": 1000, "m": 5}, 1000, 5 * 995),
        ({"kind": "erdos_renyi", "n": 1000, "mean_degree": 8.0}, 1000, 4000),
        ({"kind": "watts_strogatz", "n": 1000, "k": 6, "p": 0.1}, 1000, 3000),
        ({"kind": "complete", "n": 100}, 100, 4950),
        ({"kind": "configuration", "degrees": [1, 2, 3, 2]}, 4, 4),
        # 2 blocks of 10: 2 * 45 pairs inside, 100 between
        ({"kind": "stochastic_block", "sizes": [10, 10], "p_in": 0.5, "p_out": 0.1}, 20, 55),
    ],
)
def test_graph_size_of_generated_graphs(graph, n, edges):
    assert memory.graph_size(spec(graph).graph) == (n, edges)


def test_graph_size_matches_the_built_graph():
    scenario = spec({"kind": "barabasi_albert", "n": 3000, "m": 4})
    built = graphs.barabasi_albert(3000, 4, seed=1)
    assert memory.graph_size(scenario.graph) == (built.n, built.n_edges)
    estimate = memory.estimate_bytes(scenario)
    assert estimate.graph == built.indptr.nbytes + built.indices.nbytes


def test_graph_size_of_files(tmp_path):
    text = tmp_path / "edges.txt"
    text.write_text("".join(f"{i} {i + 1}\n" for i in range(1000)))  # 4 to 10 bytes a line
    n, edges = memory.graph_size(spec({"kind": "edge_list", "path": str(text), "n": 1001}).graph)
    assert (n, edges) == (1001, 1000)  # the whole file fits in the sample
    table = tmp_path / "edges.parquet"
    pq.write_table(pa.table({"u": np.arange(700), "v": np.arange(1, 701)}), table)
    assert memory.graph_size(spec({"kind": "edge_list", "path": str(table)}).graph) == (140, 700)


@pytest.mark.parametrize("backend", ["numpy", "numba", "auto"])
def test_estimate_counts_each_part(backend):
    graph = {"kind": "barabasi_albert", "n": 10_000, "m": 3}
    e = memory.estimate_bytes(spec(graph, backend=backend))
    n, edges = 10_000, 3 * 9997
    assert e.graph == 8 * (n + 1) + 8 * edges  # int64 offsets, int32 ids
    assert e.consumers == 73 * n + 36 * n * 5
    stepping = 48 * edges + 64 * n * 6 if backend == "numpy" else 32 * n * 6  # auto: numba
    assert e.working == max(16 * edges + 16 * n, stepping)
    assert e.total == e.graph + e.consumers + e.working + e.interpreter
    church = [{"name": "C", "kind": "church"}]
    member = memory.estimate_bytes(spec(graph, FIRMS[:1], church, backend=backend))
    assert member.consumers == e.consumers - 36 * n * 4 + 9 * n  # 1 firm, 1 institution


def test_auto_backend_is_resolved_as_the_model_does():
    small = {"kind": "barabasi_albert", "n": 1000, "m": 3}  # auto is numpy below 5,000
    assert memory.estimate_bytes(spec(small)) == memory.estimate_bytes(spec(small, backend="numpy"))


def test_check_fits_refuses_with_the_estimate():
    scenario = spec({"kind": "barabasi_albert", "n": 1_000_000, "m": 5})
    with pytest.raises(ScenarioError) as info:
        memory.check_fits(scenario, source="big.yaml", available=int(0.5e9))
    error = info.value
    assert error.field == "graph.n"
    message = str(error)
    assert message.startswith("big.yaml: graph.n: 1,000,000 consumers with 4,999,975 edges")
    assert "need about 0.8 GB (graph 0.0, consumers 0.3, working 0.2)" in message
    assert "this machine has 0.5 GB available" in message
    assert "\n" not in message
    fits = memory.check_fits(scenario, source="big.yaml", available=int(2e9))
    assert fits.total < 2e9


def test_cgroup_headroom(tmp_path):
    assert memory._cgroup_headroom(tmp_path) is None  # no cgroup files
    (tmp_path / "memory.max").write_text("max\n")
    (tmp_path / "memory.current").write_text("1000\n")
    assert memory._cgroup_headroom(tmp_path) is None
    (tmp_path / "memory.max").write_text("5000\n")
    assert memory._cgroup_headroom(tmp_path) == 4000
    assert memory.available_bytes() > 0


def test_model_refuses_before_building(monkeypatch, small):
    monkeypatch.setattr(memory, "available_bytes", lambda: 1_000)
    built = []
    monkeypatch.setattr(graphs, "barabasi_albert", lambda *a, **k: built.append(a))
    with pytest.raises(ScenarioError, match=r"<dict>: graph\.n: 600 consumers"):
        SwarmModel.from_scenario(small)
    assert built == []  # nothing was allocated
    SwarmModel.from_scenario(small, graph=graphs.complete(5))  # a given graph is not sized


def test_cli_run_exits_2_with_one_line(monkeypatch, tmp_path, small, capsys):
    monkeypatch.setattr(memory, "available_bytes", lambda: 10**6)
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(small))
    assert cli.main(["run", str(path), "--out", str(tmp_path / "out")]) == cli.EXIT_BAD_INPUT
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert f"{path}: graph.n: 600 consumers" in lines[0]
    assert "GB available" in lines[0]
    assert not (tmp_path / "out").exists()
