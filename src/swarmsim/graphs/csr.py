"""The consumers' social graph in compressed sparse row (CSR) form, and its assembly.

Consumers live in array slots ``0..n-1``, so the graph is two integer arrays that a
kernel can take as they are (``indptr``, ``indices``): the neighbours of consumer ``i``
are ``indices[indptr[i]:indptr[i + 1]]``, sorted ascending. The graph is undirected
(every edge is stored in both rows), simple (no self-loops, no duplicate edges) and may
have isolated consumers (empty rows).

This module holds the type (:class:`CSRGraph`, :meth:`CSRGraph.validate`), the
conversions (:func:`from_edges`, :func:`from_networkx`, :meth:`CSRGraph.to_networkx`),
the helpers that kernels and phases use on a built graph (:func:`row_ids`,
:func:`neighbour_sums`, :func:`id_dtype`, :func:`bfs_ball`), and the compiled assembly
steps that the generators and readers share (edge list to CSR, lower triangle to CSR).
Node ids in ``indices`` are ``int32`` whenever they fit (n < 2**31), which halves the
bytes every neighbour-visiting kernel reads.

Examples
--------
>>> g = from_edges(4, [0, 1, 1], [1, 2, 1])
>>> g
CSRGraph(n=4, n_edges=2)
>>> g.neighbours(1).tolist(), g.degree().tolist()
([0, 2], [1, 2, 1, 0])
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
from numba import njit, prange
from numpy.typing import ArrayLike, NDArray

from swarmsim.errors import GraphError
from swarmsim.graphs._checks import MAX_N, as_ids, check_int

__all__ = [
    "CSRGraph",
    "bfs_ball",
    "from_edges",
    "from_networkx",
    "id_dtype",
    "neighbour_sums",
    "row_ids",
]


@dataclass(frozen=True, slots=True, eq=False)
class CSRGraph:
    """An undirected simple graph on consumers ``0..n-1``, in CSR form.

    Build one with :func:`from_edges` or another builder of :mod:`swarmsim.graphs`;
    they return valid graphs. A graph assembled by hand should be checked with
    :meth:`validate`. Two graphs compare equal when their arrays are equal.

    Attributes
    ----------
    indptr : ndarray of int64, shape (n + 1,)
        Row offsets into ``indices``: ``indptr[0] == 0``, non-decreasing,
        ``indptr[n] == len(indices)``.
    indices : ndarray of int32 (int64 when n >= 2**31), shape (2 * n_edges,)
        Neighbour ids in ``[0, n)``; row ``i`` is ``indices[indptr[i]:indptr[i + 1]]``,
        sorted strictly ascending (no duplicates), never containing ``i`` itself.
        Symmetric: ``j`` is in row ``i`` exactly when ``i`` is in row ``j``. Given as
        int64 where int32 would do, they are narrowed on construction (a copy), so
        kernels read half the bytes per neighbour.
    """

    indptr: NDArray[np.int64]  # offsets, shape (n + 1,), indptr[0] == 0, non-decreasing
    indices: NDArray[np.signedinteger]  # ids in [0, n), shape (2 * n_edges,), rows ascending

    def __post_init__(self) -> None:
        indices, indptr = self.indices, self.indptr
        if isinstance(indices, np.ndarray) and isinstance(indptr, np.ndarray):
            narrow = id_dtype(len(indptr) - 1)
            if indices.dtype == np.int64 and narrow != np.int64:
                object.__setattr__(self, "indices", indices.astype(narrow))

    @property
    def n(self) -> int:
        """Number of nodes (consumers), >= 0, isolated ones included."""
        return len(self.indptr) - 1

    @property
    def n_edges(self) -> int:
        """Number of undirected edges, >= 0 (each is stored twice in ``indices``)."""
        return len(self.indices) // 2

    def degree(self) -> NDArray[np.int64]:
        """Return the number of neighbours of every node.

        Returns
        -------
        ndarray of int64, shape (n,)
            ``degree[i] = indptr[i + 1] - indptr[i]``, >= 0; sums to ``2 * n_edges``.
        """
        return np.diff(self.indptr)

    def neighbours(self, i: int) -> NDArray[np.signedinteger]:
        """Return the neighbours of node ``i``, sorted ascending.

        Parameters
        ----------
        i : int
            Node id in ``[0, n)``.

        Returns
        -------
        ndarray of int32 (or int64, as ``indices``), shape (degree[i],)
            A view into ``indices``; do not write to it.
        """
        i = check_int("i", i, 0, self.n - 1)
        return self.indices[self.indptr[i] : self.indptr[i + 1]]

    def to_networkx(self) -> nx.Graph:
        """Return the graph as a ``networkx.Graph`` with nodes ``0..n-1`` (isolated included).

        Node labels are Python ``int``; nodes are added in id order.
        """
        graph = nx.Graph()
        graph.add_nodes_from(range(self.n))
        rows = row_ids(self.indptr)
        upper = rows < self.indices
        graph.add_edges_from(zip(rows[upper].tolist(), self.indices[upper].tolist(), strict=True))
        return graph

    def validate(self) -> None:
        """Check every invariant listed in the class docstring.

        Raises
        ------
        GraphError
            Naming the first offending value: wrong dtype or shape, bad ``indptr``,
            an id outside ``[0, n)``, a self-loop, an unsorted or duplicated neighbour,
            or an edge stored in one direction only.
        """
        _check_array("indptr", self.indptr, np.int64)
        _check_array("indices", self.indices, id_dtype(len(self.indptr) - 1))
        _check_indptr(self.indptr, len(self.indices))
        if len(self.indices) == 0:
            return
        rows = row_ids(self.indptr)
        _check_ids(rows, self.indices, self.n)
        _check_rows(rows, self.indices)
        _check_symmetric(rows, self.indices)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CSRGraph):
            return NotImplemented
        return np.array_equal(self.indptr, other.indptr) and np.array_equal(
            self.indices, other.indices
        )

    def __repr__(self) -> str:
        return f"CSRGraph(n={self.n}, n_edges={self.n_edges})"


# ------------------------------------------------------------ helpers on a built graph


def id_dtype(n: int) -> type[np.signedinteger]:
    """Dtype of node ids (and counts up to n) on ``n`` nodes: int32 while n fits, else int64."""
    return np.int32 if n <= np.iinfo(np.int32).max else np.int64


def row_ids(indptr: NDArray[np.int64]) -> NDArray[np.int64]:
    """Row (source node) of every slot of ``indices``, shape ``(indptr[-1],)``.

    The listener of each CSR slot: ``np.bincount(row_ids(indptr), weights=...)`` sums
    over each row in CSR order.
    """
    return np.repeat(np.arange(len(indptr) - 1, dtype=np.int64), np.diff(indptr))


def neighbour_sums(graph: CSRGraph, values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Σ_j values_j over each node's neighbours, summed along its row from 0.0; shape (n,).

    The same additions in the same order as
    ``np.bincount(row_ids(graph.indptr), weights=values[graph.indices])``, so the same
    bits, computed in parallel over rows without the O(edges) temporaries.
    """
    out = np.empty(graph.n)
    _row_sums(graph.indptr, graph.indices, np.asarray(values, dtype=np.float64), out)
    return out


