"""NDlib's ``ThresholdModel`` run to its fixed point (synchronous rounds on networkx).

NDlib (Rossetti et al. 2018, "NDlib: a Python library to model and analyze diffusion
processes over complex networks") makes node u active when the share of its active
neighbours is >= its threshold, all nodes updated from the previous round's state.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from numpy.typing import NDArray


def build(graph: nx.Graph, threshold: float, seeds: NDArray[np.int64]):
    """Return a configured ``ThresholdModel`` on ``graph`` (nodes 0..n-1).

    Parameters
    ----------
    graph : networkx.Graph
    threshold : float
        The same threshold for every node, in [0, 1].
    seeds : ndarray of int64
        Initially active ("Infected") nodes.
    """
    from ndlib.models import ModelConfig
    from ndlib.models.epidemics import ThresholdModel

    model = ThresholdModel(graph, seed=0)
    config = ModelConfig.Configuration()
    config.add_model_initial_configuration("Infected", [int(s) for s in seeds])
    for node in graph.nodes:
        config.add_node_configuration("threshold", node, threshold)
    model.set_initial_status(config)
    return model


def run(model) -> int:
    """Iterate until a round activates nobody; return the number of active nodes."""
    model.iteration()  # round 0 only reports the initial state
    while model.iteration(node_status=False)["status_delta"][1] > 0:
        pass
    return sum(model.status.values())
