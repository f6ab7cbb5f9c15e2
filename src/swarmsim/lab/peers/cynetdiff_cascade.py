"""cynetdiff's C++ independent cascade on swarmsim's CSR arrays.

cynetdiff (Kanthak et al. 2024) takes the graph as CSR ``starts``/``edges`` arrays of
unsigned ints, which :func:`build` fills straight from a :class:`CSRGraph` (no
networkx). Every newly active node tries each neighbour once with probability ``p``.
"""

from __future__ import annotations

import array

import numpy as np
from numpy.typing import NDArray

from swarmsim.graphs import CSRGraph


def _unsigned(values: NDArray[np.int64]) -> array.array:
    out = array.array("I")
    out.frombytes(values.astype(np.uint32).tobytes())
    return out


def build(graph: CSRGraph, p: float, seeds: NDArray[np.int64], *, seed: int):
    """Return an ``IndependentCascadeModel`` with activation probability ``p`` per edge.

    Parameters
    ----------
    graph : CSRGraph
        Fewer than 2**32 nodes and edge ends.
    p : float
        Activation probability per edge and attempt, in [0, 1].
    seeds : ndarray of int64
        Initially active nodes.
    seed : int
        Seed of cynetdiff's generator, >= 0.
    """
    from cynetdiff.models import IndependentCascadeModel

    model = IndependentCascadeModel(
        _unsigned(graph.indptr[:-1]), _unsigned(graph.indices), activation_prob=p, rng=seed
    )
    model.set_seeds(seeds.tolist())
    return model


def run(model) -> int:
    """Reset to the seeds, run the cascade to its end, return the number activated."""
    model.reset_model()
    model.advance_until_completion()
    return model.get_num_activated_nodes()
