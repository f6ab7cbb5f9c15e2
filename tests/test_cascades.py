"""Tests for cascades.py: the frontier cascade is the model's word-of-mouth special case."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import step_until_quiet
from swarmsim import graphs
from swarmsim.cascades import independent_cascade
from swarmsim.lab import cases
from swarmsim.model import SwarmModel
from swarmsim.scenario import load_scenario

BACKENDS = ["numba", "numpy"]


def model_cascade(n: int, p: float, seeds: int, seed: int, backend: str, graph=None):
    """Step the whole model until word of mouth falls quiet; return (seeds, active, steps)."""
    spec = load_scenario(cases.independent_cascade(n, 3, p, seeds, backend=backend))
    model = SwarmModel(spec, seed=seed, graph=graph)
    seeded = np.flatnonzero(model.consumers.opinion[:, 0] < 0.0)
    steps = step_until_quiet(model)
    return model.graph, seeded, model.consumers.opinion[:, 0] < 0.0, steps


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("n", "p", "seed"), [(3_000, 0.2, 1), (3_000, 0.3, 2), (800, 0.4, 5)])
def test_frontier_activates_exactly_whom_the_model_activates(backend, n, p, seed):
    graph, seeds, active, steps = model_cascade(n, p, 10, seed, backend)
    assert 100 < active.sum() < n  # a real cascade, not everyone
    cascade = independent_cascade(graph, seeds, p, seed=seed, backend=backend)
    assert np.array_equal(cascade.active, active)
    assert cascade.rounds == steps  # one step a round; the last round activates nobody


def test_frontier_matches_the_model_on_another_graph_family():
    er = graphs.erdos_renyi(2_000, 6.0, seed=3)
    graph, seeds, active, _ = model_cascade(2_000, 0.2, 3, 7, "numba", graph=er)
    assert np.array_equal(independent_cascade(graph, seeds, 0.2, seed=7).active, active)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 60),
    data=st.data(),
    p=st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0]),
    seed=st.integers(0, 2**31),
)
def test_backends_agree_on_any_graph(n, data, p, seed):
    pairs = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))))
    graph = graphs.from_edges(n, [a for a, _ in pairs], [b for _, b in pairs])
    seeds = data.draw(st.lists(st.integers(0, n - 1), max_size=5))  # repeats allowed
    ours, theirs = (independent_cascade(graph, seeds, p, seed=seed, backend=b) for b in BACKENDS)
    assert np.array_equal(ours.active, theirs.active)
    assert ours.rounds == theirs.rounds
    assert set(seeds) <= set(np.flatnonzero(ours.active))


@pytest.mark.parametrize("backend", BACKENDS)
def test_certain_transmission_reaches_the_seeds_components_in_bfs_rounds(backend):
    g = nx.disjoint_union(nx.path_graph(6), nx.cycle_graph(5))  # nodes 0-5 and 6-10
    graph = graphs.from_networkx(g)
    cascade = independent_cascade(graph, [0], 1.0, seed=1, backend=backend)
    assert np.flatnonzero(cascade.active).tolist() == [0, 1, 2, 3, 4, 5]
    assert cascade.rounds == 6  # five hops to node 5, then its own (fruitless) round
    nobody = independent_cascade(graph, [0, 7], 0.0, seed=1, backend=backend)
    assert np.flatnonzero(nobody.active).tolist() == [0, 7]
    assert nobody.rounds == 1
    assert independent_cascade(graph, [], 1.0, seed=1, backend=backend).rounds == 0


def test_final_size_follows_the_branching_process_on_a_large_regular_graph():
    # On a random 4-regular graph each activation makes Binomial(3, p) new ones
    # (4 for a seed) while the cascade is small: mean size 1 + 4p / (1 - 3p).
    p, n, runs = 0.2, 200_000, 400
    graph = graphs.configuration(np.full(n, 4), seed=11)
    sizes = [
        independent_cascade(graph, [run * 401 % n], p, seed=run).active.sum()
        for run in range(runs)
    ]
    expected = 1 + 4 * p / (1 - 3 * p)
    assert np.mean(sizes) == pytest.approx(expected, abs=4 * np.std(sizes) / np.sqrt(runs))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"p": 1.5}, "p must be in [0, 1]"),
        ({"seeds": [99]}, "seeds must be consumer ids in [0, 9]"),
        ({"backend": "cuda"}, "backend must be one of"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    args = {"seeds": [0], "p": 0.5, "backend": "numba"} | kwargs
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        independent_cascade(graphs.complete(10), args["seeds"], args["p"], seed=0,
                            backend=args["backend"])  # fmt: skip
