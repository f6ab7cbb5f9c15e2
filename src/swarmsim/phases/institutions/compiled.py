"""Numba twin of :mod:`swarmsim.phases.institutions.reference`: same names, arguments and bits.

How the twins stay bit-identical: :mod:`swarmsim.kernels.jit`.
"""

from __future__ import annotations

from numba import njit, prange

from swarmsim.kernels import jit

__all__ = ["campaign", "campaign_pressure", "negative_members"]


@njit(cache=True, nogil=True, parallel=True)
def campaign(members, is_member, opinion, boycott, seed, stream, t, f, params):
    """One campaign step against firm ``f`` (:func:`reference.campaign`).

    The petition reads opinions before the call moves them, as in the reference. The
    call reaches every consumer's opinion branch-free (selects, in the module notes).

    Returns
    -------
    int
        Petition signers (new boycotters).
    """
    n = is_member.shape[0]
    petition_key = jit.key(seed, stream, t)
    call_key = jit.key(seed, stream + 1, t)
    signers = 0
    for k in prange(members.shape[0]):
        i = members[k]
        if (
            opinion[i, f] < 0.0
            and not boycott[i, f]
            and jit.uniform(petition_key, i, params.key) < params.petition_rate
        ):
            boycott[i, f] = True
            signers += 1
    for i in prange(n):
        reached = is_member[i] | (jit.uniform(call_key, i, params.key) < params.reach)
        o = opinion[i, f]
        called = o + params.call_step * (-1.0 - o)
        opinion[i, f] = called if reached else o
    return signers


@njit(cache=True, nogil=True, parallel=True)
def negative_members(members, opinion, f):
    """Count the members with a negative opinion of ``f`` (:func:`reference.negative_members`)."""
    count = 0
    for k in prange(members.shape[0]):
        count += opinion[members[k], f] < 0.0
    return count


_PRESSURE_BLOCK = 1024
"""Consumers per block of :func:`campaign_pressure` (its slice of the column stays in L1)."""


@njit(cache=True, nogil=True, parallel=True)
def campaign_pressure(membership, relief, f, pressure):
    """Set the campaigns' pressure against firm ``f`` (:func:`reference.campaign_pressure`).

    Blocks of consumers in parallel; in each, the column slice holds the running
    product, multiplied institution by institution (1.0 for non-members, which changes
    nothing), so the loops vectorise and the products are the reference's.
    """
    n, institutions = membership.shape
    for block in prange((n + _PRESSURE_BLOCK - 1) // _PRESSURE_BLOCK):
        first = jit.unsigned(block * _PRESSURE_BLOCK)
        last = jit.unsigned(min(n, (block + 1) * _PRESSURE_BLOCK))
        for i in range(first, last):
            pressure[i, f] = 1.0
        for k in range(institutions):
            factor = relief[k]
            if factor != 1.0:
                for i in range(first, last):
                    pressure[i, f] *= factor if membership[i, k] else 1.0
        for i in range(first, last):
            pressure[i, f] = 1.0 - pressure[i, f]



jit.forget_stale_cache(campaign)  # before any call
