"""Numba twin of :mod:`swarmsim.phases.word_of_mouth.reference`: same names, arguments and bits.

How the twins stay bit-identical: :mod:`swarmsim.kernels.jit`.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from numba.cpython.unsafe.numbers import trailing_zeros

from swarmsim.kernels import jit
from swarmsim.kernels.arrays import Flags, Floats, Ints
from swarmsim.kernels.rng import FIRM_SLOTS
from swarmsim.phases.word_of_mouth.spec import WordOfMouthParams

__all__ = ["advocate", "independent_cascade", "word_of_mouth"]


@njit(cache=True, nogil=True, parallel=True)
def advocate(opinion, loyalty, seed, stream, t, f, params, speaking):
    """Strong-opinion customers speak up; the reference's rule (:func:`reference.advocate`).

    Returns
    -------
    (int, int)
        Promoters and saboteurs of ``f``.
    """
    n = opinion.shape[0]
    key = jit.key(seed, stream, t)
    promoters = 0
    saboteurs = 0
    for i in prange(n):
        o = opinion[i, f]
        customer = loyalty[i, f] > 0.0
        promoter = customer & (o >= params.level)
        saboteur = customer & (o <= -params.level)
        if promoter | saboteur:  # few are: draw only for them
            speaking[i, f] |= jit.uniform(key, i, f) < params.rate
        promoters += promoter
        saboteurs += saboteur
    return promoters, saboteurs


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
        for i in jit.part_range(n, parts, part):
            count += speaking[i, f]
        counts[part + 1] = count
    return np.cumsum(counts)


@njit(cache=True, nogil=True, parallel=True)
def _list_speakers(
    indptr, speaking, opinion, talk_factor, weight, aware, f, params, counts,
    speakers, offsets, row_start, chance, message,
):  # fmt: skip
    """List the speakers about firm ``f``, with what their draws and messages need.

    Speakers are in ascending order; a message buffer holds their CSR rows back to
    back. Two parallel passes over the ranges counted by :func:`_count_speakers`:
    list each range's speakers from its place in the count (branch-free, every id
    written and kept only if it speaks; no write leaves the range); then, per speaker,
    gather its row and the terms of its talk. Only the flags are read for every
    consumer; the gathers of the second pass are independent loads in a tight loop,
    which the CPU overlaps (in the drawing loop they would be cache misses taken one
    after the other).

    Fills, for k speakers (``counts[-1]``), the first k items of each output:
    ``speakers`` (ids, int64); ``offsets`` (k + 1 items: where each speaker's row goes
    in the message buffer); ``row_start`` (``indptr`` of each speaker); ``chance``
    (talk probability per neighbour, min(1, p_talk · talk factor · bias)); and
    ``message`` (k rows: what a listener adds to its sums, (w, w·o, aware) of the
    speaker, aware 1.0 if it knows of f's misconduct, else 0.0).
    The outputs are buffers reused across calls: fresh arrays would cost their page
    faults on every call.
    """
    n = speaking.shape[0]
    parts = counts.shape[0] - 1
    size = counts[parts]
    for part in prange(parts):
        k, end = jit.unsigned(counts[part]), jit.unsigned(counts[part + 1])
        for i in jit.part_range(n, parts, part):
            if k == end:  # the range's last speaker is listed
                break
            speakers[k] = i  # kept only if i speaks: the next speaker overwrites it
            k += jit.unsigned(speaking[i, f])
    for part in prange(parts):
        for k in jit.part_range(size, parts, part):
            i = jit.unsigned(speakers[k])
            row_start[k] = indptr[i]
            offsets[k + jit.unsigned(1)] = indptr[i + jit.unsigned(1)] - indptr[i]
            o = opinion[i, f]
            bias = params.negativity_bias if o < 0.0 else 1.0
            chance[k] = min(1.0, params.p_talk * talk_factor[i] * bias)
            message[k, 0] = weight[i]
            message[k, 1] = weight[i] * o
            message[k, 2] = 1.0 if aware[i, f] else 0.0
    offsets[0] = 0
    for k in range(1, size + 1):
        offsets[k] += offsets[k - 1]


_SPEAKER_COST = 64
"""A speaker's own work in :func:`_draw_messages`, in edges: the cache misses of its row.

Cut by edges alone, the thread that gets the leaves holds several times the other's
speakers; weighing each speaker as a few dozen edges evens the work out (``swarmsim
bench`` shows the phase times).
"""


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
    in one loop (which LLVM vectorises), the listeners kept in a second, which is
    faster than one loop doing both.
    Speakers go in batches of :data:`_TOUCH_BATCH`, whose rows are first touched.
    """
    key = jit.key(seed, stream, t)
    starts = jit.balanced_parts(offsets, parts, _SPEAKER_COST)
    for part in prange(parts):
        hits = np.empty(_DRAW_BLOCK, dtype=np.bool_)
        touched = 0
        batch, stop = jit.unsigned(starts[part]), jit.unsigned(starts[part + 1])
        while batch < stop:
            batch_end = min(stop, batch + jit.unsigned(_TOUCH_BATCH))
            for k in range(batch, batch_end):
                if offsets[k + 1] > offsets[k]:  # an isolated speaker's row start may be the end
                    touched += indices[row_start[k]]
            for k in range(batch, batch_end):
                speaker_key, talk = jit.fold(key, np.uint64(speakers[k])), chance[k]
                slot = jit.unsigned(offsets[k])
                first = jit.unsigned(row_start[k])
                end = first + jit.unsigned(offsets[k + 1] - offsets[k])
                while first < end:
                    last = min(end, first + jit.unsigned(_DRAW_BLOCK))
                    for e in range(first, last):
                        hits[e - first] = jit.draw(speaker_key, indices[e] * FIRM_SLOTS + f) < talk
                    for e in range(first, last):
                        listeners[slot] = indices[e]  # kept only if the draw succeeded
                        slot += jit.unsigned(hits[e - first])
                    first = last
                sent[k] = slot - jit.unsigned(offsets[k])
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
    number of parts. Speaker k's ``message[k]`` (w, w·o, aware) is added to each of its
    listeners' ``sums[j]``, which hold (Σ w, Σ w·o, Σ aware) side by side,
    and bit j of ``reached`` (uint64 words, 64 consumers each) is set. ``sums`` and
    ``reached`` must be zero on entry; :func:`_listen` leaves them so.
    """
    for part in prange(bounds.shape[0] - 1):
        low, high = bounds[part], bounds[part + 1]
        for k in range(jit.unsigned(sent.shape[0])):
            m, end = jit.unsigned(offsets[k]), jit.unsigned(offsets[k] + sent[k])
            while m < end and listeners[m] < low:
                m += jit.unsigned(1)
            if m == end or listeners[m] >= high:
                continue
            w, wo, told = message[k, 0], message[k, 1], message[k, 2]
            while m < end and listeners[m] < high:
                j = jit.unsigned(listeners[m])
                reached[j >> jit.unsigned(6)] |= np.uint64(1) << (j & jit.unsigned(63))
                sums[j, 0] += w
                sums[j, 1] += wo
                sums[j, 2] += told
                m += jit.unsigned(1)


@njit(cache=True, nogil=True, parallel=True)
def _listen(opinion, peer_trust, f, params, reached, bounds, sums, heard, aware, firm_trust):
    """Move the listeners marked in ``reached``, in ascending order; zero their sums and bits.

    In place is safe: delivery has read every speaker's opinion already. Ascending ids
    make the listeners' loads a forward sweep that the CPU's prefetchers follow, where
    the delivery order (by speaker) would make each a cache miss on its own.
    """
    for part in prange(bounds.shape[0] - 1):
        first, last = bounds[part] >> 6, (bounds[part + 1] + 63) >> 6
        for word in range(jit.unsigned(first), jit.unsigned(last)):
            bits = reached[word]
            reached[word] = 0
            while bits:
                j = (word << jit.unsigned(6)) | jit.unsigned(trailing_zeros(bits))
                bits &= bits - jit.unsigned(1)
                o, total = opinion[j, f], sums[j, 0]
                alpha = min(1.0, params.learning_rate * peer_trust[j] * total)
                new = o + alpha * (sums[j, 1] / total - o)
                if sums[j, 2] > 0.0 and not aware[j, f]:  # news of a misconduct, first told
                    new = max(-1.0, new - params.news_shock * peer_trust[j])
                    aware[j, f] = True
                    firm_trust[j, f] *= 1.0 - params.trust_loss
                if abs(new - o) > params.speak_threshold:
                    heard[j, f] = True
                opinion[j, f] = new
                sums[j, 0] = 0.0
                sums[j, 1] = 0.0
                sums[j, 2] = 0.0


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
    parts = jit.thread_parts(n)
    counts = _count_speakers(speaking, f, parts)
    size = int(counts[-1])
    speakers = jit.SCRATCH.get("speakers", size, np.int64, most=n)
    offsets = jit.SCRATCH.get("offsets", size + 1, np.int64, most=n + 1)
    row_start = jit.SCRATCH.get("row_start", size, np.int64, most=n)
    chance = jit.SCRATCH.get("chance", size, np.float64, most=n)
    message = jit.SCRATCH.get("message", 3 * size, np.float64, most=3 * n).reshape(size, 3)
    _list_speakers(
        indptr, speaking, opinion, talk_factor, weight, aware, f, params, counts,
        speakers, offsets, row_start, chance, message,
    )  # fmt: skip
    ids = np.int32 if n <= np.iinfo(np.int32).max else np.int64  # halves the largest buffer
    listeners = jit.SCRATCH.get(
        f"listeners.{ids.__name__}", offsets[-1], ids, most=indices.shape[0]
    )
    sent = jit.SCRATCH.get("sent", size, np.int64, most=n)
    _draw_messages(
        indices, speakers, offsets, row_start, chance, seed, stream, t, f, listeners, sent, parts
    )
    sums = jit.SCRATCH.get("sums", 3 * n, np.float64).reshape(n, 3)
    reached = jit.SCRATCH.get("reached", (n + 63) // 64, np.uint64)
    bounds = jit.balanced_parts(indptr, parts, jit.CONSUMER_COST)
    bounds[1:-1] -= bounds[1:-1] % 64  # whole words of ``reached`` per part
    _deliver(offsets, listeners, sent, message, sums, reached, bounds)
    _listen(opinion, peer_trust, f, params, reached, bounds, sums, heard, aware, firm_trust)
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
        key = jit.key(seed, stream, first_step + rounds)
        count = 0
        for k in range(size):
            i = frontier[k]
            for e in range(indptr[i], indptr[i + 1]):
                j = indices[e]
                if not active[j] and jit.uniform(key, i, j * FIRM_SLOTS + f) < chance:
                    active[j] = True
                    following[count] = j
                    count += 1
        frontier, following = following, frontier
        size = count
        rounds += 1
    return rounds



jit.forget_stale_cache(independent_cascade)  # before any call
