"""The consumers' social graph in compressed sparse row (CSR) form, and its builders.

Consumers live in array slots ``0..n-1``, so the graph is two integer arrays that a
kernel can take as they are (``indptr``, ``indices``): the neighbours of consumer ``i``
are ``indices[indptr[i]:indptr[i + 1]]``, sorted ascending. The graph is undirected
(every edge is stored in both rows), simple (no self-loops, no duplicate edges) and may
have isolated consumers (empty rows).

Builders:

- from arrays, files or networkx: :func:`from_edges`, :func:`from_networkx`,
  :func:`read_edge_list` (text or Parquet), :func:`read_graphml`;
- random graphs for 10**3 to 10**7 nodes, written straight into CSR arrays by Numba
  kernels (no networkx objects): :func:`barabasi_albert`, :func:`erdos_renyi`,
  :func:`watts_strogatz`, :func:`stochastic_block` (with :func:`block_labels`),
  :func:`configuration`; and :func:`complete`.

The generators run the same random processes as networkx's generators of the same
name (the tests compare degree distributions), not the same realised edge sets. Their
randomness is counter-based (:mod:`swarmsim.kernels.rng`, with the Numba twin
:func:`_uniform`): draw ``k`` of node ``v`` is a pure hash of ``(seed, stream, v, k)``,
so a graph is a pure function of its arguments and ``seed``, whatever the number of
Numba threads. Work and memory are linear in nodes + edges. Node ids in ``indices``
are ``int32`` whenever they fit (n < 2**31), which halves the bytes every
neighbour-visiting kernel reads: a 10**7-node graph of mean degree 10 holds
2 * 4 * 5e7 bytes = 0.4 GB of ``indices`` (``docs/performance.md`` gives measured times
and peak memory).

:func:`bfs_ball` picks a graph-local group of consumers (an institution's community).

Examples
--------
>>> g = from_edges(4, [0, 1, 1], [1, 2, 1])
>>> g
CSRGraph(n=4, n_edges=2)
>>> g.neighbours(1).tolist(), g.degree().tolist()
([0, 2], [1, 2, 1, 0])
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import networkx as nx
import numpy as np
from numba import njit, prange
from numpy.typing import ArrayLike, NDArray

from swarmsim.errors import GraphError
from swarmsim.kernels import cache_stamp, rng

__all__ = [
    "CSRGraph",
    "barabasi_albert",
    "bfs_ball",
    "block_labels",
    "complete",
    "configuration",
    "erdos_renyi",
    "from_edges",
    "from_networkx",
    "id_dtype",
    "neighbour_sums",
    "read_edge_list",
    "read_graphml",
    "row_ids",
    "stochastic_block",
    "watts_strogatz",
]

# Largest n for which the pair key ``u * n + v`` fits in int64 (floor(sqrt(2**63 - 1))).
_MAX_N = 3_037_000_499
_EDGE_LINE_FORMAT = (
    "expected one edge 'u v' per line: two node ids (integers in 0..n-1) separated by "
    "whitespace or a comma, extra columns ignored, '#' starts a comment"
)
_INT_TOKEN = re.compile(r"[+-]?\d+")


@dataclass(frozen=True, slots=True, eq=False)
class CSRGraph:
    """An undirected simple graph on consumers ``0..n-1``, in CSR form.

    Build one with :func:`from_edges` or another builder of this module; they return
    valid graphs. A graph assembled by hand should be checked with :meth:`validate`.
    Two graphs compare equal when their arrays are equal.

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
        i = _check_int("i", i, 0, self.n - 1)
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


# --------------------------------------------------------------------------- validation


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


# ------------------------------------------------------------------- argument checking


