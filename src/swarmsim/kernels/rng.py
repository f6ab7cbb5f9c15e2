"""Counter-based random numbers: every draw is a pure function of its counters.

A draw is ``uniform(seed, stream, t, a, b)``: a splitmix64-style hash of the run's
``seed``, the phase's ``stream`` (a stable 64-bit hash of its name), the step ``t`` and
two indices ``a`` and ``b`` (a consumer and a firm, or the two ends of an edge). Nothing
is stateful, so a draw does not depend on call order, thread count, Dask partitioning or
on what other phases drew. Two scenarios that differ in one parameter therefore share
their random numbers (common random numbers, as in Starsim): only the phases whose
*decisions* change see different outcomes.

The finaliser is splitmix64's (Steele, Lea & Flood 2014, "Fast splittable pseudorandom
number generators"); counters are folded in one at a time, each followed by a full mix.

The functions work on NumPy ``uint64`` scalars or arrays and broadcast. Compiled code
wraps the same source with ``njit``: :func:`fold` and :func:`to_unit` use only
operators that Numba compiles on ``uint64`` scalars (Numba wraps on overflow silently;
NumPy warns on scalar overflow unless inside ``np.errstate``, which Numba rejects, so
the ``errstate`` lives in the NumPy-only :func:`hash_counters`). A compiled kernel
folds ``seed, stream, t`` once per call and each draw's ``a, b`` in its loop, which
gives the same bits as :func:`uniform` (:mod:`swarmsim.kernels.jit`; tested in
``tests/kernels/test_parity.py``).
"""

from __future__ import annotations

import hashlib

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "FIRM_SLOTS",
    "fold",
    "hash_counters",
    "normal",
    "stable_hash",
    "to_unit",
    "triangular",
    "uniform",
]

FIRM_SLOTS = 64
"""Pair draws use b = other * FIRM_SLOTS + firm; the scenario allows at most 50 firms."""

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MUL1 = np.uint64(0xBF58476D1CE4E5B9)
_MUL2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_TO_UNIT = 2.0**-53


def stable_hash(name: str) -> int:
    """Return a 63-bit integer that identifies ``name`` on every platform and run.

    Python's built-in ``hash`` is salted per process, so BLAKE2b is used instead.

    Examples
    --------
    >>> stable_hash("phases.word_of_mouth") == stable_hash("phases.word_of_mouth")
    True
    """
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


def fold(h, counter):
    """Fold one counter into a running hash: splitmix64's finaliser of (h ^ counter) + golden.

    Parameters
    ----------
    h, counter : numpy.uint64 or ndarray of uint64
        The hash so far and the next counter (broadcasting). Multiplication wraps
        modulo 2^64; NumPy warns on scalar overflow, so call it within
        ``np.errstate(over="ignore")`` (as :func:`hash_counters` does) or from Numba.

    Returns
    -------
    numpy.uint64 or ndarray of uint64
    """
    z = (h ^ counter) + _GOLDEN
    z = (z ^ (z >> _S30)) * _MUL1
    z = (z ^ (z >> _S27)) * _MUL2
    return z ^ (z >> _S31)


def to_unit(h):
    """Map 64-bit hashes to [0, 1): the top 53 bits times 2^-53 (exact in float64)."""
    return (h >> _S11) * _TO_UNIT


def _u64(x: ArrayLike) -> NDArray[np.uint64]:
    return np.asarray(x).astype(np.uint64)


def hash_counters(seed: int, stream: int, t: ArrayLike, a: ArrayLike, b: ArrayLike):
    """Hash the five counters into uniformly distributed 64-bit words (broadcasting).

    The seed is the initial hash; 0, ``stream``, ``t``, ``a`` and ``b`` are folded in
    one after the other with :func:`fold` (folding 0 first mixes the seed alone).
    """
    with np.errstate(over="ignore"):
        h = _u64(seed)
        for counter in (0, stream, t, a, b):
            h = fold(h, _u64(counter))
    return h


def uniform(seed: int, stream: int, t: ArrayLike, a: ArrayLike, b: ArrayLike = 0):
    """Uniform draws in [0, 1) with 53 random bits, one per broadcast counter tuple.

    Parameters
    ----------
    seed : int
        Run seed, >= 0.
    stream : int
        Phase identity, from :func:`stable_hash`.
    t : int or ndarray of int
        Step index, >= 0 (initialisation draws use 0 with their own stream).
    a, b : int or ndarray of int
        Indices, >= 0: typically a consumer and a firm, or an edge's two ends.

    Returns
    -------
    ndarray of float64
        Values in [0, 1), shape of the broadcast counters.
    """
    return to_unit(hash_counters(seed, stream, t, a, b))


def normal(seed: int, stream: int, t: ArrayLike, a: ArrayLike, b: ArrayLike = 0):
    """Draw standard normals by Box–Muller from two counter-based uniforms.

    The two uniforms use ``b`` doubled and doubled-plus-one, so callers pass the same
    ``b`` they would pass to :func:`uniform` on a stream of their own.
    """
    b2 = _u64(b) * np.uint64(2)
    u1 = uniform(seed, stream, t, a, b2)
    u2 = uniform(seed, stream, t, a, b2 + np.uint64(1))
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)


def triangular(seed: int, stream: int, t: ArrayLike, a: ArrayLike, b: ArrayLike):
    """Symmetric triangular noise with mean 0 and variance 1, in [-√6, √6].

    Sum of two uniforms (counters ``b`` doubled and doubled plus one); uses only
    correctly rounded arithmetic, so the compiled twin
    (:func:`swarmsim.kernels.jit.triangular`) gives bit-identical values.
    """
    b2 = np.asarray(b, dtype=np.int64) * 2
    u1 = uniform(seed, stream, t, a, b2)
    u2 = uniform(seed, stream, t, a, b2 + 1)
    return (u1 + u2 - 1.0) * np.sqrt(6.0)
