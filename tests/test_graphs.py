"""Tests for graphs.py."""

from __future__ import annotations

import re

import networkx as nx
import numba
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from conftest import csr_graphs
from swarmsim import graphs
from swarmsim.errors import GraphError
from swarmsim.graphs import CSRGraph
from swarmsim.kernels import rng

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


# ---------------------------------------------------------------------- generators

SEEDS = range(40)

GENERATORS = {
    "barabasi_albert": (
        lambda seed: graphs.barabasi_albert(200, 3, seed=seed),
        lambda seed: nx.barabasi_albert_graph(200, 3, seed=seed),
    ),
    "erdos_renyi": (
        lambda seed: graphs.erdos_renyi(200, 4.0, seed=seed),
        lambda seed: nx.fast_gnp_random_graph(200, 4.0 / 199, seed=seed),
    ),
    "watts_strogatz": (
        lambda seed: graphs.watts_strogatz(100, 6, 0.2, seed=seed),
        lambda seed: nx.watts_strogatz_graph(100, 6, 0.2, seed=seed),
    ),
    "watts_strogatz_dense": (  # rewiring must avoid existing edges most of the time
        lambda seed: graphs.watts_strogatz(12, 8, 0.7, seed=seed),
        lambda seed: nx.watts_strogatz_graph(12, 8, 0.7, seed=seed),
    ),
    "stochastic_block": (
        lambda seed: graphs.stochastic_block([30, 40, 30], 0.2, 0.01, seed=seed),
        lambda seed: nx.stochastic_block_model(
            [30, 40, 30], [[0.2, 0.01, 0.01], [0.01, 0.2, 0.01], [0.01, 0.01, 0.2]], seed=seed
        ),
    ),
    "configuration": (
        lambda seed: graphs.configuration([1, 2, 3, 4, 5, 3, 12] * 10, seed=seed),
        lambda seed: nx.configuration_model([1, 2, 3, 4, 5, 3, 12] * 10, seed=seed),
    ),
}


def pooled_degrees(build, seeds=SEEDS) -> np.ndarray:
    """Degrees of all nodes of the graphs built from ``seeds`` (networkx or CSR)."""
    out = []
    for seed in seeds:
        g = build(seed)
        if isinstance(g, nx.Graph):
            g = graphs.from_networkx(g)  # drops the configuration model's loops/multi-edges
        out.append(g.degree())
    return np.concatenate(out)


def same_distribution(a: np.ndarray, b: np.ndarray, alpha: float = 1e-3) -> bool:
    """Chi-square two-sample test on degree histograms (bins with >= 5 expected counts).

    Degrees are binned so each bin holds >= 10 pooled observations; the tail is merged
    into the last bin. The tests use fixed seeds, so each outcome is deterministic; a
    negative control below shows the test has power.
    """
    edges = [0]
    pooled = np.sort(np.concatenate((a, b)))
    for value in np.unique(pooled):
        if np.count_nonzero((pooled >= edges[-1]) & (pooled <= value)) >= 10:
            edges.append(value + 1)
    edges[-1] = pooled[-1] + 1
    table = np.array([np.histogram(x, bins=edges)[0] for x in (a, b)])
    return stats.chi2_contingency(table).pvalue > alpha


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_degree_distribution_matches_networkx(name):
    ours, theirs = GENERATORS[name]
    mine, reference = pooled_degrees(ours), pooled_degrees(theirs)
    assert len(mine) == len(reference)
    assert same_distribution(mine, reference)
    assert abs(mine.mean() - reference.mean()) < 4 * reference.std() / np.sqrt(len(SEEDS))
    assert stats.ks_2samp(mine, reference, method="asymp").pvalue > 1e-3


def test_degree_test_has_power():
    """Negative control: the same test tells BA from ER and p=0.2 from p=0.5 rewiring."""
    ba = pooled_degrees(lambda s: graphs.barabasi_albert(200, 3, seed=s))
    er = pooled_degrees(lambda s: graphs.erdos_renyi(200, 5.97, seed=s))
    assert not same_distribution(ba, er)
    ws_02 = pooled_degrees(lambda s: graphs.watts_strogatz(100, 6, 0.2, seed=s))
    ws_05 = pooled_degrees(lambda s: nx.watts_strogatz_graph(100, 6, 0.5, seed=s))
    assert not same_distribution(ws_02, ws_05)


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_output_is_a_valid_simple_graph(name):
    ours, _ = GENERATORS[name]
    for seed in range(5):
        ours(seed).validate()  # symmetric, sorted, no self-loops, no multi-edges


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_is_deterministic_per_seed(name):
    ours, _ = GENERATORS[name]
    assert ours(11) == ours(11)
    assert ours(11) != ours(12)


