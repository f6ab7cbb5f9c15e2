"""Cascades on their frontier alone: the word-of-mouth special case without the model.

A :class:`~swarmsim.model.SwarmModel` step does bookkeeping for every consumer (flags,
market accounting, data collection), whatever happens in it. When only a cascade is
of interest — its final size over thousands of replicates, say — that bookkeeping is
most of the cost. :func:`independent_cascade` runs the word-of-mouth phase's
independent-cascade special case (``swarmsim.lab.cases.independent_cascade``:
one firm, talk probability ``p`` on every edge, one message turns a listener, who then
speaks once) visiting only the frontier's edges, with the same counter-based draws.
It therefore activates exactly the consumers that the model run activates, for the
same graph, seeds and seed (``tests/test_cascades.py`` checks this on both backends).

Examples
--------
>>> from swarmsim import graphs
>>> g = graphs.barabasi_albert(10_000, 5, seed=1)
>>> result = independent_cascade(g, [0, 1, 2], 0.05, seed=1)
>>> int(result.active.sum()) >= 3
True
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from swarmsim.graphs import CSRGraph
from swarmsim.phases.word_of_mouth.phase import KERNELS, STREAM

__all__ = ["Cascade", "independent_cascade"]

class Cascade(NamedTuple):
    """The end of a cascade.

    Attributes
    ----------
    active : ndarray of bool, shape (n,)
        Who is active at the end, the seeds included.
    rounds : int
        Rounds with a non-empty frontier, >= 0 (the seeds' round included).
    """

    active: NDArray[np.bool_]
    rounds: int


def independent_cascade(
    graph: CSRGraph,
    seeds: ArrayLike,
    p: float,
    *,
    seed: int,
    first_step: int = 1,
    backend: str = "numba",
) -> Cascade:
    """Run the independent cascade that word of mouth runs in the model, frontier only.

    Parameters
    ----------
    graph : CSRGraph
        The social graph.
    seeds : array_like of int
        Initially active consumers, in ``[0, n)`` (repeats allowed).
    p : float
        Probability that an active consumer's single try activates a neighbour, in [0, 1].
    seed : int
        The run seed, >= 0 (the model's ``seed``).
    first_step : int
        Model step in which the seeds speak, >= 0 (1 for critics seeded at set-up).
    backend : {"numba", "numpy"}
        Kernel backend; both give the same result.

    Returns
    -------
    Cascade
    """
    if backend not in KERNELS:
        raise ValueError(f"backend must be one of {sorted(KERNELS)}, got {backend!r}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p!r}")
    seeds = np.asarray(seeds, dtype=np.int64).reshape(-1)
    if seeds.size and (seeds.min() < 0 or seeds.max() >= graph.n):
        raise ValueError(f"seeds must be consumer ids in [0, {graph.n - 1}]")
    active = np.zeros(graph.n, dtype=np.bool_)
    rounds = KERNELS[backend].independent_cascade(
        graph.indptr, graph.indices, seeds, float(p), seed, STREAM, 0,
        first_step, active,
    )  # fmt: skip
    return Cascade(active, int(rounds))