def _check_int(name: str, value: object, low: int, high: int | None = None, why: str = "") -> int:
    """Return ``value`` as an ``int`` after checking it is an integer in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise GraphError(f"{name} must be an integer, got {name}={value!r}")
    value = int(value)
    if value < low or (high is not None and value > high):
        wanted = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise GraphError(f"{name} must be {wanted}{why}, got {name}={value}")
    return value


def _check_real(name: str, value: object, low: float, high: float) -> float:
    """Return ``value`` as a ``float`` after checking it is a number in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise GraphError(f"{name} must be a number, got {name}={value!r}")
    value = float(value)
    if not low <= value <= high:  # also rejects NaN
        raise GraphError(f"{name} must be in [{low}, {high}], got {name}={value}")
    return value


def _check_seed(seed: object) -> int:
    return _check_int("seed", seed, 0, 2**63 - 1)


def _as_counts(name: str, values: ArrayLike) -> NDArray[np.int64]:
    """Return a 1-D int64 copy of non-negative integers (block sizes, degrees)."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise GraphError(f"{name} must be a 1-D sequence of integers, got shape {array.shape}")
    if len(array) and not np.issubdtype(array.dtype, np.integer):
        raise GraphError(f"{name} must hold integers, got dtype {array.dtype}: {array[:5]}")
    array = array.astype(np.int64)
    negative = np.flatnonzero(array < 0)
    if len(negative):
        k = int(negative[0])
        raise GraphError(f"{name} must be >= 0, got {name}[{k}]={array[k]}")
    return array


def _as_ids(name: str, values: ArrayLike) -> NDArray[np.int64]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise GraphError(f"{name} must be a 1-D array of node ids, got shape {array.shape}")
    if len(array) == 0:
        return np.empty(0, dtype=np.int64)
    if not np.issubdtype(array.dtype, np.integer):
        raise GraphError(f"{name} must hold integer node ids, got dtype {array.dtype}")
    return array.astype(np.int64, copy=False)


# ---------------------------------------------------------------------- array builders


def from_edges(n: int, src: ArrayLike, dst: ArrayLike) -> CSRGraph:
    """Build the undirected simple graph with the edges ``src[k] -- dst[k]``.

    Edges are symmetrised (direction is ignored). Self-loops ``u -- u`` are dropped,
    because a consumer is not its own neighbour. Repeated edges, in either direction,
    collapse to one (multi-edges carry no weight here). Node ids must already be array
    slots; ids of nodes without edges simply give empty rows.

    Compiled (Numba): degrees are counted, both directions scattered into rows, and
    each row sorted and de-duplicated in place (rows in parallel); no global sort,
    8 bytes per stored direction on top of the inputs, about 0.8 s per 5 * 10**6 edges
    (``docs/performance.md``).

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
    n = _check_int("n", n, 0, _MAX_N)
    src, dst = _as_ids("src", src), _as_ids("dst", dst)
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
"""Rows up to this long are sorted by insertion: a Barabási–Albert graph's 10⁶ lower
rows of 5 took 160 ms with ``ndarray.sort`` and 40 ms by insertion (1 thread)."""


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
    n = _check_int("n", n, 0, _MAX_N)
    indptr = np.arange(n + 1, dtype=np.int64) * max(n - 1, 0)
    everyone = np.broadcast_to(np.arange(n, dtype=id_dtype(n)), (n, n))
    indices = everyone[~np.eye(n, dtype=bool)]  # row-major, so each row stays sorted
    return CSRGraph(indptr=indptr, indices=indices)


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


# --------------------------------------------------------------------------- files


def _existing_file(path: str | PathLike[str]) -> Path:
    path = Path(path)
    if not path.is_file():
        where = "" if path.is_absolute() else f" (resolved to {path.resolve()})"
        raise GraphError(f"graph file not found: {path}{where}")
    return path


