"""Tests for lab/peers/mesa_threshold.py: the Mesa model reaches the same fixed point."""

from __future__ import annotations

import numpy as np
import pytest

from swarmsim import graphs
from swarmsim.lab.peers import hand_cascade, mesa_threshold


@pytest.mark.parametrize("theta", [0.1, 0.25, 0.5])
def test_same_final_state_as_the_hand_kernel(theta):
    g = graphs.barabasi_albert(300, 2, seed=4)
    g = graphs.from_edges(301, np.repeat(np.arange(300), g.degree()), g.indices)  # 1 isolated
    seeds = np.array([3, 100])
    active, _ = hand_cascade.threshold_cascade(g.indptr, g.indices, np.full(g.n, theta), seeds)
    model = mesa_threshold.ThresholdCascade(g.to_networkx(), theta, seeds)
    assert mesa_threshold.run(model) == active.sum()
    mine = [agent.boycotting for agent in sorted(model.agents, key=lambda a: a.cell.coordinate)]
    assert mine == active.tolist()
    assert len(model.agents) == g.n