@njit(cache=True, nogil=True, parallel=True)
def _row_sums(indptr, indices, values, out):
    for i in prange(indptr.shape[0] - 1):
        total = 0.0
        for e in range(indptr[i], indptr[i + 1]):
            total += values[indices[e]]
        out[i] = total


# --------------------------------------------------------------------------- validation


def _check_array(name: str, array: object, dtype: type[np.signedinteger]) -> None:
    if not isinstance(array, np.ndarray) or array.ndim != 1 or array.dtype != dtype:
        got = (
            f"dtype={array.dtype}, shape={array.shape}"
            if isinstance(array, np.ndarray)
            else f"{type(array).__name__}"
        )
        raise GraphError(
            f"CSRGraph.{name} must be a 1-D {np.dtype(dtype)} array, got {got}; build graphs with "
            "swarmsim.graphs.from_edges"
        )


def _check_indptr(indptr: NDArray[np.int64], n_slots: int) -> None:
    if len(indptr) == 0 or indptr[0] != 0:
        first = indptr[0] if len(indptr) else "nothing (empty array)"
        raise GraphError(f"indptr must start with 0 (shape (n + 1,)), got indptr[0]={first}")
    if indptr[-1] != n_slots:
        raise GraphError(
            f"indptr[-1] must equal len(indices), got indptr[-1]={indptr[-1]}, "
            f"len(indices)={n_slots}"
        )
    drops = np.flatnonzero(np.diff(indptr) < 0)
    if len(drops):
        i = int(drops[0])
        raise GraphError(
            f"indptr must be non-decreasing, got indptr[{i}]={indptr[i]} > "
            f"indptr[{i + 1}]={indptr[i + 1]}"
        )