def read_edge_list(path: str | PathLike[str], *, n: int | None = None) -> CSRGraph:
    """Read an undirected graph from an edge-list file: text, or Parquet by suffix.

    Text format: two node ids per line, separated by whitespace or a comma (``0 1``,
    ``0,1``, ``0, 1``); further columns (weights, timestamps) are ignored; ``#`` starts
    a comment (whole-line or trailing); blank lines are skipped. A file named
    ``*.parquet`` or ``*.pq`` is read as a table whose first two columns hold the end
    points (any integer type, no nulls); other columns are ignored. Ids are array
    slots, integers in ``[0, n)``. Edges are symmetrised, self-loops dropped and
    duplicates collapsed, as in :func:`from_edges`.

    No networkx: text is parsed by a compiled scanner over the file's bytes (about
    0.1 s per 10**6 lines; the file is re-read line by line only to locate an error),
    Parquet by pyarrow. Peak memory is about the file size plus 16 bytes per edge plus
    the CSR arrays.

    Parameters
    ----------
    path : str or path-like
        The edge-list file.
    n : int, optional
        Number of nodes, >= 0. Defaults to the largest id + 1 (0 for a file with no
        edges), so isolated nodes after the largest id need an explicit ``n``.

    Returns
    -------
    CSRGraph

    Raises
    ------
    GraphError
        If the file is missing or unreadable, or a line (its number is given) or a
        Parquet row has fewer than two fields, an id that is not an integer, a negative
        id, or an id >= ``n``.

    Examples
    --------
    A file holding ``# friends``, ``0,1`` and ``1 2 0.5`` gives
    ``read_edge_list(path, n=4)`` with edges 0-1 and 1-2 and node 3 isolated.
    """
    path = _existing_file(path)
    if n is not None:
        n = _check_int("n", n, 0, _MAX_N)
    if path.suffix.lower() in _PARQUET_SUFFIXES:
        return _read_parquet_edges(path, n)
    data = _read_bytes(path)
    src, dst = _parse_edges(path, data)
    top = int(max(src.max(), dst.max())) if len(src) else -1
    if n is None:
        n = top + 1
    elif top >= n:
        raise _edge_line_error(path, data, n)
    return from_edges(n, src, dst)


_PARQUET_SUFFIXES = (".parquet", ".pq")
_PARQUET_FORMAT = "expected a Parquet table whose first two columns are integer node ids"


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise GraphError(f"cannot read graph file {path}: {err.strerror or err}") from err


