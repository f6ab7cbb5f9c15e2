"""A plain Mesa 3.5 threshold model: one agent per consumer on a ``Network`` space.

Written as a Mesa user would (compare ``mesa/examples/basic/virus_on_network``): a
``FixedAgent`` per node of ``mesa.discrete_space.Network(G, layout=None)``, neighbours
found through ``self.cell.neighborhood``, synchronous rounds (every agent decides from
the previous round's states, then all apply).
"""

from __future__ import annotations

import mesa
import networkx as nx
import numpy as np
from mesa.discrete_space import FixedAgent, Network
from numpy.typing import NDArray


class Consumer(FixedAgent):
    """A consumer that joins a boycott once enough of its neighbours boycott."""

    def __init__(self, model: mesa.Model, cell, threshold: float, boycotting: bool):
        super().__init__(model)
        self.cell = cell
        self.threshold = threshold  # share of neighbours needed, in [0, 1]
        self.boycotting = boycotting
        self.joining = False

    def decide(self) -> None:
        """Join next round if the boycotting share of neighbours reaches the threshold."""
        if self.boycotting:
            return
        neighbours = list(self.cell.neighborhood.agents)
        active = sum(other.boycotting for other in neighbours)
        self.joining = bool(neighbours) and active / len(neighbours) >= self.threshold

    def apply(self) -> None:
        """Take the decision of this round."""
        if self.joining:
            self.boycotting, self.joining = True, False


class ThresholdCascade(mesa.Model):
    """Watts' threshold cascade with Mesa agents on a networkx graph (nodes 0..n-1)."""

    def __init__(self, graph: nx.Graph, threshold: float, seeds: NDArray[np.int64], seed=0):
        super().__init__(rng=seed)
        self.space = Network(graph, layout=None, random=self.random)
        chosen = set(seeds.tolist())
        for node in graph.nodes:
            Consumer(self, self.space[node], threshold, node in chosen)
        self.joined = len(chosen)

    def step(self) -> None:
        """One synchronous round."""
        before = self.active()
        self.agents.do("decide")
        self.agents.do("apply")
        self.joined = self.active() - before

    def active(self) -> int:
        """Count the boycotting consumers."""
        return sum(agent.boycotting for agent in self.agents)


def run(model: ThresholdCascade) -> int:
    """Step until a round adds nobody; return the number of boycotting consumers."""
    while model.joined:
        model.step()
    return model.active()
