"""Numba twin of :mod:`swarmsim.phases.institutions.reference`: same names, arguments and bits.

How the twins stay bit-identical: :mod:`swarmsim.kernels.jit`.
"""

from __future__ import annotations

from numba import njit, prange

from swarmsim.kernels import jit

__all__ = ["call", "campaign_pressure", "negative_members", "petition"]


@njit(cache=True, nogil=True, parallel=True)
def petition(members, opinion, boycott, seed, stream, t, f, key, rate):
    """One step of a petition against firm ``f`` (:func:`reference.petition`); new signers."""
    petition_key = jit.key(seed, stream, t)
    signers = 0
    for k in prange(members.shape[0]):
        i = members[k]
        if (
            opinion[i, f] < 0.0
            and not boycott[i, f]
            and jit.uniform(petition_key, i, key) < rate
        ):
            boycott[i, f] = True
            signers += 1
    return signers


@njit(cache=True, nogil=True, parallel=True)
def call(is_member, opinion, seed, stream, t, f, params):
    """One call about firm ``f`` (:func:`reference.call`).

    Reaches every consumer's opinion branch-free (selects, in the module notes).
    """
    call_key = jit.key(seed, stream, t)
    for i in prange(is_member.shape[0]):
        reached = is_member[i] | (jit.uniform(call_key, i, params.key) < params.reach)
        o = opinion[i, f]
        called = o + params.step * (params.target - o)
        opinion[i, f] = called if reached else o


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



jit.forget_stale_cache(call)  # before any call
