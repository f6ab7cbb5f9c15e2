"""Consumers as a structure of arrays (one slot per consumer, no Agent objects).

N Mesa Agent objects do not scale to 10⁶ consumers, so the population is a dataclass
of NumPy arrays: 1-D arrays of length ``n`` for per-consumer traits and ``(n, F)``
arrays for per-firm beliefs. Every random initial value is a counter-based draw keyed
on the consumer's slot, so changing, say, the maven share leaves every consumer's
competence and threshold unchanged (common random numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
from numpy.typing import NDArray
from scipy import special

from swarmsim.kernels import rng
from swarmsim.kernels.placement import placed_copy, placed_empty
from swarmsim.scenario import (
    BetaDistribution,
    ConsumerSpec,
    FixedValue,
    NormalDistribution,
    RoleSpec,
    UniformDistribution,
)

ORDINARY, MAVEN, ALPHA = 0, 1, 2
ROLE_NAMES = ("ordinary", "maven", "alpha")

_STREAMS = {
    name: rng.stable_hash(f"init.{name}")
    for name in ("competence", "threshold", "peer_trust", "alphas", "mavens")
}


@dataclass(slots=True)
class ConsumerPopulation:
    """State of all consumers. Shapes: ``(n,)`` per consumer, ``(n, F)`` per firm."""

    competence: NDArray[np.float64]  # information competence c, in [0, 1]
    role: NDArray[np.int8]  # ORDINARY, MAVEN or ALPHA
    weight: NDArray[np.float64]  # influence weight w, >= 1 (alpha_weight for alphas)
    threshold: NDArray[np.float64]  # boycott threshold θ, in [0, 1]
    peer_trust: NDArray[np.float64]  # trust τ in neighbours' messages, in [0, 1]
    opinion: NDArray[np.float64]  # (n, F) opinion o of each firm, in [-1, 1]
    expectation: NDArray[np.float64]  # (n, F) expected quality q̂, in [0, 1]
    loyalty: NDArray[np.float64]  # (n, F) loyalty ℓ, in [0, 1]
    boycott: NDArray[np.bool_]  # (n, F) boycotting the firm
    purchase: NDArray[np.int64]  # firm bought from this step, -1 for none
    speaking: NDArray[np.bool_]  # (n, F) speaks about the firm in this step's word of mouth
    heard: NDArray[np.bool_]  # (n, F) moved by word of mouth last step: speaks this step
    detected: NDArray[np.bool_]  # (n, F) detected the firm's misconduct this step
    pressure: NDArray[np.float64]  # (n, F) institutional pressure on θ, in [0, 1)
    membership: NDArray[np.bool_]  # (n, I) member of institution k

    @property
    def n(self) -> int:
        """Number of consumers."""
        return self.competence.shape[0]

    def begin_step(self) -> None:
        """Clear the per-step flags; word-of-mouth listeners of last step become speakers."""
        np.copyto(self.speaking, self.heard)
        self.heard.fill(False)
        self.detected.fill(False)
        self.purchase.fill(-1)


def draw_values(spec, u: NDArray[np.float64]) -> NDArray[np.float64]:
    """Map uniforms ``u`` in [0, 1) to values of a scenario distribution, in [0, 1].

    Inverse-CDF sampling keeps one uniform per consumer, so the value of consumer i
    depends only on (seed, i) and the distribution's parameters.
    """
    match spec:
        case FixedValue(value=value):
            return np.full_like(u, value)
        case UniformDistribution(low=low, high=high):
            return low + (high - low) * u
        case NormalDistribution(mean=mean, sd=sd):
            quantile = _in_threads(special.ndtri, np.clip(u, 1e-12, 1 - 1e-12))
            return np.clip(mean + sd * quantile, 0.0, 1.0)
        case BetaDistribution(mean=mean, concentration=conc):
            return _in_threads(lambda x: special.betaincinv(mean * conc, (1.0 - mean) * conc, x), u)
    raise TypeError(f"unknown distribution {spec!r}")


_THREADED_FROM = 50_000
"""Arrays of at least this many items are split across threads (a quantile costs about
1 µs per item, and the first touch of fresh pages is slow enough to share)."""


def _on_chunks(function: Callable[[NDArray], Any], array: NDArray) -> list:
    """Call ``function`` on chunks of 1-D ``array`` on ``numba.get_num_threads()`` threads.

    Returns the results in chunk order (one chunk when single-threaded or small). The
    functions used here (SciPy's special functions, ``ndarray.fill``) release the GIL,
    so the chunks run in parallel.
    """
    threads = numba.get_num_threads()
    if threads == 1 or array.shape[0] < _THREADED_FROM:
        return [function(array)]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(function, np.array_split(array, threads)))


def _in_threads(ufunc: Callable[[NDArray], NDArray], u: NDArray[np.float64]) -> NDArray:
    """Apply an elementwise function to ``u`` in chunks on threads (:func:`_on_chunks`).

    Each item is computed as in one call, so the result does not depend on the threads.
    """
    chunks = _on_chunks(ufunc, u)
    return chunks[0] if len(chunks) == 1 else np.concatenate(chunks)


def _filled(shape: tuple[int, ...], value, dtype) -> NDArray:
    """``np.full(shape, value, dtype, order="F")``, placed and filled in chunks on threads.

    Placed by :func:`swarmsim.kernels.placement.placed_empty`, apart from the other state
    arrays. The chunks' first touches of fresh pages overlap, so large arrays fill
    faster on several threads.
    """
    array = placed_empty(shape, dtype)
    _on_chunks(lambda chunk: chunk.fill(value), array.reshape(-1, order="F"))  # a view
    return array


def competence_mean(information_parity: float) -> float:
    """Mean competence for an information parity in [0, 1]: 0.1 + 0.8·parity."""
    return 0.1 + 0.8 * information_parity


def build_population(
    spec: ConsumerSpec, degree: NDArray[np.int64], n_firms: int, n_institutions: int, *, seed: int
) -> ConsumerPopulation:
    """Draw a population of ``len(degree)`` consumers from ``spec``.

    Parameters
    ----------
    spec : ConsumerSpec
        The scenario's consumer section.
    degree : ndarray of int64, shape (n,)
        Graph degree of each consumer (for roles chosen by degree).
    n_firms, n_institutions : int
        Sizes of the per-firm and membership columns.
    seed : int
        Run seed.
    """
    n = degree.shape[0]
    slots = np.arange(n, dtype=np.int64)

    def uniforms(name: str) -> NDArray[np.float64]:
        return rng.uniform(seed, _STREAMS[name], 0, slots)

    mean = competence_mean(spec.information_parity)
    competence = draw_values(
        BetaDistribution(kind="beta", mean=mean, concentration=spec.competence_concentration),
        uniforms("competence"),
    )
    role = assign_roles(spec.alphas, spec.mavens, degree, uniforms("alphas"), uniforms("mavens"))
    weight = np.where(role == ALPHA, spec.alpha_weight, 1.0)

    def columns(width, value, dtype=np.float64):
        # Column-major: each firm's (institution's) column is contiguous, as kernels work
        # column by column; a strided column keeps LLVM from vectorising a loop over it.
        # Filled rather than lazily zeroed, so no page stays mapped to the zero page.
        return _filled((n, width), value, dtype)

    def per_firm(value, dtype=np.float64):
        return columns(n_firms, value, dtype)

    return ConsumerPopulation(
        competence=placed_copy(competence),
        role=role,
        weight=placed_copy(weight),
        threshold=placed_copy(draw_values(spec.threshold, uniforms("threshold"))),
        peer_trust=placed_copy(draw_values(spec.peer_trust, uniforms("peer_trust"))),
        opinion=per_firm(spec.initial_opinion),
        expectation=per_firm(spec.initial_expectation),
        loyalty=per_firm(0.0),
        boycott=per_firm(False, np.bool_),
        purchase=_filled((n,), -1, np.int64),
        speaking=per_firm(False, np.bool_),
        heard=per_firm(False, np.bool_),
        detected=per_firm(False, np.bool_),
        pressure=per_firm(0.0),
        membership=columns(n_institutions, False, np.bool_),
    )


def pick(
    count: int, by: str, degree: NDArray[np.int64], u: NDArray[np.float64], eligible=None
) -> NDArray[np.int64]:
    """Choose ``count`` consumers at random or by highest degree (ties broken at random).

    Parameters
    ----------
    count : int
        How many, clipped to the number of eligible consumers.
    by : {"random", "degree"}
    degree : ndarray of int64, shape (n,)
    u : ndarray of float64, shape (n,)
        One uniform per consumer: the random order and the tie-breaker.
    eligible : ndarray of bool, shape (n,), optional
        Consumers that may be chosen (default: all).
    """
    candidates = np.flatnonzero(eligible) if eligible is not None else np.arange(degree.shape[0])
    count = min(count, candidates.shape[0])
    if by != "degree" or count == 0:
        return _lowest_u(candidates, u, count)
    d = degree[candidates]
    cut = np.partition(d, d.shape[0] - count)[d.shape[0] - count]  # count-th highest degree
    sure = candidates[d > cut]
    tied = _lowest_u(candidates[d == cut], u, count - sure.shape[0])
    return np.sort(np.concatenate([sure, tied]))


def _lowest_u(candidates: NDArray[np.int64], u: NDArray[np.float64], count: int) -> NDArray:
    """Choose the ``count`` ``candidates`` (ascending ids) with the smallest u; ties: lower id.

    The same choice as a stable sort by u, found in linear time; returned ascending.
    """
    if count >= candidates.shape[0]:
        return candidates
    if count == 0:
        return candidates[:0]
    values = u[candidates]
    cut = np.partition(values, count - 1)[count - 1]
    below = candidates[values < cut]
    at = candidates[values == cut]
    return np.sort(np.concatenate([below, at[: count - below.shape[0]]]))


def assign_roles(
    alphas: RoleSpec,
    mavens: RoleSpec,
    degree: NDArray[np.int64],
    u_alpha: NDArray[np.float64],
    u_maven: NDArray[np.float64],
) -> NDArray[np.int8]:
    """Alphas first, then mavens among the rest; ``round(share * n)`` of each."""
    n = degree.shape[0]
    role = np.full(n, ORDINARY, dtype=np.int8)
    role[pick(round(alphas.share * n), alphas.by, degree, u_alpha)] = ALPHA
    role[pick(round(mavens.share * n), mavens.by, degree, u_maven, role == ORDINARY)] = MAVEN
    return role
