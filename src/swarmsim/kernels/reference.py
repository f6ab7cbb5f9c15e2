"""Reference kernels in plain NumPy: the readable specification of every rule.

Conventions (shared with the compiled twins of issue 5): arrays first, then scalars,
then preallocated outputs; kernels return ``None`` unless they produce a small count.
Per-firm state is ``(n, F)``; a kernel that works on one firm takes column ``f``.
Every random draw is ``rng.uniform(seed, stream, t, a, b)`` with documented counters,
so the same draw comes out whatever else the step does.

Sums over neighbours run in CSR order (``np.bincount`` accumulates in input order), so
a sequential loop over each row gives bit-identical results.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from swarmsim.kernels import rng

__all__ = [
    "advertise",
    "boycott_update",
    "choose_purchases",
    "detect_misconduct",
    "experience",
    "word_of_mouth",
]

FIRM_SLOTS = 64
"""Edge draws use b = listener * FIRM_SLOTS + firm; the scenario allows at most 50 firms."""


def advertise(
    competence: NDArray[np.float64],
    peer_trust: NDArray[np.float64],
    opinion: NDArray[np.float64],
    expectation: NDArray[np.float64],
    u: NDArray[np.float64],
    reach: float,
    intensity: float,
    manipulation: float,
    quality: float,
    backfire: float,
) -> int:
    """Apply one firm's ads to the consumers they reach; return the number of contacts.

    A consumer is reached when ``u < reach``. The ad's weight ``s = (1 - τ)·a`` falls as
    peer trust τ rises. Persuasion (weight m) lifts the opinion of the less competent
    and backfires on the competent: Δo = s·m·((1 - c) - κ·c), and it inflates their
    expected quality: Δq̂ = s·m·(1 - c)·(1 - q̂). Informative ads (weight 1 - m) move
    opinion toward the quality signal 2q - 1 and expectation toward q.

    Parameters
    ----------
    competence, peer_trust : ndarray of float64, shape (n,)
        c and τ, in [0, 1].
    opinion, expectation : ndarray of float64, shape (n,)
        This firm's column of o (in [-1, 1]) and q̂ (in [0, 1]); updated in place.
    u : ndarray of float64, shape (n,)
        Reach draws, in [0, 1).
    reach, intensity, manipulation, quality : float
        Share reached per step, a, m and real quality q, each in [0, 1].
    backfire : float
        κ >= 0.
    """
    hit = u < reach
    c, o, e = competence[hit], opinion[hit], expectation[hit]
    s = (1.0 - peer_trust[hit]) * intensity
    m = manipulation
    persuasion = m * ((1.0 - c) - backfire * c)
    information = (1.0 - m) * ((2.0 * quality - 1.0) - o)
    opinion[hit] = np.clip(o + s * (persuasion + information), -1.0, 1.0)
    inflation = m * (1.0 - c) * (1.0 - e)
    correction = (1.0 - m) * (quality - e)
    expectation[hit] = np.clip(e + s * (inflation + correction), 0.0, 1.0)
    return int(np.count_nonzero(hit))


def choose_purchases(
    utility: NDArray[np.float64],
    boycott: NDArray[np.bool_],
    outside_utility: float,
    u: NDArray[np.float64],
    out: NDArray[np.int64],
) -> None:
    """Multinomial logit choice among non-boycotted firms and the outside option.

    P(f) = exp(U_f) / (exp(U_0) + Σ_{g not boycotted} exp(U_g)); the choice is the first
    option (outside, firm 0, firm 1, …) whose cumulative weight exceeds u·total.

    Parameters
    ----------
    utility : ndarray of float64, shape (n, F)
        U of each firm.
    boycott : ndarray of bool, shape (n, F)
        Boycotted firms get weight 0.
    outside_utility : float
        U_0 of buying nothing.
    u : ndarray of float64, shape (n,)
        Choice draws, in [0, 1).
    out : ndarray of int64, shape (n,)
        Receives the chosen firm, or -1 for the outside option.
    """
    n = utility.shape[0]
    options = np.empty((n, utility.shape[1] + 1))
    options[:, 0] = outside_utility
    options[:, 1:] = utility
    top = options.max(axis=1, keepdims=True)
    weights = np.exp(options - top)
    weights[:, 1:][boycott] = 0.0
    cumulative = np.cumsum(weights, axis=1)
    target = u * cumulative[:, -1]
    choice = np.argmax(cumulative > target[:, None], axis=1)
    out[:] = choice - 1


def experience(
    bought: NDArray[np.bool_],
    competence: NDArray[np.float64],
    opinion: NDArray[np.float64],
    expectation: NDArray[np.float64],
    quality_noise: NDArray[np.float64],
    answered: NDArray[np.bool_],
    quality: float,
    opinion_rate: float,
    expectation_rate: float,
    dialogue_damping: float,
    speak_threshold: float,
    speaking: NDArray[np.bool_],
) -> None:
    """Buyers compare experienced with expected quality (expectation–disconfirmation).

    Real experienced quality is x = clip(q + noise, 0, 1). What a buyer perceives is
    assimilated toward its expectation unless it is competent: x̃ = q̂ + c·(x − q̂)
    (assimilation–contrast: the less competent judge quality less well). The surprise
    x̃ − q̂ moves opinion by ``opinion_rate``·(x̃ − q̂); an answered complaint (negative
    surprise, ``answered``) keeps only (1 − dialogue_damping) of that drop; expectation
    moves toward x̃ by ``expectation_rate``. Buyers whose opinion moved more than
    ``speak_threshold`` speak in this step's word of mouth.

    Parameters
    ----------
    bought : ndarray of bool, shape (n,)
        Bought from this firm this step.
    competence : ndarray of float64, shape (n,)
        c, in [0, 1].
    opinion, expectation : ndarray of float64, shape (n,)
        This firm's columns; updated in place.
    quality_noise : ndarray of float64, shape (n,)
        Noise of experienced quality, quality units.
    answered : ndarray of bool, shape (n,)
        The firm would answer this consumer's complaint.
    speaking : ndarray of bool, shape (n,)
        This firm's speaker column; set (never cleared) in place.
    """
    e = expectation[bought]
    real = np.clip(quality + quality_noise[bought], 0.0, 1.0)
    experienced = e + competence[bought] * (real - e)
    change = opinion_rate * (experienced - e)
    damp = answered[bought] & (change < 0.0)
    change[damp] *= 1.0 - dialogue_damping
    old = opinion[bought]
    new = np.clip(old + change, -1.0, 1.0)
    opinion[bought] = new
    expectation[bought] = e + expectation_rate * (experienced - e)
    speaking[bought] |= np.abs(new - old) > speak_threshold


def detect_misconduct(
    competence: NDArray[np.float64],
    detection_factor: NDArray[np.float64],
    u: NDArray[np.float64],
    information_parity: float,
) -> NDArray[np.bool_]:
    """Who detects an exposed misconduct event: u < min(1, parity·c·factor).

    ``detection_factor`` is the maven factor for mavens and 1 for others.
    """
    return u < np.minimum(1.0, information_parity * competence * detection_factor)


def word_of_mouth(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int64],
    speaking: NDArray[np.bool_],
    opinion: NDArray[np.float64],
    talk_probability: NDArray[np.float64],
    weight: NDArray[np.float64],
    peer_trust: NDArray[np.float64],
    seed: int,
    stream: int,
    t: int,
    firm: int,
    learning_rate: float,
    speak_threshold: float,
    new_opinion: NDArray[np.float64],
    heard: NDArray[np.bool_],
) -> int:
    """One round of talk about one firm; return the number of messages delivered.

    A speaker i messages neighbour j when ``uniform(seed, stream, t, i, j*64+f)`` is below
    its talk probability. Listener j moves toward the weighted mean of the messages it
    received: o_j += α (Σ w_i o_i / Σ w_i − o_j), α = min(1, η τ_j Σ w_i). The update is
    a convex combination, so opinions stay in [-1, 1]. Listeners moved by more than
    ``speak_threshold`` are flagged in ``heard`` (they speak next step).

    Parameters
    ----------
    indptr, indices : ndarray of int64
        CSR graph; row j lists j's neighbours (the possible speakers to j).
    speaking : ndarray of bool, shape (n,)
        Speakers about this firm.
    opinion : ndarray of float64, shape (n,)
        Opinions before the round (read only).
    talk_probability : ndarray of float64, shape (n,)
        Per speaker, per edge, in [0, 1] (p_talk × maven factor × negativity bias).
    weight, peer_trust : ndarray of float64, shape (n,)
        w >= 1 of speakers, τ of listeners.
    new_opinion : ndarray of float64, shape (n,)
        Receives the opinions after the round.
    heard : ndarray of bool, shape (n,)
        Set where a listener moved by more than ``speak_threshold``.
    """
    n = indptr.shape[0] - 1
    listener = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    candidate = np.flatnonzero(speaking[indices])
    src, dst = indices[candidate], listener[candidate]
    draw = rng.uniform(seed, stream, t, src, dst * FIRM_SLOTS + firm)
    sent = draw < talk_probability[src]
    src, dst = src[sent], dst[sent]
    total_weight = np.bincount(dst, weights=weight[src], minlength=n)
    weighted_sum = np.bincount(dst, weights=weight[src] * opinion[src], minlength=n)
    new_opinion[:] = opinion
    got = total_weight > 0.0
    alpha = np.minimum(1.0, learning_rate * peer_trust[got] * total_weight[got])
    target = weighted_sum[got] / total_weight[got]
    new_opinion[got] = opinion[got] + alpha * (target - opinion[got])
    heard |= np.abs(new_opinion - opinion) > speak_threshold
    return int(src.shape[0])


def boycott_update(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int64],
    boycott: NDArray[np.bool_],
    opinion: NDArray[np.float64],
    weight: NDArray[np.float64],
    neighbour_weight: NDArray[np.float64],
    threshold: NDArray[np.float64],
    pressure: NDArray[np.float64],
    join_opinion: float,
    leave_opinion: float,
    out: NDArray[np.bool_],
) -> None:
    """One synchronous round of the threshold rule for one firm (Watts 2002, with weights).

    Consumer i joins when o_i <= join_opinion and the influence-weighted share of its
    neighbours boycotting, Σ_j w_j b_j / Σ_j w_j, reaches θ_i (1 - pressure_i); it leaves
    when o_i > leave_opinion. A consumer without neighbours has share 0.

    Parameters
    ----------
    boycott : ndarray of bool, shape (n,)
        State before the round (read only).
    neighbour_weight : ndarray of float64, shape (n,)
        Σ_j w_j over each consumer's neighbours.
    threshold, pressure : ndarray of float64, shape (n,)
        θ in [0, 1] and institutional pressure in [0, 1).
    out : ndarray of bool, shape (n,)
        Receives the state after the round.
    """
    n = indptr.shape[0] - 1
    listener = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    active = boycott[indices]
    boycotting_weight = np.bincount(listener[active], weights=weight[indices[active]], minlength=n)
    share = np.divide(
        boycotting_weight, neighbour_weight, out=np.zeros(n), where=neighbour_weight > 0.0
    )
    joins = (opinion <= join_opinion) & (share >= threshold * (1.0 - pressure))
    leaves = opinion > leave_opinion
    out[:] = np.where(boycott, ~leaves, joins)