def test_barabasi_albert_structure():
    g = graphs.barabasi_albert(500, 4, seed=3)
    assert g.n_edges == 4 * (500 - 4)
    rows = np.repeat(np.arange(g.n), g.degree())
    earlier = np.bincount(rows[g.indices < rows], minlength=g.n)
    assert earlier.tolist() == [0] + [1] * 4 + [4] * 495  # the star, then m per node
    assert graphs.barabasi_albert(2, 1, seed=0).n_edges == 1
    star = graphs.barabasi_albert(6, 5, seed=0)  # n = m + 1: just the initial star
    assert star.degree().tolist() == [5, 1, 1, 1, 1, 1]


def test_barabasi_albert_degree_tail():
    """Degree-proportional attachment: the oldest nodes gather the most edges."""
    degree = graphs.barabasi_albert(20_000, 3, seed=1).degree()
    assert degree[:10].mean() > 20 * degree[-10_000:].mean() / 3
    assert degree.max() > 100  # uniform attachment would give a maximum near 30


def test_watts_strogatz_without_rewiring_is_networkx_lattice():
    for n, k in ((10, 4), (11, 6), (7, 0), (3, 2)):
        g = graphs.watts_strogatz(n, k, 0.0, seed=5)
        assert g == graphs.from_networkx(nx.watts_strogatz_graph(n, k, 0.0))


def test_watts_strogatz_full_rewiring_keeps_edge_count():
    g = graphs.watts_strogatz(6, 4, 1.0, seed=2)  # u often knows everyone: kept edges
    g.validate()
    assert g.n_edges == 12
    assert graphs.watts_strogatz(1, 0, 0.5, seed=1).n == 1


def test_erdos_renyi_edge_counts():
    counts = [graphs.erdos_renyi(300, 3.0, seed=s).n_edges for s in range(200)]
    pairs, p = 300 * 299 / 2, 3.0 / 299
    mean, sd = pairs * p, np.sqrt(pairs * p * (1 - p))
    assert abs(np.mean(counts) - mean) < 4 * sd / np.sqrt(200)
    assert np.std(counts) == pytest.approx(sd, rel=0.2)
    assert graphs.erdos_renyi(1, 0.0, seed=1).n == 1
    assert graphs.erdos_renyi(0, 0.0, seed=1).n == 0
    assert graphs.erdos_renyi(5, 4.0, seed=1) == graphs.complete(5)  # p = 1
    assert graphs.erdos_renyi(50, 0.0, seed=1).n_edges == 0


