"""Numba twin of :mod:`swarmsim.phases.boycott.reference`: same names, arguments and bits.

How the twins stay bit-identical: :mod:`swarmsim.kernels.jit`.
"""

from __future__ import annotations

import weakref

import numpy as np
from numba import njit, prange

from swarmsim.kernels import jit
from swarmsim.kernels.arrays import Flags, Floats, Ints
from swarmsim.phases.boycott.spec import BoycottParams

__all__ = ["boycott_update", "boycott_update_cached"]


@njit(cache=True, nogil=True, inline="always")
def _joins(i, f, boycotting_weight, neighbour_weight, threshold, pressure):
    """Test a non-boycotting consumer whose opinion allows joining: share >= θ(1 − p)."""
    share = boycotting_weight / neighbour_weight[i] if neighbour_weight[i] > 0.0 else 0.0
    return share >= threshold[i] * (1.0 - pressure[i, f])


@njit(cache=True, nogil=True, inline="always")
def _row_boycotting_weight(indptr, indices, boycott, weight, f, i):
    """Σ_j w_j b_jf over consumer i's neighbours, in CSR order from 0.0."""
    total = 0.0
    for e in range(indptr[i], indptr[i + 1]):
        if boycott[indices[e], f]:
            total += weight[indices[e]]
    return total


@njit(cache=True, nogil=True, parallel=True)
def boycott_update(
    indptr, indices, boycott, opinion, weight, neighbour_weight, threshold, pressure, gave_up,
    seed, stream, t, f, params, out,
):  # fmt: skip
    """One synchronous round of the threshold rule (:func:`reference.boycott_update`).

    Sums a consumer's boycotting neighbours only when the sum matters (it does not
    boycott, has not given up, and its opinion allows joining): i leaves if it boycotts
    and o > leave or it tires, joins if it does not, o <= join and the share reaches its
    threshold.
    """
    key = jit.key(seed, stream, t)
    joined = 0
    for i in prange(indptr.shape[0] - 1):
        if boycott[i, f]:
            tired = jit.uniform(key, i, f) < params.fatigue
            out[i] = not (opinion[i, f] > params.leave_opinion or tired)
            gave_up[i, f] |= tired
        elif opinion[i, f] <= params.join_opinion and not gave_up[i, f]:
            total = _row_boycotting_weight(indptr, indices, boycott, weight, f, i)
            out[i] = _joins(i, f, total, neighbour_weight, threshold, pressure)
            joined += out[i]
        else:
            out[i] = False
    return joined


@njit(cache=True, nogil=True)
def _sums_are_exact(weight):
    """Check that every sum of these weights is exact, whatever the order.

    True for non-negative integers with a total below 2^53: float64 adds them without
    rounding.
    """
    total = 0.0
    for w in weight:
        if w < 0.0 or w != np.floor(w):
            return False
        total += w
    return total < 2.0**53


@njit(cache=True, nogil=True, parallel=True)
def _changed(boycott, counted, f, parts):
    """List, ascending, the consumers whose state differs from ``counted``; update it.

    Two parallel passes over ``parts`` id ranges: count, then fill from each range's
    place in the total, stopping at the range's last change (the count pass is
    vectorised, the fill is not: with no change, a stalled cascade's common case,
    the call at 10⁵ takes 10 µs instead of 43, in a warm cache).
    """
    n = boycott.shape[0]
    counts = np.zeros(parts + 1, dtype=np.int64)
    for part in prange(parts):
        count = 0
        for i in jit.part_range(n, parts, part):
            count += boycott[i, f] != counted[i, f]
        counts[part + 1] = count
    counts = np.cumsum(counts)
    changed = np.empty(counts[parts], dtype=np.int64)
    for part in prange(parts):
        k, end = counts[part], counts[part + 1]
        for i in jit.part_range(n, parts, part):
            if k == end:  # the range's last change is listed (often: there was none)
                break
            if boycott[i, f] != counted[i, f]:
                counted[i, f] = boycott[i, f]
                changed[k] = i
                k += 1
    return changed


@njit(cache=True, nogil=True, parallel=True)
def _add_changes(indptr, indices, boycott, counted, weight, f, boycotting_weight, parts):
    """Add (join) or subtract (leave) each changed consumer's weight in its neighbours' sums.

    Brings ``counted`` up to date. In parallel over ``parts`` ranges of neighbour ids
    with about equal numbers of edges (rows are sorted, so each changed row's
    neighbours in a range are one run); no two threads write the same sum. Exact, in
    any order, only if :func:`_sums_are_exact`.
    """
    changed = _changed(boycott, counted, f, parts)
    bounds = jit.balanced_parts(indptr, parts, jit.CONSUMER_COST)
    for part in prange(parts):
        low, high = bounds[part], bounds[part + 1]
        for i in changed:
            delta = weight[i] if boycott[i, f] else -weight[i]
            end = jit.unsigned(indptr[i + 1])
            e = jit.unsigned(indptr[i] + np.searchsorted(indices[indptr[i] : indptr[i + 1]], low))
            while e < end and indices[e] < high:
                boycotting_weight[jit.unsigned(indices[e]), f] += delta
                e += jit.unsigned(1)


