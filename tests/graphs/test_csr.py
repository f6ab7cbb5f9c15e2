"""Tests for swarmsim.graphs.csr: the CSR type, its conversions and helpers."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import csr_graphs
from swarmsim import graphs
from swarmsim.errors import GraphError
from swarmsim.graphs import CSRGraph

# ------------------------------------------------------------------------- helpers


def edge_set(g: CSRGraph) -> set[tuple[int, int]]:
    rows = np.repeat(np.arange(g.n), g.degree())
    return {(int(u), int(v)) for u, v in zip(rows, g.indices, strict=True) if u < v}


def nx_edge_set(graph: nx.Graph) -> set[tuple[int, int]]:
    return {(min(u, v), max(u, v)) for u, v in graph.edges() if u != v}


@st.composite
def edge_lists(draw, max_n: int = 12, max_edges: int = 40):
    """(n, src, dst) with isolated nodes, self-loops, duplicates and n = 0 all possible."""
    n = draw(st.integers(0, max_n))
    if n == 0:
        return 0, [], []
    pairs = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=max_edges)
    )
    return n, [u for u, _ in pairs], [v for _, v in pairs]


def nx_from_edges(n: int, src: list[int], dst: list[int]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(src, dst, strict=True))
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    return graph


# ----------------------------------------------------------------- from_edges + CSR


@settings(deadline=None)  # the first example loads the compiled kernels
@given(edge_lists())
def test_from_edges_invariants(case):
    n, src, dst = case
    g = graphs.from_edges(n, np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64))
    g.validate()
    assert g.n == n
    assert g.indptr.dtype == np.int64
    assert g.indices.dtype == np.int32  # ids fit: kernels read half the bytes
    assert g.indptr[0] == 0
    assert g.degree().sum() == 2 * g.n_edges == len(g.indices)
    for i in range(n):
        row = g.neighbours(i)
        assert np.all(np.diff(row) > 0)  # sorted, no duplicates
        assert i not in row
        for j in row:
            assert i in g.neighbours(int(j))  # symmetric
    expected = nx_from_edges(n, src, dst)
    assert edge_set(g) == nx_edge_set(expected)
    assert g.n_edges == expected.number_of_edges()


@settings(deadline=None)
@given(edge_lists())
def test_networkx_round_trip(case):
    g = graphs.from_edges(*case)
    back = g.to_networkx()
    assert list(back.nodes) == list(range(g.n))
    assert graphs.from_networkx(back) == g


def test_from_edges_accepts_lists_and_drops_loops_and_duplicates():
    g = graphs.from_edges(3, [0, 1, 2, 2], [1, 0, 2, 1])
    assert g.indptr.tolist() == [0, 1, 3, 4]
    assert g.indices.tolist() == [1, 0, 2, 1]
    assert repr(g) == "CSRGraph(n=3, n_edges=2)"


def test_no_edges_and_no_nodes():
    empty = graphs.from_edges(0, [], [])
    assert (empty.n, empty.n_edges) == (0, 0)
    empty.validate()
    isolated = graphs.from_edges(4, np.array([], dtype=np.int64), [])
    assert isolated.degree().tolist() == [0, 0, 0, 0]
    assert isolated.to_networkx().number_of_nodes() == 4


@settings(max_examples=50, deadline=None)
@given(g=csr_graphs(max_n=40, max_edges=120), seed=st.integers(0, 2**32 - 1))
def test_neighbour_sums_are_the_bincount_bits(g, seed):
    values = np.random.default_rng(seed).uniform(-1e3, 1e3, g.n)  # rounding on every add
    expected = np.bincount(graphs.row_ids(g.indptr), weights=values[g.indices], minlength=g.n)
    assert np.array_equal(graphs.neighbour_sums(g, values).view(np.uint64),
                          expected.view(np.uint64))  # fmt: skip


def test_neighbours_is_a_view_and_checks_range():
    g = graphs.from_edges(3, [0, 0], [1, 2])
    assert np.shares_memory(g.neighbours(0), g.indices)
    with pytest.raises(GraphError, match=r"i must be in \[0, 2\], got i=3"):
        g.neighbours(3)


def test_equality_and_hash():
    a = graphs.from_edges(3, [0], [1])
    assert a == graphs.from_edges(3, [1], [0])
    assert a != graphs.from_edges(4, [0], [1])
    assert a != "not a graph"
    with pytest.raises(TypeError):
        hash(a)


@pytest.mark.parametrize(
    ("n", "src", "dst", "match"),
    [
        (3, [0, 3], [1, 0], r"edge 1 \(3, 0\) has a node id outside \[0, n=3\)"),
        (3, [0, -1], [1, 0], r"edge 1 \(-1, 0\)"),
        (3, [0, 1], [1], "same length, got 2 and 1"),
        (3, [0.0], [1.0], "integer node ids, got dtype float64"),
        (-1, [], [], "n must be in"),
    ],
)
def test_from_edges_rejects_bad_input(n, src, dst, match):
    with pytest.raises(GraphError, match=match):
        graphs.from_edges(n, src, dst)


def csr(indptr, indices):
    return CSRGraph(np.array(indptr, dtype=np.int64), np.array(indices, dtype=np.int64))


def test_int64_ids_are_narrowed_while_they_fit():
    graph = csr([0, 1, 2], [1, 0])
    assert graph.indices.dtype == np.int32
    assert graph.indices.tolist() == [1, 0]
    assert graphs.id_dtype(2**31 - 1) == np.int32
    assert graphs.id_dtype(2**31) == np.int64


@pytest.mark.parametrize(
    ("graph", "match"),
    [
        (
            CSRGraph(np.array([0, 1], dtype=np.int32), np.array([0])),
            "indptr must be a 1-D int64 array, got dtype=int32",
        ),
        (
            CSRGraph(np.array([0, 1]), np.array([0.0])),
            "indices must be a 1-D int32 array, got dtype=float64",
        ),
        (csr([1, 1], []), r"start with 0.*indptr\[0\]=1"),
        (csr([0, 1], []), r"indptr\[-1\]=1, len\(indices\)=0"),
        (csr([0, 2, 1, 2], [1, 2]), r"non-decreasing, got indptr\[1\]=2 > indptr\[2\]=1"),
        (csr([0, 1, 2], [1, 5]), r"indices\[1\]=5 \(a neighbour of node 1\) is outside \[0, n=2\)"),
        (csr([0, 1, 1], [0]), "node 0 is its own neighbour"),
        (
            csr([0, 2, 3, 4], [2, 1, 0, 0]),
            "neighbours of node 0 must be sorted ascending, got 2 before 1",
        ),
        (csr([0, 2, 4], [1, 1, 0, 0]), "node 0 lists neighbour 1 twice"),
        (csr([0, 1, 1], [1]), "node 0 lists neighbour 1, but node 1 does not list 0"),
        (csr([0, 0, 1], [1]), "node 1 is its own neighbour"),
        (csr([0, 1, 2, 3], [1, 2, 0]), "node 0 lists neighbour 1, but node 1 does not list 0"),
    ],
)
def test_validate_names_the_offending_value(graph, match):
    with pytest.raises(GraphError, match=match):
        graph.validate()


# ------------------------------------------------------------------------ networkx


def test_from_networkx_relabels_in_node_order():
    graph = nx.Graph()
    graph.add_nodes_from(["z", "y", "lonely"])
    graph.add_edge("y", "z")
    graph.add_edge("x", "z")
    g = graphs.from_networkx(graph)
    assert list(graph.nodes) == ["z", "y", "lonely", "x"]
    assert edge_set(g) == {(0, 1), (0, 3)}
    assert g.degree().tolist() == [2, 1, 0, 1]


def test_from_networkx_directed_multi_and_loops_collapse():
    multi = nx.MultiDiGraph([(0, 1), (1, 0), (0, 1), (2, 2), (2, 0)])
    g = graphs.from_networkx(multi)
    assert edge_set(g) == {(0, 1), (0, 2)}
    g.validate()


def test_from_networkx_rejects_non_graph():
    with pytest.raises(GraphError, match="expected a networkx graph, got list"):
        graphs.from_networkx([(0, 1)])


# ------------------------------------------------------------------------ bfs_ball


def assert_bfs_order(g: CSRGraph, ball: np.ndarray) -> None:
    """Each node has an earlier neighbour, unless the earlier nodes are closed and it is
    the lowest-numbered node outside them (a restart)."""
    seen: set[int] = {int(ball[0])}
    for node in ball[1:].tolist():
        if not seen.intersection(g.neighbours(node).tolist()):
            frontier = {int(v) for u in seen for v in g.neighbours(u)}
            assert frontier <= seen, f"{node} restarts while {frontier - seen} are reachable"
            assert node == min(set(range(g.n)) - seen)
        seen.add(node)


@settings(deadline=None)
@given(edge_lists(), st.data())
def test_bfs_ball_properties(case, data):
    g = graphs.from_edges(*case)
    if g.n == 0:
        return
    centre = data.draw(st.integers(0, g.n - 1))
    size = data.draw(st.integers(0, g.n))
    ball = graphs.bfs_ball(g, centre, size)
    assert ball.dtype == np.int64
    assert len(ball) == size == len(set(ball.tolist()))
    if size:
        assert ball[0] == centre
        assert_bfs_order(g, ball)
        dist = nx.single_source_shortest_path_length(g.to_networkx(), centre)
        first = [dist[int(v)] for v in ball[: len(dist)]]
        assert first == sorted(first)  # breadth-first: distances never decrease


def test_bfs_ball_on_connected_graph():
    g = graphs.barabasi_albert(200, 2, seed=3)
    ball = graphs.bfs_ball(g, 17, 50)
    assert len(np.unique(ball)) == 50
    assert_bfs_order(g, ball)
    assert np.array_equal(ball, graphs.bfs_ball(g, 17, 50))


def test_bfs_ball_disconnected_continues_from_lowest_unvisited():
    # components {0, 1}, {2, 3, 4} (a path 2-3-4), {5}, {6, 7}
    g = graphs.from_edges(8, [0, 2, 3, 6], [1, 3, 4, 7])
    assert graphs.bfs_ball(g, 3, 8).tolist() == [3, 2, 4, 0, 1, 5, 6, 7]
    assert graphs.bfs_ball(g, 6, 4).tolist() == [6, 7, 0, 1]
    assert graphs.bfs_ball(g, 5, 1).tolist() == [5]
    assert graphs.bfs_ball(g, 5, 0).tolist() == []
    no_edges = graphs.from_edges(4, [], [])
    assert graphs.bfs_ball(no_edges, 2, 4).tolist() == [2, 0, 1, 3]


def test_bfs_ball_rejects_bad_arguments():
    g = graphs.complete(4)
    with pytest.raises(GraphError, match=r"centre must be in \[0, 3\], got centre=4"):
        graphs.bfs_ball(g, 4, 2)
    with pytest.raises(GraphError, match=r"size must be in \[0, 4\], got size=5"):
        graphs.bfs_ball(g, 0, 5)
