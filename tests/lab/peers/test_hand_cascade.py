"""Tests for lab/peers/hand_cascade.py: exact results and the reference fixed point."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import csr_graphs
from swarmsim import graphs
from swarmsim.lab.peers.hand_cascade import threshold_cascade
from swarmsim.phases.boycott import reference
from swarmsim.phases.boycott.spec import BoycottParams


def run(graph, threshold, seeds):
    return threshold_cascade(
        graph.indptr, graph.indices, np.asarray(threshold, dtype=np.float64),
        np.asarray(seeds, dtype=np.int64),
    )  # fmt: skip


def test_path_graph():
    path = graphs.from_edges(5, [0, 1, 2], [1, 2, 3])  # node 4 isolated
    active, visits = run(path, [0.5] * 5, [0])
    assert active.tolist() == [True, True, True, True, False]
    assert visits == 1 + 2 + 2 + 1  # degree sum of the active nodes
    active, visits = run(path, [0.6] * 5, [0])
    assert active.tolist() == [True, False, False, False, False]
    assert visits == 1
    active, visits = run(path, [0.1] * 5, [])
    assert not active.any()
    assert visits == 0


def synchronous_fixed_point(graph, threshold, seeds):
    """Iterate the reference boycott kernel (opinion always low enough) until stable."""
    n = graph.n
    boycott = np.zeros((n, 1), dtype=bool)
    boycott[seeds, 0] = True
    zeros, ones = np.zeros((n, 1)), np.ones(n)
    weight_sum = graph.degree().astype(np.float64)
    out = np.empty(n, dtype=bool)
    while True:
        reference.boycott_update(
            graph.indptr, graph.indices, boycott, zeros, ones, weight_sum, threshold, zeros,
            np.zeros((n, 1), dtype=bool), 0, 0, 0, 0, BoycottParams(1.0, 1.0, 0.0), out,
        )  # fmt: skip
        if np.array_equal(out, boycott[:, 0]):
            return out
        boycott[:, 0] = out


@settings(max_examples=60, deadline=None)
@given(csr_graphs(max_n=12, max_edges=30), st.data())
def test_equals_the_synchronous_rounds_of_the_boycott_kernel(graph, data):
    n = graph.n
    threshold = np.array(data.draw(st.lists(st.sampled_from([0.05, 0.2, 0.34, 0.5, 1.0]),
                                            min_size=n, max_size=n)))  # fmt: skip
    seeds = data.draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=3)) if n else []
    active, visits = run(graph, threshold, seeds)
    expected = synchronous_fixed_point(graph, threshold, seeds)
    assert active.tolist() == expected.tolist()
    assert visits == graph.degree()[active].sum()
