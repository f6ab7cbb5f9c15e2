"""Where the large state arrays start in memory: apart modulo 2**28 bytes.

A loop that stores to one array and loads from another at the same index can run
several times slower when the two arrays start a multiple of 2**28 bytes (256 MiB)
apart, or within a few cache lines of one: the CPU takes each load for one that may
depend on the store before it, and waits. Separate large allocations are mapped at
distances set by what was mapped and freed before, so in a process's later model runs
``opinion`` and ``loyalty`` can land exactly 256 MiB apart, and the experience phase
then takes several times as long. ``python -m swarmsim.lab.alias`` reproduces the
effect on the machine at hand; with plain allocation, two-thread runs at 10⁶ consumers
met it now and then, placed runs did not.

:func:`placed_empty` moves each array's start, within a slack it allocates on top,
until every column's start is at least :data:`CLEARANCE` bytes (modulo
:data:`ALIAS_PERIOD`) from the column starts of the arrays placed before it. Where an
array starts never changes a value, only the time. ``SWARMSIM_PLACEMENT=0`` in the
environment switches it off (plain ``np.empty``), to measure what it buys.
"""

from __future__ import annotations

import math
import os
from collections import deque

import numpy as np
from numpy.typing import DTypeLike, NDArray

ALIAS_PERIOD = 1 << 28
"""Bytes: array starts this far apart (or a multiple of it) alias each other."""

CLEARANCE = 1 << 14
"""Bytes kept, modulo :data:`ALIAS_PERIOD`, between any two column starts (16 KiB, four
times the distance at which the slowdown was seen to vanish)."""

_SLACK = 1 << 20
"""Bytes allocated beyond an array's own, within which its start may move (1 MiB of
address space; only the pages an array uses are ever touched)."""

_STEP = 4096 + 64
"""Bytes between the candidate starts: a page and a cache line, so starts stay 64-byte
aligned and move through every offset within a page."""

_PLACED_FROM = 1 << 16
"""Arrays smaller than this (64 KiB) are allocated as usual. Larger ones include the
experience kernel's scratch (128 kB a thread), which stores and loads beside the state
arrays in the same loops."""

_ENABLED = os.environ.get("SWARMSIM_PLACEMENT", "1") != "0"
"""Whether large arrays are placed (environment ``SWARMSIM_PLACEMENT``, default on)."""

_placed: deque[int] = deque(maxlen=512)
"""Column starts, modulo :data:`ALIAS_PERIOD`, of the arrays placed last."""


def placed_empty(shape: tuple[int, ...], dtype: DTypeLike) -> NDArray:
    """``np.empty(shape, dtype, order="F")``, started clear of the arrays placed before.

    Parameters
    ----------
    shape : tuple of int
        One or two dimensions; a 2-D array is column-major and each column's start is
        kept clear.
    dtype : numpy dtype

    Returns
    -------
    ndarray
        A column-major view into a buffer :data:`_SLACK` bytes larger, 64-byte aligned
        (below :data:`_PLACED_FROM` bytes, a plain ``np.empty``).
    """
    dtype = np.dtype(dtype)
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes < _PLACED_FROM or not _ENABLED:
        return np.empty(shape, dtype=dtype, order="F")
    raw = np.empty(nbytes + _SLACK + 64, dtype=np.uint8)
    column_bytes = shape[0] * dtype.itemsize
    columns = max(1, math.prod(shape[1:]))
    offsets = (-raw.ctypes.data) % 64 + _STEP * np.arange(_SLACK // _STEP)
    offset = int(offsets[_clearest(raw.ctypes.data + offsets, column_bytes, columns)])
    start = raw.ctypes.data + offset
    _placed.extend((start + c * column_bytes) % ALIAS_PERIOD for c in range(columns))
    return np.ndarray(shape, dtype=dtype, buffer=raw, offset=offset, order="F")


def _clearest(starts: NDArray[np.int64], column_bytes: int, columns: int) -> int:
    """Index of the first candidate start whose columns are all clear (else the clearest)."""
    if _distance(starts[:1], column_bytes, columns)[0] >= CLEARANCE:
        return 0  # the usual case: the buffer's own start is clear
    distance = _distance(starts, column_bytes, columns)
    clear = np.flatnonzero(distance >= CLEARANCE)
    return int(clear[0]) if clear.size else int(np.argmax(distance))


def _distance(starts: NDArray[np.int64], column_bytes: int, columns: int) -> NDArray[np.int64]:
    """Per candidate start, the least distance (mod 2**28) of its columns to any placed one."""
    if not _placed:
        return np.full(starts.shape[0], ALIAS_PERIOD)
    column_starts = starts[:, None] + column_bytes * np.arange(columns)[None, :]
    gap = (column_starts[:, :, None] - np.array(_placed)[None, None, :]) % ALIAS_PERIOD
    return np.minimum(gap, ALIAS_PERIOD - gap).min(axis=(1, 2))


def placed_full(shape: tuple[int, ...], value, dtype: DTypeLike) -> NDArray:
    """``np.full(shape, value, dtype, order="F")``, placed by :func:`placed_empty`."""
    array = placed_empty(shape, dtype)
    array.fill(value)
    return array


def placed_copy(values: NDArray) -> NDArray:
    """``values`` copied into an array placed by :func:`placed_empty`."""
    array = placed_empty(values.shape, values.dtype)
    array[...] = values
    return array
