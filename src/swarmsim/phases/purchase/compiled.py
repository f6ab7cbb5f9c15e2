"""Numba twin of :mod:`swarmsim.phases.purchase.reference`: same names, arguments and bits.

How the twins stay bit-identical: :mod:`swarmsim.kernels.jit`.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from swarmsim.kernels import jit

__all__ = ["choose_purchases"]


_BLOCK = 256
"""Consumers per block of the purchase kernel: its scratch (F + 1 rows) stays in cache."""


@njit(cache=True, nogil=True)
def _choose_block(
    opinion, expectation, loyalty, boycott, buycott, price, key, params, out, block, counts
):
    """Purchase choices of consumers ``block·_BLOCK ..`` (at most _BLOCK of them).

    ``counts[c]`` receives the block's choosers of option c (0: outside, f + 1: firm f).

    Loops run firm by firm over the block's consumers so that LLVM vectorises them;
    consumer indices are unsigned, which spares Numba's negative-index wrap-around
    check that would otherwise stop vectorisation.
    """
    n, n_firms = opinion.shape
    first = np.uint64(block * _BLOCK)
    size = np.uint64(min(n, block * _BLOCK + _BLOCK) - block * _BLOCK)
    weight = np.empty((n_firms + 1, size))  # utilities, then weights, then running sums
    top = np.full(size, params.outside_utility)
    engaged = np.zeros(size, dtype=np.bool_)  # boycotts some firm
    for g in range(n_firms):
        for k in range(size):
            engaged[k] |= boycott[first + k, g]
    pulls = params.buycott_pull > 0.0
    for g in range(n_firms):
        cost = params.beta_price * price[g]
        for k in range(size):
            i = first + k
            favoured = engaged[k] & pulls & (opinion[i, g] >= params.buycott_opinion)
            buycott[i, g] = favoured
            utility = (
                params.beta_opinion * opinion[i, g]
                + params.beta_quality * expectation[i, g]
                + params.beta_loyalty * loyalty[i, g]
                - cost
            ) + params.buycott_pull * favoured
            weight[g + 1, k] = utility
            top[k] = max(top[k], utility)
    for k in range(size):
        weight[0, k] = jit.exp(params.outside_utility - top[k])
    for g in range(1, n_firms + 1):
        for k in range(size):
            weight[g, k] = jit.exp(weight[g, k] - top[k])
    for g in range(n_firms):
        for k in range(size):  # a boycotted firm adds +0.0, as the reference's zero weight
            weight[g + 1, k] = weight[g, k] + weight[g + 1, k] * (not boycott[first + k, g])
    target = np.empty(size)
    for k in range(size):
        target[k] = jit.uniform(key, first + k, 0) * weight[n_firms, k]
    # The running sums do not decrease, so the first option whose sum exceeds the
    # target is the number of sums that do not; none exceeding means option 0.
    at_most = np.zeros(size, dtype=np.int64)
    for g in range(n_firms + 1):
        for k in range(size):
            at_most[k] += not weight[g, k] > target[k]
    for k in range(size):
        option = at_most[k] if at_most[k] <= n_firms else 0
        out[first + k] = option - 1
        counts[option] += 1


@njit(cache=True, nogil=True, parallel=True)
def choose_purchases(
    opinion, expectation, loyalty, boycott, buycott, price, seed, stream, t, params, out
):
    """Multinomial logit choice; the reference's rule (:func:`reference.choose_purchases`).

    Blocks of consumers run in parallel, each counting its buyers per firm in its own
    row; the weights exp(U − max U) use :func:`swarmsim.kernels.fmath.exp` as the
    reference does.
    """
    key = jit.key(seed, stream, t)
    n, n_firms = opinion.shape
    blocks = (n + _BLOCK - 1) // _BLOCK
    counts = np.zeros((blocks, n_firms + 1), dtype=np.int64)
    for block in prange(blocks):
        _choose_block(
            opinion, expectation, loyalty, boycott, buycott, price, key, params, out, block,
            counts[block],
        )  # fmt: skip
    return counts[:, 1:].sum(axis=0)



jit.forget_stale_cache(choose_purchases)  # before any call
