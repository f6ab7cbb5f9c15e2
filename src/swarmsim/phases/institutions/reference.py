"""The institutions rule in plain NumPy: the readable specification.

Its Numba twin, :mod:`swarmsim.phases.institutions.compiled`, gives the same bits
(``tests/kernels/test_parity.py``). Conventions: :mod:`swarmsim.kernels`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.kernels.arrays import Flags, Floats, Ints
from swarmsim.phases.institutions.spec import CampaignParams

__all__ = ["campaign", "campaign_pressure", "negative_members"]


def campaign(
    members: Ints,
    is_member: Flags,
    opinion: Floats,
    boycott: Flags,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: CampaignParams,
) -> int:
    """One step of an institution's campaign against firm ``f``; return new signers.

    Petition: each member with negative opinion who does not yet boycott f signs with
    probability petition_rate,
    ``uniform(seed, stream, t, i, key) < petition_rate``, and boycotts f at once. Call:
    members, and non-members with ``uniform(seed, stream+1, t, i, key) < reach``, move
    their opinion toward −1 by credibility·call_strength. ``key`` = institution·64 + f.

    Parameters
    ----------
    members : ndarray of int64
        Sorted member slots.
    is_member : ndarray of bool, shape (n,)
    opinion : ndarray of float64, shape (n, F)
        Column ``f`` updated in place.
    boycott : ndarray of bool, shape (n, F)
        Column ``f`` set for signers.
    """
    n = is_member.shape[0]
    key = params.key
    negative = members[(opinion[members, f] < 0.0) & ~boycott[members, f]]
    signs = negative[rng.uniform(seed, stream, t, negative, key) < params.petition_rate]
    boycott[signs, f] = True
    reached = rng.uniform(seed, stream + 1, t, np.arange(n), key) < params.reach
    reached |= is_member
    o = opinion[reached, f]
    opinion[reached, f] = o + params.call_step * (-1.0 - o)
    return int(signs.shape[0])


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