def _check_ids(rows: NDArray[np.int64], indices: NDArray[np.int64], n: int) -> None:
    bad = np.flatnonzero((indices < 0) | (indices >= n))
    if len(bad):
        k = int(bad[0])
        raise GraphError(
            f"indices[{k}]={indices[k]} (a neighbour of node {rows[k]}) is outside [0, n={n}); "
            "graph built for another population?"
        )
    loops = np.flatnonzero(rows == indices)
    if len(loops):
        k = int(loops[0])
        raise GraphError(
            f"node {rows[k]} is its own neighbour (self-loop at indices[{k}]); "
            "a consumer is not its own neighbour"
        )


def _check_rows(rows: NDArray[np.int64], indices: NDArray[np.int64]) -> None:
    same_row = rows[1:] == rows[:-1]
    bad = np.flatnonzero(same_row & (indices[1:] <= indices[:-1]))
    if len(bad):
        k = int(bad[0])
        u, a, b = rows[k], indices[k], indices[k + 1]
        if a == b:
            raise GraphError(f"node {u} lists neighbour {a} twice (duplicate edge at indices[{k}])")
        raise GraphError(
            f"neighbours of node {u} must be sorted ascending, got {a} before {b} at indices[{k}]"
        )


def _check_symmetric(rows: NDArray[np.int64], indices: NDArray[np.int64]) -> None:
    # Rows are sorted and duplicate-free, so (rows, indices) is in lexicographic order;
    # the reversed pairs, sorted the same way, must be the identical sequence.
    order = np.lexsort((rows, indices))
    rev_rows, rev_cols = indices[order], rows[order]
    bad = np.flatnonzero((rev_rows != rows) | (rev_cols != indices))
    if len(bad):
        k = int(bad[0])
        # The smaller of the two pairs at the first mismatch is missing from the other list.
        if (rows[k], indices[k]) < (rev_rows[k], rev_cols[k]):
            u, v = rows[k], indices[k]
        else:
            u, v = rev_cols[k], rev_rows[k]
        raise GraphError(
            f"graph must be undirected: node {u} lists neighbour {v}, but node {v} "
            f"does not list {u}"
        )


# ---------------------------------------------------------------------- array builders


