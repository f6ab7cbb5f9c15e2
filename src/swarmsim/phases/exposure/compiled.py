"""Numba twin of :mod:`swarmsim.phases.exposure.reference`: same names, arguments and bits.

How the twins stay bit-identical: :mod:`swarmsim.kernels.jit`.
"""

from __future__ import annotations

from numba import njit, prange

from swarmsim.kernels import jit

__all__ = ["detect_misconduct"]


@njit(cache=True, nogil=True, parallel=True)
def detect_misconduct(
    competence, detection_factor, opinion, speaking, detected, seed, stream, t, f, params
):
    """Find who detects firm ``f``'s misconduct (:func:`reference.detect_misconduct`).

    Returns
    -------
    int
        Detectors.
    """
    n = competence.shape[0]
    key = jit.key(seed, stream, t)
    detectors = 0
    for i in prange(n):
        chance = min(1.0, params.detection_scale * competence[i] * detection_factor[i])
        found = jit.uniform(key, i, f) < chance
        o = opinion[i, f]
        shocked = max(-1.0, o - params.opinion_shock)
        opinion[i, f] = shocked if found else o
        speaking[i, f] |= found
        detected[i, f] |= found
        detectors += found
    return detectors



jit.forget_stale_cache(detect_misconduct)  # before any call
