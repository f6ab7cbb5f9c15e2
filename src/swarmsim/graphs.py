"""The consumers' social graph in compressed sparse row (CSR) form, and its builders.

Consumers live in array slots ``0..n-1``, so the graph is two ``int64`` arrays that a
kernel can take as they are (``indptr``, ``indices``): the neighbours of consumer ``i``
are ``indices[indptr[i]:indptr[i + 1]]``, sorted ascending. The graph is undirected
(every edge is stored in both rows), simple (no self-loops, no duplicate edges) and may
have isolated consumers (empty rows).

Builders:

- from arrays, files or networkx: :func:`from_edges`, :func:`from_networkx`,
  :func:`read_edge_list`, :func:`read_graphml`;
- random graphs, each seeded by a keyword-only ``seed`` and built with networkx's own
  generator (the edge set is networkx's, node ``i`` is networkx's node ``i``):
  :func:`barabasi_albert`, :func:`erdos_renyi`, :func:`watts_strogatz`,
  :func:`stochastic_block` (with :func:`block_labels`), :func:`configuration`;
- :func:`complete`, built directly with NumPy.

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

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from swarmsim.errors import GraphError

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
    "read_edge_list",
    "read_graphml",
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
    indices : ndarray of int64, shape (2 * n_edges,)
        Neighbour ids in ``[0, n)``; row ``i`` is ``indices[indptr[i]:indptr[i + 1]]``,
        sorted strictly ascending (no duplicates), never containing ``i`` itself.
        Symmetric: ``j`` is in row ``i`` exactly when ``i`` is in row ``j``.
    """

    indptr: NDArray[np.int64]  # offsets, shape (n + 1,), indptr[0] == 0, non-decreasing
    indices: NDArray[np.int64]  # node ids in [0, n), shape (2 * n_edges,), rows ascending

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

    def neighbours(self, i: int) -> NDArray[np.int64]:
        """Return the neighbours of node ``i``, sorted ascending.

        Parameters
        ----------
        i : int
            Node id in ``[0, n)``.

        Returns
        -------
        ndarray of int64, shape (degree[i],)
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
        rows = _rows(self.indptr)
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
        _check_array("indptr", self.indptr)
        _check_array("indices", self.indices)
        _check_indptr(self.indptr, len(self.indices))
        if len(self.indices) == 0:
            return
        rows = _rows(self.indptr)
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


def _rows(indptr: NDArray[np.int64]) -> NDArray[np.int64]:
    """Row (source node) of every slot of ``indices``, shape ``(indptr[-1],)``."""
    return np.repeat(np.arange(len(indptr) - 1, dtype=np.int64), np.diff(indptr))


def _check_array(name: str, array: object) -> None:
    if not isinstance(array, np.ndarray) or array.ndim != 1 or array.dtype != np.int64:
        got = (
            f"dtype={array.dtype}, shape={array.shape}"
            if isinstance(array, np.ndarray)
            else f"{type(array).__name__}"
        )
        raise GraphError(
            f"CSRGraph.{name} must be a 1-D int64 array, got {got}; build graphs with "
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
    return _check_int("seed", seed, 0)


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

    Vectorised: one sort of ``2 * len(src)`` int64 pair keys ``u * n + v``, no Python
    loop; about 2-3 s and 1 GB of temporaries for 10**7 edges.

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
    keep = src != dst
    src, dst = src[keep], dst[keep]
    rows, cols = np.divmod(_sorted_unique(np.concatenate((src * n + dst, dst * n + src))), n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return CSRGraph(indptr=indptr, indices=cols.astype(np.int64, copy=False))


def _sorted_unique(keys: NDArray[np.int64]) -> NDArray[np.int64]:
    """Sort ``keys`` and drop repeats.

    Same result as ``np.unique(keys)``, which in NumPy 2.5 was measured 15x slower on
    2 * 10**7 int64 keys (24 s against 1.4 s).
    """
    keys = np.sort(keys)
    first = np.ones(len(keys), dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    return keys[first]


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
    everyone = np.broadcast_to(np.arange(n, dtype=np.int64), (n, n))
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


def _from_generated(graph: nx.Graph) -> CSRGraph:
    """Convert a generator's output whose nodes are the integers ``0..n-1``.

    Node labels are used as ids (not insertion order, which e.g. the stochastic block
    model scrambles), so the edge set is exactly networkx's.
    """
    edges = _edge_array(graph)
    return from_edges(graph.number_of_nodes(), edges[:, 0], edges[:, 1])


# --------------------------------------------------------------------------- files


def _existing_file(path: str | PathLike[str]) -> Path:
    path = Path(path)
    if not path.is_file():
        where = "" if path.is_absolute() else f" (resolved to {path.resolve()})"
        raise GraphError(f"graph file not found: {path}{where}")
    return path


def read_edge_list(path: str | PathLike[str], *, n: int | None = None) -> CSRGraph:
    """Read an undirected graph from a text file with one edge ``u v`` per line.

    Format: two node ids per line, separated by whitespace or a comma (``0 1``,
    ``0,1``, ``0, 1``); further columns (weights, timestamps) are ignored; ``#`` starts
    a comment (whole-line or trailing); blank lines are skipped. Ids are array slots,
    integers in ``[0, n)``. Edges are symmetrised, self-loops dropped and duplicates
    collapsed, as in :func:`from_edges`.

    Parsed by pandas' C reader (about 0.15 s per 10**6 lines). The file is re-read
    line by line only to locate an error.

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
        If the file is missing or unreadable, or a line (its number is given) has fewer
        than two fields, an id that is not an integer, a negative id, or an id >= ``n``.

    Examples
    --------
    A file holding ``# friends``, ``0,1`` and ``1 2 0.5`` gives
    ``read_edge_list(path, n=4)`` with edges 0-1 and 1-2 and node 3 isolated.
    """
    path = _existing_file(path)
    if n is not None:
        n = _check_int("n", n, 0, _MAX_N)
    data = _read_bytes(path)
    edges = _parse_edges(path, data)
    if n is None:
        n = int(edges.max()) + 1 if len(edges) else 0
    elif len(edges) and edges.max() >= n:
        raise _edge_line_error(path, data, n)
    return from_edges(n, edges[:, 0], edges[:, 1])


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise GraphError(f"cannot read graph file {path}: {err.strerror or err}") from err


def _parse_edges(path: Path, data: bytes) -> NDArray[np.int64]:
    """Return the first two columns as an ``(m, 2)`` array of ids >= 0, or raise."""
    text = io.BytesIO(data.replace(b",", b" "))
    try:
        frame = pd.read_csv(text, sep=r"\s+", comment="#", header=None, usecols=[0, 1])
    except pd.errors.EmptyDataError:  # only comments and blank lines
        return np.empty((0, 2), dtype=np.int64)
    except ValueError as err:  # ParserError, UnicodeDecodeError, too few columns
        raise _edge_line_error(path, data, None, err) from err
    if any(dtype != np.int64 for dtype in frame.dtypes):
        raise _edge_line_error(path, data, None)
    edges = frame.to_numpy(dtype=np.int64)
    if len(edges) and edges.min() < 0:
        raise _edge_line_error(path, data, None)
    return edges


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


def barabasi_albert(n: int, m: int, *, seed: int) -> CSRGraph:
    """Preferential attachment: each new node links to ``m`` existing nodes.

    ``networkx.barabasi_albert_graph(n, m, seed=seed)`` (Barabási & Albert 1999): a
    star on ``m + 1`` nodes, then nodes ``m + 1..n-1`` each attach to ``m`` distinct
    nodes chosen with probability proportional to degree. Exactly ``m * (n - m)`` edges.

    Parameters
    ----------
    n : int
        Number of nodes, >= 2.
    m : int
        Edges per new node, in ``[1, n - 1]``.
    seed : int
        Seed of networkx's generator, >= 0; same seed, same graph.

    Returns
    -------
    CSRGraph
    """
    n = _check_int("n", n, 2)
    m = _check_int("m", m, 1, n - 1, why=f" (edges per new node, fewer than n={n})")
    return _from_generated(nx.barabasi_albert_graph(n, m, seed=_check_seed(seed)))


def erdos_renyi(n: int, mean_degree: float, *, seed: int) -> CSRGraph:
    """G(n, p) random graph with expected degree ``mean_degree``.

    ``networkx.fast_gnp_random_graph(n, p, seed=seed)`` with
    ``p = mean_degree / (n - 1)`` (Batagelj & Brandes 2005, O(n + m)). The edge count
    is Binomial(n (n - 1) / 2, p), mean ``n * mean_degree / 2``.

    Parameters
    ----------
    n : int
        Number of nodes, >= 0.
    mean_degree : float
        Expected neighbours per node, in ``[0, n - 1]`` (0 when ``n <= 1``).
    seed : int
        Seed of networkx's generator, >= 0.

    Returns
    -------
    CSRGraph
    """
    n = _check_int("n", n, 0, _MAX_N)
    mean_degree = _check_real("mean_degree", mean_degree, 0.0, float(max(n - 1, 0)))
    p = mean_degree / (n - 1) if n > 1 else 0.0
    return _from_generated(nx.fast_gnp_random_graph(n, p, seed=_check_seed(seed)))


def watts_strogatz(n: int, k: int, p: float, *, seed: int) -> CSRGraph:
    """Small-world graph: a ring lattice with each edge rewired with probability ``p``.

    ``networkx.watts_strogatz_graph(n, k, p, seed=seed)`` (Watts & Strogatz 1998).
    Rewiring avoids self-loops and duplicates, so there are exactly ``n * k / 2`` edges.

    Parameters
    ----------
    n : int
        Number of nodes, >= 1.
    k : int
        Lattice degree (``k / 2`` neighbours on each side), even, in ``[0, n - 1]``.
    p : float
        Rewiring probability per edge, in ``[0, 1]``.
    seed : int
        Seed of networkx's generator, >= 0.

    Returns
    -------
    CSRGraph
    """
    n = _check_int("n", n, 1)
    k = _check_int("k", k, 0, n - 1, why=" (lattice degree, fewer than n)")
    if k % 2:
        raise GraphError(f"k must be even (k / 2 neighbours on each side), got k={k}")
    p = _check_real("p", p, 0.0, 1.0)
    return _from_generated(nx.watts_strogatz_graph(n, k, p, seed=_check_seed(seed)))


def stochastic_block(
    sizes: Sequence[int] | NDArray[np.integer], p_in: float, p_out: float, *, seed: int
) -> CSRGraph:
    """Stochastic block model: communities with dense inside, sparse between.

    ``networkx.stochastic_block_model(sizes, P, seed=seed)`` where ``P`` has ``p_in``
    on the diagonal and ``p_out`` elsewhere. Nodes are numbered block by block, so
    :func:`block_labels` gives each node's block.

    Parameters
    ----------
    sizes : sequence of int, shape (n_blocks,)
        Nodes per block, each >= 0; at least one block.
    p_in : float
        Probability of an edge between two nodes of the same block, in ``[0, 1]``.
    p_out : float
        Probability of an edge between nodes of different blocks, in ``[0, 1]``.
    seed : int
        Seed of networkx's generator, >= 0.

    Returns
    -------
    CSRGraph
        With ``sum(sizes)`` nodes.
    """
    counts = _as_counts("sizes", sizes)
    if len(counts) == 0:
        raise GraphError("sizes must list at least one block size, got []")
    p_in = _check_real("p_in", p_in, 0.0, 1.0)
    p_out = _check_real("p_out", p_out, 0.0, 1.0)
    probs = np.full((len(counts), len(counts)), p_out)
    np.fill_diagonal(probs, p_in)
    graph = nx.stochastic_block_model(counts.tolist(), probs.tolist(), seed=_check_seed(seed))
    return _from_generated(graph)


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

    ``networkx.configuration_model(degrees, seed=seed)`` pairs the degree "stubs" at
    random (Molloy & Reed 1995), which yields a multigraph; its self-loops are then
    dropped and its multi-edges collapsed (as in :func:`from_edges`), so realised
    degrees can fall below ``degrees``, mostly for the largest ones.

    Parameters
    ----------
    degrees : sequence of int, shape (n,)
        Wanted degree of each node, each >= 0; the sum must be even.
    seed : int
        Seed of networkx's generator, >= 0.

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
    graph = nx.configuration_model(counts.tolist(), seed=_check_seed(seed))
    return _from_generated(graph)


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
