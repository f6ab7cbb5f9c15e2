"""Tests for lab/peers/cynetdiff_cascade.py: cynetdiff on swarmsim's CSR arrays."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from swarmsim import graphs
from swarmsim.lab.peers import cynetdiff_cascade

pytest.importorskip("cynetdiff")


def test_certain_and_impossible_transmission():
    g = graphs.from_edges(7, [0, 1, 3, 4], [1, 2, 4, 5])  # {0,1,2}, {3,4,5}, {6}
    seeds = np.array([1, 6])
    assert cynetdiff_cascade.run(cynetdiff_cascade.build(g, 1.0, seeds, seed=1)) == 4
    assert cynetdiff_cascade.run(cynetdiff_cascade.build(g, 0.0, seeds, seed=1)) == 2


def test_reaches_the_seed_component_and_resets_between_runs():
    g = graphs.erdos_renyi(500, 1.5, seed=2)
    component = nx.node_connected_component(g.to_networkx(), 0)
    model = cynetdiff_cascade.build(g, 1.0, np.array([0]), seed=3)
    assert cynetdiff_cascade.run(model) == len(component)
    assert cynetdiff_cascade.run(model) == len(component)  # reset to the seeds first
    activated = set(model.get_activated_nodes())
    assert activated == component
