"""Numba twin of :mod:`swarmsim.phases.experience.reference`: same names, arguments and bits.

How the twins stay bit-identical: :mod:`swarmsim.kernels.jit`.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from swarmsim.kernels import jit
from swarmsim.kernels.arrays import Flags, Floats, Ints
from swarmsim.phases.experience.spec import ExperienceParams

__all__ = ["experience"]


_EXPERIENCE_BLOCK = 4096
"""Consumers per block of :func:`experience`: its buyer list and draws (128 kB) stay in cache."""


@njit(cache=True, nogil=True)
def _fade_and_list_buyers(purchase, opinion, loyalty, f, params, first, size, buyers):
    """Fade every opinion of ``f`` in the block, decay non-buyers' loyalty; list the buyers.

    Returns the number of buyers, whose ids fill ``buyers`` from slot 0 (every id is
    written, and kept only if it bought: no branch).
    """
    keep = 1.0 - params.loyalty_decay
    fade = 1.0 - params.opinion_decay
    count = 0
    for k in range(size):
        i = first + k
        bought = purchase[i] == f
        buyers[count] = i
        count += bought
        opinion[i, f] = opinion[i, f] * fade
        ell = loyalty[i, f]
        loyalty[i, f] = ell if bought else ell * keep
    return np.uint64(count)


@njit(cache=True, nogil=True)
def _experience_block(
    purchase, competence, opinion, expectation, loyalty, firm_trust, speaking, keys, f, params,
    block, draws,
):  # fmt: skip
    """:func:`experience` for consumers ``block·_EXPERIENCE_BLOCK ..``.

    Three loops: fade and list the buyers; draw the buyers' noise, dialogue and
    co-creation uniforms (a loop of hashes alone, which LLVM vectorises); update the
    buyers. ``draws`` is scratch of shape (4, _EXPERIENCE_BLOCK): the three draws of
    each listed buyer, and the buyers' ids (row 3, read as unsigned integers).
    """
    start = np.int64(block) * _EXPERIENCE_BLOCK  # signed: uint64 · int64 would be a float
    first = np.uint64(start)
    size = np.uint64(min(purchase.shape[0], start + _EXPERIENCE_BLOCK) - start)
    buyers = draws[3].view(np.uint64)
    count = _fade_and_list_buyers(purchase, opinion, loyalty, f, params, first, size, buyers)
    noise_key, dialogue_key, cocreation_key = keys
    for k in range(count):
        i = buyers[k]
        draws[0, k] = jit.triangular_at(noise_key, i, f)
        draws[1, k] = jit.uniform(dialogue_key, i, f)
        draws[2, k] = jit.uniform(cocreation_key, i, f)
    for k in range(count):
        i = buyers[k]
        old = opinion[i, f]
        real = jit.clip(params.quality + params.quality_noise * draws[0, k], 0.0, 1.0)
        e, c = expectation[i, f], competence[i]
        perceived = e + c * (real - e)
        change = params.opinion_rate * (perceived - e)
        answered = (change < 0.0) & (draws[1, k] < params.dialogue)
        change = change * (1.0 - params.dialogue_damping) if answered else change
        new = jit.clip(old + change, -1.0, 1.0)
        opinion[i, f] = new
        expectation[i, f] = e + params.expectation_rate * (perceived - e)
        letdown = max(0.0, e - perceived)
        firm_trust[i, f] = firm_trust[i, f] * (1.0 - params.disappointment_distrust * letdown)
        speaking[i, f] |= abs(new - old) > params.speak_threshold
        ell = loyalty[i, f]
        gained = ell + params.loyalty_gain * (1.0 - ell)
        invited = draws[2, k] < params.cocreation
        loyalty[i, f] = gained + params.cocreation_gain * (1.0 - gained) if invited else gained
        competence[i] = c + params.education * (1.0 - c)


@njit(cache=True, nogil=True, parallel=True)
def _experience(
    purchase, competence, opinion, expectation, loyalty, firm_trust, speaking, seed, stream, t,
    f, params, scratch,
):  # fmt: skip
    """:func:`experience` on ``scratch.shape[0]`` threads; ``scratch[p]`` is part p's (4, block)."""
    keys = (jit.key(seed, stream, t), jit.key(seed, stream + 1, t), jit.key(seed, stream + 2, t))
    blocks = (purchase.shape[0] + _EXPERIENCE_BLOCK - 1) // _EXPERIENCE_BLOCK
    parts = scratch.shape[0]
    for part in prange(parts):
        for block in jit.part_range(blocks, parts, part):
            _experience_block(
                purchase, competence, opinion, expectation, loyalty, firm_trust, speaking,
                keys, f, params, block, scratch[part],
            )  # fmt: skip


def experience(
    purchase: Ints,
    competence: Floats,
    opinion: Floats,
    expectation: Floats,
    loyalty: Floats,
    firm_trust: Floats,
    speaking: Flags,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: ExperienceParams,
) -> None:
    """Buyers of firm ``f`` update beliefs; the reference's rule (:func:`reference.experience`).

    Blocks of consumers in parallel; in each, the buyers (a sixth of consumers or so)
    are listed first and only they draw and update, since the hash draws dominate the
    cost and only buyers need them. Each worker's scratch (128 kB: the buyers' ids and
    draws of one block) is a slice of one buffer of the calling thread's, reused across
    calls, so no worker allocates.
    """
    parts = jit.thread_parts(purchase.shape[0])
    scratch = jit.SCRATCH.get("experience", parts * 4 * _EXPERIENCE_BLOCK, np.float64)
    _experience(
        purchase, competence, opinion, expectation, loyalty, firm_trust, speaking, seed,
        stream, t, f, params, scratch.reshape(parts, 4, _EXPERIENCE_BLOCK),
    )  # fmt: skip



jit.forget_stale_cache(_experience)  # before any call
