"""Tests for memory.py: the size estimate from small models, and the up-front refusal."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from swarmsim import cli, graphs, memory
from swarmsim.errors import ScenarioError
from swarmsim.kernels import placement
from swarmsim.kernels.backend import AUTO_NUMBA_CONSUMERS
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


def test_array_bytes_counts_each_buffer_once():
    block = np.zeros((1000, 4))
    placed = placement.placed_empty((100_000,), np.float64)  # within a larger allocation
    holder = {"a": block, "view": block[:, 1], "again": [block.T], "placed": placed}
    assert memory.array_bytes(holder) == block.nbytes + placed.nbytes
    assert placed.base.nbytes > placed.nbytes  # the slack is not counted
    assert memory.array_bytes(np.arange(5), "text", None, 3) == 40


def test_array_bytes_walks_swarmsim_objects_not_modules(small):
    model = SwarmModel.from_scenario(small)
    people = model.consumers
    names = [f.name for f in dataclasses.fields(people) if f.name != "state"]
    names += [array.name for array in people.state]
    population = sum(getattr(people, name).nbytes for name in names)
    assert memory.array_bytes(people) == population
    graph = model.graph.indptr.nbytes + model.graph.indices.nbytes
    assert memory.array_bytes(model.graph) == graph
    assert memory.array_bytes(model) >= population + graph + model.neighbour_weight.nbytes
    assert memory.array_bytes(memory) == 0  # a module is not entered


def test_probes_run_the_backend_that_auto_picks_for_larger_runs():
    assert AUTO_NUMBA_CONSUMERS <= memory.PROBE_SIZES[0] < memory.PROBE_SIZES[1]


def full(n, firms=5, institutions=(), backend="numba", m=5):
    graph = {"kind": "barabasi_albert", "n": n, "m": m}
    return spec(graph, FIRMS[:firms], institutions, backend=backend)


def test_estimate_scales_the_probes_linearly():
    sizes = [10**6, 2 * 10**6, 3 * 10**6]
    one, two, three = (memory.estimate_bytes(full(n)) for n in sizes)
    assert three.consumers - two.consumers == pytest.approx(two.consumers - one.consumers, abs=2)
    assert two.consumers == pytest.approx(2 * one.consumers, rel=0.01)
    assert one.graph == 8 * (10**6 + 1) + 8 * one.n_edges  # int64 offsets, int32 ids
    assert one.total == one.graph + one.consumers + one.working + one.interpreter
    assert one.added == one.total - one.interpreter
    assert 0.2 * 10**6 < one.consumers / 1000 < 2 * 10**6  # hundreds of bytes per consumer


def test_estimate_grows_with_firms_institutions_and_edges():
    base = memory.estimate_bytes(full(10**6, firms=1))
    firms = memory.estimate_bytes(full(10**6, firms=5))
    church = [{"name": "C", "kind": "church", "members": {"share": 0.5}}]
    member = memory.estimate_bytes(full(10**6, firms=1, institutions=church))
    denser = memory.estimate_bytes(full(10**6, firms=1, m=20))
    assert firms.consumers - base.consumers > 4 * 10**6 * 9  # at least (n, F) bool + float64
    assert member.consumers - base.consumers > 10**6 * 4  # a column, half the ids
    assert denser.graph - base.graph == 8 * (denser.n_edges - base.n_edges)


def test_numpy_backend_counts_its_temporaries():
    numba = memory.estimate_bytes(full(10**6, backend="numba"))
    numpy = memory.estimate_bytes(full(10**6, backend="numpy"))
    assert numpy.working > 10 * numba.working
    assert numpy.working > 100 * 10**6  # the reference kernels' (n, F + 1) temporaries


def test_small_scenarios_are_probed_at_their_own_size(small):
    scenario = load_scenario(small)
    estimate = memory.estimate_bytes(scenario)
    assert estimate.n == 600
    degree = 2 * estimate.n_edges / 600
    model = SwarmModel(scenario, graph=graphs.erdos_renyi(600, degree, seed=1)).run(2)
    held = memory.array_bytes(model) - memory.array_bytes(model.graph)
    assert estimate.consumers == pytest.approx(held, rel=0.05)


def test_a_probe_does_not_leave_tracemalloc_running(small):
    import tracemalloc

    small["graph"]["n"] = 650  # not probed before
    memory.estimate_bytes(load_scenario(small))
    assert not tracemalloc.is_tracing()


RSS = """
import gc, json, sys
from pathlib import Path
import psutil
from swarmsim import SwarmModel, memory
from swarmsim.lab import cases
from swarmsim.model import build_graph
from swarmsim.scenario import load_scenario

backend = sys.argv[1]
SwarmModel.from_scenario(cases.full_model(300, 5, 3, backend=backend)).run(3)
spec = load_scenario(cases.full_model(100_000, 5, 3, backend=backend))
estimate = memory.estimate_bytes(spec)  # as the model's own check does, before building
gc.collect()
Path("/proc/self/clear_refs").write_text("5")  # VmHWM starts again from VmRSS
before = psutil.Process().memory_info().rss
model = SwarmModel(spec, graph=build_graph(spec.graph, seed=spec.seed))
model.run(2)
status = Path("/proc/self/status").read_text().splitlines()
peak = int(next(s for s in status if s.startswith("VmHWM:")).split()[1]) * 1024
print(json.dumps({"measured": peak - before, "estimate": estimate.added}))
"""


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux's VmHWM")
@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_estimate_is_within_a_quarter_of_the_measured_peak(backend):
    """Building the bench's full model at 10**5 consumers and stepping it twice."""
    done = subprocess.run(
        [sys.executable, "-c", RSS, backend], capture_output=True, text=True, timeout=600,
        check=True,
    )  # fmt: skip
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["estimate"] == pytest.approx(figures["measured"], rel=0.25), figures


def test_check_fits_refuses_with_the_estimate():
    scenario = spec({"kind": "barabasi_albert", "n": 1_000_000, "m": 5})
    with pytest.raises(ScenarioError) as info:
        memory.check_fits(scenario, source="big.yaml", available=int(0.1e9))
    error = info.value
    assert error.field == "graph.n"
    message = str(error)
    assert message.startswith("big.yaml: graph.n: 1,000,000 consumers with 4,999,975 edges")
    estimate = memory.estimate_bytes(scenario)
    parts = (estimate.added, estimate.graph, estimate.consumers, estimate.working)
    text = "and 5 firms need about {:.1f} GB (graph {:.1f}, consumers {:.1f}, working {:.1f})"
    assert text.format(*(part / 1e9 for part in parts)) in message
    assert "this machine has 0.1 GB available" in message
    assert "\n" not in message
    fits = memory.check_fits(scenario, source="big.yaml", available=int(2e9))
    assert fits.added < 2e9


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
    monkeypatch.setattr(memory, "available_bytes", lambda: 1_000)
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(small))
    assert cli.main(["run", str(path), "--out", str(tmp_path / "out")]) == cli.EXIT_BAD_INPUT
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert f"{path}: graph.n: 600 consumers" in lines[0]
    assert "GB available" in lines[0]
    assert not (tmp_path / "out").exists()
