"""Tests for graphs.py."""

from __future__ import annotations

import re

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@given(edge_lists())
def test_from_edges_invariants(case):
    n, src, dst = case
    g = graphs.from_edges(n, np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64))
    g.validate()
    assert g.n == n
    assert g.indptr.dtype == np.int64
    assert g.indices.dtype == np.int64
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


@pytest.mark.parametrize(
    ("graph", "match"),
    [
        (
            CSRGraph(np.array([0, 1]), np.array([0], dtype=np.int32)),
            "1-D int64 array, got dtype=int32",
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


# ---------------------------------------------------------------------- generators

GENERATORS = {
    "barabasi_albert": (
        lambda seed: graphs.barabasi_albert(60, 3, seed=seed),
        lambda seed: nx.barabasi_albert_graph(60, 3, seed=seed),
    ),
    "erdos_renyi": (
        lambda seed: graphs.erdos_renyi(200, 4.0, seed=seed),
        lambda seed: nx.fast_gnp_random_graph(200, 4.0 / 199, seed=seed),
    ),
    "watts_strogatz": (
        lambda seed: graphs.watts_strogatz(100, 6, 0.2, seed=seed),
        lambda seed: nx.watts_strogatz_graph(100, 6, 0.2, seed=seed),
    ),
    "stochastic_block": (
        lambda seed: graphs.stochastic_block([30, 40, 30], 0.2, 0.01, seed=seed),
        lambda seed: nx.stochastic_block_model(
            [30, 40, 30], [[0.2, 0.01, 0.01], [0.01, 0.2, 0.01], [0.01, 0.01, 0.2]], seed=seed
        ),
    ),
    "configuration": (
        lambda seed: graphs.configuration([1, 2, 3, 4, 5, 3] * 10, seed=seed),
        lambda seed: nx.configuration_model([1, 2, 3, 4, 5, 3] * 10, seed=seed),
    ),
}


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_matches_networkx(name):
    ours, theirs = GENERATORS[name]
    g, reference = ours(7), theirs(7)
    g.validate()
    assert g.n == reference.number_of_nodes()
    assert edge_set(g) == nx_edge_set(reference)
    assert g.n_edges == len(nx_edge_set(reference))


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_is_deterministic_per_seed(name):
    ours, _ = GENERATORS[name]
    assert ours(11) == ours(11)
    assert ours(11) != ours(12)


def test_generator_edge_counts():
    assert graphs.barabasi_albert(60, 3, seed=1).n_edges == 3 * (60 - 3)
    assert graphs.watts_strogatz(100, 6, 0.2, seed=1).n_edges == 100 * 6 // 2
    assert graphs.watts_strogatz(1, 0, 0.5, seed=1).n == 1
    er = graphs.erdos_renyi(2000, 6.0, seed=3)
    assert abs(er.degree().mean() - 6.0) < 0.3  # sd of the mean degree is about 0.08
    assert graphs.erdos_renyi(1, 0.0, seed=1).n == 1
    assert graphs.erdos_renyi(5, 4.0, seed=1).n_edges == 10  # p = 1: complete
    degrees = np.array([1, 2, 3, 4, 5, 3] * 10)
    cm = graphs.configuration(degrees, seed=2)
    assert np.all(cm.degree() <= degrees)
    assert cm.n_edges <= degrees.sum() // 2


def test_stochastic_block_labels():
    sizes = [30, 40, 30]
    labels = graphs.block_labels(sizes)
    assert labels.dtype == np.int64
    assert labels.tolist() == [0] * 30 + [1] * 40 + [2] * 30
    g = graphs.stochastic_block(sizes, 1.0, 0.0, seed=0)  # three disjoint cliques
    rows = np.repeat(np.arange(g.n), g.degree())
    assert np.all(labels[rows] == labels[g.indices])
    assert g.n_edges == sum(s * (s - 1) // 2 for s in sizes)
    assert graphs.block_labels([2, 0, 1]).tolist() == [0, 0, 2]


@pytest.mark.parametrize("n", [0, 1, 2, 5, 17])
def test_complete(n):
    g = graphs.complete(n)
    g.validate()
    assert g.n == n
    assert g.n_edges == n * (n - 1) // 2
    assert g == graphs.from_networkx(nx.complete_graph(n))


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: graphs.barabasi_albert(10, 10, seed=0), r"m must be in \[1, 9\].*got m=10"),
        (lambda: graphs.barabasi_albert(10, 0, seed=0), "got m=0"),
        (lambda: graphs.barabasi_albert(10, 2.0, seed=0), "m must be an integer, got m=2.0"),
        (lambda: graphs.barabasi_albert(10, 2, seed=-1), "seed must be >= 0, got seed=-1"),
        (
            lambda: graphs.erdos_renyi(10, 9.5, seed=0),
            r"mean_degree must be in \[0.0, 9.0\], got mean_degree=9.5",
        ),
        (lambda: graphs.erdos_renyi(10, -1, seed=0), "got mean_degree=-1.0"),
        (lambda: graphs.erdos_renyi(10, float("nan"), seed=0), "got mean_degree=nan"),
        (lambda: graphs.watts_strogatz(10, 3, 0.1, seed=0), "k must be even.*got k=3"),
        (lambda: graphs.watts_strogatz(10, 10, 0.1, seed=0), r"k must be in \[0, 9\].*got k=10"),
        (
            lambda: graphs.watts_strogatz(10, 4, 1.5, seed=0),
            r"p must be in \[0.0, 1.0\], got p=1.5",
        ),
        (lambda: graphs.stochastic_block([], 0.1, 0.1, seed=0), "at least one block"),
        (
            lambda: graphs.stochastic_block([3, -2], 0.1, 0.1, seed=0),
            r"sizes must be >= 0, got sizes\[1\]=-2",
        ),
        (lambda: graphs.stochastic_block([3, 2], 0.1, 2, seed=0), "got p_out=2.0"),
        (lambda: graphs.configuration([1, 2], seed=0), "sum of degrees must be even.*got sum=3"),
        (lambda: graphs.configuration([1.5, 0.5], seed=0), "degrees must hold integers"),
        (lambda: graphs.complete(-2), "n must be in .*got n=-2"),
    ],
)
def test_generators_reject_bad_arguments(build, match):
    with pytest.raises(GraphError, match=match):
        build()


def test_seed_is_keyword_only():
    with pytest.raises(TypeError):
        graphs.barabasi_albert(10, 2, 0)


# --------------------------------------------------------------------------- files


def test_read_edge_list_round_trip(tmp_path):
    path = tmp_path / "edges.txt"
    path.write_text(
        "# consumer friendships\n"
        "0 1\n"
        "\n"
        "1,2\n"
        "  2 ,\t3 0.75 extra\n"
        "3 0  # trailing comment\n"
        "1 0\n"
        "4 4\n"
    )
    g = graphs.read_edge_list(path, n=6)
    assert g == graphs.from_edges(6, [0, 1, 2, 3, 1, 4], [1, 2, 3, 0, 0, 4])
    assert g.degree().tolist() == [2, 2, 2, 2, 0, 0]
    assert graphs.read_edge_list(str(path)).n == 5  # default n: largest id + 1


def test_read_edge_list_reads_numpy_csv(tmp_path):
    rng = np.random.default_rng(0)
    edges = rng.integers(0, 5000, size=(200_000, 2))
    path = tmp_path / "big.csv"
    np.savetxt(path, edges, fmt="%d", delimiter=",")
    g = graphs.read_edge_list(path, n=5000)
    assert g == graphs.from_edges(5000, edges[:, 0], edges[:, 1])


def test_read_edge_list_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("# nobody knows anybody\n\n")
    assert graphs.read_edge_list(path).n == 0
    assert graphs.read_edge_list(path, n=3) == graphs.from_edges(3, [], [])


def test_read_edge_list_missing_file(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(GraphError, match=re.escape(f"graph file not found: {path}")):
        graphs.read_edge_list(path)
    with pytest.raises(GraphError, match="graph file not found"):
        graphs.read_edge_list(tmp_path)  # a directory


@pytest.mark.parametrize(
    ("text", "kwargs", "match"),
    [
        ("0 1\n# c\n1 x\n", {}, r"line 3: node id 'x' is not an integer in '1 x'"),
        ("source target\n0 1\n", {}, r"line 1: node id 'source' is not an integer"),
        ("0 1\n1 2.5\n", {}, r"line 2: node id '2.5' is not an integer"),
        ("0 1\n\n-3 2\n", {}, r"line 3: node id -3 is negative"),
        ("0 1\n2\n", {}, r"line 2: only one field, expected two node ids"),
        ("7\n0 1\n", {}, r"line 1: only one field"),
        ("0 1\n1 2\n5 1\n", {"n": 4}, r"line 3: node id 5 is >= n=4"),
    ],
)
def test_read_edge_list_errors_name_file_and_line(tmp_path, text, kwargs, match):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(GraphError, match=match) as info:
        graphs.read_edge_list(path, **kwargs)
    message = str(info.value)
    assert message.startswith(f"{path}: line ")
    assert "expected one edge 'u v' per line" in message


def test_graphml_round_trip(tmp_path):
    ba = graphs.barabasi_albert(40, 2, seed=5)
    g = graphs.from_edges(42, np.repeat(np.arange(40), ba.degree()), ba.indices)  # 2 isolated
    path = tmp_path / "g.graphml"
    nx.write_graphml(g.to_networkx(), path)
    assert graphs.read_graphml(path) == g


def test_graphml_errors(tmp_path):
    with pytest.raises(GraphError, match=r"graph file not found: .*missing\.graphml"):
        graphs.read_graphml(tmp_path / "missing.graphml")
    garbage = tmp_path / "garbage.graphml"
    garbage.write_text("this is not xml")
    with pytest.raises(
        GraphError, match=r"garbage.graphml: not a readable GraphML file \(ParseError"
    ):
        graphs.read_graphml(garbage)
    other_xml = tmp_path / "other.graphml"
    other_xml.write_text("<root><a/></root>")
    with pytest.raises(GraphError, match="not a readable GraphML file"):
        graphs.read_graphml(other_xml)


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