def _parse_edges(path: Path, data: bytes) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return the first two columns as ids >= 0, or raise naming the first bad line."""
    buffer = np.frombuffer(data, dtype=np.uint8)
    lines = _count_lines(buffer)
    src = np.empty(lines, dtype=np.int64)
    dst = np.empty(lines, dtype=np.int64)
    count = _scan_edges(buffer, src, dst)
    if count < 0:
        raise _edge_line_error(path, data, None)
    return src[:count], dst[:count]


@njit(cache=True, nogil=True)
def _count_lines(data):
    """Count the lines of ``data`` (a final line without a newline counts)."""
    count = 0
    for byte in data:
        count += byte == 10
    return count + (data.shape[0] > 0 and data[-1] != 10)


@njit(cache=True, nogil=True)
def _scan_edges(data, src, dst):
    """Parse ``u v`` per line of ``data`` (bytes) into ``src`` and ``dst``.

    Returns the number of edges, or -1 at the first line that is not blank or a
    comment and lacks two integer ids >= 0 (the caller then locates it for the
    message). The rules are those of :func:`_line_problem`: ``,`` counts as
    whitespace, a token is ``[+-]?[0-9]+`` ending at whitespace, ``#`` or the line end.
    """
    size, i, count = data.shape[0], 0, 0
    while i < size:
        fields = 0
        while fields < 2:
            while i < size and _is_blank(data[i]):
                i += 1
            if i == size or data[i] == 10 or data[i] == 35:  # end of line or '#'
                break
            value, i = _scan_id(data, i)
            if value < 0:
                return -1
            if fields == 0:
                src[count] = value
            else:
                dst[count] = value
            fields += 1
        if fields == 1:
            return -1
        count += fields == 2
        while i < size and data[i] != 10:  # the rest of the line is ignored
            i += 1
        i += 1
    return count


@njit(cache=True, nogil=True)
def _is_blank(byte):
    """Space, tab, carriage return, vertical tab, form feed or comma."""
    return byte == 32 or byte == 9 or byte == 13 or byte == 11 or byte == 12 or byte == 44


@njit(cache=True, nogil=True)
def _scan_id(data, i):
    """Parse the token at ``i``: return (id, next index), or (-1, i) if not an id >= 0."""
    size, sign = data.shape[0], 1
    if data[i] == 43 or data[i] == 45:  # '+' or '-'
        sign = 1 if data[i] == 43 else -1
        i += 1
    start, value = i, 0
    while i < size and 48 <= data[i] <= 57:
        digit = np.int64(data[i]) - 48
        if value > (9223372036854775807 - digit) // 10:
            return -1, i  # does not fit in int64
        value = value * 10 + digit
        i += 1
    if i == start or (i < size and not (_is_blank(data[i]) or data[i] == 10 or data[i] == 35)):
        return -1, i
    if sign < 0 and value > 0:
        return -1, i
    return value, i


def _read_parquet_edges(path: Path, n: int | None) -> CSRGraph:
    """Read the first two columns of a Parquet edge table (see :func:`read_edge_list`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path, columns=pq.read_schema(path).names[:2])
    except (OSError, pa.ArrowException) as err:
        raise GraphError(f"{path}: not a readable Parquet file ({err}); {_PARQUET_FORMAT}") from err
    if table.num_columns < 2:
        raise GraphError(f"{path}: has {table.num_columns} column(s); {_PARQUET_FORMAT}")
    ends = []
    for name, column in zip(table.column_names[:2], table.columns[:2], strict=True):
        if not pa.types.is_integer(column.type):
            raise GraphError(f"{path}: column {name!r} has type {column.type}; {_PARQUET_FORMAT}")
        if column.null_count:
            raise GraphError(f"{path}: column {name!r} has {column.null_count} nulls; "
                             f"{_PARQUET_FORMAT}")  # fmt: skip
        ends.append(column.to_numpy().astype(np.int64, copy=False))
    src, dst = ends
    for name, values in zip(table.column_names[:2], ends, strict=True):
        bad = np.flatnonzero((values < 0) | (values >= (n if n is not None else _MAX_N)))
        if len(bad):
            k = int(bad[0])
            limit = "negative" if values[k] < 0 else f">= n={n if n is not None else _MAX_N}"
            raise GraphError(
                f"{path}: row {k}: column {name!r} holds node id {values[k]}, which is "
                f"{limit}; {_PARQUET_FORMAT} in 0..n-1"
            )
    if n is None:
        n = int(max(src.max(), dst.max())) + 1 if len(src) else 0
    return from_edges(n, src, dst)


def _edge_line_error(
    path: Path, data: bytes, n: int | None, cause: Exception | None = None
) -> GraphError:
    """Re-scan ``data`` line by line and describe the first bad line (slow path)."""
    lines = data.decode("utf-8", errors="replace").split("\n")
    for lineno, line in enumerate(lines, start=1):
        problem = _line_problem(line.split("#", 1)[0].replace(",", " ").split(), n)
        if problem:
            return GraphError(
                f"{path}: line {lineno}: {problem} in {line.rstrip()!r}; {_EDGE_LINE_FORMAT}"
            )
    return GraphError(f"{path}: cannot parse as an edge list ({cause}); {_EDGE_LINE_FORMAT}")


def _line_problem(fields: list[str], n: int | None) -> str | None:
    if not fields:
        return None
    if len(fields) < 2:
        return "only one field, expected two node ids"
    for token in fields[:2]:
        if not _INT_TOKEN.fullmatch(token):
            return f"node id {token!r} is not an integer"
        value = int(token)
        if value < 0:
            return f"node id {value} is negative"
        if value >= 2**63:
            return f"node id {value} does not fit in int64"
        if n is not None and value >= n:
            return f"node id {value} is >= n={n} (pass a larger n, or renumber the nodes)"
    return None


