"""Random graphs (and the complete graph) written straight into CSR arrays by Numba kernels.

Each generator runs the random process of the networkx generator of the same name (the
tests compare degree distributions), not the same realised edge sets, for 10**3 to
10**7 nodes and without networkx objects:

- :func:`barabasi_albert`: preferential attachment (Barabási & Albert 1999);
- :func:`erdos_renyi`: G(n, p) by geometric skips (Erdős & Rényi 1959, Gilbert 1959;
  the skipping of Batagelj & Brandes 2005);
- :func:`watts_strogatz`: a rewired ring lattice (Watts & Strogatz 1998);
- :func:`stochastic_block`: a block model (Holland, Laskey & Leinhardt 1983), with
  :func:`block_labels`;
- :func:`configuration`: a given degree sequence (Molloy & Reed 1995);
- :func:`complete`: everyone knows everyone.

Randomness is counter-based: every draw is ``uniform(seed, stream, t, a, b)`` of
:mod:`swarmsim.kernels.rng`, a pure hash of its counters (each generator has its own
``stream``; ``t, a, b`` name the draw, e.g. the node and its attempt), so a graph is a
pure function of its arguments and ``seed``, whatever the number of Numba threads and
the order in which rows are filled. Work and memory
are linear in nodes + edges (except :func:`complete`, quadratic by nature).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

from swarmsim.errors import GraphError
from swarmsim.graphs._checks import MAX_N, as_counts, check_int, check_real, check_seed
from swarmsim.graphs.csr import CSRGraph, _assemble, _from_lower, _sort_rows, id_dtype
from swarmsim.kernels import cache_stamp, rng

__all__ = [
    "barabasi_albert",
    "block_labels",
    "complete",
    "configuration",
    "erdos_renyi",
    "stochastic_block",
    "watts_strogatz",
]


# ------------------------------------------------------------------- random numbers

_STREAMS = {
    name: rng.stable_hash(f"graphs.{name}")  # names kept from graphs.py: same graphs
    for name in ("barabasi_albert", "blocks", "watts_strogatz", "configuration")
}
# The mixing is rng's own source compiled here, not a copy: an edit of rng.py changes
# these draws too (and the cache stamp at the end of this module recompiles them).
_FOLD = njit(cache=True, nogil=True)(rng.fold)
_TO_UNIT = njit(cache=True, nogil=True)(rng.to_unit)


@njit(cache=True, nogil=True)
def _uniform(seed, stream, t, a, b):
    """Compiled twin of :func:`swarmsim.kernels.rng.uniform` for scalar counters.

    Returns the same float64 in [0, 1) for the same ``(seed, stream, t, a, b)``, each an
    integer >= 0 (tested against the NumPy version). It folds the counters in the order
    of :func:`~swarmsim.kernels.rng.hash_counters` with :func:`~swarmsim.kernels.rng.fold`;
    ``hash_counters`` itself cannot be compiled (it uses ``np.errstate``), so only this
    sequence of calls lives here.
    """
    h = _FOLD(np.uint64(seed), np.uint64(0))
    h = _FOLD(h, np.uint64(stream))
    h = _FOLD(h, np.uint64(t))
    h = _FOLD(h, np.uint64(a))
    return _TO_UNIT(_FOLD(h, np.uint64(b)))


def barabasi_albert(n: int, m: int, *, seed: int) -> CSRGraph:
    """Preferential attachment: each new node links to ``m`` existing nodes.

    The process of ``networkx.barabasi_albert_graph(n, m)`` (Barabási & Albert 1999):
    a star on nodes ``0..m`` (centre 0), then nodes ``m + 1..n-1`` each attach to ``m``
    distinct earlier nodes, chosen with probability proportional to degree by drawing
    uniformly from the list of edge end points (repeats redrawn). Linear time in the
    manner of Batagelj & Brandes (2005, "Efficient generation of large random
    networks"): the end-point list is preallocated, ``2 * m * (n - m)`` entries.
    Exactly ``m * (n - m)`` edges; degrees >= ``m`` with a power-law tail P(k) ~ k**-3.

    Compiled, sequential (each node depends on all earlier ones); temporaries of 12
    bytes per edge (int32 ids) besides the CSR arrays (16 bytes per edge).

    Parameters
    ----------
    n : int
        Number of nodes, >= 2.
    m : int
        Edges per new node, in ``[1, n - 1]``.
    seed : int
        In ``[0, 2**63 - 1]``; draw ``k`` of node ``v`` is ``uniform(seed, stream, 0, v, k)``.

    Returns
    -------
    CSRGraph

    Examples
    --------
    >>> g = barabasi_albert(1000, 3, seed=1)
    >>> g.n_edges, int(g.degree().min())
    (2991, 3)
    """
    n = check_int("n", n, 2, MAX_N)
    m = check_int("m", m, 1, n - 1, why=f" (edges per new node, fewer than n={n})")
    seed = check_seed(seed)
    width = np.full(n, m, dtype=np.int64)  # lower row v: the m nodes v attached to
    width[0], width[1 : m + 1] = 0, 1  # the star: nodes 1..m attached to 0
    lower_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(width, out=lower_ptr[1:])
    dtype = id_dtype(n)
    lower = np.empty(lower_ptr[-1], dtype=dtype)
    ends = np.empty(2 * m * (n - m), dtype=dtype)
    _barabasi_albert_lower(n, m, seed, _STREAMS["barabasi_albert"], lower, ends)
    del ends
    _sort_rows(lower_ptr, lower)
    return _from_lower(lower_ptr, lower)


@njit(cache=True, nogil=True)
def _barabasi_albert_lower(n, m, seed, stream, lower, ends):
    """Fill the lower rows of a BA graph, unsorted; ``ends`` is scratch for the end-point list.

    Rows are left in the order drawn and sorted afterwards in a pass of their own: a
    sort here would compare targets whose loads have just missed the cache.
    """
    for i in range(m):  # star edges 0 -- i+1; lower row i+1 is [0]
        lower[i] = 0
        ends[2 * i], ends[2 * i + 1] = 0, i + 1
    size = 2 * m
    for v in range(m + 1, n):
        base = m + (v - m - 1) * m
        chosen, k = 0, 0
        while chosen < m:
            target = ends[int(_uniform(seed, stream, 0, v, k) * size)]
            k += 1
            fresh = True
            for c in range(chosen):
                if lower[base + c] == target:
                    fresh = False
                    break
            if fresh:
                lower[base + chosen] = target
                chosen += 1
        for c in range(m):
            ends[size + 2 * c] = lower[base + c]
            ends[size + 2 * c + 1] = v
        size += 2 * m


def erdos_renyi(n: int, mean_degree: float, *, seed: int) -> CSRGraph:
    """G(n, p) random graph with expected degree ``mean_degree``.

    Every pair of nodes is an edge independently with probability
    ``p = mean_degree / (n - 1)`` (Gilbert 1959; Erdős & Rényi 1959), as in
    ``networkx.fast_gnp_random_graph``; generated row by row with geometric skips
    (Batagelj & Brandes 2005, "Efficient generation of large random networks"), so only
    the chosen pairs cost a draw: O(n + edges). The edge
    count is Binomial(n (n - 1) / 2, p), mean ``n * mean_degree / 2``. A
    :func:`stochastic_block` graph with one block.

    Parameters
    ----------
    n : int
        Number of nodes, >= 0.
    mean_degree : float
        Expected neighbours per node, in ``[0, n - 1]`` (0 when ``n <= 1``).
    seed : int
        In ``[0, 2**63 - 1]``.

    Returns
    -------
    CSRGraph

    Examples
    --------
    >>> float(erdos_renyi(10_000, 8.0, seed=1).degree().mean())  # doctest: +SKIP
    7.99...
    """
    n = check_int("n", n, 0, MAX_N)
    mean_degree = check_real("mean_degree", mean_degree, 0.0, float(max(n - 1, 0)))
    p = min(1.0, mean_degree / (n - 1)) if n > 1 else 0.0
    return _blocks(np.array([n], dtype=np.int64), p, 0.0, check_seed(seed))


def watts_strogatz(n: int, k: int, p: float, *, seed: int) -> CSRGraph:
    """Small-world graph: a ring lattice with each edge rewired with probability ``p``.

    The process of ``networkx.watts_strogatz_graph(n, k, p)`` (Watts & Strogatz 1998):
    node u links to its ``k / 2`` successors on the ring; then, for j = 1..k/2 and each
    u in order, the lattice edge u -- u+j is, with probability ``p``, replaced by
    u -- w, w uniform among the nodes that are neither u nor already u's neighbours
    (drawn by rejection; skipped if u already knows everyone). Exactly ``n * k / 2``
    edges. Compiled and sequential, O(n k); rewired edges are looked up in a hash set.

    Parameters
    ----------
    n : int
        Number of nodes, >= 1.
    k : int
        Lattice degree (``k / 2`` neighbours on each side), even, in ``[0, n - 1]``.
    p : float
        Rewiring probability per edge, in ``[0, 1]``.
    seed : int
        In ``[0, 2**63 - 1]``.

    Returns
    -------
    CSRGraph
    """
    n = check_int("n", n, 1, MAX_N)
    k = check_int("k", k, 0, n - 1, why=" (lattice degree, fewer than n)")
    if k % 2:
        raise GraphError(f"k must be even (k / 2 neighbours on each side), got k={k}")
    p = check_real("p", p, 0.0, 1.0)
    seed = check_seed(seed)
    stream = _STREAMS["watts_strogatz"]
    half = k // 2
    dtype = id_dtype(n)
    targets = np.empty(n * half, dtype=dtype)  # edge (j-1)*n + u is u -- targets[...]
    rewired = _count_rewirings(n, half, p, seed, stream)
    table = np.full(_table_size(rewired), -1, dtype=np.int64)
    _watts_strogatz_targets(n, half, p, seed, stream, targets, table)
    del table
    sources = np.tile(np.arange(n, dtype=dtype), half)
    return _assemble(n, sources, targets, unique=True)


def _table_size(items: int) -> int:
    """Power of two >= 2 * items + 1: an open-addressing table at most half full."""
    return 1 << max(2 * items + 1, 1).bit_length()


@njit(cache=True, nogil=True)
def _count_rewirings(n, half, p, seed, stream):
    """Count the lattice edges whose rewiring draw is below ``p`` (>= the rewirings)."""
    count = 0
    for j in range(1, half + 1):
        for u in range(n):
            if _uniform(seed, stream, j, u, 0) < p:
                count += 1
    return count


@njit(cache=True, nogil=True)
def _slot(table, key):
    """Index of ``key`` in the open-addressing ``table``, or of the empty slot it would take."""
    mask = table.shape[0] - 1
    i = np.int64(_FOLD(np.uint64(key), np.uint64(0)) & np.uint64(mask))
    while table[i] != -1 and table[i] != key:
        i = (i + 1) & mask
    return i


@njit(cache=True, nogil=True)
def _ws_has_edge(n, half, targets, done, table, u, w):
    """Whether u -- w is an edge after the first ``done`` lattice edges were processed."""
    for a, b in ((u, w), (w, u)):
        d = (b - a) % n
        if 1 <= d <= half:
            edge = (d - 1) * n + a
            if edge >= done or targets[edge] == b:  # not yet processed, or kept
                return True
    key = min(u, w) * n + max(u, w)
    return table[_slot(table, key)] == key


@njit(cache=True, nogil=True)
def _watts_strogatz_targets(n, half, p, seed, stream, targets, table):
    """Decide every lattice edge's final end: its lattice neighbour or a rewired one."""
    degree = np.full(n, 2 * half, dtype=np.int64)
    for j in range(1, half + 1):
        for u in range(n):
            edge = (j - 1) * n + u
            v = (u + j) % n
            targets[edge] = v
            if _uniform(seed, stream, j, u, 0) >= p:
                continue
            attempt, w = 1, u
            while w == u or _ws_has_edge(n, half, targets, edge, table, u, w):
                if attempt > 1 and degree[u] >= n - 1:
                    w = v  # u already knows everyone: keep the lattice edge
                    break
                w = int(_uniform(seed, stream, j, u, attempt) * n)
                attempt += 1
            if w != v:
                targets[edge] = w
                degree[v] -= 1
                degree[w] += 1
                key = min(u, w) * n + max(u, w)
                table[_slot(table, key)] = key


def stochastic_block(
    sizes: Sequence[int] | NDArray[np.integer], p_in: float, p_out: float, *, seed: int
) -> CSRGraph:
    """Stochastic block model: communities with dense inside, sparse between.

    The model of Holland, Laskey & Leinhardt (1983), as
    ``networkx.stochastic_block_model(sizes, P)`` with ``p_in`` on the diagonal of
    ``P`` and ``p_out`` elsewhere: every pair of nodes is an edge independently, with
    probability ``p_in`` inside a block and ``p_out`` between blocks. Nodes are
    numbered block by block (:func:`block_labels` gives each node's block). Generated
    row by row with geometric skips over the two runs of candidates w < v (earlier
    blocks, then v's own block), in parallel over rows: O(n + edges).

    Parameters
    ----------
    sizes : sequence of int, shape (n_blocks,)
        Nodes per block, each >= 0; at least one block.
    p_in : float
        Probability of an edge between two nodes of the same block, in ``[0, 1]``.
    p_out : float
        Probability of an edge between nodes of different blocks, in ``[0, 1]``.
    seed : int
        In ``[0, 2**63 - 1]``.

    Returns
    -------
    CSRGraph
        With ``sum(sizes)`` nodes.
    """
    counts = as_counts("sizes", sizes)
    if len(counts) == 0:
        raise GraphError("sizes must list at least one block size, got []")
    check_int("sum(sizes)", int(counts.sum()), 0, MAX_N)
    p_in = check_real("p_in", p_in, 0.0, 1.0)
    p_out = check_real("p_out", p_out, 0.0, 1.0)
    return _blocks(counts, p_in, p_out, check_seed(seed))


def _blocks(sizes: NDArray[np.int64], p_in: float, p_out: float, seed: int) -> CSRGraph:
    """Block-model graph: count each lower row, then fill it with the same draws."""
    ends = np.cumsum(sizes)
    n = int(ends[-1])
    stream = _STREAMS["blocks"]
    lower_ptr = np.zeros(n + 1, dtype=np.int64)
    dtype = id_dtype(n)
    _block_rows(ends, sizes, p_in, p_out, seed, stream, lower_ptr, np.empty(0, dtype=dtype))
    np.cumsum(lower_ptr, out=lower_ptr)
    lower = np.empty(lower_ptr[-1], dtype=dtype)
    _block_rows(ends, sizes, p_in, p_out, seed, stream, lower_ptr, lower)
    return _from_lower(lower_ptr, lower)


@njit(cache=True, nogil=True, parallel=True)
def _block_rows(ends, sizes, p_in, p_out, seed, stream, lower_ptr, lower):
    """Count or write every lower row of a block model, in parallel over rows.

    Row v's candidates are [0, s) with probability p_out and [s, v) with p_in, where s
    is the first node of v's block; run r of row v uses draws (seed, stream, r, v, k).
    With ``lower`` empty, row v's length goes to ``lower_ptr[v + 1]``; otherwise the
    row is written to ``lower[lower_ptr[v]:]`` (the same draws, so the same row).
    """
    n = lower_ptr.shape[0] - 1
    write = lower.shape[0] > 0
    for v in prange(n):
        block = np.searchsorted(ends, v, side="right")
        start = ends[block] - sizes[block]
        pos = lower_ptr[v]
        found = _skip_run(seed, stream, 0, v, 0, start, p_out, lower, pos, write)
        found += _skip_run(seed, stream, 1, v, start, v, p_in, lower, pos + found, write)
        if not write:
            lower_ptr[v + 1] = found


@njit(cache=True, nogil=True)
def _skip_run(seed, stream, run, v, low, high, p, out, pos, write):
    """Bernoulli(p) choice of each candidate in [low, high) by geometric skipping.

    Skip lengths floor(log(1 - u) / log(1 - p)) are Geometric(p), so each candidate is
    chosen independently with probability p while only chosen ones cost a draw. Chosen
    candidates (ascending) go to ``out[pos:]`` when ``write``; returns their number.
    """
    if p <= 0.0 or high <= low:
        return 0
    if p >= 1.0:
        if write:
            for w in range(low, high):
                out[pos + w - low] = w
        return high - low
    log_q = math.log1p(-p)
    w, k, found = low - 1, 0, 0
    while True:
        # Compared as a float first: for a tiny p the ratio exceeds int64, and Numba's
        # math.floor would wrap it to a negative skip. floor(r) >= m iff r >= m (m int).
        ratio = math.log1p(-_uniform(seed, stream, run, v, k)) / log_q
        k += 1
        if ratio >= high - 1 - w:
            return found
        w += 1 + int(ratio)  # ratio >= 0: int() is floor()
        if write:
            out[pos + found] = w
        found += 1


def block_labels(sizes: Sequence[int] | NDArray[np.integer]) -> NDArray[np.int64]:
    """Return the block of every node of :func:`stochastic_block` with these ``sizes``.

    Parameters
    ----------
    sizes : sequence of int, shape (n_blocks,)
        Nodes per block, each >= 0.

    Returns
    -------
    ndarray of int64, shape (sum(sizes),)
        Block index in ``[0, n_blocks)``, non-decreasing.

    Examples
    --------
    >>> block_labels([2, 0, 3]).tolist()
    [0, 0, 2, 2, 2]
    """
    counts = as_counts("sizes", sizes)
    return np.repeat(np.arange(len(counts), dtype=np.int64), counts)


def configuration(degrees: Sequence[int] | NDArray[np.integer], *, seed: int) -> CSRGraph:
    """Random graph with (about) the given degree sequence.

    The process of ``networkx.configuration_model(degrees)`` (Molloy & Reed 1995): the
    list of degree "stubs" (node i repeated ``degrees[i]`` times) is shuffled
    (Fisher–Yates) and its first half paired with its second half. That multigraph's
    self-loops are dropped and its multi-edges collapsed (as in :func:`from_edges`),
    so realised degrees can fall below ``degrees``, mostly for the largest ones.

    Parameters
    ----------
    degrees : sequence of int, shape (n,)
        Wanted degree of each node, each >= 0; the sum must be even.
    seed : int
        In ``[0, 2**63 - 1]``.

    Returns
    -------
    CSRGraph
        With ``n`` nodes and at most ``sum(degrees) / 2`` edges.
    """
    counts = as_counts("degrees", degrees)
    total = int(counts.sum())
    if total % 2:
        raise GraphError(
            f"sum of degrees must be even (each edge has two ends), got sum={total}; "
            "add 1 to one degree"
        )
    n = check_int("n", len(counts), 0, MAX_N)
    stubs = np.repeat(np.arange(n, dtype=id_dtype(n)), counts)
    _shuffle(stubs, check_seed(seed), _STREAMS["configuration"])
    half = total // 2
    return _assemble(n, stubs[:half], stubs[half:], unique=False)


@njit(cache=True, nogil=True)
def _shuffle(values, seed, stream):
    """Fisher–Yates shuffle in place; swap i uses draw (seed, stream, 0, i, 0)."""
    for i in range(values.shape[0] - 1, 0, -1):
        j = int(_uniform(seed, stream, 0, i, 0) * (i + 1))
        values[i], values[j] = values[j], values[i]


# ------------------------------------------------------------------------- complete


def complete(n: int) -> CSRGraph:
    """Build the complete graph on ``n`` nodes: ``n * (n - 1) / 2`` edges.

    Built directly with NumPy (no networkx object); memory is ``8 * n**2`` bytes.

    Parameters
    ----------
    n : int
        Number of nodes, >= 0.

    Returns
    -------
    CSRGraph
        Row ``i`` holds every node except ``i``.

    Examples
    --------
    >>> complete(3).indices.tolist()
    [1, 2, 0, 2, 0, 1]
    """
    n = check_int("n", n, 0, MAX_N)
    indptr = np.arange(n + 1, dtype=np.int64) * max(n - 1, 0)
    everyone = np.broadcast_to(np.arange(n, dtype=id_dtype(n)), (n, n))
    indices = everyone[~np.eye(n, dtype=bool)]  # row-major, so each row stays sorted
    return CSRGraph(indptr=indptr, indices=indices)


cache_stamp.forget_if_changed(_uniform, rng.__file__)  # rng's generator is compiled in here