def from_edges(n: int, src: ArrayLike, dst: ArrayLike) -> CSRGraph:
    """Build the undirected simple graph with the edges ``src[k] -- dst[k]``.

    Edges are symmetrised (direction is ignored). Self-loops ``u -- u`` are dropped,
    because a consumer is not its own neighbour. Repeated edges, in either direction,
    collapse to one (multi-edges carry no weight here). Node ids must already be array
    slots; ids of nodes without edges simply give empty rows.

    Compiled (Numba): degrees are counted, both directions scattered into rows, and
    each row sorted and de-duplicated in place (rows in parallel); no global sort,
    so the work is linear in ``n + m`` and the extra memory is 8 bytes per stored
    direction on top of the inputs.

    Parameters
    ----------
    n : int
        Number of nodes, in ``[0, 3_037_000_499]``.
    src, dst : array_like of int, shape (m,)
        Edge end points, each in ``[0, n)``; ``m`` may be 0.

    Returns
    -------
    CSRGraph
        With ``n`` nodes and at most ``m`` edges.

    Raises
    ------
    GraphError
        If ``src`` and ``dst`` differ in shape or are not integer, or an id is outside
        ``[0, n)`` (the message gives the first such edge).

    Examples
    --------
    >>> g = from_edges(3, [0, 1, 2, 2], [1, 0, 2, 1])  # 0-1 twice, a self-loop at 2
    >>> g.indptr.tolist(), g.indices.tolist()
    ([0, 1, 3, 4], [1, 0, 2, 1])
    """
    n = check_int("n", n, 0, MAX_N)
    src, dst = as_ids("src", src), as_ids("dst", dst)
    if src.shape != dst.shape:
        raise GraphError(f"src and dst must have the same length, got {len(src)} and {len(dst)}")
    _check_edge_ids(n, src, dst)
    return _assemble(n, src, dst, unique=False)


def _assemble(
    n: int, src: NDArray[np.integer], dst: NDArray[np.integer], *, unique: bool
) -> CSRGraph:
    """Build the CSR graph of the valid edge list ``src -- dst`` (ids checked by the caller).

    ``unique=True`` promises no self-loops and no edge listed twice in either direction
    (the generators' output), which skips the de-duplication pass.
    """
    indptr = np.zeros(n + 1, dtype=np.int64)
    _count_ends(src, dst, indptr[1:])
    np.cumsum(indptr, out=indptr)
    indices = np.empty(indptr[-1], dtype=id_dtype(n))
    _scatter_ends(src, dst, indptr, indices)
    if unique:
        _sort_rows(indptr, indices)
        return CSRGraph(indptr=indptr, indices=indices)
    kept = np.empty(n + 1, dtype=np.int64)
    kept[0] = 0
    _sort_unique_rows(indptr, indices, kept[1:])
    np.cumsum(kept, out=kept)
    if kept[-1] < indptr[-1]:
        _compact_rows(indptr, kept, indices)
        indices = indices[: kept[-1]].copy()
    return CSRGraph(indptr=kept, indices=indices)


@njit(cache=True, nogil=True)
def _count_ends(src, dst, degree):
    """Add each edge's two ends to ``degree`` (shape (n,)), skipping self-loops."""
    for k in range(src.shape[0]):
        if src[k] != dst[k]:
            degree[src[k]] += 1
            degree[dst[k]] += 1


@njit(cache=True, nogil=True)
def _scatter_ends(src, dst, indptr, indices):
    """Write each edge into both rows, in input order (rows come out unsorted)."""
    cursor = indptr[:-1].copy()
    for k in range(src.shape[0]):
        u, v = src[k], dst[k]
        if u != v:
            indices[cursor[u]] = v
            cursor[u] += 1
            indices[cursor[v]] = u
            cursor[v] += 1


_SHORT_ROW = 16
"""Rows up to this long are sorted by insertion, which beats ``ndarray.sort``'s call
overhead on the short rows most generated graphs have (a Barabási–Albert lower row holds
``m`` ids)."""


@njit(cache=True, nogil=True, parallel=True)
def _sort_rows(indptr, indices):
    """Sort every row of ``indices`` in place (rows are independent: one per thread)."""
    for i in prange(indptr.shape[0] - 1):
        start, end = indptr[i], indptr[i + 1]
        if end - start > _SHORT_ROW:
            indices[start:end].sort()
            continue
        for c in range(start + 1, end):
            value, d = indices[c], c - 1
            while d >= start and indices[d] > value:
                indices[d + 1] = indices[d]
                d -= 1
            indices[d + 1] = value