def read_graphml(path: str | PathLike[str]) -> CSRGraph:
    """Read an undirected graph from a GraphML file (via ``networkx.read_graphml``).

    Node ``i`` is the ``i``-th node networkx reads, i.e. the ``i``-th ``<node>`` element
    in file order; the GraphML ids (strings) are not interpreted. Directed graphs become
    undirected, self-loops are dropped and multi-edges collapse, as in
    :func:`from_networkx`. Attributes are ignored.

    Parameters
    ----------
    path : str or path-like
        The GraphML file.

    Returns
    -------
    CSRGraph

    Raises
    ------
    GraphError
        If the file is missing, or is not well-formed XML or not GraphML.
    """
    path = _existing_file(path)
    try:
        graph = nx.read_graphml(path)
    except (ET.ParseError, nx.NetworkXError, ValueError, KeyError) as err:
        raise GraphError(
            f"{path}: not a readable GraphML file ({type(err).__name__}: {err}); expected "
            "XML with a <graphml><graph> element, as written by networkx.write_graphml"
        ) from err
    except OSError as err:
        raise GraphError(f"cannot read graph file {path}: {err.strerror or err}") from err
    return from_networkx(graph)


# ----------------------------------------------------------------- random generators

_STREAMS = {
    name: rng.stable_hash(f"graphs.{name}")
    for name in ("barabasi_albert", "blocks", "watts_strogatz", "configuration")
}
_FOLD = njit(cache=True, nogil=True)(rng.fold)  # the NumPy source, compiled
_TO_UNIT = njit(cache=True, nogil=True)(rng.to_unit)


@njit(cache=True, nogil=True)
def _uniform(seed, stream, t, a, b):
    """Compiled twin of :func:`swarmsim.kernels.rng.uniform` for scalar counters.

    Returns the same float64 in [0, 1) for the same ``(seed, stream, t, a, b)``, each an
    integer >= 0 (tested against the NumPy version).
    """
    h = _FOLD(np.uint64(seed), np.uint64(0))
    h = _FOLD(h, np.uint64(stream))
    h = _FOLD(h, np.uint64(t))
    h = _FOLD(h, np.uint64(a))
    return _TO_UNIT(_FOLD(h, np.uint64(b)))


def id_dtype(n: int) -> type[np.signedinteger]:
    """Dtype of node ids (and counts up to n) on ``n`` nodes: int32 while n fits, else int64."""
    return np.int32 if n <= np.iinfo(np.int32).max else np.int64


