"""The word of mouth rule in plain NumPy: the readable specification.

Its Numba twin, :mod:`swarmsim.phases.word_of_mouth.compiled`, gives the same bits
(``tests/kernels/test_parity.py``). Conventions: :mod:`swarmsim.kernels`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.graphs import row_ids
from swarmsim.kernels import rng
from swarmsim.kernels.arrays import Flags, Floats, Ints
from swarmsim.phases.word_of_mouth.spec import AdvocacyParams, WordOfMouthParams

__all__ = ["advocate", "independent_cascade", "word_of_mouth"]


def advocate(
    opinion: Floats,
    loyalty: Floats,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: AdvocacyParams,
    speaking: Flags,
) -> tuple[int, int]:
    """Let customers of firm ``f`` with a strong opinion speak up; count them.

    A customer (ℓ_if > 0: it has bought from f) is a promoter when o_if ≥ level and a
    saboteur when o_if ≤ −level. Each speaks about f in this step's talk when
    ``uniform(seed, stream, t, i, f) < rate`` (drawn only for them). Bad news still
    travels further: the talk rule multiplies a saboteur's chance per neighbour by λ
    (Anderson 1998: both very satisfied and very dissatisfied customers talk more, the
    dissatisfied the more).

    Parameters
    ----------
    opinion, loyalty : ndarray of float64, shape (n, F)
        Column ``f`` is read.
    params : AdvocacyParams
        level in (0, 1], rate in [0, 1].
    speaking : ndarray of bool, shape (n, F)
        Column ``f`` set (never cleared) for the customers who speak up.

    Returns
    -------
    (int, int)
        Promoters and saboteurs of ``f``, whether or not they spoke.
    """
    o = opinion[:, f]
    customer = loyalty[:, f] > 0.0
    promoter = customer & (o >= params.level)
    saboteur = customer & (o <= -params.level)
    strong = np.flatnonzero(promoter | saboteur)
    spoke = rng.uniform(seed, stream, t, strong, f) < params.rate
    speaking[strong[spoke], f] = True
    return int(np.count_nonzero(promoter)), int(np.count_nonzero(saboteur))


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
    aware: Flags,
    firm_trust: Floats,
) -> int:
    """One round of talk about firm ``f``; return the number of messages delivered.

    Speaker i messages neighbour j when ``uniform(seed, stream, t, i, j·64 + f)`` is below
    its talk probability min(1, p_talk·talk_factor_i·(λ if o_if < 0 else 1)). Listener j
    moves toward the weighted mean of the messages it received,
    o_j ← o_j + α (Σ w_i o_i / Σ w_i − o_j) with α = min(1, η τ_j Σ w_i) — a convex
    combination, so opinions stay in [−1, 1]. The round is synchronous: every speaker
    speaks with its opinion from before the round. Each listener sums its messages in
    the order of its CSR row. Listeners moved by more than speak_threshold are flagged
    in ``heard`` (they speak next step). A listener who receives a message from a
    speaker aware of f's misconduct becomes aware of it too (``aware``, read for the
    speakers before the round): news of a scandal travels with the talk. The first time
    it is told, its opinion drops further by news_shock·τ_j (floored at −1): hearsay
    outrages less than a first-hand detection, and the less the more it distrusts its
    peers; and it loses the share trust_loss of its trust in f's messages.

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
    aware : ndarray of bool, shape (n, F)
        Knows of a misconduct of the firm; column ``f`` set for listeners told by an
        aware speaker.
    firm_trust : ndarray of float64, shape (n, F)
        Trust in each firm's messages; column ``f`` cut for listeners first told.
    """
    n = indptr.shape[0] - 1
    o = opinion[:, f]
    listener = row_ids(indptr)
    candidate = np.flatnonzero(speaking[indices, f])
    src, dst = indices[candidate], listener[candidate]
    bias = np.where(o[src] < 0.0, params.negativity_bias, 1.0)
    chance = np.minimum(1.0, params.p_talk * talk_factor[src] * bias)
    sent = rng.uniform(seed, stream, t, src, dst * rng.FIRM_SLOTS + f) < chance
    src, dst = src[sent], dst[sent]
    told = np.bincount(dst, weights=aware[src, f].astype(np.float64), minlength=n) > 0.0
    total_weight = np.bincount(dst, weights=weight[src], minlength=n)
    weighted_sum = np.bincount(dst, weights=weight[src] * o[src], minlength=n)
    got = np.flatnonzero(total_weight > 0.0)
    alpha = np.minimum(1.0, params.learning_rate * peer_trust[got] * total_weight[got])
    target = weighted_sum[got] / total_weight[got]
    old = o[got]
    new = old + alpha * (target - old)
    first = told[got] & ~aware[got, f]  # first told of a misconduct: outrage
    new[first] = np.maximum(-1.0, new[first] - params.news_shock * peer_trust[got[first]])
    firm_trust[got[first], f] *= 1.0 - params.trust_loss
    heard[got[np.abs(new - old) > params.speak_threshold], f] = True
    opinion[got, f] = new
    aware[told, f] = True
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
    ``swarmsim.lab.cases.independent_cascade`` (talk probability ``chance`` on
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
        hit = rng.uniform(seed, stream, t, speaker, listener * rng.FIRM_SLOTS + f) < chance
        frontier = np.unique(listener[hit])
        active[frontier] = True
        rounds += 1
    return rounds

