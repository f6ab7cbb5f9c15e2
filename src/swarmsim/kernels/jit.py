"""Compiled building blocks shared by every phase's Numba twin.

The counter-based draws of :mod:`swarmsim.kernels.rng` and the exponential of
:mod:`swarmsim.kernels.fmath` compiled with ``njit``, and the helpers that the
parallel kernels share: unsigned indices, equal and work-balanced id ranges, and
per-thread work buffers. A phase's ``compiled.py`` calls them as ``jit.NAME``.

How the twins stay bit-identical to the NumPy references:

- **Random numbers** come from the same source: :func:`swarmsim.kernels.rng.fold` and
  :func:`~swarmsim.kernels.rng.to_unit` compiled here. A kernel folds ``seed, stream,
  t`` once per call (:func:`key`) and each draw's two counters in its loop
  (:func:`uniform`), so draw (i, f) is the same number whatever the loop order or
  thread count.
- **Arithmetic** is written operation for operation as in the reference (same
  association, no ``fastmath``, so LLVM neither reorders nor fuses into FMA); ``clip``
  is ``min(max(x, lo), hi)`` as in NumPy.
- **Sums over neighbours** run along each CSR row in order, starting from 0.0, which is
  what ``np.bincount`` does with its ``weights`` in input order.
- **exp**: NumPy's SIMD ``exp`` and the C library's differ in the last bit for some
  arguments, which would now and then flip a purchase; both backends call
  :func:`swarmsim.kernels.fmath.exp` instead.
- **Parallel loops** (``prange``) only where each iteration writes its own slots (one
  consumer, a block of consumers, a run of speakers or a range of listener ids); each
  float sum that feeds the results is added by one thread in CSR-row order; counts are
  integer sums, exact in any order. Ranges hold about equal work
  (:func:`balanced_parts`), since the hubs of a Barabási–Albert graph have the lowest
  ids.
- **Selects, not branches**: a pass over every consumer whose update depends on a draw
  or on the state computes the update for everyone and keeps it where it applies
  (``new if hit else old``); unpredictable branches cost more than the arithmetic, and
  without them LLVM vectorises the loop. The kept values are the reference's.

Compilation happens once per machine: every kernel has ``cache=True``. Numba keys a
module's cache on that module's file only, so each twin module ends with
:func:`forget_stale_cache`, which drops its cache when this file, ``rng.py`` or
``fmath.py`` changed (:mod:`swarmsim.kernels.cache_stamp`). With
``NUMBA_DISABLE_JIT=1`` everything runs as plain Python (slowly), for coverage.
"""

from __future__ import annotations

import math
import threading

import numpy as np
from numba import get_num_threads, njit

from swarmsim.kernels import cache_stamp, fmath, placement, rng

__all__ = [
    "CONSUMER_COST",
    "SCRATCH",
    "balanced_parts",
    "clip",
    "draw",
    "exp",
    "fold",
    "forget_stale_cache",
    "key",
    "part_range",
    "thread_parts",
    "triangular",
    "triangular_at",
    "uniform",
    "unsigned",
]

_SQRT6 = math.sqrt(6.0)  # correctly rounded, the same double as the reference's np.sqrt(6.0)

fold = njit(cache=True, nogil=True, inline="always")(rng.fold)
to_unit = njit(cache=True, nogil=True, inline="always")(rng.to_unit)
exp = njit(cache=True, nogil=True, inline="always")(fmath.exp)


@njit(cache=True, nogil=True, inline="always")
def key(seed, stream, t):
    """Fold seed, stream and t: the hash shared by all draws of one kernel call."""
    h = fold(np.uint64(seed), np.uint64(0))
    return fold(fold(h, np.uint64(stream)), np.uint64(t))


@njit(cache=True, nogil=True, inline="always")
def uniform(call_key, a, b):
    """``rng.uniform(seed, stream, t, a, b)`` for ``call_key = key(seed, stream, t)``."""
    return draw(fold(call_key, np.uint64(a)), b)


@njit(cache=True, nogil=True, inline="always")
def draw(row_key, b):
    """``rng.uniform(seed, stream, t, a, b)`` for ``row_key = fold(key(seed, stream, t), a)``."""
    return to_unit(fold(row_key, np.uint64(b)))


@njit(cache=True, nogil=True, inline="always")
def clip(x, low, high):
    """``np.clip`` for one value: min(max(x, low), high)."""
    return min(max(x, low), high)