def _from_lower(lower_ptr: NDArray[np.int64], lower: NDArray[np.signedinteger]) -> CSRGraph:
    """Symmetrise a lower-triangular CSR (row v: its neighbours w < v) into a full graph.

    Each row of the result is its lower part followed by the rows that list it, in
    ascending order, so rows come out sorted with no sort (a CSR transpose). The
    arrays are allocated by NumPy, which asks Linux for transparent huge pages for
    large ones (Numba's allocator does not): the kernels' scattered reads of rows
    then miss the TLB less (an independent cascade on Barabási–Albert graphs, 1
    thread: 25.9 → 23.4 ms at 10⁶ nodes, 468 → 433 ms at 10⁷).

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


def barabasi_albert(n: int, m: int, *, seed: int) -> CSRGraph:
    """Preferential attachment: each new node links to ``m`` existing nodes.

    The process of ``networkx.barabasi_albert_graph(n, m)`` (Barabási & Albert 1999):
    a star on nodes ``0..m`` (centre 0), then nodes ``m + 1..n-1`` each attach to ``m``
    distinct earlier nodes, chosen with probability proportional to degree by drawing
    uniformly from the list of edge end points (repeats redrawn). Linear time in the
    manner of Batagelj & Brandes (2005, "Efficient generation of large random
    networks"): the end-point list is preallocated, ``2 * m * (n - m)`` entries.
    Exactly ``m * (n - m)`` edges; degrees >= ``m`` with a power-law tail P(k) ~ k**-3.

    Compiled, sequential (each node depends on all earlier ones): about 0.25 s per 10**6
    nodes at m = 5; temporaries of 12 bytes per edge (int32 ids) besides the CSR
    arrays (16 bytes per edge).

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
    n = _check_int("n", n, 2, _MAX_N)
    m = _check_int("m", m, 1, n - 1, why=f" (edges per new node, fewer than n={n})")
    seed = _check_seed(seed)
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

    Rows are left in the order drawn (sorted afterwards in a pass of their own): a
    sort here compares targets whose loads have just missed the cache, and its
    mispredicted branches made each node wait for them (2.2x slower at 10⁶ nodes).
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
    ``p = mean_degree / (n - 1)``, as in ``networkx.fast_gnp_random_graph``; generated
    row by row with geometric skips (Batagelj & Brandes 2005), O(n + edges). The edge
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
    n = _check_int("n", n, 0, _MAX_N)
    mean_degree = _check_real("mean_degree", mean_degree, 0.0, float(max(n - 1, 0)))
    p = min(1.0, mean_degree / (n - 1)) if n > 1 else 0.0
    return _blocks(np.array([n], dtype=np.int64), p, 0.0, _check_seed(seed))


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
    n = _check_int("n", n, 1, _MAX_N)
    k = _check_int("k", k, 0, n - 1, why=" (lattice degree, fewer than n)")
    if k % 2:
        raise GraphError(f"k must be even (k / 2 neighbours on each side), got k={k}")
    p = _check_real("p", p, 0.0, 1.0)
    seed = _check_seed(seed)
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

    As ``networkx.stochastic_block_model(sizes, P)`` with ``p_in`` on the diagonal of
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
    counts = _as_counts("sizes", sizes)
    if len(counts) == 0:
        raise GraphError("sizes must list at least one block size, got []")
    _check_int("sum(sizes)", int(counts.sum()), 0, _MAX_N)
    p_in = _check_real("p_in", p_in, 0.0, 1.0)
    p_out = _check_real("p_out", p_out, 0.0, 1.0)
    return _blocks(counts, p_in, p_out, _check_seed(seed))


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
        skip = math.floor(math.log1p(-_uniform(seed, stream, run, v, k)) / log_q)
        k += 1
        if skip >= high - 1 - w:
            return found
        w += 1 + int(skip)
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
    counts = _as_counts("sizes", sizes)
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
    counts = _as_counts("degrees", degrees)
    total = int(counts.sum())
    if total % 2:
        raise GraphError(
            f"sum of degrees must be even (each edge has two ends), got sum={total}; "
            "add 1 to one degree"
        )
    n = _check_int("n", len(counts), 0, _MAX_N)
    stubs = np.repeat(np.arange(n, dtype=id_dtype(n)), counts)
    _shuffle(stubs, _check_seed(seed), _STREAMS["configuration"])
    half = total // 2
    return _assemble(n, stubs[:half], stubs[half:], unique=False)


@njit(cache=True, nogil=True)
def _shuffle(values, seed, stream):
    """Fisher–Yates shuffle in place; swap i uses draw (seed, stream, 0, i, 0)."""
    for i in range(values.shape[0] - 1, 0, -1):
        j = int(_uniform(seed, stream, 0, i, 0) * (i + 1))
        values[i], values[j] = values[j], values[i]


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
    centre = _check_int("centre", centre, 0, graph.n - 1)
    size = _check_int("size", size, 0, graph.n)
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


cache_stamp.forget_if_changed(_row_sums, rng.__file__)  # rng's generator is compiled in here
