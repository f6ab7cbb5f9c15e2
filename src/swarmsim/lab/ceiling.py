"""What a second thread can gain on this machine: the ceiling of the model's speed-up.

Three loops, each timed with 1 and then 2 Numba threads in one process, on arrays far
larger than the last-level cache (in the full plan):

- **stream**: the STREAM triad ``a = b + s·c`` (McCalpin 1995), bound by memory
  bandwidth, the resource that the model's passes over whole per-firm columns share
  (experience, advertising, the boycott rule, the speakers' scan);
- **gather**: sums of ``values`` at random indices, bound by memory latency, as the
  neighbour sums of word of mouth and of the boycott rule are;
- **arithmetic**: a splitmix64 chain held in registers, bound by the cores alone, as
  the purchase kernel nearly is.

A phase bound by one of these resources cannot gain more from a second thread than
the resource does, so the bench reports these figures next to the model's speed-up.
The stream figure moves with what other tenants of the machine do to the memory bus.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from statistics import median

import numba
import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

__all__ = ["arithmetic", "gather", "measure", "triad"]

_MIX = np.uint64(0x94D049BB133111EB)  # splitmix64's second multiplier
_SHIFT = np.uint64(31)


@njit(cache=True, nogil=True, parallel=True)
def triad(a: NDArray[np.float64], b: NDArray[np.float64], c: NDArray[np.float64], s: float):
    """Set ``a = b + s·c`` in parallel (all shape (n,)); 24 bytes of traffic per item."""
    for i in prange(a.shape[0]):
        a[i] = b[i] + s * c[i]


@njit(cache=True, nogil=True, parallel=True)
def gather(values: NDArray[np.float64], index: NDArray[np.int64], parts: int) -> float:
    """Return Σ values[index[k]] over all k, summed in ``parts`` runs of k, in parallel.

    Each run's partial sum is added in k order, the partials in run order.
    """
    n = index.shape[0]
    partial = np.zeros(parts)
    for part in prange(parts):
        total = 0.0
        for k in range(part * n // parts, (part + 1) * n // parts):
            total += values[index[k]]
        partial[part] = total
    return partial.sum()


@njit(cache=True, nogil=True, parallel=True)
def arithmetic(parts: int, rounds: int) -> NDArray[np.uint64]:
    """Run ``parts`` independent splitmix64-style chains of ``rounds`` mixes each.

    Chain p starts at p + 1 and applies ``h ← (h ^ (h >> 31)) · M`` ``rounds`` times
    (wrapping modulo 2⁶⁴); returns the chains' ends, shape (parts,).
    """
    ends = np.zeros(parts, dtype=np.uint64)
    for part in prange(parts):
        h = np.uint64(part + 1)
        for _ in range(rounds):
            h = (h ^ (h >> _SHIFT)) * _MIX
        ends[part] = h
    return ends


def _median_seconds(call: Callable[[], object], repeats: int) -> float:
    call()  # first call: compile or load from the cache, fault the pages in
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return median(times)


def measure(size: int, repeats: int = 5) -> dict[str, dict[str, float | str]]:
    """Time the three loops with 1 and 2 threads; return rates and speed-ups.

    Parameters
    ----------
    size : int
        Items per array, >= 2 (2·10⁷ float64 is 160 MB per array, well past any cache).
    repeats : int
        Timed calls per figure (the median is kept), >= 1.

    Returns
    -------
    dict
        Per loop: ``unit``, ``1_thread`` and ``2_threads`` rates in that unit, and
        ``speedup`` (2-thread rate over 1-thread rate). The process must allow two
        Numba threads (``NUMBA_NUM_THREADS`` >= 2).
    """
    b, c = np.ones(size), np.full(size, 2.0)
    a = np.empty(size)
    index = np.random.default_rng(0).integers(0, size, size)
    rounds = 2 * max(size, 1000)
    loops = {  # name: (unit, work of one call with t threads in that unit, call with t threads)
        "stream": ("GB/s", lambda t: 24 * size / 1e9, lambda t: triad(a, b, c, 3.0)),
        "gather": ("M reads/s", lambda t: size / 1e6, lambda t: gather(b, index, t)),
        "arithmetic": ("G mixes/s", lambda t: t * rounds / 1e9, lambda t: arithmetic(t, rounds)),
    }
    return {name: _speedup(unit, work, call, repeats) for name, (unit, work, call) in loops.items()}


def _speedup(
    unit: str, work: Callable[[int], float], call: Callable[[int], object], repeats: int
) -> dict[str, float | str]:
    """Rates ``work(t) / time of call(t)`` for t = 1 and 2 threads, and their ratio."""
    rates = {}
    for threads in (1, 2):
        numba.set_num_threads(threads)
        rates[threads] = work(threads) / _median_seconds(lambda t=threads: call(t), repeats)
    return {
        "unit": unit,
        "1_thread": rates[1],
        "2_threads": rates[2],
        "speedup": rates[2] / rates[1],
    }
