"""Tests for validation/threshold.py: the exact threshold-cascade comparison."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from swarmsim.validation import threshold


def test_networkx_cascade_on_a_path_spreads_one_hop_per_round():
    graph = nx.path_graph(5)
    history = threshold.networkx_cascade(graph, np.full(5, 0.5), np.ones(5), {0})
    assert history == [{0}, {0, 1}, {0, 1, 2}, {0, 1, 2, 3}, {0, 1, 2, 3, 4}, set(range(5))]


def test_networkx_cascade_weights_neighbours_and_skips_isolated_nodes():
    graph = nx.Graph([(0, 2), (1, 2)])
    graph.add_node(3)
    weight = np.array([3.0, 1.0, 1.0, 1.0])
    # node 2 sees boycotter 0 with weight 3 of 4: share 0.75
    joins = threshold.networkx_cascade(graph, np.array([1, 1, 0.75, 0.1]), weight, {0})
    stays = threshold.networkx_cascade(graph, np.array([1, 1, 0.76, 0.1]), weight, {0})
    assert joins[1] == {0, 2}
    assert stays[-1] == {0}
    assert joins[-1] == {0, 1, 2}  # node 1's only neighbour boycotts in round 1: share 1
    assert 3 not in joins[-1]  # no neighbours: share 0 < θ


def test_cases_cover_small_and_sparse_graphs():
    drawn = [threshold.case_overrides(0, c, 40) for c in range(200)]
    sizes = [d["graph.n"] for d in drawn]
    degrees = [d["graph.mean_degree"] for d in drawn]
    assert min(sizes) <= 5
    assert max(sizes) >= 35
    assert min(degrees) < 0.5
    assert max(degrees) > 5
    assert all(d["seeding.boycotters"] <= d["graph.n"] for d in drawn)
    assert drawn == [threshold.case_overrides(0, c, 40) for c in range(200)]  # reproducible


def test_quick_check_passes_exactly():
    result = threshold.run(threshold.QUICK, seed=0)
    assert result.passed
    assert result.metrics[0].simulated == 0
    assert np.array_equal(result.data["model_size"], result.data["networkx_size"])
    assert result.data["model_size"].max() > 5  # some cases actually cascade


def test_check_detects_a_rule_that_ignores_weights(monkeypatch):
    original = threshold.networkx_cascade

    def unweighted(graph, thresholds, weight, seeds):
        return original(graph, thresholds, np.ones_like(weight), seeds)

    monkeypatch.setattr(threshold, "networkx_cascade", unweighted)
    result = threshold.run(threshold.Design(cases=150), seed=0)
    assert not result.passed
    assert result.metrics[0].simulated > 0


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_on_more_cases(seed):
    assert threshold.run(threshold.Design(cases=300), seed=seed).passed