@njit(cache=True, nogil=True, parallel=True)
def _sort_unique_rows(indptr, indices, kept):
    """Sort each row, move its distinct values to the row's front, count them in ``kept``."""
    for i in prange(indptr.shape[0] - 1):
        row = indices[indptr[i] : indptr[i + 1]]
        row.sort()
        count = 0
        for k in range(row.shape[0]):
            if count == 0 or row[k] != row[count - 1]:
                row[count] = row[k]
                count += 1
        kept[i] = count


@njit(cache=True, nogil=True)
def _compact_rows(indptr, new_indptr, indices):
    """Close the gaps left by duplicates: row i's front moves to ``new_indptr[i]``."""
    for i in range(indptr.shape[0] - 1):
        start, target = indptr[i], new_indptr[i]
        for k in range(new_indptr[i + 1] - target):
            indices[target + k] = indices[start + k]


def _check_edge_ids(n: int, src: NDArray[np.int64], dst: NDArray[np.int64]) -> None:
    if len(src) == 0:
        return
    if min(src.min(), dst.min()) >= 0 and max(src.max(), dst.max()) < n:
        return
    bad = (src < 0) | (src >= n) | (dst < 0) | (dst >= n)
    k = int(np.argmax(bad))
    raise GraphError(
        f"edge {k} ({src[k]}, {dst[k]}) has a node id outside [0, n={n}); node ids must be "
        "array slots 0..n-1 (is n too small, or are the ids labels that need relabelling?)"
    )


# ----------------------------------------------------------- lower triangle to full CSR


def _from_lower(lower_ptr: NDArray[np.int64], lower: NDArray[np.signedinteger]) -> CSRGraph:
    """Symmetrise a lower-triangular CSR (row v: its neighbours w < v) into a full graph.

    Each row of the result is its lower part followed by the rows that list it, in
    ascending order, so rows come out sorted with no sort (a CSR transpose). The
    arrays are allocated by NumPy rather than inside the kernels because NumPy asks
    Linux for transparent huge pages for large arrays (Numba's allocator does not), so
    the kernels' scattered reads of rows later miss the TLB less.

    Parameters
    ----------
    lower_ptr : ndarray of int64, shape (n + 1,)
    lower : ndarray of int32 or int64, shape (n_edges,)
        Row v sorted strictly ascending, every value < v.
    """
    n = lower_ptr.shape[0] - 1
    indptr = np.zeros(n + 1, dtype=np.int64)
    _count_full_rows(lower_ptr, lower, indptr)
    indices = np.empty(indptr[n], dtype=lower.dtype)
    _fill_full_rows(lower_ptr, lower, indptr, indices)
    return CSRGraph(indptr=indptr, indices=indices)


@njit(cache=True, nogil=True)
def _count_full_rows(lower_ptr, lower, indptr):
    """Set ``indptr`` (zero on entry) to the full rows' offsets."""
    n = lower_ptr.shape[0] - 1
    for v in range(n):
        indptr[v + 1] += lower_ptr[v + 1] - lower_ptr[v]
        for k in range(lower_ptr[v], lower_ptr[v + 1]):
            indptr[lower[k] + 1] += 1
    for v in range(n):
        indptr[v + 1] += indptr[v]


@njit(cache=True, nogil=True)
def _fill_full_rows(lower_ptr, lower, indptr, indices):
    """Write each full row: its lower part, then the later rows that list it."""
    n = lower_ptr.shape[0] - 1
    cursor = np.empty(n, dtype=np.int64)
    for v in range(n):
        start, width = indptr[v], lower_ptr[v + 1] - lower_ptr[v]
        for k in range(width):
            indices[start + k] = lower[lower_ptr[v] + k]
        cursor[v] = start + width
    for v in range(n):
        for k in range(lower_ptr[v], lower_ptr[v + 1]):
            w = lower[k]
            indices[cursor[w]] = v
            cursor[w] += 1