@njit(cache=True, nogil=True)
def _stale_rows(indptr, indices, boycott, counted, f, stale):
    """Return the rows whose boycotting weight is out of date, each once.

    These are the neighbours of every consumer whose state differs from ``counted``;
    ``counted`` is brought up to date. Rows are marked in ``stale`` (all False on entry;
    :func:`_refresh_rows` clears it).
    """
    n = indptr.shape[0] - 1
    rows = []
    for i in range(n):
        if boycott[i, f] != counted[i, f]:
            counted[i, f] = boycott[i, f]
            for e in range(indptr[i], indptr[i + 1]):
                j = indices[e]
                if not stale[j]:
                    stale[j] = True
                    rows.append(j)
    return np.array(rows, dtype=np.int64)


@njit(cache=True, nogil=True, parallel=True)
def _refresh_rows(indptr, indices, boycott, weight, f, rows, boycotting_weight, stale):
    for k in prange(rows.shape[0]):
        j = rows[k]
        boycotting_weight[j, f] = _row_boycotting_weight(indptr, indices, boycott, weight, f, j)
        stale[j] = False


@njit(cache=True, nogil=True, parallel=True)
def _apply_rule(
    boycott, opinion, boycotting_weight, neighbour_weight, threshold, pressure, gave_up, seed,
    stream, t, f, params, out,
):  # fmt: skip
    """Apply the threshold rule on cached sums to every consumer, branch-free (selects).

    Only boycotters can tire, so only they draw (the one branch; boycotters are few).
    Returns the number of consumers who joined.
    """
    key = jit.key(seed, stream, t)
    joined = 0
    for i in prange(boycott.shape[0]):
        was, o, given_up = boycott[i, f], opinion[i, f], gave_up[i, f]
        tired = False
        if was:
            tired = jit.uniform(key, i, f) < params.fatigue
        stays = (not o > params.leave_opinion) & (not tired)
        joins = (o <= params.join_opinion) & (not given_up) & _joins(
            i, f, boycotting_weight[i, f], neighbour_weight, threshold, pressure
        )
        out[i] = stays if was else joins
        gave_up[i, f] = given_up | (was & tired)
        joined += (not was) & joins
    return joined


_EXACT_WEIGHTS: dict[int, tuple[weakref.ref, bool]] = {}


def _weights_sum_exactly(weight: Floats) -> bool:
    """Return :func:`_sums_are_exact` for ``weight``, checked once per weight array.

    The array, like the cached sums built from it, must not change between calls.
    """
    known = _EXACT_WEIGHTS.get(id(weight))
    if known is None or known[0]() is not weight:
        known = _EXACT_WEIGHTS[id(weight)] = (weakref.ref(weight), bool(_sums_are_exact(weight)))
    return known[1]


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
    """Apply the threshold rule, caching neighbour sums (:func:`reference.boycott_update_cached`).

    Only the neighbourhoods of consumers whose boycott changed since the sums were
    counted are visited (the cascade's frontier: O(changes × degree) instead of
    O(edges)); the rule itself is then applied to every consumer, whose opinion may
    have moved. The sums stay equal to the reference's CSR-order sums: when all
    weights are integers (the default: 1 and ``alpha_weight`` 3), every sum is exact
    and each change just adds or subtracts its weight in its neighbours' sums;
    otherwise the rows of those neighbours are summed again, whole, in CSR order.
    ``weight`` must stay the same between calls that share the cached sums.
    """
    if _weights_sum_exactly(weight):
        parts = jit.thread_parts(boycott.shape[0])
        _add_changes(indptr, indices, boycott, counted, weight, f, boycotting_weight, parts)
    else:
        stale = jit.SCRATCH.get("stale", boycott.shape[0], np.bool_)
        rows = _stale_rows(indptr, indices, boycott, counted, f, stale)
        _refresh_rows(indptr, indices, boycott, weight, f, rows, boycotting_weight, stale)
    return _apply_rule(
        boycott, opinion, boycotting_weight, neighbour_weight, threshold, pressure, gave_up,
        seed, stream, t, f, params, out,
    )  # fmt: skip



jit.forget_stale_cache(boycott_update)  # before any call
