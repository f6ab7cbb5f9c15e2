"""Argument checks shared by the graph builders: each returns the checked value or raises.

Every failure is a :class:`~swarmsim.errors.GraphError` that names the argument, the
wanted range and the value received.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from swarmsim.errors import GraphError

MAX_N = 3_037_000_499
"""Largest node count for which the pair key ``u * n + v`` fits in int64
(floor(sqrt(2**63 - 1)))."""


def check_int(name: str, value: object, low: int, high: int | None = None, why: str = "") -> int:
    """Return ``value`` as an ``int`` after checking it is an integer in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise GraphError(f"{name} must be an integer, got {name}={value!r}")
    value = int(value)
    if value < low or (high is not None and value > high):
        wanted = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise GraphError(f"{name} must be {wanted}{why}, got {name}={value}")
    return value


def check_real(name: str, value: object, low: float, high: float) -> float:
    """Return ``value`` as a ``float`` after checking it is a number in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise GraphError(f"{name} must be a number, got {name}={value!r}")
    value = float(value)
    if not low <= value <= high:  # also rejects NaN
        raise GraphError(f"{name} must be in [{low}, {high}], got {name}={value}")
    return value


def check_seed(seed: object) -> int:
    """Return ``seed`` as an ``int`` after checking it is in ``[0, 2**63 - 1]``."""
    return check_int("seed", seed, 0, 2**63 - 1)


def as_counts(name: str, values: ArrayLike) -> NDArray[np.int64]:
    """Return a 1-D int64 copy of non-negative integers (block sizes, degrees)."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise GraphError(f"{name} must be a 1-D sequence of integers, got shape {array.shape}")
    if len(array) and not np.issubdtype(array.dtype, np.integer):
        raise GraphError(f"{name} must hold integers, got dtype {array.dtype}: {array[:5]}")
    array = array.astype(np.int64)
    negative = np.flatnonzero(array < 0)
    if len(negative):
        k = int(negative[0])
        raise GraphError(f"{name} must be >= 0, got {name}[{k}]={array[k]}")
    return array


def as_ids(name: str, values: ArrayLike) -> NDArray[np.int64]:
    """Return a 1-D int64 array of node ids (a view when already int64); values unchecked."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise GraphError(f"{name} must be a 1-D array of node ids, got shape {array.shape}")
    if len(array) == 0:
        return np.empty(0, dtype=np.int64)
    if not np.issubdtype(array.dtype, np.integer):
        raise GraphError(f"{name} must hold integer node ids, got dtype {array.dtype}")
    return array.astype(np.int64, copy=False)
