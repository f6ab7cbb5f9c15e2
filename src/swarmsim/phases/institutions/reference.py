"""The institutions rule in plain NumPy: the readable specification.

Its Numba twin, :mod:`swarmsim.phases.institutions.compiled`, gives the same bits
(``tests/kernels/test_parity.py``). Conventions: :mod:`swarmsim.kernels`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.kernels.arrays import Flags, Floats, Ints
from swarmsim.phases.institutions.spec import CallParams

__all__ = ["call", "campaign_pressure", "negative_members", "petition"]


def petition(
    members: Ints,
    opinion: Floats,
    boycott: Flags,
    seed: int,
    stream: int,
    t: int,
    f: int,
    key: int,
    rate: float,
) -> int:
    """One step of a petition against firm ``f``; return the new signers.

    Each member with o_if < 0 who does not yet boycott f signs with probability
    ``rate`` (``uniform(seed, stream, t, i, key) < rate``) and boycotts f at once.
    ``key`` = institution·64 + f.

    Parameters
    ----------
    members : ndarray of int64
        Sorted member slots.
    opinion : ndarray of float64, shape (n, F)
    boycott : ndarray of bool, shape (n, F)
        Column ``f`` set for signers.
    rate : float
        In [0, 1].
    """
    negative = members[(opinion[members, f] < 0.0) & ~boycott[members, f]]
    signs = negative[rng.uniform(seed, stream, t, negative, key) < rate]
    boycott[signs, f] = True
    return int(signs.shape[0])


def call(
    is_member: Flags,
    opinion: Floats,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: CallParams,
) -> None:
    """One call about firm ``f``: members and reached non-members move toward a target.

    Members, and non-members with ``uniform(seed, stream, t, i, key) < reach``, move
    o_if ← o_if + step·(target − o_if): toward −1 for a call against f, toward +1 for
    an endorsement or a seal.

    Parameters
    ----------
    is_member : ndarray of bool, shape (n,)
    opinion : ndarray of float64, shape (n, F)
        Column ``f`` updated in place.
    params : CallParams
        Draw key, reach and step in [0, 1], target ±1.
    """
    n = is_member.shape[0]
    reached = rng.uniform(seed, stream, t, np.arange(n), params.key) < params.reach
    reached |= is_member
    o = opinion[reached, f]
    opinion[reached, f] = o + params.step * (params.target - o)


def campaign_pressure(membership: Flags, relief: Floats, f: int, pressure: Floats) -> None:
    """Set the campaigns' pressure on consumers' boycott thresholds against firm ``f``.

    pressure_i = 1 − Π_k relief_k over the institutions k that consumer i belongs to,
    the product taken from 1.0 in institution order. ``relief[k]`` is
    1 − credibility_k while institution k campaigns against ``f``, else 1.0 (a factor
    that changes nothing, so it is skipped).

    Parameters
    ----------
    membership : ndarray of bool, shape (n, I)
    relief : ndarray of float64, shape (I,)
        Values in [0, 1].
    f : int
        Firm index.
    pressure : ndarray of float64, shape (n, F)
        Column ``f`` overwritten, values in [0, 1].
    """
    product = np.ones(membership.shape[0])
    for k in np.flatnonzero(relief != 1.0):
        product[membership[:, k]] *= relief[k]
    np.subtract(1.0, product, out=pressure[:, f])


def negative_members(members: Ints, opinion: Floats, f: int) -> int:
    """Count the members whose opinion of firm ``f`` is negative (o < 0).

    Parameters
    ----------
    members : ndarray of int64, shape (k,)
        Consumer ids, each in [0, n).
    opinion : ndarray of float64, shape (n, F)
    """
    return int(np.count_nonzero(opinion[members, f] < 0.0))

