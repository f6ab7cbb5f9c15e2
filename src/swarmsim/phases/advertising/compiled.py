"""Numba twin of :mod:`swarmsim.phases.advertising.reference`: same names, arguments and bits.

How the twins stay bit-identical: :mod:`swarmsim.kernels.jit`.
"""

from __future__ import annotations

from numba import njit, prange

from swarmsim.kernels import jit

__all__ = ["advertise"]


@njit(cache=True, nogil=True, parallel=True)
def advertise(
    competence, peer_trust, firm_trust, opinion, expectation, seed, stream, t, f, params
):
    """Apply firm ``f``'s ads; the reference's rule (:func:`reference.advertise`).

    Branch-free (selects, in the module notes): every consumer's new
    beliefs are computed and kept only where the ad reached.

    Returns
    -------
    int
        Consumers reached.
    """
    n = competence.shape[0]
    key = jit.key(seed, stream, t)
    m, q, r = params.manipulation, params.quality, params.recovery
    contacts = 0
    for i in prange(n):
        reached = jit.uniform(key, i, f) < params.reach
        c, o, e = competence[i], opinion[i, f], expectation[i, f]
        trust = firm_trust[i, f] + r * (1.0 - firm_trust[i, f])  # unchanged when r = 0
        s = (1.0 - peer_trust[i]) * params.intensity * trust
        persuasion = m * ((1.0 - c) - params.backfire * c)
        information = (1.0 - m) * ((2.0 * q - 1.0) - o)
        moved = jit.clip(o + s * (persuasion + information), -1.0, 1.0)
        inflation = m * (1.0 - c) * (1.0 - e)
        correction = (1.0 - m) * (q - e)
        raised = jit.clip(e + s * (inflation + correction), 0.0, 1.0)
        opinion[i, f] = moved if reached else o
        expectation[i, f] = raised if reached else e
        worn = trust * (1.0 - params.wear_out * m * c)
        firm_trust[i, f] = worn if reached else trust
        contacts += reached
    return contacts



jit.forget_stale_cache(advertise)  # before any call
