"""The boycott rule in plain NumPy: the readable specification.

Its Numba twin, :mod:`swarmsim.phases.boycott.compiled`, gives the same bits
(``tests/kernels/test_parity.py``). Conventions: :mod:`swarmsim.kernels`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.graphs import row_ids
from swarmsim.kernels import rng
from swarmsim.kernels.arrays import Flags, Floats, Ints
from swarmsim.phases.boycott.spec import BoycottParams

__all__ = ["boycott_update", "boycott_update_cached"]


def boycott_update(
    indptr: Ints,
    indices: Ints,
    boycott: Flags,
    opinion: Floats,
    weight: Floats,
    neighbour_weight: Floats,
    threshold: Floats,
    pressure: Floats,
    gave_up: Flags,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: BoycottParams,
    out: Flags,
) -> int:
    """One synchronous round of the threshold rule for firm ``f``; return the joiners.

    Watts (2002), weighted.

    Consumer i joins when o_if <= join_opinion, it has not given up boycotting f, and
    the influence-weighted share of its neighbours boycotting f, Σ_j w_j b_jf / Σ_j w_j,
    reaches θ_i·(1 − pressure_if) (θ_i = 0: on its own outrage). A boycotter leaves
    when o_if > leave_opinion, or tires of it, ``uniform(seed, stream, t, i, f) <
    fatigue``; one who tires has given up (``gave_up``, cleared when it detects a new
    misconduct of f) and does not join again until then. A consumer without neighbours
    has share 0.

    Parameters
    ----------
    boycott : ndarray of bool, shape (n, F)
        State before the round (read only).
    opinion, pressure : ndarray of float64, shape (n, F)
    gave_up : ndarray of bool, shape (n, F)
        Column ``f`` read, and set for boycotters who tire.
    neighbour_weight : ndarray of float64, shape (n,)
        Σ_j w_j over each consumer's neighbours.
    threshold : ndarray of float64, shape (n,)
        θ in [0, 1].
    out : ndarray of bool, shape (n,)
        Receives column ``f`` after the round.

    Returns
    -------
    int
        Consumers who joined: not boycotting ``f`` before the round, boycotting after.
    """
    boycotting_weight = _boycotting_weight(indptr, indices, boycott[:, f], weight)
    tired = rng.uniform(seed, stream, t, np.arange(boycott.shape[0]), f) < params.fatigue
    return _threshold_rule(
        boycott[:, f], opinion[:, f], boycotting_weight, neighbour_weight, threshold,
        pressure[:, f], gave_up[:, f], tired, params, out,
    )  # fmt: skip


def boycott_update_cached(
    indptr: Ints,
    indices: Ints,
    boycott: Flags,
    opinion: Floats,
    weight: Floats,
    neighbour_weight: Floats,
    threshold: Floats,
    pressure: Floats,
    gave_up: Flags,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: BoycottParams,
    boycotting_weight: Floats,
    counted: Flags,
    out: Flags,
) -> int:
    """:func:`boycott_update`, keeping each consumer's boycotting-neighbour weight.

    ``boycotting_weight[i, f]`` holds Σ_j w_j b_jf over i's neighbours (in CSR order)
    for the boycott state ``counted[:, f]``. This reference recomputes it for every
    consumer; the compiled twin recomputes only the rows of consumers with a neighbour
    whose state differs from ``counted`` (the frontier of the cascade), with the same
    result.

    Parameters
    ----------
    boycotting_weight : ndarray of float64, shape (n, F)
        Column ``f`` updated to the state ``boycott[:, f]``; start from zeros.
    counted : ndarray of bool, shape (n, F)
        The state ``boycotting_weight`` was computed for; column ``f`` set to
        ``boycott[:, f]``; start from all False.
    """
    boycotting_weight[:, f] = _boycotting_weight(indptr, indices, boycott[:, f], weight)
    counted[:, f] = boycott[:, f]
    tired = rng.uniform(seed, stream, t, np.arange(boycott.shape[0]), f) < params.fatigue
    return _threshold_rule(
        boycott[:, f], opinion[:, f], boycotting_weight[:, f], neighbour_weight, threshold,
        pressure[:, f], gave_up[:, f], tired, params, out,
    )  # fmt: skip


def _boycotting_weight(indptr: Ints, indices: Ints, boycott: Flags, weight: Floats) -> Floats:
    """Σ_j w_j b_j over each consumer's neighbours, summed in CSR order; shape (n,)."""
    n = indptr.shape[0] - 1
    listener = row_ids(indptr)
    active = boycott[indices]
    return np.bincount(listener[active], weights=weight[indices[active]], minlength=n)


def _threshold_rule(
    boycott: Flags,
    opinion: Floats,
    boycotting_weight: Floats,
    neighbour_weight: Floats,
    threshold: Floats,
    pressure: Floats,
    gave_up: Flags,
    tired: Flags,
    params: BoycottParams,
    out: Flags,
) -> int:
    """Join or leave, from one firm's columns; write ``out``, shape (n,); return the joiners.

    ``gave_up`` (this firm's column, a view) is set for boycotters who tire.
    """
    share = np.divide(
        boycotting_weight,
        neighbour_weight,
        out=np.zeros(boycott.shape[0]),
        where=neighbour_weight > 0.0,
    )
    joins = (opinion <= params.join_opinion) & (share >= threshold * (1.0 - pressure))
    joins &= ~gave_up
    leaves = (opinion > params.leave_opinion) | tired
    out[:] = np.where(boycott, ~leaves, joins)
    gave_up |= boycott & tired
    return int(np.count_nonzero(joins & ~boycott))

