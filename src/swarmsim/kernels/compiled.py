"""Numba twins of the reference kernels: same names, signatures and bits.

Every kernel of :mod:`swarmsim.kernels.reference` has a twin here with the same name,
the same arguments and the same result, bit for bit (``tests/kernels/test_parity.py``
checks it on random graphs and states). What makes that possible:

- **Random numbers** come from the same source: :func:`swarmsim.kernels.rng.fold` and
  :func:`~swarmsim.kernels.rng.to_unit` compiled with ``njit``. A kernel folds
  ``seed, stream, t`` once per call (:func:`_key`) and each draw's two counters in its
  loop (:func:`_uniform`), so draw (i, f) is the same number whatever the loop order
  or thread count.
- **Arithmetic** is written operation for operation as in the reference (same
  association, no ``fastmath``, so LLVM neither reorders nor fuses into FMA); ``clip``
  is ``min(max(x, lo), hi)`` as in NumPy.
- **Sums over neighbours** run along each CSR row in order, starting from 0.0, which is
  what ``np.bincount`` does with its ``weights`` in input order.
- **exp**: NumPy's SIMD ``exp`` and the C library's ``exp`` that Numba calls differ in
  the last bit for about 5 % of arguments on CPUs with AVX-512F (measured on 10⁷
  arguments in [−60, 0]), which would now and then flip a purchase. Rather than allow a
  tolerance, both backends call :func:`swarmsim.kernels.fmath.exp`, whose single source
  runs on NumPy arrays and, compiled, on Numba scalars with identical results.
- **Parallel loops** (``prange``) only where each iteration writes its own slots: one
  consumer (advertising, detection, calls, the boycott rule), a block of consumers
  (purchase, experience), a run of speakers (their message draws) or a range of
  listener ids (message delivery, boycott-weight updates: each thread takes the
  messages and changes that fall in its own range). Each float sum that feeds the
  results is added by one thread in CSR-row order. Counts are integer sums, exact in
  any order. Runs and ranges hold about equal work, counted as edges plus a fixed
  cost per speaker or consumer, since the hubs of a Barabási–Albert graph have the
  lowest ids (:func:`_balanced_parts`); indices inside ``prange`` bodies are unsigned
  (:func:`_u`), which lets LLVM vectorise them.
- **Selects, not branches**: a pass over every consumer whose update depends on a
  draw or on the state (reached by an ad, bought from the firm, may join) computes
  the update for everyone and keeps it where it applies (``new if hit else old``,
  ``&`` and ``|`` rather than ``and`` and ``or``, which branch). Such conditions are
  unpredictable, a mispredicted branch costs more than the arithmetic, and without
  branches LLVM vectorises the loop: at 10⁶ consumers, one thread, advertising 20 →
  6 ms per step, experience 27 → 17 ms, the boycott rule 20 → 12 ms. The kept
  values are the reference's, bit for bit. (Experience has since gone further: it
  lists each block's buyers and draws only for them, see :func:`experience`.)

Work is proportional to what changes where the reference touches everything:

- word of mouth visits only the speakers' edges, delivering messages in ascending
  speaker order, which is each listener's CSR row order (the graph is symmetric with sorted
  rows, as every :class:`~swarmsim.graphs.CSRGraph`);
- :func:`boycott_update_cached` keeps every consumer's boycotting-neighbour weight
  between calls and visits only the neighbourhoods of consumers whose boycott changed.
- :func:`independent_cascade` runs word of mouth's independent-cascade special case on
  its frontier alone (:mod:`swarmsim.cascades`).

:func:`word_of_mouth` and :func:`boycott_update_cached` are thin Python functions that
run compiled steps in sequence with work buffers kept per thread (a fresh large array
every call would cost page faults); the others are compiled functions themselves.

Compilation happens once per machine: every kernel has ``cache=True`` (compiled code is
stored in ``__pycache__`` next to this file and reloaded by later processes), and
:func:`warm_up` compiles or loads all of them on a tiny input. Numba keys its cache on
this file only, so an edit of ``rng.py`` or ``fmath.py`` (compiled into the kernels)
drops this file's cache at import (:mod:`swarmsim.kernels.cache_stamp`). With
``NUMBA_DISABLE_JIT=1`` the module runs as plain Python (slowly), for coverage.
"""

from __future__ import annotations

import math
import threading
import weakref

import numpy as np
from numba import get_num_threads, njit, prange
from numba.cpython.unsafe.numbers import trailing_zeros
from numpy.typing import NDArray

from swarmsim.kernels import cache_stamp, fmath, rng
from swarmsim.kernels.params import (
    AdvertisingParams,
    BoycottParams,
    CampaignParams,
    ExperienceParams,
    ExposureParams,
    PurchaseParams,
    WordOfMouthParams,
)
from swarmsim.kernels.reference import FIRM_SLOTS
from swarmsim.placement import placed_full

__all__ = [
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
    "triangular",
    "warm_up",
    "word_of_mouth",
]

Floats = NDArray[np.float64]
Flags = NDArray[np.bool_]
Ints = NDArray[np.int64]

_SQRT6 = math.sqrt(6.0)  # correctly rounded, the same double as the reference's np.sqrt(6.0)

_fold = njit(cache=True, nogil=True, inline="always")(rng.fold)
_to_unit = njit(cache=True, nogil=True, inline="always")(rng.to_unit)
_exp = njit(cache=True, nogil=True, inline="always")(fmath.exp)


@njit(cache=True, nogil=True, inline="always")
def _key(seed, stream, t):
    """Fold seed, stream and t: the hash shared by all draws of one kernel call."""
    h = _fold(np.uint64(seed), np.uint64(0))
    return _fold(_fold(h, np.uint64(stream)), np.uint64(t))


