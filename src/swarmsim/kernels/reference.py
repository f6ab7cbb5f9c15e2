"""Reference kernels in plain NumPy: the readable specification of every rule.

Conventions, shared with the compiled twins in ``compiled.py``:

- arrays first, then ``seed, stream, t`` and the firm index ``f``, then a parameter
  tuple (``params.py``), then preallocated outputs;
- per-firm state is ``(n, F)`` and a kernel updates column ``f`` in place;
- kernels draw their own random numbers with ``rng.uniform(seed, stream, t, a, b)``
  using the counters named in each docstring, so a draw never depends on evaluation
  order, thread count or on what another phase drew;
- sums over neighbours run in CSR order (``np.bincount`` accumulates in input order),
  so a sequential loop over each row gives bit-identical results.

Kernels return ``None`` or a small count.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from swarmsim.graphs import row_ids
from swarmsim.kernels import fmath, rng
from swarmsim.kernels.params import (
    AdvertisingParams,
    BoycottParams,
    CampaignParams,
    ExperienceParams,
    ExposureParams,
    PurchaseParams,
    WordOfMouthParams,
)

__all__ = [
    "FIRM_SLOTS",
    "advertise",
    "boycott_update",
    "boycott_update_cached",
    "campaign",
    "campaign_pressure",
    "choose_purchases",
    "detect_misconduct",
    "experience",
    "independent_cascade",
    "negative_members",
    "word_of_mouth",
]

FIRM_SLOTS = 64
"""Pair draws use b = other * FIRM_SLOTS + firm; the scenario allows at most 50 firms."""

Floats = NDArray[np.float64]
Flags = NDArray[np.bool_]
Ints = NDArray[np.int64]


def triangular(seed: int, stream: int, t: int, a, b) -> Floats:
    """Symmetric triangular noise with mean 0 and variance 1, in [-√6, √6].

    Sum of two uniforms (counters ``b`` doubled and doubled plus one); uses only
    correctly rounded arithmetic, so the compiled twin gives bit-identical values.
    """
    b2 = np.asarray(b, dtype=np.int64) * 2
    u1 = rng.uniform(seed, stream, t, a, b2)
    u2 = rng.uniform(seed, stream, t, a, b2 + 1)
    return (u1 + u2 - 1.0) * np.sqrt(6.0)


def advertise(
    competence: Floats,
    peer_trust: Floats,
    opinion: Floats,
    expectation: Floats,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: AdvertisingParams,
) -> int:
    """Apply firm ``f``'s ads to the consumers they reach; return the number of contacts.

    Consumer i is reached when ``uniform(seed, stream, t, i, f) < reach``. The ad's
    weight s = (1 − τ_i)·a falls as peer trust τ rises. Persuasion (weight m) lifts the
    opinion of the less competent and backfires on the competent,
    Δo = s·m·((1 − c) − κ·c), and inflates their expected quality, Δq̂ = s·m·(1 − c)(1 − q̂).
    Informative ads (weight 1 − m) move opinion toward the quality signal 2q − 1 and
    expectation toward q. Results are clipped to o ∈ [−1, 1], q̂ ∈ [0, 1].

    Parameters
    ----------
    competence, peer_trust : ndarray of float64, shape (n,)
        c and τ, in [0, 1].
    opinion, expectation : ndarray of float64, shape (n, F)
        o and q̂; column ``f`` is updated in place.
    params : AdvertisingParams
        reach, intensity a, manipulation m, quality q (each in [0, 1]), backfire κ >= 0.
    """
    n = competence.shape[0]
    hit = np.flatnonzero(rng.uniform(seed, stream, t, np.arange(n), f) < params.reach)
    c, o, e = competence[hit], opinion[hit, f], expectation[hit, f]
    s = (1.0 - peer_trust[hit]) * params.intensity
    m, q = params.manipulation, params.quality
    persuasion = m * ((1.0 - c) - params.backfire * c)
    information = (1.0 - m) * ((2.0 * q - 1.0) - o)
    opinion[hit, f] = np.clip(o + s * (persuasion + information), -1.0, 1.0)
    inflation = m * (1.0 - c) * (1.0 - e)
    correction = (1.0 - m) * (q - e)
    expectation[hit, f] = np.clip(e + s * (inflation + correction), 0.0, 1.0)
    return int(hit.shape[0])


def choose_purchases(
    opinion: Floats,
    expectation: Floats,
    loyalty: Floats,
    boycott: Flags,
    price: Floats,
    seed: int,
    stream: int,
    t: int,
    params: PurchaseParams,
    out: Ints,
) -> Ints:
    """Multinomial logit choice among non-boycotted firms and the outside option.

    U_if = β_o·o_if + β_q·q̂_if + β_ℓ·ℓ_if − β_p·price_f and U_0 = outside_utility;
    P(f) = exp(U_f) / (exp(U_0) + Σ_{g not boycotted} exp(U_g)). With weights
    w = exp(U − max U), the choice is the first option (outside, firm 0, firm 1, …)
    whose running sum of weights exceeds u·Σw, u = ``uniform(seed, stream, t, i, 0)``.
    The exponential is :func:`swarmsim.kernels.fmath.exp`, which the compiled twin
    shares bit for bit (NumPy's own ``np.exp`` differs from the C library's in the
    last bit for some arguments).

    Parameters
    ----------
    opinion, expectation, loyalty : ndarray of float64, shape (n, F)
    boycott : ndarray of bool, shape (n, F)
        Boycotted firms get weight 0.
    price : ndarray of float64, shape (F,)
        Currency per unit.
    out : ndarray of int64, shape (n,)
        Receives the chosen firm, or −1 for the outside option.

    Returns
    -------
    ndarray of int64, shape (F,)
        Buyers of each firm (its sales, units).
    """
    n, n_firms = opinion.shape
    options = np.empty((n, n_firms + 1))
    options[:, 0] = params.outside_utility
    options[:, 1:] = (
        params.beta_opinion * opinion
        + params.beta_quality * expectation
        + params.beta_loyalty * loyalty
        - params.beta_price * price
    )
    top = options.max(axis=1, keepdims=True)
    weights = fmath.exp(options - top)
    weights[:, 1:][boycott] = 0.0
    cumulative = np.cumsum(weights, axis=1)
    target = rng.uniform(seed, stream, t, np.arange(n), 0) * cumulative[:, -1]
    out[:] = np.argmax(cumulative > target[:, None], axis=1) - 1
    return np.bincount(out + 1, minlength=n_firms + 1)[1:]


def experience(
    purchase: Ints,
    competence: Floats,
    opinion: Floats,
    expectation: Floats,
    loyalty: Floats,
    speaking: Flags,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: ExperienceParams,
) -> None:
    """Buyers of firm ``f`` compare perceived with expected quality; loyalty and learning.

    First every consumer's opinion of ``f`` fades: o ← o·(1 − opinion_decay). Then,
    for each buyer i (``purchase[i] == f``):

    - real experienced quality x = clip(q + noise_sd·ξ, 0, 1), ξ triangular with unit
      variance (counters i, 2f and 2f+1);
    - perception is assimilated toward the expectation unless competent:
      x̃ = q̂ + c·(x − q̂) (assimilation–contrast);
    - opinion moves by opinion_rate·(x̃ − q̂); a complaint (negative change) answered by
      the firm, ``uniform(seed, stream+1, t, i, f) < dialogue``, keeps only
      (1 − dialogue_damping) of the drop; expectation moves toward x̃ by
      expectation_rate; a buyer whose opinion moved more than speak_threshold speaks;
    - loyalty rises by loyalty_gain·(1 − ℓ), plus cocreation_gain·(1 − ℓ) when invited
      to co-create, ``uniform(seed, stream+2, t, i, f) < cocreation``;
    - competence rises by education·(1 − c).

    Non-buyers' loyalty to ``f`` decays by loyalty_decay. ``dialogue``, ``cocreation``
    and ``education`` in ``params`` are already scaled by the firm's 1 − m.

    Parameters
    ----------
    purchase : ndarray of int64, shape (n,)
        Firm bought this step, −1 for none.
    competence : ndarray of float64, shape (n,)
        Updated in place for buyers (education).
    opinion, expectation, loyalty : ndarray of float64, shape (n, F)
        Column ``f`` updated in place (every consumer's opinion fades; the rest
        changes for buyers, and loyalty for non-buyers).
    speaking : ndarray of bool, shape (n, F)
        Column ``f`` set (never cleared) for buyers who speak.
    """
    n = purchase.shape[0]
    opinion[:, f] *= 1.0 - params.opinion_decay
    buyers = np.flatnonzero(purchase == f)
    others = np.ones(n, dtype=np.bool_)
    others[buyers] = False
    loyalty[others, f] *= 1.0 - params.loyalty_decay
    if buyers.shape[0] == 0:
        return
    noise = params.quality_noise * triangular(seed, stream, t, buyers, f)
    real = np.clip(params.quality + noise, 0.0, 1.0)
    e = expectation[buyers, f]
    c = competence[buyers]
    perceived = e + c * (real - e)
    change = params.opinion_rate * (perceived - e)
    answered = rng.uniform(seed, stream + 1, t, buyers, f) < params.dialogue
    damp = answered & (change < 0.0)
    change[damp] *= 1.0 - params.dialogue_damping
    old = opinion[buyers, f]
    new = np.clip(old + change, -1.0, 1.0)
    opinion[buyers, f] = new
    expectation[buyers, f] = e + params.expectation_rate * (perceived - e)
    speaking[buyers, f] |= np.abs(new - old) > params.speak_threshold
    ell = loyalty[buyers, f]
    ell = ell + params.loyalty_gain * (1.0 - ell)
    invited = rng.uniform(seed, stream + 2, t, buyers, f) < params.cocreation
    ell[invited] += params.cocreation_gain * (1.0 - ell[invited])
    loyalty[buyers, f] = ell
    competence[buyers] = c + params.education * (1.0 - c)


def detect_misconduct(
    competence: Floats,
    detection_factor: Floats,
    opinion: Floats,
    speaking: Flags,
    detected: Flags,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: ExposureParams,
) -> int:
    """Who detects firm ``f``'s exposed misconduct; shock detectors; return their count.

    Consumer i detects when ``uniform(seed, stream, t, i, f) < min(1, parity·c_i·factor_i)``
    (factor = maven_detection_factor for mavens, else 1). A detector's opinion drops by
    ``opinion_shock`` (floored at −1) whatever its loyalty, and it speaks.

    Parameters
    ----------
    detection_factor : ndarray of float64, shape (n,)
        >= 1.
    opinion : ndarray of float64, shape (n, F)
        Column ``f`` updated in place.
    speaking, detected : ndarray of bool, shape (n, F)
        Column ``f`` set for detectors.
    """
    n = competence.shape[0]
    chance = np.minimum(1.0, params.information_parity * competence * detection_factor)
    who = np.flatnonzero(rng.uniform(seed, stream, t, np.arange(n), f) < chance)
    opinion[who, f] = np.maximum(-1.0, opinion[who, f] - params.opinion_shock)
    speaking[who, f] = True
    detected[who, f] = True
    return int(who.shape[0])


def word_of_mouth(
    indptr: Ints,
    indices: Ints,
    speaking: Flags,
    opinion: Floats,
    talk_factor: Floats,
    weight: Floats,
    peer_trust: Floats,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: WordOfMouthParams,
    heard: Flags,
) -> int:
    """One round of talk about firm ``f``; return the number of messages delivered.

    Speaker i messages neighbour j when ``uniform(seed, stream, t, i, j·64 + f)`` is below
    its talk probability min(1, p_talk·talk_factor_i·(λ if o_if < 0 else 1)). Listener j
    moves toward the weighted mean of the messages it received,
    o_j ← o_j + α (Σ w_i o_i / Σ w_i − o_j) with α = min(1, η τ_j Σ w_i) — a convex
    combination, so opinions stay in [−1, 1]. The round is synchronous: every speaker
    speaks with its opinion from before the round. Each listener sums its messages in
    the order of its CSR row. Listeners moved by more than speak_threshold are flagged
    in ``heard`` (they speak next step).

    Parameters
    ----------
    indptr, indices : ndarray of int64, and of int32 or int64
        CSR graph; row j lists j's neighbours (the possible speakers to j).
    speaking : ndarray of bool, shape (n, F)
        Speakers (column ``f`` is read).
    opinion : ndarray of float64, shape (n, F)
        Opinions; column ``f`` is updated in place.
    talk_factor : ndarray of float64, shape (n,)
        maven_talk_factor for mavens, else 1.
    weight, peer_trust : ndarray of float64, shape (n,)
        Influence weight w >= 1 of speakers, trust τ of listeners.
    heard : ndarray of bool, shape (n, F)
        Column ``f`` set where a listener moved by more than speak_threshold.
    """
    n = indptr.shape[0] - 1
    o = opinion[:, f]
    listener = row_ids(indptr)
    candidate = np.flatnonzero(speaking[indices, f])
    src, dst = indices[candidate], listener[candidate]
    bias = np.where(o[src] < 0.0, params.negativity_bias, 1.0)
    chance = np.minimum(1.0, params.p_talk * talk_factor[src] * bias)
    sent = rng.uniform(seed, stream, t, src, dst * FIRM_SLOTS + f) < chance
    src, dst = src[sent], dst[sent]
    total_weight = np.bincount(dst, weights=weight[src], minlength=n)
    weighted_sum = np.bincount(dst, weights=weight[src] * o[src], minlength=n)
    got = np.flatnonzero(total_weight > 0.0)
    alpha = np.minimum(1.0, params.learning_rate * peer_trust[got] * total_weight[got])
    target = weighted_sum[got] / total_weight[got]
    old = o[got]
    new = old + alpha * (target - old)
    heard[got[np.abs(new - old) > params.speak_threshold], f] = True
    opinion[got, f] = new
    return int(src.shape[0])


def independent_cascade(
    indptr: Ints,
    indices: Ints,
    seeds: Ints,
    chance: float,
    seed: int,
    stream: int,
    f: int,
    first_step: int,
    active: Flags,
) -> int:
    """Run an independent cascade on its frontier alone; return its number of rounds.

    Round r = 0, 1, ... is step ``t = first_step + r``: every node activated in the
    previous round (the seeds in round 0) tries each inactive neighbour once, with
    success when ``uniform(seed, stream, t, i, j·64 + f) < chance`` — the draw
    :func:`word_of_mouth` makes for speaker i and listener j. With the scenario of
    ``swarmsim.benchmarks.cases.independent_cascade`` (talk probability ``chance`` on
    every edge, one message turns a listener, who then speaks once) word of mouth
    activates exactly these consumers, round r in model step ``first_step + r``.

    Parameters
    ----------
    seeds : ndarray of int64
        Initially active nodes (repeats allowed).
    chance : float
        Activation probability per edge, in [0, 1].
    first_step : int
        Model step of the seeds' round, >= 0.
    active : ndarray of bool, shape (n,)
        Set, in place, for the seeds and every node they activate.
    """
    frontier = np.unique(seeds[~active[seeds]])
    active[frontier] = True
    rounds = 0
    while frontier.shape[0] > 0:
        starts, lengths = indptr[frontier], indptr[frontier + 1] - indptr[frontier]
        speaker = np.repeat(frontier, lengths)
        first_slot = np.cumsum(lengths) - lengths
        slot = np.repeat(starts - first_slot, lengths) + np.arange(speaker.shape[0])
        listener = indices[slot].astype(np.int64)  # listener·64 overflows int32
        tries = ~active[listener]
        speaker, listener = speaker[tries], listener[tries]
        t = first_step + rounds
        hit = rng.uniform(seed, stream, t, speaker, listener * FIRM_SLOTS + f) < chance
        frontier = np.unique(listener[hit])
        active[frontier] = True
        rounds += 1
    return rounds


def campaign(
    members: Ints,
    is_member: Flags,
    opinion: Floats,
    boycott: Flags,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: CampaignParams,
) -> int:
    """One step of an institution's campaign against firm ``f``; return new signers.

    Petition: each member with negative opinion who does not yet boycott f signs with
    probability petition_rate,
    ``uniform(seed, stream, t, i, key) < petition_rate``, and boycotts f at once. Call:
    members, and non-members with ``uniform(seed, stream+1, t, i, key) < reach``, move
    their opinion toward −1 by credibility·call_strength. ``key`` = institution·64 + f.

    Parameters
    ----------
    members : ndarray of int64
        Sorted member slots.
    is_member : ndarray of bool, shape (n,)
    opinion : ndarray of float64, shape (n, F)
        Column ``f`` updated in place.
    boycott : ndarray of bool, shape (n, F)
        Column ``f`` set for signers.
    """
    n = is_member.shape[0]
    key = params.key
    negative = members[(opinion[members, f] < 0.0) & ~boycott[members, f]]
    signs = negative[rng.uniform(seed, stream, t, negative, key) < params.petition_rate]
    boycott[signs, f] = True
    reached = rng.uniform(seed, stream + 1, t, np.arange(n), key) < params.reach
    reached |= is_member
    o = opinion[reached, f]
    opinion[reached, f] = o + params.call_step * (-1.0 - o)
    return int(signs.shape[0])


def campaign_pressure(membership: Flags, relief: Floats, f: int, pressure: Floats) -> None:
    """Set the campaigns' pressure on consumers' boycott thresholds against firm ``f``.

    pressure_i = 1 − Π_k relief_k over the institutions k that consumer i belongs to,
    the product taken from 1.0 in institution order. ``relief[k]`` is
    1 − credibility_k while institution k campaigns against ``f``, else 1.0 (a factor
    that changes nothing, so it is skipped).

    Parameters
    ----------
    membership : ndarray of bool, shape (n, I)
    relief : ndarray of float64, shape (I,)
        Values in [0, 1].
    f : int
        Firm index.
    pressure : ndarray of float64, shape (n, F)
        Column ``f`` overwritten, values in [0, 1].
    """
    product = np.ones(membership.shape[0])
    for k in np.flatnonzero(relief != 1.0):
        product[membership[:, k]] *= relief[k]
    np.subtract(1.0, product, out=pressure[:, f])


def negative_members(members: Ints, opinion: Floats, f: int) -> int:
    """Count the members whose opinion of firm ``f`` is negative (o < 0).

    Parameters
    ----------
    members : ndarray of int64, shape (k,)
        Consumer ids, each in [0, n).
    opinion : ndarray of float64, shape (n, F)
    """
    return int(np.count_nonzero(opinion[members, f] < 0.0))


def boycott_update(
    indptr: Ints,
    indices: Ints,
    boycott: Flags,
    opinion: Floats,
    weight: Floats,
    neighbour_weight: Floats,
    threshold: Floats,
    pressure: Floats,
    f: int,
    params: BoycottParams,
    out: Flags,
) -> int:
    """One synchronous round of the threshold rule for firm ``f``; return the joiners.

    Watts (2002), weighted.

    Consumer i joins when o_if <= join_opinion and the influence-weighted share of its
    neighbours boycotting f, Σ_j w_j b_jf / Σ_j w_j, reaches θ_i·(1 − pressure_if); it
    leaves when o_if > leave_opinion. A consumer without neighbours has share 0.

    Parameters
    ----------
    boycott : ndarray of bool, shape (n, F)
        State before the round (read only).
    opinion, pressure : ndarray of float64, shape (n, F)
    neighbour_weight : ndarray of float64, shape (n,)
        Σ_j w_j over each consumer's neighbours.
    threshold : ndarray of float64, shape (n,)
        θ in [0, 1].
    out : ndarray of bool, shape (n,)
        Receives column ``f`` after the round.

    Returns
    -------
    int
        Consumers who joined: not boycotting ``f`` before the round, boycotting after.
    """
    boycotting_weight = _boycotting_weight(indptr, indices, boycott[:, f], weight)
    return _threshold_rule(
        boycott[:, f], opinion[:, f], boycotting_weight, neighbour_weight, threshold,
        pressure[:, f], params, out,
    )  # fmt: skip


def boycott_update_cached(
    indptr: Ints,
    indices: Ints,
    boycott: Flags,
    opinion: Floats,
    weight: Floats,
    neighbour_weight: Floats,
    threshold: Floats,
    pressure: Floats,
    f: int,
    params: BoycottParams,
    boycotting_weight: Floats,
    counted: Flags,
    out: Flags,
) -> int:
    """:func:`boycott_update`, keeping each consumer's boycotting-neighbour weight.

    ``boycotting_weight[i, f]`` holds Σ_j w_j b_jf over i's neighbours (in CSR order)
    for the boycott state ``counted[:, f]``. This reference recomputes it for every
    consumer; the compiled twin recomputes only the rows of consumers with a neighbour
    whose state differs from ``counted`` (the frontier of the cascade), with the same
    result.

    Parameters
    ----------
    boycotting_weight : ndarray of float64, shape (n, F)
        Column ``f`` updated to the state ``boycott[:, f]``; start from zeros.
    counted : ndarray of bool, shape (n, F)
        The state ``boycotting_weight`` was computed for; column ``f`` set to
        ``boycott[:, f]``; start from all False.
    """
    boycotting_weight[:, f] = _boycotting_weight(indptr, indices, boycott[:, f], weight)
    counted[:, f] = boycott[:, f]
    return _threshold_rule(
        boycott[:, f], opinion[:, f], boycotting_weight[:, f], neighbour_weight, threshold,
        pressure[:, f], params, out,
    )  # fmt: skip


def _boycotting_weight(indptr: Ints, indices: Ints, boycott: Flags, weight: Floats) -> Floats:
    """Σ_j w_j b_j over each consumer's neighbours, summed in CSR order; shape (n,)."""
    n = indptr.shape[0] - 1
    listener = row_ids(indptr)
    active = boycott[indices]
    return np.bincount(listener[active], weights=weight[indices[active]], minlength=n)


def _threshold_rule(
    boycott: Flags,
    opinion: Floats,
    boycotting_weight: Floats,
    neighbour_weight: Floats,
    threshold: Floats,
    pressure: Floats,
    params: BoycottParams,
    out: Flags,
) -> int:
    """Join or leave, from one firm's columns; write ``out``, shape (n,); return the joiners."""
    share = np.divide(
        boycotting_weight,
        neighbour_weight,
        out=np.zeros(boycott.shape[0]),
        where=neighbour_weight > 0.0,
    )
    joins = (opinion <= params.join_opinion) & (share >= threshold * (1.0 - pressure))
    leaves = opinion > params.leave_opinion
    out[:] = np.where(boycott, ~leaves, joins)
    return int(np.count_nonzero(joins & ~boycott))
