"""Tests for lab/peers/ndlib_threshold.py: NDlib reaches the hand kernel's fixed point."""

from __future__ import annotations

import numpy as np
import pytest

from swarmsim import graphs
from swarmsim.lab.peers import hand_cascade, ndlib_threshold

pytest.importorskip("ndlib")


@pytest.mark.parametrize("theta", [0.1, 0.25, 0.5])
def test_same_final_size_as_the_hand_kernel(theta):
    g = graphs.barabasi_albert(400, 2, seed=3)
    g = graphs.from_edges(402, np.repeat(np.arange(400), g.degree()), g.indices)  # 2 isolated
    seeds = np.array([5, 77, 401])
    active, _ = hand_cascade.threshold_cascade(g.indptr, g.indices, np.full(g.n, theta), seeds)
    model = ndlib_threshold.build(g.to_networkx(), theta, seeds)
    assert ndlib_threshold.run(model) == active.sum()
    assert active.sum() > 3 or theta == 0.5