@njit(cache=True, nogil=True, inline="always")
def _uniform(key, a, b):
    """``rng.uniform(seed, stream, t, a, b)`` for ``key = _key(seed, stream, t)``."""
    return _draw(_fold(key, np.uint64(a)), b)


@njit(cache=True, nogil=True, inline="always")
def _draw(row_key, b):
    """``rng.uniform(seed, stream, t, a, b)`` for ``row_key = _fold(_key(seed, stream, t), a)``."""
    return _to_unit(_fold(row_key, np.uint64(b)))


@njit(cache=True, nogil=True, inline="always")
def _clip(x, low, high):
    return min(max(x, low), high)


@njit(cache=True, nogil=True, inline="always")
def _u(index):
    """Return ``index`` as unsigned, for indexing inside ``prange`` bodies.

    Unsigned indices spare Numba's negative-index wrap-around check, which otherwise
    stops LLVM from vectorising those loops (measured 4x slower on a flag scan).
    """
    return np.uint64(index)


@njit(cache=True, nogil=True, inline="always")
def _part_range(n, parts, part):
    """Consumer ids of part ``part`` of ``parts`` equal ranges, as an unsigned range."""
    return range(_u(part * n // parts), _u((part + 1) * n // parts))


@njit(cache=True, nogil=True)
def triangular(seed, stream, t, a, b):
    """Symmetric triangular noise with mean 0 and variance 1, in [-√6, √6].

    The reference's rule for scalar counters ``a`` and ``b`` (integers >= 0): the sum of
    the uniforms with counters (a, 2b) and (a, 2b + 1), minus 1, times √6.
    """
    return _triangular(_key(seed, stream, t), a, b)


@njit(cache=True, nogil=True, inline="always")
def _triangular(key, a, b):
    """:func:`triangular` for ``key = _key(seed, stream, t)``."""
    return (_uniform(key, a, 2 * b) + _uniform(key, a, 2 * b + 1) - 1.0) * _SQRT6


@njit(cache=True, nogil=True, parallel=True)
def advertise(competence, peer_trust, opinion, expectation, seed, stream, t, f, params):
    """Apply firm ``f``'s ads; the reference's rule (:func:`reference.advertise`).

    Branch-free (selects, in the module notes): every consumer's new
    beliefs are computed and kept only where the ad reached.

    Returns
    -------
    int
        Consumers reached.
    """
    n = competence.shape[0]
    key = _key(seed, stream, t)
    m, q = params.manipulation, params.quality
    contacts = 0
    for i in prange(n):
        reached = _uniform(key, i, f) < params.reach
        c, o, e = competence[i], opinion[i, f], expectation[i, f]
        s = (1.0 - peer_trust[i]) * params.intensity
        persuasion = m * ((1.0 - c) - params.backfire * c)
        information = (1.0 - m) * ((2.0 * q - 1.0) - o)
        moved = _clip(o + s * (persuasion + information), -1.0, 1.0)
        inflation = m * (1.0 - c) * (1.0 - e)
        correction = (1.0 - m) * (q - e)
        raised = _clip(e + s * (inflation + correction), 0.0, 1.0)
        opinion[i, f] = moved if reached else o
        expectation[i, f] = raised if reached else e
        contacts += reached
    return contacts


_BLOCK = 256
"""Consumers per block of the purchase kernel: its scratch (F + 1 rows) stays in cache."""


@njit(cache=True, nogil=True)
def _choose_block(opinion, expectation, loyalty, boycott, price, key, params, out, block, counts):
    """Purchase choices of consumers ``block·_BLOCK ..`` (at most _BLOCK of them).

    ``counts[c]`` receives the block's choosers of option c (0: outside, f + 1: firm f).

    Loops run firm by firm over the block's consumers so that LLVM vectorises them;
    consumer indices are unsigned, which spares Numba's negative-index wrap-around
    check that would otherwise stop vectorisation.
    """
    n, n_firms = opinion.shape
    first = np.uint64(block * _BLOCK)
    size = np.uint64(min(n, block * _BLOCK + _BLOCK) - block * _BLOCK)
    weight = np.empty((n_firms + 1, size))  # utilities, then weights, then running sums
    top = np.full(size, params.outside_utility)
    for g in range(n_firms):
        cost = params.beta_price * price[g]
        for k in range(size):
            i = first + k
            utility = (
                params.beta_opinion * opinion[i, g]
                + params.beta_quality * expectation[i, g]
                + params.beta_loyalty * loyalty[i, g]
                - cost
            )
            weight[g + 1, k] = utility
            top[k] = max(top[k], utility)
    for k in range(size):
        weight[0, k] = _exp(params.outside_utility - top[k])
    for g in range(1, n_firms + 1):
        for k in range(size):
            weight[g, k] = _exp(weight[g, k] - top[k])
    for g in range(n_firms):
        for k in range(size):  # a boycotted firm adds +0.0, as the reference's zero weight
            weight[g + 1, k] = weight[g, k] + weight[g + 1, k] * (not boycott[first + k, g])
    target = np.empty(size)
    for k in range(size):
        target[k] = _uniform(key, first + k, 0) * weight[n_firms, k]
    # The running sums do not decrease, so the first option whose sum exceeds the
    # target is the number of sums that do not; none exceeding means option 0.
    at_most = np.zeros(size, dtype=np.int64)
    for g in range(n_firms + 1):
        for k in range(size):
            at_most[k] += not weight[g, k] > target[k]
    for k in range(size):
        option = at_most[k] if at_most[k] <= n_firms else 0
        out[first + k] = option - 1
        counts[option] += 1


@njit(cache=True, nogil=True, parallel=True)
def choose_purchases(opinion, expectation, loyalty, boycott, price, seed, stream, t, params, out):
    """Multinomial logit choice; the reference's rule (:func:`reference.choose_purchases`).

    Blocks of consumers run in parallel, each counting its buyers per firm in its own
    row; the weights exp(U − max U) use :func:`swarmsim.kernels.fmath.exp` as the
    reference does.
    """
    key = _key(seed, stream, t)
    n, n_firms = opinion.shape
    blocks = (n + _BLOCK - 1) // _BLOCK
    counts = np.zeros((blocks, n_firms + 1), dtype=np.int64)
    for block in prange(blocks):
        _choose_block(
            opinion, expectation, loyalty, boycott, price, key, params, out, block, counts[block]
        )
    return counts[:, 1:].sum(axis=0)


_EXPERIENCE_BLOCK = 4096
"""Consumers per block of :func:`experience`: its buyer list and draws (128 kB) stay in cache."""


@njit(cache=True, nogil=True)
def _fade_and_list_buyers(purchase, opinion, loyalty, f, params, first, size, buyers):
    """Fade every opinion of ``f`` in the block, decay non-buyers' loyalty; list the buyers.

    Returns the number of buyers, whose ids fill ``buyers`` from slot 0 (every id is
    written, and kept only if it bought: no branch).
    """
    keep = 1.0 - params.loyalty_decay
    fade = 1.0 - params.opinion_decay
    count = 0
    for k in range(size):
        i = first + k
        bought = purchase[i] == f
        buyers[count] = i
        count += bought
        opinion[i, f] = opinion[i, f] * fade
        ell = loyalty[i, f]
        loyalty[i, f] = ell if bought else ell * keep
    return np.uint64(count)


@njit(cache=True, nogil=True)
def _experience_block(
    purchase, competence, opinion, expectation, loyalty, speaking, keys, f, params, block, draws
):
    """:func:`experience` for consumers ``block·_EXPERIENCE_BLOCK ..``.

    Three loops: fade and list the buyers; draw the buyers' noise, dialogue and
    co-creation uniforms (a loop of hashes alone, which LLVM vectorises); update the
    buyers. ``draws`` is scratch of shape (4, _EXPERIENCE_BLOCK): the three draws of
    each listed buyer, and the buyers' ids (row 3, read as unsigned integers).
    """
    start = np.int64(block) * _EXPERIENCE_BLOCK  # signed: uint64 · int64 would be a float
    first = np.uint64(start)
    size = np.uint64(min(purchase.shape[0], start + _EXPERIENCE_BLOCK) - start)
    buyers = draws[3].view(np.uint64)
    count = _fade_and_list_buyers(purchase, opinion, loyalty, f, params, first, size, buyers)
    noise_key, dialogue_key, cocreation_key = keys
    for k in range(count):
        i = buyers[k]
        draws[0, k] = _triangular(noise_key, i, f)
        draws[1, k] = _uniform(dialogue_key, i, f)
        draws[2, k] = _uniform(cocreation_key, i, f)
    for k in range(count):
        i = buyers[k]
        old = opinion[i, f]
        real = _clip(params.quality + params.quality_noise * draws[0, k], 0.0, 1.0)
        e, c = expectation[i, f], competence[i]
        perceived = e + c * (real - e)
        change = params.opinion_rate * (perceived - e)
        answered = (change < 0.0) & (draws[1, k] < params.dialogue)
        change = change * (1.0 - params.dialogue_damping) if answered else change
        new = _clip(old + change, -1.0, 1.0)
        opinion[i, f] = new
        expectation[i, f] = e + params.expectation_rate * (perceived - e)
        speaking[i, f] |= abs(new - old) > params.speak_threshold
        ell = loyalty[i, f]
        gained = ell + params.loyalty_gain * (1.0 - ell)
        invited = draws[2, k] < params.cocreation
        loyalty[i, f] = gained + params.cocreation_gain * (1.0 - gained) if invited else gained
        competence[i] = c + params.education * (1.0 - c)


@njit(cache=True, nogil=True, parallel=True)
def _experience(
    purchase, competence, opinion, expectation, loyalty, speaking, seed, stream, t, f, params,
    scratch,
):  # fmt: skip
    """:func:`experience` on ``scratch.shape[0]`` threads; ``scratch[p]`` is part p's (4, block)."""
    keys = (_key(seed, stream, t), _key(seed, stream + 1, t), _key(seed, stream + 2, t))
    blocks = (purchase.shape[0] + _EXPERIENCE_BLOCK - 1) // _EXPERIENCE_BLOCK
    parts = scratch.shape[0]
    for part in prange(parts):
        for block in _part_range(blocks, parts, part):
            _experience_block(
                purchase, competence, opinion, expectation, loyalty, speaking, keys, f,
                params, block, scratch[part],
            )  # fmt: skip


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
    """Buyers of firm ``f`` update beliefs; the reference's rule (:func:`reference.experience`).

    Blocks of consumers in parallel; in each, the buyers (a sixth of consumers or so)
    are listed first and only they draw and update. Updating everyone and keeping the
    buyers' values (selects) spent most of its time on the draws, which without
    AVX-512 cost a 64-bit multiply emulated in three: at 10⁶ consumers on a Zen 3
    core, 14.7 → 8.1 ms a call (1 thread); on a Zen 4 core, with AVX-512, the phase
    over 100 steps took 1.67 s with the branch-free kernel and 1.2 s with this one.
    Each worker's scratch (128 kB: the buyers' ids and draws of one block) is a slice
    of one buffer of the calling thread's, reused across calls, so no worker allocates.
    """
    parts = _thread_parts(purchase.shape[0])
    scratch = _SCRATCH.get("experience", parts * 4 * _EXPERIENCE_BLOCK, np.float64)
    _experience(
        purchase, competence, opinion, expectation, loyalty, speaking, seed, stream, t, f,
        params, scratch.reshape(parts, 4, _EXPERIENCE_BLOCK),
    )  # fmt: skip


@njit(cache=True, nogil=True, parallel=True)
def detect_misconduct(
    competence, detection_factor, opinion, speaking, detected, seed, stream, t, f, params
):
    """Find who detects firm ``f``'s misconduct (:func:`reference.detect_misconduct`).

    Returns
    -------
    int
        Detectors.
    """
    n = competence.shape[0]
    key = _key(seed, stream, t)
    detectors = 0
    for i in prange(n):
        chance = min(1.0, params.information_parity * competence[i] * detection_factor[i])
        found = _uniform(key, i, f) < chance
        o = opinion[i, f]
        shocked = max(-1.0, o - params.opinion_shock)
        opinion[i, f] = shocked if found else o
        speaking[i, f] |= found
        detected[i, f] |= found
        detectors += found
    return detectors


@njit(cache=True, nogil=True, parallel=True)
def _count_speakers(speaking, f, parts):
    """Count the speakers about firm ``f`` in ``parts`` equal id ranges.

    Returns the running counts, shape (parts + 1,): range p's speakers take slots
    ``counts[p]:counts[p + 1]`` of the speaker list (:func:`_list_speakers`), whose
    length is ``counts[parts]``.
    """
    n = speaking.shape[0]
    counts = np.zeros(parts + 1, dtype=np.int64)
    for part in prange(parts):
        count = 0
        for i in _part_range(n, parts, part):
            count += speaking[i, f]
        counts[part + 1] = count
    return np.cumsum(counts)


@njit(cache=True, nogil=True, parallel=True)
def _list_speakers(
    indptr, speaking, opinion, talk_factor, weight, f, params, counts,
    speakers, offsets, row_start, chance, message,
):  # fmt: skip
    """List the speakers about firm ``f``, with what their draws and messages need.

    Speakers are in ascending order; a message buffer holds their CSR rows back to
    back. Two parallel passes over the ranges counted by :func:`_count_speakers`:
    list each range's speakers from its place in the count (branch-free, every id
    written and kept only if it speaks: 20 % faster than a branch on the flag, at 10⁶
    with 4 % speakers; no write leaves the range); then, per speaker, gather its row
    and the terms of its talk. Only the flags are read for every consumer; the
    gathers of the second pass are independent loads in a tight loop, which the CPU
    overlaps. Gathered in the drawing loop instead, each speaker's loads were cache
    misses taken one after the other; with this pass and the touch in
    :func:`_draw_messages`, a word-of-mouth call at 10⁶ (1 thread) went from 13.5 to
    10.4 ms.

    Fills, for k speakers (``counts[-1]``), the first k items of each output:
    ``speakers`` (ids, int64); ``offsets`` (k + 1 items: where each speaker's row goes
    in the message buffer); ``row_start`` (``indptr`` of each speaker); ``chance``
    (talk probability per neighbour, min(1, p_talk · talk factor · bias)); and
    ``message`` (k rows: what a listener adds to its sums, (w, w·o) of the speaker).
    The outputs are buffers reused across calls: fresh arrays cost their page faults
    on every call (at 10⁶ consumers, 1 thread, listing took 1.68 ms a call with six
    fresh arrays and 1.47 ms with buffers, plus 0.07 ms for the count).
    """
    n = speaking.shape[0]
    parts = counts.shape[0] - 1
    size = counts[parts]
    for part in prange(parts):
        k, end = _u(counts[part]), _u(counts[part + 1])
        for i in _part_range(n, parts, part):
            if k == end:  # the range's last speaker is listed
                break
            speakers[k] = i  # kept only if i speaks: the next speaker overwrites it
            k += _u(speaking[i, f])
    for part in prange(parts):
        for k in _part_range(size, parts, part):
            i = _u(speakers[k])
            row_start[k] = indptr[i]
            offsets[k + _u(1)] = indptr[i + _u(1)] - indptr[i]
            o = opinion[i, f]
            bias = params.negativity_bias if o < 0.0 else 1.0
            chance[k] = min(1.0, params.p_talk * talk_factor[i] * bias)
            message[k, 0] = weight[i]
            message[k, 1] = weight[i] * o
    offsets[0] = 0
    for k in range(1, size + 1):
        offsets[k] += offsets[k - 1]


@njit(cache=True, nogil=True)
def _balanced_parts(offsets, parts, item_cost):
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


_SPEAKER_COST = 64
"""A speaker's own work in :func:`_draw_messages`, in edges: the cache misses of its row.

Measured at 10⁶ consumers with 2 threads (100 steps): cut by edges alone, the second
thread's run held 3-4x the first one's speakers and the draws took 1.9 s; weighing
each speaker as 16, 32 or 64 edges gave 1.5, 1.4 and 1.4 s.
"""

_CONSUMER_COST = 4
"""A consumer's own work, in edges, when ranges of consumer ids are cut for threads
(message delivery and listening, boycott-weight updates); 0 -> 4 took delivery plus
listening at 10⁶ with 2 threads from 1.6-1.7 to 1.5 s per 100 steps."""

_DRAW_BLOCK = 1024
"""Edges of a speaker's row drawn at a time by :func:`_draw_messages` (its buffer stays in L1)."""


_TOUCH_BATCH = 32
"""Speakers whose rows :func:`_draw_messages` touches together before drawing them.

A tight loop of loads, one per row, keeps that many cache misses in flight at once;
drawing a row's messages between them let the CPU wait for one at a time.
"""


@njit(cache=True, nogil=True, parallel=True)
def _draw_messages(
    indices, speakers, offsets, row_start, chance, seed, stream, t, f, listeners, sent, parts
):
    """Draw each speaker's messages, in parallel over edge-balanced runs of speakers.

    A speaker's listeners go, in row order (ascending ids), to the front of its
    block of ``listeners`` and their count to ``sent``. The draws of a row are made
    in one loop (which LLVM vectorises), the listeners kept in a second: 1.4x faster
    than one loop doing both (10**6 consumers, 1.9·10**5 edges, 1 thread: 1.2 -> 0.85 ms).
    Speakers go in batches of :data:`_TOUCH_BATCH`, whose rows are first touched.
    """
    key = _key(seed, stream, t)
    starts = _balanced_parts(offsets, parts, _SPEAKER_COST)
    for part in prange(parts):
        hits = np.empty(_DRAW_BLOCK, dtype=np.bool_)
        touched = 0
        batch, stop = _u(starts[part]), _u(starts[part + 1])
        while batch < stop:
            batch_end = min(stop, batch + _u(_TOUCH_BATCH))
            for k in range(batch, batch_end):
                if offsets[k + 1] > offsets[k]:  # an isolated speaker's row start may be the end
                    touched += indices[row_start[k]]
            for k in range(batch, batch_end):
                speaker_key, talk = _fold(key, np.uint64(speakers[k])), chance[k]
                slot = _u(offsets[k])
                first = _u(row_start[k])
                end = first + _u(offsets[k + 1] - offsets[k])
                while first < end:
                    last = min(end, first + _u(_DRAW_BLOCK))
                    for e in range(first, last):
                        hits[e - first] = _draw(speaker_key, indices[e] * FIRM_SLOTS + f) < talk
                    for e in range(first, last):
                        listeners[slot] = indices[e]  # kept only if the draw succeeded
                        slot += _u(hits[e - first])
                    first = last
                sent[k] = slot - _u(offsets[k])
            batch = batch_end
        if touched < 0:  # never (ids are >= 0): makes the touching loads count
            sent[0] = 0


@njit(cache=True, nogil=True, parallel=True)
def _deliver(offsets, listeners, sent, message, sums, reached, bounds):
    """Add the messages to their listeners' sums; mark each listener in ``reached``.

    The consumers are cut into id ranges ``bounds[p]:bounds[p + 1]`` (parts, one per
    thread, with about equal numbers of edges, so of expected messages; inner bounds
    multiples of 64, so no two threads write one word of ``reached``); each part
    takes, from every speaker in ascending order, the run of its messages that falls
    in the part's range (a speaker's listeners are sorted). So each listener sums its
    messages in the order of its own CSR row, as the reference does, whatever the
    number of parts. Speaker k's ``message[k]`` (w, w·o) is added to each of its
    listeners' ``sums[j]``, which hold (Σ w, Σ w·o) side by side in one cache line,
    and bit j of ``reached`` (uint64 words, 64 consumers each) is set. ``sums`` and
    ``reached`` must be zero on entry; :func:`_listen` leaves them so.
    """
    for part in prange(bounds.shape[0] - 1):
        low, high = bounds[part], bounds[part + 1]
        for k in range(_u(sent.shape[0])):
            m, end = _u(offsets[k]), _u(offsets[k] + sent[k])
            while m < end and listeners[m] < low:
                m += _u(1)
            if m == end or listeners[m] >= high:
                continue
            w, wo = message[k, 0], message[k, 1]
            while m < end and listeners[m] < high:
                j = _u(listeners[m])
                reached[j >> _u(6)] |= np.uint64(1) << (j & _u(63))
                sums[j, 0] += w
                sums[j, 1] += wo
                m += _u(1)


@njit(cache=True, nogil=True, parallel=True)
def _listen(opinion, peer_trust, f, params, reached, bounds, sums, heard):
    """Move the listeners marked in ``reached``, in ascending order; zero their sums and bits.

    In place is safe: delivery has read every speaker's opinion already. Ascending ids
    make the listeners' loads a forward sweep that the CPU's prefetchers follow, where
    the delivery order (by speaker) made each a cache miss on its own. In the bench's
    full model at 10⁶ consumers (Zen 4 host, 100 steps, two A/B runs), a call took
    1.5–1.7 ms instead of 2.4–2.6 on 1 thread, 0.9–1.0 instead of 1.3–1.5 on 2.
    """
    for part in prange(bounds.shape[0] - 1):
        first, last = bounds[part] >> 6, (bounds[part + 1] + 63) >> 6
        for word in range(_u(first), _u(last)):
            bits = reached[word]
            reached[word] = 0
            while bits:
                j = (word << _u(6)) | _u(trailing_zeros(bits))
                bits &= bits - _u(1)
                o, total = opinion[j, f], sums[j, 0]
                alpha = min(1.0, params.learning_rate * peer_trust[j] * total)
                new = o + alpha * (sums[j, 1] / total - o)
                if abs(new - o) > params.speak_threshold:
                    heard[j, f] = True
                opinion[j, f] = new
                sums[j, 0] = 0.0
                sums[j, 1] = 0.0


def _thread_parts(n: int) -> int:
    """Parts to cut n consumers into for a parallel pass: one per Numba thread, >= 1."""
    return min(get_num_threads(), max(n, 1))


class _Scratch(threading.local):
    """Per-thread buffers reused across calls (fresh large arrays cost page faults).

    Placed apart from the state arrays (:mod:`swarmsim.placement`).

    Buffers that a kernel needs zeroed are left zeroed by it.
    """

    def __init__(self):
        self.buffers: dict[str, np.ndarray] = {}

    def get(self, name: str, size: int, dtype, most: int | None = None) -> np.ndarray:
        """Return the first ``size`` items of buffer ``name`` (zero when first made).

        A buffer that is too small is replaced by one of twice its size, at least
        ``size`` and at most ``most`` items (if given, >= ``size``), so a size that
        creeps up over a run costs few new buffers: word of mouth's listener buffer,
        sized to each call's edges, was replaced in a tenth of the calls at 10⁶
        consumers, 0.38 ms a call on average.
        """
        buffer = self.buffers.get(name)
        if buffer is None or buffer.shape[0] < size:  # filled: no page left on the zero page
            grown = size if buffer is None else max(size, 2 * buffer.shape[0])
            grown = grown if most is None else min(grown, most)
            buffer = self.buffers[name] = placed_full((grown,), 0, dtype)
        return buffer[:size]


_SCRATCH = _Scratch()


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
    """One round of talk about firm ``f`` (:func:`reference.word_of_mouth`).

    Work is proportional to the speakers' edges, not to all edges: (1) in parallel,
    each speaker draws whether it messages each neighbour; (2) in parallel over
    ranges of listener ids, speakers in ascending order add their messages to their
    listeners' sums, so each listener receives them in the order of its own CSR row,
    as the reference sums them; (3) in parallel, the listeners move, in place (every
    speaker's opinion has been read by then). Requires the graph to be symmetric with
    ascending rows (as every :class:`~swarmsim.graphs.CSRGraph` is), weights >= 1 and
    ``speak_threshold >= 0``. The compiled steps run without the GIL; the speaker
    list, the messages and the sums live in per-thread buffers reused across calls
    (the sums are left zeroed).

    Returns
    -------
    int
        Messages delivered.
    """
    n = indptr.shape[0] - 1
    parts = _thread_parts(n)
    counts = _count_speakers(speaking, f, parts)
    size = int(counts[-1])
    speakers = _SCRATCH.get("speakers", size, np.int64, most=n)
    offsets = _SCRATCH.get("offsets", size + 1, np.int64, most=n + 1)
    row_start = _SCRATCH.get("row_start", size, np.int64, most=n)
    chance = _SCRATCH.get("chance", size, np.float64, most=n)
    message = _SCRATCH.get("message", 2 * size, np.float64, most=2 * n).reshape(size, 2)
    _list_speakers(
        indptr, speaking, opinion, talk_factor, weight, f, params, counts,
        speakers, offsets, row_start, chance, message,
    )  # fmt: skip
    ids = np.int32 if n <= np.iinfo(np.int32).max else np.int64  # halves the largest buffer
    listeners = _SCRATCH.get(f"listeners.{ids.__name__}", offsets[-1], ids, most=indices.shape[0])
    sent = _SCRATCH.get("sent", size, np.int64, most=n)
    _draw_messages(
        indices, speakers, offsets, row_start, chance, seed, stream, t, f, listeners, sent, parts
    )
    sums = _SCRATCH.get("sums", 2 * n, np.float64).reshape(n, 2)
    reached = _SCRATCH.get("reached", (n + 63) // 64, np.uint64)
    bounds = _balanced_parts(indptr, parts, _CONSUMER_COST)
    bounds[1:-1] -= bounds[1:-1] % 64  # whole words of ``reached`` per part
    _deliver(offsets, listeners, sent, message, sums, reached, bounds)
    _listen(opinion, peer_trust, f, params, reached, bounds, sums, heard)
    return int(sent.sum())


@njit(cache=True, nogil=True)
def independent_cascade(indptr, indices, seeds, chance, seed, stream, f, first_step, active):
    """Run an independent cascade on its frontier alone (:func:`reference.independent_cascade`).

    Sequential: each round visits only the frontier's edges. A node is activated at
    most once per round whichever speaker reaches it first, so the order of the
    frontier does not change the result.
    """
    n = indptr.shape[0] - 1
    frontier = np.empty(n, dtype=np.int64)  # untouched pages cost nothing
    following = np.empty(n, dtype=np.int64)
    size = 0
    for s in seeds:
        if not active[s]:
            active[s] = True
            frontier[size] = s
            size += 1
    rounds = 0
    while size > 0:
        key = _key(seed, stream, first_step + rounds)
        count = 0
        for k in range(size):
            i = frontier[k]
            for e in range(indptr[i], indptr[i + 1]):
                j = indices[e]
                if not active[j] and _uniform(key, i, j * FIRM_SLOTS + f) < chance:
                    active[j] = True
                    following[count] = j
                    count += 1
        frontier, following = following, frontier
        size = count
        rounds += 1
    return rounds


@njit(cache=True, nogil=True, parallel=True)
def campaign(members, is_member, opinion, boycott, seed, stream, t, f, params):
    """One campaign step against firm ``f`` (:func:`reference.campaign`).

    The petition reads opinions before the call moves them, as in the reference. The
    call reaches every consumer's opinion branch-free (selects, in the module notes).

    Returns
    -------
    int
        Petition signers (new boycotters).
    """
    n = is_member.shape[0]
    petition_key = _key(seed, stream, t)
    call_key = _key(seed, stream + 1, t)
    signers = 0
    for k in prange(members.shape[0]):
        i = members[k]
        if (
            opinion[i, f] < 0.0
            and not boycott[i, f]
            and _uniform(petition_key, i, params.key) < params.petition_rate
        ):
            boycott[i, f] = True
            signers += 1
    for i in prange(n):
        reached = is_member[i] | (_uniform(call_key, i, params.key) < params.reach)
        o = opinion[i, f]
        called = o + params.call_step * (-1.0 - o)
        opinion[i, f] = called if reached else o
    return signers


@njit(cache=True, nogil=True, parallel=True)
def negative_members(members, opinion, f):
    """Count the members with a negative opinion of ``f`` (:func:`reference.negative_members`)."""
    count = 0
    for k in prange(members.shape[0]):
        count += opinion[members[k], f] < 0.0
    return count


_PRESSURE_BLOCK = 1024
"""Consumers per block of :func:`campaign_pressure` (its slice of the column stays in L1)."""


@njit(cache=True, nogil=True, parallel=True)
def campaign_pressure(membership, relief, f, pressure):
    """Set the campaigns' pressure against firm ``f`` (:func:`reference.campaign_pressure`).

    Blocks of consumers in parallel; in each, the column slice holds the running
    product, multiplied institution by institution (1.0 for non-members, which changes
    nothing), so the loops vectorise and the products are the reference's.
    """
    n, institutions = membership.shape
    for block in prange((n + _PRESSURE_BLOCK - 1) // _PRESSURE_BLOCK):
        first = _u(block * _PRESSURE_BLOCK)
        last = _u(min(n, (block + 1) * _PRESSURE_BLOCK))
        for i in range(first, last):
            pressure[i, f] = 1.0
        for k in range(institutions):
            factor = relief[k]
            if factor != 1.0:
                for i in range(first, last):
                    pressure[i, f] *= factor if membership[i, k] else 1.0
        for i in range(first, last):
            pressure[i, f] = 1.0 - pressure[i, f]


@njit(cache=True, nogil=True, inline="always")
def _joins(i, f, boycotting_weight, neighbour_weight, threshold, pressure):
    """Test a non-boycotting consumer whose opinion allows joining: share >= θ(1 − p)."""
    share = boycotting_weight / neighbour_weight[i] if neighbour_weight[i] > 0.0 else 0.0
    return share >= threshold[i] * (1.0 - pressure[i, f])


@njit(cache=True, nogil=True, inline="always")
def _row_boycotting_weight(indptr, indices, boycott, weight, f, i):
    """Σ_j w_j b_jf over consumer i's neighbours, in CSR order from 0.0."""
    total = 0.0
    for e in range(indptr[i], indptr[i + 1]):
        if boycott[indices[e], f]:
            total += weight[indices[e]]
    return total


@njit(cache=True, nogil=True, parallel=True)
def boycott_update(
    indptr, indices, boycott, opinion, weight, neighbour_weight, threshold, pressure, f, params, out
):
    """One synchronous round of the threshold rule (:func:`reference.boycott_update`).

    Sums a consumer's boycotting neighbours only when the sum matters (it does not
    boycott and its opinion allows joining): i leaves if it boycotts and o > leave,
    joins if it does not, o <= join and the share reaches its threshold.
    """
    joined = 0
    for i in prange(indptr.shape[0] - 1):
        if boycott[i, f]:
            out[i] = not opinion[i, f] > params.leave_opinion
        elif opinion[i, f] <= params.join_opinion:
            total = _row_boycotting_weight(indptr, indices, boycott, weight, f, i)
            out[i] = _joins(i, f, total, neighbour_weight, threshold, pressure)
            joined += out[i]
        else:
            out[i] = False
    return joined


@njit(cache=True, nogil=True)
def _sums_are_exact(weight):
    """Check that every sum of these weights is exact, whatever the order.

    True for non-negative integers with a total below 2^53: float64 adds them without
    rounding.
    """
    total = 0.0
    for w in weight:
        if w < 0.0 or w != np.floor(w):
            return False
        total += w
    return total < 2.0**53


@njit(cache=True, nogil=True, parallel=True)
def _changed(boycott, counted, f, parts):
    """List, ascending, the consumers whose state differs from ``counted``; update it.

    Two parallel passes over ``parts`` id ranges: count, then fill from each range's
    place in the total, stopping at the range's last change (the count pass is
    vectorised, the fill is not: with no change, a stalled cascade's common case,
    the call at 10⁵ takes 10 µs instead of 43, in a warm cache).
    """
    n = boycott.shape[0]
    counts = np.zeros(parts + 1, dtype=np.int64)
    for part in prange(parts):
        count = 0
        for i in _part_range(n, parts, part):
            count += boycott[i, f] != counted[i, f]
        counts[part + 1] = count
    counts = np.cumsum(counts)
    changed = np.empty(counts[parts], dtype=np.int64)
    for part in prange(parts):
        k, end = counts[part], counts[part + 1]
        for i in _part_range(n, parts, part):
            if k == end:  # the range's last change is listed (often: there was none)
                break
            if boycott[i, f] != counted[i, f]:
                counted[i, f] = boycott[i, f]
                changed[k] = i
                k += 1
    return changed


@njit(cache=True, nogil=True, parallel=True)
def _add_changes(indptr, indices, boycott, counted, weight, f, boycotting_weight, parts):
    """Add (join) or subtract (leave) each changed consumer's weight in its neighbours' sums.

    Brings ``counted`` up to date. In parallel over ``parts`` ranges of neighbour ids
    with about equal numbers of edges (rows are sorted, so each changed row's
    neighbours in a range are one run); no two threads write the same sum. Exact, in
    any order, only if :func:`_sums_are_exact`.
    """
    changed = _changed(boycott, counted, f, parts)
    bounds = _balanced_parts(indptr, parts, _CONSUMER_COST)
    for part in prange(parts):
        low, high = bounds[part], bounds[part + 1]
        for i in changed:
            delta = weight[i] if boycott[i, f] else -weight[i]
            end = _u(indptr[i + 1])
            e = _u(indptr[i] + np.searchsorted(indices[indptr[i] : indptr[i + 1]], low))
            while e < end and indices[e] < high:
                boycotting_weight[_u(indices[e]), f] += delta
                e += _u(1)


@njit(cache=True, nogil=True)
def _stale_rows(indptr, indices, boycott, counted, f, stale):
    """Return the rows whose boycotting weight is out of date, each once.

    These are the neighbours of every consumer whose state differs from ``counted``;
    ``counted`` is brought up to date. Rows are marked in ``stale`` (all False on entry;
    :func:`_refresh_rows` clears it).
    """
    n = indptr.shape[0] - 1
    rows = []
    for i in range(n):
        if boycott[i, f] != counted[i, f]:
            counted[i, f] = boycott[i, f]
            for e in range(indptr[i], indptr[i + 1]):
                j = indices[e]
                if not stale[j]:
                    stale[j] = True
                    rows.append(j)
    return np.array(rows, dtype=np.int64)


@njit(cache=True, nogil=True, parallel=True)
def _refresh_rows(indptr, indices, boycott, weight, f, rows, boycotting_weight, stale):
    for k in prange(rows.shape[0]):
        j = rows[k]
        boycotting_weight[j, f] = _row_boycotting_weight(indptr, indices, boycott, weight, f, j)
        stale[j] = False


@njit(cache=True, nogil=True, parallel=True)
def _apply_rule(
    boycott, opinion, boycotting_weight, neighbour_weight, threshold, pressure, f, params, out
):
    """Apply the threshold rule on cached sums to every consumer, branch-free (selects).

    Returns the number of consumers who joined.
    """
    joined = 0
    for i in prange(boycott.shape[0]):
        was, o = boycott[i, f], opinion[i, f]
        stays = not o > params.leave_opinion
        joins = (o <= params.join_opinion) & _joins(
            i, f, boycotting_weight[i, f], neighbour_weight, threshold, pressure
        )
        out[i] = stays if was else joins
        joined += (not was) & joins
    return joined


_EXACT_WEIGHTS: dict[int, tuple[weakref.ref, bool]] = {}


def _weights_sum_exactly(weight: Floats) -> bool:
    """Return :func:`_sums_are_exact` for ``weight``, checked once per weight array.

    The array, like the cached sums built from it, must not change between calls.
    """
    known = _EXACT_WEIGHTS.get(id(weight))
    if known is None or known[0]() is not weight:
        known = _EXACT_WEIGHTS[id(weight)] = (weakref.ref(weight), bool(_sums_are_exact(weight)))
    return known[1]


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
    """Apply the threshold rule, caching neighbour sums (:func:`reference.boycott_update_cached`).

    Only the neighbourhoods of consumers whose boycott changed since the sums were
    counted are visited (the cascade's frontier: O(changes × degree) instead of
    O(edges)); the rule itself is then applied to every consumer, whose opinion may
    have moved. The sums stay equal to the reference's CSR-order sums: when all
    weights are integers (the default: 1 and ``alpha_weight`` 3), every sum is exact
    and each change just adds or subtracts its weight in its neighbours' sums;
    otherwise the rows of those neighbours are summed again, whole, in CSR order.
    ``weight`` must stay the same between calls that share the cached sums.
    """
    if _weights_sum_exactly(weight):
        parts = _thread_parts(boycott.shape[0])
        _add_changes(indptr, indices, boycott, counted, weight, f, boycotting_weight, parts)
    else:
        stale = _SCRATCH.get("stale", boycott.shape[0], np.bool_)
        rows = _stale_rows(indptr, indices, boycott, counted, f, stale)
        _refresh_rows(indptr, indices, boycott, weight, f, rows, boycotting_weight, stale)
    return _apply_rule(
        boycott, opinion, boycotting_weight, neighbour_weight, threshold, pressure, f, params, out
    )


def warm_up() -> None:
    """Compile every kernel, or load it from the on-disk cache, on a three-consumer input.

    The inputs have the types and memory layouts the model passes (per-firm state
    ``(n, F)`` column-major, float parameters), so the model then finds every kernel
    ready. Call it once per process before timing, or in each Dask worker; later calls
    take microseconds.
    """
    n, n_firms = 3, 2
    indptr = np.array([0, 1, 2, 2], dtype=np.int64)
    indices = np.array([1, 0], dtype=np.int32)  # CSRGraph's node ids while n < 2**31
    ones = np.ones(n)

    def per_firm(dtype=np.float64):
        return np.zeros((n, n_firms), dtype=dtype, order="F")

    opinion, flags = per_firm(), per_firm(np.bool_)
    purchase = np.zeros(n, dtype=np.int64)
    membership = per_firm(np.bool_)  # (n, I) column-major, as the model's
    advertise(ones, ones, opinion, per_firm(), 0, 0, 0, 0, AdvertisingParams(*[0.5] * 5))
    choose_purchases(
        opinion, opinion, opinion, flags, np.ones(n_firms), 0, 0, 0,
        PurchaseParams(*[0.5] * 5), purchase,
    )  # fmt: skip
    experience(
        purchase, ones, opinion, per_firm(), per_firm(), flags, 0, 0, 0, 0,
        ExperienceParams(*[0.5] * 13),
    )  # fmt: skip
    detect_misconduct(ones, ones, opinion, flags, per_firm(np.bool_), 0, 0, 0, 0,
                      ExposureParams(0.5, 0.5))  # fmt: skip
    word_of_mouth(
        indptr, indices, flags, opinion, ones, ones, ones, 0, 0, 0, 0,
        WordOfMouthParams(*[0.5] * 4), per_firm(np.bool_),
    )  # fmt: skip
    campaign(
        np.array([0], dtype=np.int64), membership[:, 0], opinion, flags, 0, 0, 0, 0,
        CampaignParams(0, 0.5, 0.5, 0.5),
    )  # fmt: skip
    campaign_pressure(membership, np.full(n_firms, 0.5), 0, opinion)
    negative_members(np.array([0], dtype=np.int64), opinion, 0)
    out = per_firm(np.bool_)
    boycott_update(
        indptr, indices, flags, opinion, ones, ones, ones, opinion, 0, BoycottParams(0.0, 0.0),
        out[:, 0],
    )  # fmt: skip
    boycott_update_cached(
        indptr, indices, flags, opinion, ones, ones, ones, opinion, 0, BoycottParams(0.0, 0.0),
        per_firm(), per_firm(np.bool_), out[:, 0],
    )  # fmt: skip
    independent_cascade(indptr, indices, purchase, 0.5, 0, 0, 0, 0, flags[:, 0].copy())
    triangular(0, 0, 0, 0, 0)


cache_stamp.forget_if_changed(advertise, rng.__file__, fmath.__file__)  # before any call
