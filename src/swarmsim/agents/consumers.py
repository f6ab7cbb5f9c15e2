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
from swarmsim.state import StateArray

ORDINARY, MAVEN, ALPHA = 0, 1, 2
ROLE_NAMES = ("ordinary", "maven", "alpha")

_STREAMS = {
    name: rng.stable_hash(f"init.{name}")
    for name in ("competence", "threshold", "peer_trust", "alphas", "mavens", "activists")
}


BELIEFS = (
    StateArray(
        "opinion", np.float64, "firm", lambda spec: spec.initial_opinion,
        "opinion o of each firm, in [-1, 1]",
    ),
    StateArray(
        "expectation", np.float64, "firm", lambda spec: spec.initial_expectation,
        "expected quality q̂ of each firm, in [0, 1]",
    ),
)  # fmt: skip
"""The consumers' beliefs about each firm, which every phase reads."""


@dataclass
class ConsumerPopulation:
    """State of all consumers. Shapes: ``(n,)`` per consumer, ``(n, F)`` per firm.

    The traits below are drawn at set-up; every array in ``state`` (the beliefs and
    what the phases declare: ``people.boycott``, ``people.loyalty``, ...) is an
    attribute of the same name.
    """

    competence: NDArray[np.float64]  # information competence c, in [0, 1]
    role: NDArray[np.int8]  # ORDINARY, MAVEN or ALPHA
    weight: NDArray[np.float64]  # influence weight w, >= 1 (alpha_weight for alphas)
    threshold: NDArray[np.float64]  # boycott threshold θ, in [0, 1]
    peer_trust: NDArray[np.float64]  # trust τ in neighbours' messages, in [0, 1]
    state: tuple[StateArray, ...] = ()  # the declared arrays, set as attributes

    @property
    def n(self) -> int:
        """Number of consumers."""
        return self.competence.shape[0]

    def begin_step(self) -> None:
        """Refresh the arrays declared with ``start_of_step``: copies first, then clears."""
        for array in self.state:
            if array.start_of_step not in (None, "clear"):
                np.copyto(getattr(self, array.name), getattr(self, array.start_of_step))
        for array in self.state:
            if array.start_of_step == "clear":
                getattr(self, array.name).fill(array.fill)


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
    spec: ConsumerSpec,
    degree: NDArray[np.int64],
    n_firms: int,
    n_institutions: int,
    *,
    seed: int,
    state: tuple[StateArray, ...] = (),
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
    state : tuple of StateArray
        The phases' arrays (:data:`swarmsim.model.CONSUMER_STATE`), allocated with the
        beliefs (:data:`BELIEFS`) and set as attributes.
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

    people = ConsumerPopulation(
        competence=placed_copy(competence),
        role=role,
        weight=placed_copy(weight),
        threshold=placed_copy(_thresholds(spec, degree, uniforms)),
        peer_trust=placed_copy(draw_values(spec.peer_trust, uniforms("peer_trust"))),
        state=(*BELIEFS, *state),
    )
    shapes = {"consumer": (n,), "firm": (n, n_firms), "institution": (n, n_institutions)}
    for array in people.state:
        value = array.fill(spec) if callable(array.fill) else array.fill
        # Column-major: each firm's (institution's) column is contiguous, as kernels work
        # column by column; a strided column keeps LLVM from vectorising a loop over it.
        # Filled rather than lazily zeroed, so no page stays mapped to the zero page.
        setattr(people, array.name, _filled(shapes[array.per], value, array.dtype))
    return people


def _thresholds(spec: ConsumerSpec, degree, uniforms) -> NDArray[np.float64]:
    """Boycott thresholds θ from ``spec.threshold``, 0 for the activists.

    Activists are Granovetter's (1978) instigators: they join on their own outrage, with
    no boycotting neighbour, so a boycott can start without anyone seeding it. They are
    ``round(activists · n)`` consumers chosen by their own draws, so changing their
    share leaves every other threshold unchanged.
    """
    threshold = draw_values(spec.threshold, uniforms("threshold"))
    count = round(spec.activists * degree.shape[0])
    activists = pick(count, "random", degree, uniforms("activists"))
    threshold[activists] = 0.0
    return threshold


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