@njit(cache=True, nogil=True, inline="always")
def unsigned(index):
    """Return ``index`` as unsigned, for indexing inside ``prange`` bodies.

    Unsigned indices spare Numba's negative-index wrap-around check, which otherwise
    stops LLVM from vectorising those loops.
    """
    return np.uint64(index)


@njit(cache=True, nogil=True, inline="always")
def part_range(n, parts, part):
    """Consumer ids of part ``part`` of ``parts`` equal ranges, as an unsigned range."""
    return range(unsigned(part * n // parts), unsigned((part + 1) * n // parts))


@njit(cache=True, nogil=True)
def triangular(seed, stream, t, a, b):
    """Symmetric triangular noise with mean 0 and variance 1, in [-√6, √6].

    The reference's rule for scalar counters ``a`` and ``b`` (integers >= 0): the sum of
    the uniforms with counters (a, 2b) and (a, 2b + 1), minus 1, times √6.
    """
    return triangular_at(key(seed, stream, t), a, b)


@njit(cache=True, nogil=True, inline="always")
def triangular_at(call_key, a, b):
    """:func:`triangular` for ``call_key = key(seed, stream, t)``."""
    return (uniform(call_key, a, 2 * b) + uniform(call_key, a, 2 * b + 1) - 1.0) * _SQRT6


@njit(cache=True, nogil=True)
def balanced_parts(offsets, parts, item_cost):
    """Cut items (speakers, or consumers) into ``parts`` runs of about equal work.

    ``offsets`` are the items' edge offsets (a speaker list's offsets, or ``indptr``);
    the work of a run is its edges plus ``item_cost`` (in edges, >= 0) per item. Hubs
    cluster among the first ids of a Barabási–Albert graph, so equal numbers of items
    would give one thread most of the edges, and equal edges the other thread most of
    the items. Returns the first item of each run and, last, the number of items;
    shape (parts + 1,).
    """
    items = offsets.shape[0] - 1
    total = offsets[items] + item_cost * items
    starts = np.empty(parts + 1, dtype=np.int64)
    for part in range(parts):
        goal = part * total // parts
        low, high = 0, items  # the first item whose work before it reaches the goal
        while low < high:
            middle = (low + high) // 2
            if offsets[middle] + item_cost * middle < goal:
                low = middle + 1
            else:
                high = middle
        starts[part] = low
    starts[parts] = items
    return starts


CONSUMER_COST = 4
"""A consumer's own work, in edges, when ranges of consumer ids are cut for threads
(message delivery and listening, boycott-weight updates)."""


def thread_parts(n: int) -> int:
    """Parts to cut n consumers into for a parallel pass: one per Numba thread, >= 1."""
    return min(get_num_threads(), max(n, 1))


class Scratch(threading.local):
    """Per-thread buffers reused across calls (fresh large arrays cost page faults).

    Placed apart from the state arrays (:mod:`swarmsim.kernels.placement`).

    Buffers that a kernel needs zeroed are left zeroed by it.
    """

    def __init__(self):
        self.buffers: dict[str, np.ndarray] = {}

    def get(self, name: str, size: int, dtype, most: int | None = None) -> np.ndarray:
        """Return the first ``size`` items of buffer ``name`` (zero when first made).

        A buffer that is too small is replaced by one of twice its size, at least
        ``size`` and at most ``most`` items (if given, >= ``size``), so a size that
        creeps up over a run (word of mouth's listener buffer, sized to each call's
        edges) costs few new buffers.
        """
        buffer = self.buffers.get(name)
        if buffer is None or buffer.shape[0] < size:  # filled: no page left on the zero page
            grown = size if buffer is None else max(size, 2 * buffer.shape[0])
            grown = grown if most is None else min(grown, most)
            buffer = self.buffers[name] = placement.placed_full((grown,), 0, dtype)
        return buffer[:size]


SCRATCH = Scratch()


def forget_stale_cache(kernel) -> bool:
    """Drop the Numba cache of ``kernel``'s module if the code compiled into it changed.

    Call it at the end of every module of compiled kernels, before any kernel runs:
    those kernels inline this module, :mod:`~swarmsim.kernels.rng` and
    :mod:`~swarmsim.kernels.fmath`, whose edits Numba's own cache does not notice.
    """
    return cache_stamp.forget_if_changed(kernel, __file__, rng.__file__, fmath.__file__)


forget_stale_cache(key)  # this module's own kernels inline rng and fmath