def test_stochastic_block_edge_counts_inside_and_between():
    sizes, p_in, p_out = [50, 80, 70], 0.1, 0.005
    labels = graphs.block_labels(sizes)
    inside, between = [], []
    for seed in range(60):
        g = graphs.stochastic_block(sizes, p_in, p_out, seed=seed)
        rows = np.repeat(np.arange(g.n), g.degree())
        same = labels[rows] == labels[g.indices]
        inside.append(np.count_nonzero(same) // 2)
        between.append(np.count_nonzero(~same) // 2)
    pairs_in = sum(s * (s - 1) // 2 for s in sizes)
    pairs_out = (sum(sizes) ** 2 - sum(s * s for s in sizes)) // 2
    for counts, pairs, p in ((inside, pairs_in, p_in), (between, pairs_out, p_out)):
        sd = np.sqrt(pairs * p * (1 - p))
        assert abs(np.mean(counts) - pairs * p) < 4 * sd / np.sqrt(60)


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
    assert graphs.stochastic_block([2, 0, 3], 1.0, 1.0, seed=0) == graphs.complete(5)


def test_configuration_degrees_bounded_by_request():
    degrees = np.array([1, 2, 3, 4, 5, 3] * 10)
    for seed in range(5):
        cm = graphs.configuration(degrees, seed=seed)
        assert np.all(cm.degree() <= degrees)
    regular = graphs.configuration([3] * 1000, seed=1)  # few loops and multi-edges
    assert np.count_nonzero(regular.degree() == 3) > 980
    assert graphs.configuration([0, 0], seed=1).n_edges == 0


def test_generators_do_not_depend_on_thread_count():
    threads = numba.get_num_threads()
    builds = (
        lambda: graphs.erdos_renyi(3000, 8.0, seed=4),
        lambda: graphs.stochastic_block([1000, 2000], 0.01, 0.001, seed=4),
        lambda: graphs.barabasi_albert(3000, 3, seed=4),
    )
    try:
        numba.set_num_threads(1)
        single = [build() for build in builds]
    finally:
        numba.set_num_threads(threads)
    assert [build() for build in builds] == single


@pytest.mark.parametrize("name", GENERATORS)
def test_int64_temporaries_give_the_same_graph(name, monkeypatch):
    """Above 2**31 - 1 nodes the generators keep int64 temporaries; same result."""
    ours, _ = GENERATORS[name]
    small = ours(3)
    monkeypatch.setattr(graphs, "id_dtype", lambda n: np.int64)
    wide = ours(3)
    assert wide.indices.dtype == np.int64
    assert wide == small


@pytest.mark.slow
def test_large_graphs_are_valid():
    n = 300_000
    ba = graphs.barabasi_albert(n, 5, seed=1)
    ba.validate()
    assert ba.n_edges == 5 * (n - 5)
    er = graphs.erdos_renyi(n, 10.0, seed=1)
    er.validate()
    pairs, p = n * (n - 1) / 2, 10.0 / (n - 1)
    assert abs(er.n_edges - pairs * p) < 5 * np.sqrt(pairs * p)
    ws = graphs.watts_strogatz(n, 10, 0.1, seed=1)
    ws.validate()
    assert ws.n_edges == 5 * n


@settings(deadline=None)
@given(
    st.integers(0, 2**63 - 1),
    st.integers(0, 2**63 - 1),
    st.integers(0, 2**40),
    st.integers(0, 2**40),
    st.integers(0, 2**40),
)
def test_compiled_uniform_is_the_numpy_draw(seed, stream, t, a, b):
    assert graphs._uniform(seed, stream, t, a, b) == rng.uniform(seed, stream, t, a, b)


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
        (lambda: graphs.barabasi_albert(10, 2, seed=-1), r"seed must be in \[0, 9223.*got seed=-1"),
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


def test_read_edge_list_line_endings_signs_and_last_line(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"0 1\r\n+1\t2\r\n# c\r\n-0,3\r\n\r\n3 4")  # no final newline
    assert graphs.read_edge_list(path) == graphs.from_edges(5, [0, 1, 0, 3], [1, 2, 3, 4])


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("0 1\n1 99999999999999999999\n", "line 2: node id 99999999999999999999 does not fit"),
        ("0 1\n1#2\n", "line 2: only one field"),
        ("0 1\n1 2x\n", "line 2: node id '2x' is not an integer"),
        ("0 1\n- 2\n", "line 2: node id '-' is not an integer"),
    ],
)
def test_read_edge_list_scanner_agrees_with_error_locator(tmp_path, text, match):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(GraphError, match=match):
        graphs.read_edge_list(path)


def write_parquet(path, columns: dict) -> None:
    pq.write_table(pa.table(columns), path)


def test_read_parquet_edge_list(tmp_path):
    ba = graphs.barabasi_albert(300, 2, seed=4)
    rows = np.repeat(np.arange(ba.n), ba.degree())
    path = tmp_path / "edges.parquet"
    write_parquet(
        path,
        {
            "source": rows.astype(np.int32),
            "target": ba.indices.astype(np.uint16),  # both directions, any integer type
            "weight": np.ones(len(rows)),
        },
    )
    assert graphs.read_edge_list(path) == ba
    assert graphs.read_edge_list(path, n=302).degree()[-2:].tolist() == [0, 0]
    empty = tmp_path / "empty.pq"
    write_parquet(empty, {"u": np.array([], np.int64), "v": np.array([], np.int64)})
    assert graphs.read_edge_list(empty, n=2) == graphs.from_edges(2, [], [])


@pytest.mark.parametrize(
    ("columns", "kwargs", "match"),
    [
        ({"u": [0, 1]}, {}, "has 1 column"),
        ({"u": [0, 1], "v": [1.0, 2.0]}, {}, "column 'v' has type double"),
        ({"u": [0, None], "v": [1, 2]}, {}, "column 'u' has 1 nulls"),
        ({"u": [0, -4], "v": [1, 2]}, {}, "row 1: column 'u' holds node id -4, which is negative"),
        (
            {"u": [0, 1], "v": [1, 7]},
            {"n": 5},
            "column 'v' holds node id 7, which is >= n=5",
        ),
    ],
)
def test_read_parquet_errors_name_file_column_and_row(tmp_path, columns, kwargs, match):
    path = tmp_path / "bad.parquet"
    write_parquet(path, columns)
    with pytest.raises(GraphError, match=match) as info:
        graphs.read_edge_list(path, **kwargs)
    assert str(info.value).startswith(f"{path}: ")
    assert "first two columns are integer node ids" in str(info.value)


def test_read_parquet_rejects_other_files(tmp_path):
    path = tmp_path / "text.parquet"
    path.write_text("0 1\n")
    with pytest.raises(GraphError, match=r"text\.parquet: not a readable Parquet file"):
        graphs.read_edge_list(path)


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