# ------------------------------------------------------------------------ networkx


def _edge_array(graph: nx.Graph, index: dict | None = None) -> NDArray[np.int64]:
    """Return the edges of ``graph`` as an ``(m, 2)`` int64 array, relabelled by ``index``."""
    edges = graph.edges()
    if index is not None:
        edges = ((index[u], index[v]) for u, v in edges)
    pair = np.dtype((np.int64, 2))
    return np.fromiter(edges, dtype=pair, count=graph.number_of_edges()).reshape(-1, 2)


def from_networkx(graph: nx.Graph) -> CSRGraph:
    """Build a CSR graph from any networkx graph, relabelling its nodes ``0..n-1``.

    Node ``i`` of the result is ``list(graph.nodes)[i]``: keep that list to map
    results back to labels. Directed graphs become undirected (an arc in either
    direction makes an edge); self-loops are dropped and multi-edges collapse to one,
    as in :func:`from_edges`. Node and edge attributes are ignored.

    Parameters
    ----------
    graph : networkx.Graph, DiGraph, MultiGraph or MultiDiGraph
        Any hashable node labels.

    Returns
    -------
    CSRGraph
        With ``graph.number_of_nodes()`` nodes.

    Examples
    --------
    >>> arcs = nx.DiGraph([("b", "a"), ("a", "b"), ("a", "c")])
    >>> labels = list(arcs.nodes)  # node i of the result is labels[i]
    >>> g = from_networkx(arcs)
    >>> labels, g.neighbours(labels.index("a")).tolist()
    (['b', 'a', 'c'], [0, 2])
    """
    if not isinstance(graph, nx.Graph):
        raise GraphError(f"expected a networkx graph, got {type(graph).__name__}")
    index = {node: i for i, node in enumerate(graph)}
    edges = _edge_array(graph, index)
    return from_edges(len(index), edges[:, 0], edges[:, 1])


# -------------------------------------------------------------------------- queries


def bfs_ball(graph: CSRGraph, centre: int, size: int) -> NDArray[np.int64]:
    """Return the first ``size`` nodes reached by breadth-first search from ``centre``.

    Neighbours are visited in CSR order (ascending id), so the result is deterministic.
    If the component of ``centre`` has fewer than ``size`` nodes, the search continues
    from the lowest-numbered unvisited node, and so on, so exactly ``size`` distinct
    nodes are returned. Used to give an institution a graph-local community.
    O(size + edges scanned), one NumPy step per expanded node.

    Parameters
    ----------
    graph : CSRGraph
    centre : int
        Start node, in ``[0, n)``; first in the result when ``size >= 1``.
    size : int
        Number of nodes wanted, in ``[0, n]``.

    Returns
    -------
    ndarray of int64, shape (size,)
        Distinct node ids in visiting order. Each node other than a search start has a
        neighbour earlier in the array.

    Examples
    --------
    >>> bfs_ball(from_edges(5, [0, 1, 1], [1, 2, 3]), centre=2, size=5).tolist()
    [2, 1, 0, 3, 4]
    """
    centre = check_int("centre", centre, 0, graph.n - 1)
    size = check_int("size", size, 0, graph.n)
    out = np.empty(size, dtype=np.int64)  # doubles as the BFS queue
    if size == 0:
        return out
    visited = np.zeros(graph.n, dtype=bool)
    out[0], visited[centre] = centre, True
    count, head, restart = 1, 0, 0
    while count < size:
        if head == count:  # component exhausted: restart at the lowest unvisited node
            while visited[restart]:
                restart += 1
            out[count], visited[restart] = restart, True
            count += 1
            continue
        u = out[head]
        head += 1
        row = graph.indices[graph.indptr[u] : graph.indptr[u + 1]]
        new = row[~visited[row]][: size - count]
        out[count : count + len(new)] = new
        visited[new] = True
        count += len(new)
    return out
